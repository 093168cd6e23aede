// An annotation inside a function body (issue 10, item 3): its parameters take the arguments of the
// last call of that function in the file, evaluated where that call stands, so a lens in a helper
// shows the numbers the program computes there. The hover says which call the values come from.

import type { Binding } from './bindings';
import type { DocumentIndex } from './document';
import { LensEvaluation } from './evaluate';
import { parseExpression } from './parser';
import { quote } from './quote';
import type { Token } from './tokens';

/**
 * Bindings for the parameters of the function around statement `id` that `given` does not bind,
 * from the last call of that function in the file; none when there is no call the lens can
 * evaluate (the lens then asks for a binding, as for any parameter).
 */
export function callBindings(doc: DocumentIndex, id: number, given: readonly Binding[]): Binding[] {
  const fn = doc.enclosingFunction(id);
  if (!fn || fn.params.length === 0) return [];
  // A parameter the body reassigns or changes through `.data` above the lens is no longer the argument.
  const missing = fn.params.filter((p) => !given.some((b) => b.name === p) && !touchedAbove(doc, fn.header, id, p));
  if (missing.length === 0) return [];
  const call = lastCall(doc, fn.header, fn.name);
  if (!call || call.args.length !== fn.params.length) return [];
  const statement = doc.statements[call.id];
  const here = `the call on ${doc.lineLabel(statement.start)}`;
  const bindings: Binding[] = [];
  for (const name of missing) {
    const [from, to] = call.args[fn.params.indexOf(name)];
    const value = evaluateArgument(doc, call.id, statement.tokens, from, to, here);
    if (value === undefined) return [];
    bindings.push({
      name,
      value,
      span: { start: statement.tokens[from].start, end: statement.tokens[to - 1].end },
      from: 'call',
    });
  }
  return bindings;
}

/** Whether a statement of the function between its header and statement `id` assigns `name` or writes its `.data`. */
function touchedAbove(doc: DocumentIndex, header: number, id: number, name: string): boolean {
  for (let k = header + 1; k < id; k++) {
    const tokens = doc.statements[k].tokens;
    for (let j = 0; j + 1 < tokens.length; j++) {
      if (tokens[j].kind !== 'name' || tokens[j].text !== name || tokens[j - 1]?.text === '.') continue;
      const next = tokens[j + 1].text;
      if (next === '.' && tokens[j + 2]?.text === 'data') return true;
      if (next === '=' || next === '+=' || next === '-=' || next === '*=' || next === '/=' || next === '**=')
        return true;
    }
  }
  return false;
}

/** For each document, the statements that call each name (`name(`), found once: lenses in many helpers stay linear. */
const callers = new WeakMap<DocumentIndex, Map<string, number[]>>();

function callersOf(doc: DocumentIndex, name: string): number[] {
  let index = callers.get(doc);
  if (!index) {
    const built = new Map<string, number[]>();
    doc.statements.forEach((statement, id) => {
      const tokens = statement.tokens;
      for (let k = 0; k + 1 < tokens.length; k++) {
        const t = tokens[k];
        if (t.kind !== 'name' || tokens[k + 1].text !== '(') continue;
        const before = tokens[k - 1]?.text;
        if (before === '.' || before === 'def' || before === 'function' || before === 'new') continue;
        const ids = built.get(t.text);
        if (!ids) built.set(t.text, [id]);
        else if (ids[ids.length - 1] !== id) ids.push(id);
      }
    });
    callers.set(doc, built);
    index = built;
  }
  return index.get(name) ?? [];
}

/** The last statement in the file (by position) that calls the function `header` defines as `name`, and its arguments' token ranges. */
function lastCall(
  doc: DocumentIndex,
  header: number,
  name: string,
): { id: number; args: [number, number][] } | undefined {
  let best: { id: number; args: [number, number][] } | undefined;
  let bestStart = -1;
  for (const id of callersOf(doc, name)) {
    const statement = doc.statements[id];
    if (statement.start <= bestStart || doc.insideFunction(id, header)) continue;
    if (doc.resolveFunction(name, id) !== header) continue;
    const tokens = statement.tokens;
    for (let k = tokens.length - 2; k >= 0; k--) {
      const t = tokens[k];
      if (t.kind !== 'name' || t.text !== name || tokens[k + 1].text !== '(') continue;
      const before = tokens[k - 1]?.text;
      if (before === '.' || before === 'def' || before === 'function' || before === 'new') continue;
      const args = argumentsAt(tokens, k + 1);
      if (!args) continue;
      best = { id, args };
      bestStart = statement.start;
      break;
    }
  }
  return best;
}

/** The token ranges of the arguments of the call whose `(` is at `open`; undefined with keyword arguments or spreads. */
function argumentsAt(tokens: Token[], open: number): [number, number][] | undefined {
  const args: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open + 1; k < tokens.length; k++) {
    const x = tokens[k].text;
    const op = tokens[k].kind === 'op';
    if (op && (x === '(' || x === '[' || x === '{')) depth++;
    else if (op && (x === ')' || x === ']' || x === '}')) {
      if (depth-- > 0) continue;
      if (k > start) args.push([start, k]);
      return args;
    } else if (depth === 0 && op && x === ',') {
      args.push([start, k]);
      start = k + 1;
    } else if (depth === 0 && op && (x === '=' || x === '*' || x === '**' || x === '...') && k === start)
      return undefined;
    else if (depth === 0 && op && x === '=' && k === start + 1) return undefined;
  }
  return undefined;
}

/** The number the argument in `tokens[from, to)` has where statement `id` stands, or undefined. */
function evaluateArgument(
  doc: DocumentIndex,
  id: number,
  tokens: Token[],
  from: number,
  to: number,
  here: string,
): number | undefined {
  try {
    const expr = parseExpression(tokens, from, to, doc.style === 'slash', doc.leaves, doc.functions);
    const evaluation = new LensEvaluation(doc, {
      expr,
      exprSpan: { start: tokens[from].start, end: tokens[to - 1].end },
      before: id,
      bindings: [],
      bindingAdvice: (name) => quote(name),
      here,
    });
    if (!evaluation.discover()) return undefined;
    return evaluation.evaluate().root.data;
  } catch {
    // A call the lens cannot evaluate gives no binding: the lens asks for one instead.
    return undefined;
  }
}
