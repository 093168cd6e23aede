// "Not statically knowable" as a first-class answer (issue 10, item 6). When a statement the lens
// cannot parse is outside the language because its value exists only when the program runs (a
// comprehension or a loop method, a random number, `sum`/`zip`/`len` over a list the program
// builds, a call into a class instance, an element of a list), the lens says which construct and
// why, instead of a syntax error, and never guesses a number. Trace Gradients can read such values.

import type { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { clip, quote } from './quote';
import type { Token } from './tokens';

const TRACE = 'not statically knowable; Trace Gradients runs the program and reads it';

/** Functions whose result depends on a list or an iterator the program builds. */
const OVER_LISTS = new Set(['sum', 'zip', 'len', 'range', 'enumerate', 'map', 'filter', 'sorted', 'reversed', 'list']);
/** Array methods that loop over their array. */
const LOOP_METHODS = new Set(['reduce', 'reduceRight', 'map', 'forEach', 'filter', 'fill', 'flatMap', 'every', 'some']);
/** Method names of random generators, whatever the object (`random.uniform`, `rng.normal`). */
const RANDOM_METHODS = new Set([
  'random',
  'uniform',
  'gauss',
  'normal',
  'randn',
  'rand',
  'randint',
  'randrange',
  'choice',
  'sample',
  'shuffle',
  'normalvariate',
  'standard_normal',
  'randn_like',
  'rand_like',
]);

/**
 * Why the expression of statement `id` (tokens from `from`) has no static value, as an
 * 'unknowable' error at the construct; undefined when nothing in it is a run-time construct.
 */
export function runtimeConstruct(doc: DocumentIndex, id: number, from: number, depth = 0): AnalysisError | undefined {
  const header = doc.header(id);
  const what = header.form === 'assign' || header.form === 'augmented' ? quote(header.target) : 'this expression';
  return (
    comprehension(doc, id, from, what, depth) ?? runtimeCall(doc, id, from, what) ?? objectField(doc, id, from, what)
  );
}

/** `self.w`, `this.b[i]`: a field of the object a method runs on, set when the program runs. */
function objectField(doc: DocumentIndex, id: number, from: number, what: string): AnalysisError | undefined {
  // At a module's top level `this` is no object of the program's: left to the parser's message.
  if (doc.enclosingFunction(id) === undefined) return undefined;
  const tokens = doc.statements[id].tokens;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'name' || (t.text !== 'self' && t.text !== 'this') || tokens[k - 1]?.text === '.') continue;
    const field = tokens[k + 2];
    if (tokens[k + 1]?.text !== '.' || field?.kind !== 'name') continue;
    const shown = quote(`${t.text}.${clip(field.text)}`);
    return new AnalysisError(
      'unknowable',
      `${what} reads ${shown}, a field of the object ${tokens[k + 3]?.text === '(' ? 'whose method this calls' : 'this method runs on'}: its value is set when the program runs; ${TRACE}`,
      { start: t.start, end: field.end },
    );
  }
  return undefined;
}

/** A comprehension or generator in the expression: the loop, what it runs over, and where that comes from. */
function comprehension(
  doc: DocumentIndex,
  id: number,
  from: number,
  what: string,
  depth: number,
): AnalysisError | undefined {
  const tokens = doc.statements[id].tokens;
  const opens: number[] = [];
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) opens.push(k);
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) opens.pop();
    else if (t.kind === 'name' && t.text === 'for' && opens.length > 0) {
      const open = tokens[opens[opens.length - 1]].text;
      const kind = open === '[' ? 'a list comprehension' : open === '(' ? 'a generator' : 'a comprehension';
      const over = iterable(tokens, k);
      const source = over ? sourceOf(doc, id, tokens, over, depth) : '';
      const span = { start: tokens[opens[opens.length - 1]].start, end: tokens[k].end };
      const loop = over ? ` over ${quote(textOf(doc, tokens, over))}` : '';
      return new AnalysisError('unknowable', `${what} is computed in a loop (${kind}${loop})${source}: ${TRACE}`, span);
    }
  }
  return undefined;
}

