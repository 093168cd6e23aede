// "Gradient Lens: Differentiate Selection": treats the selection (or, with nothing selected, the
// cursor's line) as an expression or statement, resolves its names from the assignments above it
// (and, in a notebook, from the cells above), asks for missing values, and shows the result.
import * as vscode from 'vscode';
import { analyzeSelection, parseBindings, suggestedBinding, type Lens } from '../../core';
import type { Context } from '../context';
import { toCoreRange } from '../convert';
import type { LensStore } from '../lensStore';
import { codeCellsAround } from '../notebooks';
import { showLensSummary } from './showLensSummary';

/** Asks for values of the missing names; `prefill` is e.g. `z=1.0, w=1.0`. Undefined: cancelled. */
export type AskBindings = (prefill: string, missing: string[]) => Thenable<string | undefined>;

/** Optional argument, for tests (which cannot type into an input box): answers in its place. */
export interface DifferentiateOptions {
  askBindings?: AskBindings;
}

/** Each answer can only bind names, so a few rounds always suffice; this bounds a confused loop. */
const MAX_ROUNDS = 5;

/** Returns the lens it computed (for tests), or undefined without an editor. */
export async function differentiateSelection(ctx: Context, options?: unknown): Promise<Lens | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Gradient Lens: open a file and select an expression to differentiate.');
    return undefined;
  }
  const lens = await differentiate(ctx.store, editor, askBindingsFrom(options));
  // The graph when there is one; a lens with an error is summarised with its problem.
  if (lens.graph) ctx.graphPanel.show(lens, editor.document, { adHoc: true });
  else void showLensSummary(lens, ctx.settings(editor.document));
  return lens;
}

async function differentiate(store: LensStore, editor: vscode.TextEditor, ask: AskBindings): Promise<Lens> {
  const document = editor.document;
  const selection = editor.selection.isEmpty ? document.lineAt(editor.selection.active.line).range : editor.selection;
  const options = { ...store.optionsFor(document), prelude: cellsAbove(document) };
  const analyse = (bindings: Record<string, number>) =>
    analyzeSelection(document.getText(), toCoreRange(selection), { ...options, bindings });
  let bindings: Record<string, number> = {};
  let lens = analyse(bindings);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = unboundNames(lens);
    if (missing.length === 0) break;
    const answer = await ask(missing.map(suggestedBinding).join(', '), missing);
    if (answer === undefined) break;
    const parsed = parseBindings(answer);
    if ('error' in parsed) break;
    bindings = { ...bindings, ...parsed.bindings };
    lens = analyse(bindings);
  }
  return lens;
}

function unboundNames(lens: Lens): string[] {
  const names = lens.problems
    .filter((problem) => problem.code === 'unbound' && problem.name)
    .map((problem) => problem.name!);
  return [...new Set(names)];
}

/** In a notebook, the code cells above this one, in order: their assignments give names values. */
function cellsAbove(document: vscode.TextDocument): string[] {
  const around = codeCellsAround(document);
  return around ? around.cells.slice(0, Math.max(0, around.index)).map((cell) => cell.getText()) : [];
}

function askBindingsFrom(options: unknown): AskBindings {
  // From the editor's context menu the first argument is the file's uri, not options.
  const given =
    typeof options === 'object' && options !== null ? (options as DifferentiateOptions).askBindings : undefined;
  return typeof given === 'function' ? given : askWithInputBox;
}

const askWithInputBox: AskBindings = (prefill, missing) =>
  vscode.window.showInputBox({
    title: 'Gradient Lens: values for the selection',
    prompt: `No value for ${missing.join(', ')}. Give values as name=value, separated by commas.`,
    value: prefill,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseBindings(text);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
