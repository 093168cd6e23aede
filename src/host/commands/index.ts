// Every command of the extension: a plain function of the context and the command's arguments, one
// file each, its id from ids.ts (as Error Lens does). Registered here, each behind `guard`, so that
// an exception is logged to the context's log instead of being thrown into the extension host.
import * as vscode from 'vscode';
import type { Context } from '../context';
import { guard } from '../log';
import { differentiateSelection } from './differentiateSelection';
import { CommandId } from './ids';
import { openProblem } from './openProblem';
import { openSizeSetting } from './openSizeSetting';
import { plotAgainst } from './plotAgainst';
import { showGraph } from './showGraph';
import { toggleLenses } from './toggleLenses';
import { traceGradients } from './traceGradients';
import { traceMenu } from './traceMenu';

/** A command's body: what it returns is what `executeCommand` resolves to (the tests read it). */
export type Command = (ctx: Context, ...args: unknown[]) => unknown;

const COMMANDS: ReadonlyArray<readonly [CommandId, Command]> = [
  [CommandId.DifferentiateSelection, differentiateSelection],
  [CommandId.ShowGraph, showGraph],
  [CommandId.ToggleLenses, toggleLenses],
  [CommandId.OpenProblem, openProblem],
  [CommandId.OpenSizeSetting, openSizeSetting],
  [CommandId.PlotAgainst, plotAgainst],
  [CommandId.TraceGradients, traceGradients],
  [CommandId.TraceMenu, traceMenu],
];

export function registerCommands(ctx: Context): vscode.Disposable {
  return vscode.Disposable.from(...COMMANDS.map(([id, command]) => registerCommand(ctx, id, command)));
}

function registerCommand(ctx: Context, id: CommandId, command: Command): vscode.Disposable {
  // The log names the command without its prefix: "showGraph: …".
  const where = id.replace(/^gradientLens\./, '');
  return vscode.commands.registerCommand(id, (...args: unknown[]) =>
    guard(ctx.log, where, undefined, () => command(ctx, ...args)),
  );
}
