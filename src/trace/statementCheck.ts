// The annotated statement against its own text. The engine check (./engineCheck.ts) rebuilds the
// graph the user's engine RECORDED, so an operator that records a wrong graph agrees with itself:
// micrograd's `__rsub__` returning `self + other` records `x*2 + 1` for `1 - x*2`, and the lens
// showed that wrong number with "engine check ok". Here the statement as written is evaluated with
// the static analysis's ops (the core's parse, the engine's op table) on the values the trace read
// for the names it uses, and the user's value and gradients are compared with it. When they differ,
// each operator of the statement is replayed with the known mistakes of hand-written engines, and
// the one operator whose mistake gives the user's number is named.
//
// It only adds a warning: wherever the statement cannot be evaluated from the trace alone (a name
// with no traced node, such as a plain number, a list or an attribute; a call into a function of
// the file; the target read before its own assignment; a domain edge) it is skipped, silently.

import { applyOp, OPS, refusal, Value, type OpName } from '../../engine';
import { childrenOf, postOrder, type Expr } from '../core/ast';
import { fold } from '../core/fold';
import { formatNumber } from '../core/format';
import type { Span } from '../core/positions';
import { clip } from '../core/quote';
import type { StatementCheck, TracedGraph, TracedValue, TracerLanguage } from './protocol';

export interface StatementSite {
  /** The statement's expression as the core parses it. */
  expr: Expr;
  /** The expression as written, for the message. */
  text: string;
  /** The assigned name ('' for a return or a bare expression): its traced node is the value after the statement. */
  target: string;
  /** What the message calls the statement's value in `∂target/∂name` (the lens's target). */
  label: string;
  language: TracerLanguage;
  /** The source text of a span of the expression: an operator's token, `-` or a method name. */
  textOf: (span: Span) => string;
}

/** Below this, two numbers are equal whatever their ratio (rounding around 0), as in the engine check. */
const ATOL = 1e-10;
/** Nodes of the traced graph the dependency walks may visit in all, before gradients go uncompared. */
const WALK_BUDGET = 500_000;

/** Thrown where the statement cannot be evaluated from the trace: the check is skipped. */
class Skip extends Error {}

/**
 * The check, or undefined where it cannot run. `rtol` is the engine check's (float64: 1e-6); the
 * tolerance is relative to the largest number the statement computes on the way, since one
 * rounding there may be all of a small result (`a - b` with a ≈ b).
 */
export function checkStatement(
  site: StatementSite,
  traced: TracedValue & { graph: TracedGraph },
  rtol: number,
): StatementCheck | undefined {
  // PyTorch is not a hand-written engine, and its float32 rounding is near this check's tolerance.
  if (traced.kind !== 'value' || traced.value === null) return undefined;
  const names = namesRead(site.expr);
  if (names === undefined || names.length === 0 || !engineSpelled(site, names)) return undefined;
  const nodeOf = new Map<string, number>();
  for (const v of traced.variables) if (!nodeOf.has(v.name)) nodeOf.set(v.name, v.node);
  const env = new Map<string, number>();
  for (const name of names) {
    // The target on the right (`x = x * 2`, `loss += l`) read the value before this statement.
    if (name === site.target) return undefined;
    const node = nodeOf.get(name);
    const data = node === undefined ? null : traced.graph.nodes[node].data;
    if (data === null) return undefined;
    env.set(name, data);
  }
  let truth: Evaluated;
  let grads: Map<string, { grad: number; scale: number }>;
  try {
    truth = evaluate(site.expr, env);
    grads = staticGradients(site.expr, env);
  } catch {
    return undefined;
  }
  const user = traced.value;
  const valueOk = close(user, truth.value, ATOL + rtol * Math.max(truth.scale, Math.abs(user)));
  const gradients: StatementCheck['gradients'] = [];
  if (!truth.kink) {
    const compared = independentNames(names, nodeOf, traced.graph);
    for (const name of compared) {
      const userGrad = traced.graph.nodes[nodeOf.get(name)!].grad;
      const expected = grads.get(name);
      if (userGrad === null || expected === undefined) continue;
      const tolerance = ATOL + rtol * Math.max(Math.abs(userGrad), Math.abs(expected.grad), expected.scale);
      gradients.push({
        name,
        user: userGrad,
        expected: expected.grad,
        numeric: centralDifference(site.expr, env, name),
        ok: close(userGrad, expected.grad, tolerance),
      });
    }
  }
  const inputs = names.map((name) => ({ name, value: env.get(name)! }));
  const ok = valueOk && gradients.every((g) => g.ok);
  const check: StatementCheck = {
    status: ok ? 'agrees' : 'disagrees',
    traced: user,
    expected: truth.value,
    valueOk,
    inputs,
    gradients,
    operator: null,
    message: null,
  };
  if (ok) return check;
  if (!valueOk) check.operator = culprit(site, env, user, rtol, truth.scale);
  check.message = messageOf(site, check);
  return check;
}

