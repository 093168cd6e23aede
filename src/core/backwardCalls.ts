// Which `backward()` calls have run when a `.data` update reads a leaf's `.grad` (issue 10, item 4):
// `a.data += 0.01 * a.grad` after `L.backward()`. In straight-line code the gradient a leaf holds
// is the sum, over the `X.backward()` statements since the leaf was made, of ∂X/∂leaf. Anything
// else that may touch gradients in between (a reset, `zero_grad()`, an optimiser's step, a
// function of the file that calls backward) makes the number not statically knowable.

import type { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { quote } from './quote';
import type { Span } from './positions';

/** Words that change gradients other than through `X.backward()`. */
const GRAD_CHANGERS = new Set(['zero_grad', 'zero_', 'step', 'backward', 'grad']);

/**
 * The `X.backward()` statements (their ids and `X`) that run between the leaf's creation (statement
 * `made`) and statement `at`, or why they cannot be known.
 */
export function backwardCallsBetween(
  doc: DocumentIndex,
  made: number,
  at: number,
  name: string,
  span: Span,
): { id: number; root: string }[] | AnalysisError {
  const scope = doc.statements[at].scope;
  const calls: { id: number; root: string }[] = [];
  const refuse = (id: number, why: string): AnalysisError =>
    new AnalysisError(
      'unknowable',
      `the \`.grad\` of ${quote(name)} depends on ${why} (${doc.lineLabel(doc.statements[id].start)}): not statically knowable; Trace Gradients runs the program and reads it`,
      span,
    );
  if (doc.statements[made].scope !== scope || !doc.straightLine(scope))
    return refuse(at, 'which `backward()` calls ran before this loop, branch or function');
  for (let id = made + 1; id < at; id++) {
    const tokens = doc.statements[id].tokens;
    const root = tokens[0];
    const isBackward =
      tokens.length === 5 &&
      root.kind === 'name' &&
      tokens[1].text === '.' &&
      tokens[2].text === 'backward' &&
      tokens[3].text === '(' &&
      tokens[4].text === ')';
    if (isBackward && doc.statements[id].scope === scope) {
      calls.push({ id, root: root.text });
      continue;
    }
    // A call that is no print (`t.zero()`, `zero_grads(ps)`, `opt.step()`) may change gradients.
    if (doc.header(id).form === 'expression' && callsSomething(tokens) && !HARMLESS_CALLS.has(tokens[0].text))
      return refuse(id, quote(doc.text.slice(doc.statements[id].start, doc.statements[id].end).slice(0, 60)));
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind !== 'name') continue;
      const after = tokens[k - 1]?.text === '.';
      if (after && GRAD_CHANGERS.has(t.text) && !(t.text === 'grad' && !writesGrad(tokens, k)))
        return refuse(id, quote(doc.text.slice(doc.statements[id].start, doc.statements[id].end).slice(0, 60)));
      const fn = tokens[k + 1]?.text === '(' && !after ? doc.resolveFunction(t.text, id) : -1;
      if (fn >= 0 && doc.functionTouchesGradients(fn))
        return refuse(id, `the call to ${quote(t.text)}, which may run \`backward()\``);
    }
  }
  return calls;
}

/** Calls that only show things: they change no gradient. */
const HARMLESS_CALLS = new Set(['print', 'console', 'display', 'draw_dot', 'assert', 'expect', 'plt', 'log']);

/** Whether the statement calls something (`f(…)`, `o.m(…)`). */
function callsSomething(tokens: { text: string; kind: string }[]): boolean {
  return tokens.some((t, k) => t.text === '(' && tokens[k - 1]?.kind === 'name');
}

/** Whether the `.grad` at token `k` is written (`p.grad = 0`, `p.grad += …`), not read. */
function writesGrad(tokens: { text: string }[], k: number): boolean {
  const next = tokens[k + 1]?.text;
  return next === '=' || next === '+=' || next === '-=' || next === '*=' || next === '/=' || next === '.';
}
