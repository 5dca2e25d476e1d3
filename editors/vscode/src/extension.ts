// The extension only tells VS Code how to start the debug adapter: `bpfsharp debug` speaks the Debug Adapter
// Protocol on stdin/stdout, and everything else (breakpoints, steps, variables) is the adapter's.
import * as vscode from 'vscode';
import { adapterCommand } from './adapterCommand';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.debug.registerDebugAdapterDescriptorFactory('bpfsharp', {
    createDebugAdapterDescriptor() {
      const configured = vscode.workspace.getConfiguration('bpfsharp').get<string>('command', 'bpfsharp');
      const { command, args } = adapterCommand(configured);
      return new vscode.DebugAdapterExecutable(command, args);
    },
  }));
}

export function deactivate(): void {}