function close(a: number, b: number, tolerance: number): boolean {
  return Math.abs(a - b) <= tolerance;
}

/**
 * The names the statement reads, in source order, each once; undefined when it calls a function
 * of the file (its body reads what the trace did not record).
 */
function namesRead(expr: Expr): string[] | undefined {
  const out: string[] = [];
  for (const node of postOrder(expr, childrenOf)) {
    if (node.kind === 'invoke') return undefined;
    if (node.kind === 'name' && !out.includes(node.name)) out.push(node.name);
  }
  return out;
}

/**
 * Whether every op the statement spells with a word is a method of a value it reads (`x.tanh()`,
 * `(a * b).relu()`, `a.sub(b)`): those, and the operators, are the user's engine. A free function
 * (`sigmoid(x)`, `relu(x)`, `sum([a, b])`) or one of a module (`ops.tanh(x)`) is whatever the
 * program binds to that name, maybe its own helper with another formula, which the core's parse
 * reads as the built-in op: comparing with it would blame the engine for the helper.
 */
function engineSpelled(site: StatementSite, names: string[]): boolean {
  const spellings = new Map<string, { count: number; composite: boolean }>();
  for (const n of postOrder(site.expr, childrenOf)) {
    if (n.kind !== 'binary' && n.kind !== 'unary' && n.kind !== 'call') continue;
    const key = `${n.opSpan.start}:${n.opSpan.end}`;
    const seen = spellings.get(key) ?? { count: 0, composite: false };
    seen.count++;
    seen.composite ||= n.composite !== undefined;
    spellings.set(key, seen);
    // Ports' leaky relus differ in their default slope (0.01, 0.1, 0.2): not the core's to decide.
    if (n.composite === 'leaky_relu') return false;
    if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(site.textOf(n.opSpan).trim())) continue;
    const before = site.textOf({ start: Math.max(0, n.opSpan.start - 200), end: n.opSpan.start });
    const receiver = /(\)|\]|[\p{L}\p{N}_$]+)\s*\.\s*$/u.exec(before);
    if (!receiver) return false;
    if (receiver[1] !== ')' && receiver[1] !== ']' && !names.includes(receiver[1])) return false;
  }
  // One method read as several ops that is no composite: `x.add(2, x)` as a variadic sum, which a
  // one-operand `add` of the user's engine computes otherwise (JavaScript drops the extra argument).
  for (const seen of spellings.values()) if (seen.count > 1 && !seen.composite) return false;
  return true;
}

/** Exponents and `Value(…)` data are constants: folded, never walked as operands. */
function operands(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'pow' ? [e.left] : childrenOf(e);
}

function constant(e: Expr): number {
  return fold(e, () => {
    throw new Skip();
  });
}

type Mistake = (a: number, b: number) => number;

interface Evaluated {
  value: number;
  /** The largest magnitude among the inputs and every intermediate result. */
  scale: number;
  /** A relu at exactly 0 (also inside abs, max…): its derivative there is a convention, not a fact. */
  kink: boolean;
}

/**
 * The statement's post-order walk, once for both readings below: `leaf` gives a name its T and
 * `literal` a number's, `apply` makes one op's (a pow's exponent folded, a unary plus passed through).
 */
