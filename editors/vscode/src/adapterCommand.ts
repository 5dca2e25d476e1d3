/** How to start the adapter from the `bpfsharp.command` setting: the installed tool, or a built BpfSharp.Cli.dll
 * (a checkout's `dotnet build` output) run with dotnet. */
export function adapterCommand(configured: string): { command: string; args: string[] } {
  const tool = configured.trim() || 'bpfsharp';
  return tool.toLowerCase().endsWith('.dll')
    ? { command: 'dotnet', args: [tool, 'debug'] }
    : { command: tool, args: ['debug'] };
}
