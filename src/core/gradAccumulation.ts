// Whether `.grad` adds up over `backward()` passes. micrograd's backward adds each pass to the
// leaves' `.grad` (the lecture's "forgot zero_grad" lesson), and so does PyTorch's; some engines
// zero the graph's gradients at the start of every pass. A `.data` update that reads a `.grad`
// after two passes gets a different number from each kind, so the lens sums the passes only where
// it can see which kind the engine is: micrograd's or PyTorch's own, or a backward() in the file
// that resets no gradient.

import { classOf } from './methodArity';
import type { ScopeMark, Statement, Token } from './tokens';

const MICROGRAD_IMPORT = /^\s*(from\s+micrograd(\.\w+)*\s+import\b|import\s+micrograd\b)/m;

/** True when the document's engine is known to add each backward() pass into `.grad`. */
export function gradientsAccumulate(
  text: string,
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
  leafClasses: ReadonlySet<string>,
  usesTorch: boolean,
): boolean {
  const backward = statements.findIndex((s) => isBackwardMethod(s, statements, scopes, leafClasses));
  if (backward >= 0) return !statements.some((s) => inside(s, backward, scopes) && resetsAGradient(s.tokens));
  return usesTorch || MICROGRAD_IMPORT.test(text);
}

function isBackwardMethod(
  statement: Statement,
  statements: readonly Statement[],
  scopes: readonly ScopeMark[],
  leafClasses: ReadonlySet<string>,
): boolean {
  const t = statement.tokens;
  const k = t[0]?.text === 'def' ? 1 : 0;
  if (t[k]?.text !== 'backward' || t[k + 1]?.text !== '(') return false;
  return leafClasses.has(classOf(statement, statements, scopes) ?? '');
}

/** Whether the statement sits in the body of the function whose header is statement `header`. */
function inside(statement: Statement, header: number, scopes: readonly ScopeMark[]): boolean {
  for (let s = statement.scope; s >= 0; s = scopes[s].parent) if (scopes[s].header === header) return true;
  return false;
}

/** `v.grad = 0` / `node.grad = 0.0` on a node other than the output itself (`self.grad = 1` seeds). */
function resetsAGradient(t: readonly Token[]): boolean {
  for (let k = 2; k + 2 < t.length; k++)
    if (t[k].text === 'grad' && t[k - 1].text === '.' && t[k + 1].text === '=' && t[k + 2].kind === 'num')
      if (Number(t[k + 2].text) === 0 && t[k - 2].text !== 'self' && t[k - 2].text !== 'this') return true;
  return false;
}