function walk<T>(
  expr: Expr,
  leaf: (name: string) => T,
  literal: (value: number) => T,
  apply: (node: Expr, op: OpName, a: T, b: T | undefined, exponent?: number) => T,
): T[] {
  const stack: T[] = [];
  const all: T[] = [];
  for (const node of postOrder(expr, operands)) {
    let c: T;
    switch (node.kind) {
      case 'num':
        c = literal(node.value);
        break;
      case 'leaf':
        c = literal(constant(node.data));
        break;
      case 'name':
        c = leaf(node.name);
        break;
      case 'invoke':
        throw new Skip();
      case 'unary': {
        const a = stack.pop()!;
        c = node.op === 'pos' ? a : apply(node, 'neg', a, undefined);
        break;
      }
      case 'call':
        c = apply(node, node.fn, stack.pop()!, undefined);
        break;
      case 'binary': {
        if (node.op === 'pow') {
          c = apply(node, 'pow', stack.pop()!, undefined, constant(node.right));
          break;
        }
        const b = stack.pop()!;
        c = apply(node, node.op, stack.pop()!, b);
        break;
      }
    }
    all.push(c);
    stack.push(c);
  }
  return all;
}

/** The statement on plain numbers, each op the engine's (forward and domain rule); `mistakes` replaces some ops. */
function evaluate(expr: Expr, env: Map<string, number>, mistakes?: Map<Expr, Mistake>): Evaluated {
  let kink = false;
  const all = walk<number>(
    expr,
    (name) => env.get(name)!,
    (value) => value,
    (node, op, a, b = 0, exponent) => {
      if (op === 'relu' && a === 0) kink = true;
      const mistake = mistakes?.get(node);
      if (mistake) return mistake(a, exponent ?? b);
      const spec = OPS[op];
      const c = spec.forward(a, exponent ?? b);
      if (refusal(spec, a, exponent ?? b, c) !== undefined) throw new Skip();
      return c;
    },
  );
  let scale = 0;
  for (const c of all) {
    if (!Number.isFinite(c)) throw new Skip();
    scale = Math.max(scale, Math.abs(c));
  }
  return { value: all[all.length - 1], scale, kink };
}

/**
 * ∂statement/∂name for each name, by the bundled engine's backward pass, with each name one leaf
 * (read twice, it is one node, as in the program). `scale` bounds what one rounding in the chain
 * rule can be: the largest gradient times the largest value.
 */
function staticGradients(expr: Expr, env: Map<string, number>): Map<string, { grad: number; scale: number }> {
  const leaves = new Map<string, Value>();
  const all = walk<Value>(
    expr,
    (name) => {
      const known = leaves.get(name) ?? new Value(env.get(name)!, name);
      leaves.set(name, known);
      return known;
    },
    (value) => new Value(value),
    (_node, op, a, b, exponent) => applyOp(op, a, b, exponent),
  );
  all[all.length - 1].backward();
  let maxGrad = 0;
  let maxData = 1;
  for (const v of all) {
    if (Number.isFinite(v.grad)) maxGrad = Math.max(maxGrad, Math.abs(v.grad));
    maxData = Math.max(maxData, Math.abs(v.data));
  }
  const out = new Map<string, { grad: number; scale: number }>();
  for (const [name, v] of leaves) {
    if (!Number.isFinite(v.grad)) throw new Skip();
    out.set(name, { grad: v.grad, scale: maxGrad * maxData });
  }
  return out;
}

/** The statement's central difference in one name (the engine's gradcheck step); null at a domain edge. */
function centralDifference(expr: Expr, env: Map<string, number>, name: string): number | null {
  const x = env.get(name)!;
  const h = 1e-6 * Math.max(1, Math.abs(x));
  const at = (value: number): number => evaluate(expr, new Map(env).set(name, value)).value;
  try {
    const estimate = (at(x + h) - at(x - h)) / (2 * h);
    return Number.isFinite(estimate) ? estimate : null;
  } catch {
    return null;
  }
}

/**
 * The names whose gradient in the user's engine is the statement's own partial derivative: not
 * the node of another name the statement reads, nor below one (`y = (h + u) * w` with `h = u * w`:
 * the user's ∂y/∂u also flows through h, the statement's partial does not).
 */