/** A call whose value exists only at run time: a loop method, a random number, a list function, an instance. */
function runtimeCall(doc: DocumentIndex, id: number, from: number, what: string): AnalysisError | undefined {
  const tokens = doc.statements[id].tokens;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'name' || tokens[k + 1]?.text !== '(') continue;
    const dotted = tokens[k - 1]?.text === '.';
    const owner = dotted ? tokens[k - 2] : undefined;
    const call = { start: (owner ?? t).start, end: t.end };
    const shown = quote(`${owner ? `${clip(owner.text)}.` : ''}${clip(t.text)}(…)`);
    if (dotted && LOOP_METHODS.has(t.text))
      return new AnalysisError('unknowable', `${what} is computed by ${shown}, a loop over an array: ${TRACE}`, call);
    if ((dotted || t.text === 'random') && RANDOM_METHODS.has(t.text))
      return new AnalysisError('unknowable', `${what} comes from ${shown}, a random number: ${TRACE}`, call);
    if (!dotted && OVER_LISTS.has(t.text))
      return new AnalysisError(
        'unknowable',
        `${what} uses ${shown} over a list the program builds: ${TRACE}${t.text === 'sum' ? ' (a list written out, `sum([a, b])`, is followed)' : ''}`,
        call,
      );
    const ownerInstance =
      owner?.kind === 'name' && tokens[k - 3]?.text !== '.' ? instanceOf(doc, owner.text, id) : undefined;
    if (ownerInstance)
      return new AnalysisError(
        'unknowable',
        `${what} calls ${shown}, a method of ${quote(owner!.text)}, ${ownerInstance}, which the lens does not follow; ${TRACE}`,
        call,
      );
    const instance = dotted ? undefined : instanceOf(doc, t.text, id);
    if (instance)
      return new AnalysisError(
        'unknowable',
        `${what} calls ${quote(t.text)}, ${instance}: calling it runs its methods, which the lens does not follow; ${TRACE}`,
        call,
      );
  }
  return undefined;
}

/** `zip(w, x)` in `for wi, xi in zip(w, x))`: the token range after `in`, to the bracket's end or an `if`. */
function iterable(tokens: Token[], forAt: number): [number, number] | undefined {
  let k = forAt + 1;
  while (k < tokens.length && !(tokens[k].kind === 'name' && tokens[k].text === 'in')) k++;
  const start = k + 1;
  let depth = 0;
  for (let j = start; j < tokens.length; j++) {
    const x = tokens[j].text;
    if (tokens[j].kind === 'op' && (x === '(' || x === '[' || x === '{')) depth++;
    else if (tokens[j].kind === 'op' && (x === ')' || x === ']' || x === '}')) {
      if (depth-- === 0) return j > start ? [start, j] : undefined;
    } else if (depth === 0 && ((x === 'if' && tokens[j].kind === 'name') || x === ',')) return [start, j];
  }
  return start < tokens.length ? [start, tokens.length] : undefined;
}

function textOf(doc: DocumentIndex, tokens: Token[], [from, to]: [number, number]): string {
  return clip(doc.text.slice(tokens[from].start, tokens[to - 1].end).replace(/\s+/g, ' '));
}

/** `, where `w` (line 8) comes from `random.uniform(…)`…`: the first name of the loop's list that is unknowable itself. */
function sourceOf(
  doc: DocumentIndex,
  id: number,
  tokens: Token[],
  [from, to]: [number, number],
  depth: number,
): string {
  if (depth > 0) return '';
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.kind !== 'name' || tokens[k - 1]?.text === '.' || tokens[k + 1]?.text === '(') continue;
    const at = doc.resolve(t.text, id);
    if (at < 0) continue;
    // What makes the list: a random number in it says more than the loop that fills it.
    const from = doc.header(at).exprIndex;
    const inner = runtimeCall(doc, at, from, '') ?? comprehension(doc, at, from, '', depth + 1);
    if (!inner) continue;
    const why = inner.message.slice(0, inner.message.indexOf(':')).trim();
    return `, where ${quote(t.text)} (${doc.lineLabel(doc.statements[at].start)}) ${why}`;
  }
  return '';
}

/** `an instance of `MLP` (line 14)` when `name` holds an object made by a class or a constructor. */
function instanceOf(doc: DocumentIndex, name: string, before: number): string | undefined {
  const id = doc.assignedAt(name, before);
  if (id < 0) return undefined;
  const header = doc.header(id);
  if (header.form !== 'assign') return undefined;
  const tokens = doc.statements[id].tokens;
  let k = header.exprIndex;
  if (tokens[k]?.text === 'new') k++;
  while (tokens[k + 1]?.text === '.' && tokens[k + 2]?.kind === 'name') k += 2;
  const ctor = tokens[k];
  if (ctor?.kind !== 'name' || tokens[k + 1]?.text !== '(' || doc.leaves.has(ctor.text)) return undefined;
  const made = tokens[header.exprIndex].text === 'new' || /^[A-Z]/.test(ctor.text);
  return made ? `an instance of ${quote(ctor.text)} (${doc.lineLabel(doc.statements[id].start)})` : undefined;
}
