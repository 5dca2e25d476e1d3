import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { adapterCommand } from '../adapterCommand';

test('the installed tool runs as bpfsharp debug', () => {
  assert.deepEqual(adapterCommand('bpfsharp'), { command: 'bpfsharp', args: ['debug'] });
  assert.deepEqual(adapterCommand('  '), { command: 'bpfsharp', args: ['debug'] });
});

test('a built BpfSharp.Cli.dll runs with dotnet', () => {
  assert.deepEqual(adapterCommand('/src/bpfsharp/src/BpfSharp.Cli/bin/Debug/net10.0/BpfSharp.Cli.dll'),
    { command: 'dotnet', args: ['/src/bpfsharp/src/BpfSharp.Cli/bin/Debug/net10.0/BpfSharp.Cli.dll', 'debug'] });
});