function independentNames(names: string[], nodeOf: Map<string, number>, graph: TracedGraph): string[] {
  const nodes = names.map((n) => nodeOf.get(n)!);
  const targets = new Set(nodes);
  const below = new Set<number>();
  let budget = WALK_BUDGET;
  for (const start of targets) {
    const seen = new Set<number>([start]);
    const stack = [...graph.nodes[start].children];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      if (--budget < 0) return [];
      if (targets.has(k)) below.add(k);
      for (const child of graph.nodes[k].children) stack.push(child);
    }
  }
  return names.filter((_name, k) => !below.has(nodes[k]) && nodes.indexOf(nodes[k]) === nodes.lastIndexOf(nodes[k]));
}

interface OperatorKind {
  /** The user engine's method, as the message names it (`__rsub__`, `sub`). */
  method: string;
  what: string;
  mistakes: { mistake: string; apply: Mistake }[];
}

/**
 * Known mistakes of hand-written engines, per operator, as what they compute from the operands in
 * source order (a, b): `1 - v` calls v.__rsub__(1), so a is the number and b the Value.
 */
const ADD_MISTAKES = [
  { mistake: 'it multiplies instead of adding', apply: (a: number, b: number) => a * b },
  { mistake: 'it subtracts instead of adding', apply: (a: number, b: number) => a - b },
];
const KINDS: Record<string, Omit<OperatorKind, 'method'> & { python: string; node: string }> = {
  sub: {
    python: '__sub__',
    node: 'sub',
    what: 'subtraction',
    mistakes: [
      { mistake: 'it subtracts the other way round (other − self)', apply: (a, b) => b - a },
      { mistake: 'it adds instead of subtracting (a negation forgotten)', apply: (a, b) => a + b },
    ],
  },
  'sub-reflected': {
    python: '__rsub__',
    node: 'sub',
    what: 'reverse subtraction',
    mistakes: [
      { mistake: 'it adds instead of subtracting (`self + other`, without negating self)', apply: (a, b) => a + b },
      { mistake: 'it subtracts the other way round (self − other)', apply: (a, b) => b - a },
    ],
  },
  div: {
    python: '__truediv__',
    node: 'div',
    what: 'division',
    mistakes: [{ mistake: 'it divides the other way round (other / self)', apply: (a, b) => b / a }],
  },
  'div-reflected': {
    python: '__rtruediv__',
    node: 'div',
    what: 'reverse division',
    mistakes: [{ mistake: 'it divides the other way round (self / other)', apply: (a, b) => b / a }],
  },
  neg: {
    python: '__neg__',
    node: 'neg',
    what: 'negation',
    mistakes: [{ mistake: 'it returns the value unchanged', apply: (a) => a }],
  },
  add: {
    python: '__add__',
    node: 'add',
    what: 'addition',
    mistakes: ADD_MISTAKES,
  },
  'add-reflected': {
    python: '__radd__',
    node: 'add',
    what: 'reverse addition',
    mistakes: ADD_MISTAKES,
  },
  mul: {
    python: '__mul__',
    node: 'mul',
    what: 'multiplication',
    mistakes: [
      { mistake: 'it adds instead of multiplying', apply: (a, b) => a + b },
      { mistake: 'it returns self unchanged', apply: (a) => a },
    ],
  },
  'mul-reflected': {
    python: '__rmul__',
    node: 'mul',
    what: 'reverse multiplication',
    mistakes: [
      { mistake: 'it adds instead of multiplying', apply: (a, b) => a + b },
      { mistake: 'it returns self unchanged', apply: (_a, b) => b },
    ],
  },
};

/** Whether `e` is a plain number in the program (no name, no `Value(…)`): the language computes it, not the engine. */
function plain(e: Expr): boolean {
  return postOrder(e, childrenOf).every(
    (n) => n.kind === 'num' || n.kind === 'unary' || n.kind === 'binary' || n.kind === 'call',
  );
}

/**
 * The statement's operators that the user's engine computes, by kind: written in the source (not
 * inside a composite's desugaring, such as sigmoid's), with a Value among their operands.
 */
