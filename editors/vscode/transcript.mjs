// Prints a DAP session of `bpfsharp debug` on examples/drinks (the README's transcript): what a client such as VS Code
// sends and what the adapter answers, one message a line, bodies shortened to what matters.
// Usage: node editors/vscode/transcript.mjs [path/to/BpfSharp.Cli.dll]   (from the repository root, after dotnet build)
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve('.');
const dll = resolve(process.argv[2] ?? 'src/BpfSharp.Cli/bin/Debug/net10.0/BpfSharp.Cli.dll');
const adapter = spawn('dotnet', [dll, 'debug'], { stdio: ['pipe', 'pipe', 'inherit'] });
let buffer = Buffer.alloc(0), seq = 0;
let listeners = [];
adapter.stdout.on('data', chunk => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
    buffer = buffer.subarray(end + 4 + length);
    show('<-', message);
    listeners = listeners.filter(l => !(l.wants(message) && (l.resolve(message), true)));
  }
});
const awaitMessage = wants => new Promise(resolve => listeners.push({ wants, resolve }));
function show(direction, m) {
  const what = m.type === 'request' ? m.command : m.type === 'response' ? `${m.command} ${m.success ? 'ok' : 'FAILED'}` : m.event;
  const body = m.arguments ?? m.body;
  let text = body ? ' ' + JSON.stringify(body).replaceAll(root, '.') : '';
  if (text.length > 240) text = text.slice(0, 240) + '…';
  console.log(`${direction} ${m.type.padEnd(8)} ${what}${text}`);
}
async function request(command, args) {
  const m = { seq: ++seq, type: 'request', command, arguments: args };
  show('->', m);
  const text = JSON.stringify(m);
  const reply = awaitMessage(r => r.type === 'response' && r.request_seq === m.seq);
  adapter.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  return reply;
}
const event = name => awaitMessage(m => m.type === 'event' && m.event === name);

const drinks = resolve('examples/drinks');
await request('initialize', { adapterID: 'bpfsharp' });
await request('launch', { object: `${drinks}/drinks.o`, program: 'server2', tailCalls: ['bar:0=serve_drink'] });
await request('setBreakpoints', { source: { path: `${drinks}/drinks.c` }, breakpoints: [{ line: 18 }] });
const stopped = event('stopped');
await request('configurationDone');
await stopped;
await request('stackTrace', { threadId: 1 });
const scopes = await request('scopes', { frameId: 1 });
await request('variables', { variablesReference: scopes.body.scopes[0].variablesReference });
const stepped = event('stopped');
await request('stepOut', { threadId: 1 });
await stepped;
await request('evaluate', { expression: 'r0', frameId: 1 });
const exited = event('terminated');
await request('continue', { threadId: 1 });
await exited;
await request('disconnect');
adapter.stdin.end();