function operatorKinds(site: StatementSite): Map<string, { kind: OperatorKind; nodes: Expr[] }> {
  const all = postOrder(site.expr, childrenOf);
  const synthetic = new Set<string>();
  for (const n of all)
    if ('composite' in n && n.composite !== undefined) synthetic.add(`${n.opSpan.start}:${n.opSpan.end}`);
  const out = new Map<string, { kind: OperatorKind; nodes: Expr[] }>();
  for (const n of all) {
    if (n.kind !== 'binary' && !(n.kind === 'unary' && n.op === 'neg')) continue;
    if (synthetic.has(`${n.opSpan.start}:${n.opSpan.end}`)) continue;
    let key: string;
    if (n.kind === 'unary') {
      if (plain(n.operand)) continue;
      key = 'neg';
    } else {
      if (n.op === 'pow' || (plain(n.left) && plain(n.right))) continue;
      // Python calls the right operand's reflected method when the left one is a number.
      key = site.language === 'python' && plain(n.left) ? `${n.op}-reflected` : n.op;
    }
    const known = KINDS[key];
    if (!known) continue;
    const entry = out.get(key);
    if (entry) {
      entry.nodes.push(n);
      continue;
    }
    // A method call names itself (`a.sub(b)`); an operator is the language's method for it.
    const token = site.textOf(n.opSpan).trim();
    const method = /^[A-Za-z_$][\w$]*$/.test(token) ? token : site.language === 'python' ? known.python : known.node;
    out.set(key, { kind: { method, what: known.what, mistakes: known.mistakes }, nodes: [n] });
  }
  return out;
}

/** The one operator whose known mistake gives the user's value; null when none does, or more than one. */
function culprit(
  site: StatementSite,
  env: Map<string, number>,
  user: number,
  rtol: number,
  scale: number,
): StatementCheck['operator'] {
  const found: { kind: OperatorKind; mistake: string }[] = [];
  for (const { kind, nodes } of operatorKinds(site).values())
    for (const m of kind.mistakes) {
      // The mistake is in the engine's method: every use of that operator in the statement has it.
      const mistakes = new Map<Expr, Mistake>(nodes.map((n) => [n, m.apply]));
      let value: number;
      try {
        value = evaluate(site.expr, env, mistakes).value;
      } catch {
        continue;
      }
      if (close(value, user, ATOL + rtol * Math.max(scale, Math.abs(user)))) found.push({ kind, mistake: m.mistake });
    }
  const kinds = new Set(found.map((f) => f.kind));
  if (kinds.size !== 1) return null;
  const { kind } = found[0];
  return { method: kind.method, what: kind.what, mistake: found.length === 1 ? found[0].mistake : null };
}

const SHOWN_INPUTS = 4;
const SHOWN_GRADIENTS = 4;

function messageOf(site: StatementSite, check: StatementCheck): string {
  const expr = `\`${clip(site.text.replace(/\s+/g, ' ').trim(), 60)}\``;
  const shown = check.inputs.slice(0, SHOWN_INPUTS).map((i) => `${clip(i.name, 40)} = ${formatNumber(i.value, 4)}`);
  const inputs = `${shown.join(', ')}${check.inputs.length > SHOWN_INPUTS ? ', …' : ''}`;
  const wrong = check.gradients.filter((g) => !g.ok);
  const gradients = wrong
    .slice(0, SHOWN_GRADIENTS)
    .map(
      (g) =>
        `\u2202${clip(site.label, 40)}/\u2202${clip(g.name, 40)} yours ${formatNumber(g.user, 4)}, the statement's ${formatNumber(g.expected, 4)}`,
    )
    .join('; ');
  const moreGradients = wrong.length > SHOWN_GRADIENTS ? `; and ${wrong.length - SHOWN_GRADIENTS} more` : '';
  if (check.valueOk)
    return `your engine's gradients of ${expr} disagree with the statement's own (with ${inputs}): ${gradients}${moreGradients}`;
  const op = check.operator;
  const cause = op
    ? `check the engine's ${op.what} (\`${op.method}\`)${op.mistake ? `: your number is what it gives if ${op.mistake}` : ''}`
    : "no single operator's known mistake gives your number: check the ops' forward values";
  const also = wrong.length > 0 ? `; the gradients differ too: ${gradients}${moreGradients}` : '';
  return `your engine computed ${expr} = ${formatNumber(check.traced, 4)}, but with ${inputs} it is ${formatNumber(check.expected, 4)}: ${cause}${also}`;
}
