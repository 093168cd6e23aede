// A trace's result as the lenses every view already shows: the value, the variables with their
// gradients from the user's engine, a graph in the core's shape (children first, the engine's op
// symbols where the op is known), the engine check, and problems for what could not be known.

import { opSymbol } from '../../engine';
import type { Expr } from '../core/ast';
import type { LineIndex } from '../core/positions';
import type {
  GradcheckEntry,
  GradcheckSummary,
  Graph,
  GraphNode,
  Lens,
  Problem,
  Range,
  VariableResult,
} from '../core/types';
import { childrenFirstSkippingCycles, inputsNotFound, resolveGraph, type CheckGraph } from './checkGraph';
import { bundledGradients, checkEngine, engineCheckMessage, RTOL_FLOAT64 } from './engineCheck';
import {
  END_OF_RUN_DATA,
  type EngineCheck,
  type StatementCheck,
  type TraceInfo,
  type TraceResult,
  type TracedGraph,
  type TracedLens,
  type TracedSite,
  type TracedValue,
  type TracerLanguage,
} from './protocol';
import type { Prepared, PreparedSite } from './sites';
import { checkStatement } from './statementCheck';
import { traceOps } from './traceOps';

/** Why the run may have missed a site: for the "never reached" message. */
export interface RunEnd {
  stopped?: 'timeout' | 'cancelled' | 'signal';
  /** "ZeroDivisionError on line 14" */
  error?: string;
  at: number;
}

/**
 * One lens per site. A site's engine check can take a few hundred milliseconds on a graph of tens
 * of thousands of nodes: the event loop gets a turn between sites, so the host stays responsive.
 */
export async function toLenses(prepared: Prepared, result: TraceResult | null, end: RunEnd): Promise<TracedLens[]> {
  const byId = new Map<number, TracedSite>();
  for (const site of result?.sites ?? []) byId.set(site.id, site);
  const lenses: TracedLens[] = [];
  for (const site of prepared.sites) {
    const traced = byId.get(site.request.id);
    if (traced?.last?.graph) await new Promise((resolve) => setImmediate(resolve));
    lenses.push(tracedLens(prepared, site, traced, end, result));
  }
  return lenses;
}

function tracedLens(
  prepared: Prepared,
  site: PreparedSite,
  traced: TracedSite | undefined,
  end: RunEnd,
  result: TraceResult | null,
): TracedLens {
  const lens: Lens = { ...site.lens, problems: [], variables: [], ops: [], graph: null, gradcheck: null, value: null };
  const info: TraceInfo = {
    executions: traced?.executions ?? 0,
    history: traced?.history ?? [],
    historyStride: traced?.historyStride ?? 1,
    reached: traced !== undefined && traced.executions > 0 && traced.last !== null,
    at: end.at,
    engineCheck: null,
    kind: traced?.last?.kind ?? null,
    note: traced?.last?.note ?? null,
  };
  if (site.cell !== undefined) {
    info.cell = site.cell;
    const magics = prepared.magics?.find((m) => m.cell === site.cell);
    if (magics) info.magicsSkipped = magics.lines;
  }
  const out: TracedLens = { ...lens, trace: info };
  if (!info.reached || !traced?.last) {
    out.problems.push(problem('trace-unreached', 'info', unreachedMessage(end, result), lens.statementRange));
    return out;
  }
  fill(out, traced.last, prepared.lines[site.request.unit], site, prepared.language);
  return out;
}

function unreachedMessage(end: RunEnd, result: TraceResult | null): string {
  if (result === null) return 'not traced: the run gave no result';
  if (end.stopped === 'timeout') return 'the run never reached this line: it was stopped by the timeout first';
  if (end.stopped === 'cancelled') return 'the run never reached this line: it was cancelled first';
  if (end.stopped === 'signal') return 'the run never reached this line: it was stopped by a signal first';
  if (end.error) return `the run never reached this line: the program stopped first (${end.error})`;
  return 'the run never reached this line (a function never called, or a branch never taken)';
}

function fill(
  lens: TracedLens,
  traced: TracedValue,
  lines: LineIndex,
  site: PreparedSite,
  language: TracerLanguage,
): void {
  let last = traced;
  const where = lens.tagRange;
  if (last.kind === 'unsupported' || last.value === null) {
    const what = last.note ?? 'not a number or a value with `data` and `grad`';
    lens.problems.push(problem('trace-note', 'error', `traced, but the value here cannot be shown: ${what}`, where));
    return;
  }
  lens.value = last.value;
  if (last.note) lens.problems.push(problem('trace-note', 'info', last.note, where));
  if (!last.graph) return;
  const ours = last.noBackward ? withBundledGradients(last, last.graph) : null;
  if (ours) {
    last = ours;
    lens.problems.push(problem('trace-note', 'info', BUNDLED_GRADIENTS, where));
  }
  const graph = last.graph!;
  const missing = inputsNotFound(graph);
  if (missing)
    lens.problems.push(
      problem('trace-note', 'warning', `${missing}: the graph stops there, its gradients are not checked`, where),
    );
  const statementSpan = { start: site.request.start, end: site.request.end };
  const unknownGrads: string[] = [];
  lens.variables = variablesOf(last, graph, lines, statementSpan, lens.statementRange, unknownGrads);
  if (unknownGrads.length > 0) {
    const names = unknownGrads.slice(0, 5).join(', ');
    lens.problems.push(
      problem(
        'trace-note',
        'info',
        `no gradient could be read for ${names}${unknownGrads.length > 5 ? ', …' : ''}`,
        where,
      ),
    );
  }
  const resolved = resolveGraph(graph);
  lens.graph = coreGraph(graph, resolved.ok ? resolved.graph : null, last, lens);
  if (resolved.ok && site.expr)
    lens.ops = traceOps(site.expr, resolved.graph, last.variables, site.request.target, site.rangeOf);
  if (!lens.graph) lens.problems.push(problem('trace-note', 'info', 'no graph: some node has no finite value', where));
  const check: EngineCheck = ours ? skippedCheck(BUNDLED_GRADIENTS) : safeCheck({ ...last, graph });
  lens.trace.engineCheck = check;
  lens.gradcheck = gradcheckOf(check);
  // The graph check compares the user's engine with the graph it recorded; the statement's own
  // text says what that graph should have been. Its disagreement outranks an "agrees".
  const statement = site.expr
    ? safeStatementCheck(site, site.expr, lines, lens.target, language, last, graph, check)
    : undefined;
  if (statement) {
    check.statement = statement;
    if (statement.status === 'disagrees') {
      // Where the graph check already failed on the gradients, its gradcheck already says so.
      if (check.status !== 'disagrees' || !statement.valueOk)
        lens.gradcheck = withStatementGradients(lens.gradcheck, statement);
      check.status = 'disagrees';
    }
  }
  const message = engineCheckMessage(check, lens.target);
  if (message) lens.problems.push(problem('engine-check', 'warning', message, where));
  lens.problems.sort((a, b) => rank(a) - rank(b));
}

/** The engine check, or "skipped" with the reason if it failed: one site's check never costs the others. */
function safeCheck(traced: TracedValue & { graph: TracedGraph }): EngineCheck {
  try {
    return checkEngine(traced);
  } catch (err) {
    return skippedCheck(`the check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function skippedCheck(reason: string): EngineCheck {
  return { status: 'skipped', reason, entries: [], maxRelError: null, forward: null, likelyCause: null, rtol: 0 };
}

const BUNDLED_GRADIENTS =
  "the gradients shown are computed by Gradient Lens on your graph (your engine has no backward()): the bundled engine's backward pass over your ops, not your engine's";

/**
 * For a value whose engine has no backward() (the lecture's hand-called `_backward()` steps): the
 * traced value with the bundled engine's gradients on its graph, when every op is one the bundled
 * engine knows and its forward values are the user's; else null (no gradients, as traced).
 */
function withBundledGradients(last: TracedValue, graph: TracedGraph): TracedValue | null {
  const resolved = resolveGraph(graph);
  if (!resolved.ok) return null;
  let grads: number[] | null;
  try {
    grads = bundledGradients(resolved.graph);
  } catch {
    return null;
  }
  if (!grads) return null;
  const reachable = new Set(resolved.graph.order);
  const nodes = graph.nodes.map((n, k) => ({
    ...n,
    grad: reachable.has(k) && Number.isFinite(grads[k]) ? grads[k] : null,
  }));
  return { ...last, graph: { ...graph, nodes } };
}

/** The statement check, or undefined where it cannot run or fails: it only ever adds a warning. */
function safeStatementCheck(
  site: PreparedSite,
  expr: Expr,
  lines: LineIndex,
  label: string,
  language: TracerLanguage,
  last: TracedValue,
  graph: TracedGraph,
  check: EngineCheck,
): StatementCheck | undefined {
  // Leaf data taken at the end of the run (not kept as at the last execution): an optimiser may
  // have moved them on, and the statement would be checked against the wrong numbers.
  if (last.note?.includes(END_OF_RUN_DATA)) return undefined;
  try {
    const text = lines.text.slice(site.request.exprStart, site.request.exprEnd);
    const source = { expr, text, target: site.request.target, label, language, textOf: site.textOf };
    return checkStatement(source, { ...last, graph }, check.rtol || RTOL_FLOAT64);
  } catch {
    return undefined;
  }
}

/**
 * The gradcheck where the statement disagrees: the statement's central differences against the
 * user's gradients for the names it compared (the graph's own differences agree with a wrong graph).
 */
function withStatementGradients(
  gradcheck: GradcheckSummary | null,
  statement: StatementCheck,
): GradcheckSummary | null {
  const entries = [...(gradcheck?.entries ?? [])];
  for (const g of statement.gradients) {
    if (g.numeric === null) continue;
    const entry = gradcheckEntry(g.name, g.user, g.numeric);
    const at = entries.findIndex((e) => e.name === g.name);
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
  }
  if (entries.length === 0) return gradcheck;
  return {
    ok: entries.every((e) => e.ok),
    maxRelError: Math.max(...entries.map((e) => e.relError)),
    entries,
    skipped: gradcheck?.skipped ?? 0,
  };
}

/** A leaf's gradcheck line: the user's gradient against the central difference, with their relative error. */
function gradcheckEntry(name: string, analytic: number, numeric: number): GradcheckEntry {
  const relError =
    analytic === numeric ? 0 : Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric));
  return { name, analytic, numeric, relError, ok: gradcheckClose(analytic, numeric) };
}

function gradcheckClose(analytic: number, numeric: number): boolean {
  return Math.abs(analytic - numeric) <= 1e-5 + 1e-3 * Math.abs(numeric);
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

function rank(p: Problem): number {
  return SEVERITY_RANK[p.severity];
}

function problem(code: Problem['code'], severity: Problem['severity'], message: string, range: Range): Problem {
  return { code, severity, message, range };
}

/** Named nodes: leaves first, then intermediates, each in the tracer's order (locals, then globals). */
function variablesOf(
  last: TracedValue,
  graph: TracedGraph,
  lines: LineIndex,
  statement: { start: number; end: number },
  statementRange: Range,
  unknown: string[],
): VariableResult[] {
  const out: VariableResult[] = [];
  const seen = new Set<string>();
  for (const v of last.variables) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    const node = graph.nodes[v.node];
    if (node.data === null || node.grad === null) {
      unknown.push(v.name);
      continue;
    }
    const occurrences = occurrencesIn(lines, statement, v.name);
    out.push({
      name: v.name,
      value: node.data,
      grad: node.grad,
      leaf: v.leaf,
      definedAt: occurrences[0] ?? statementRange,
      definedBy: 'assignment',
      occurrences,
    });
  }
  out.push(...labelledLeaves(last, graph, seen, statementRange));
  out.sort((a, b) => (a.leaf === b.leaf ? 0 : a.leaf ? -1 : 1));
  return out;
}

/**
 * The leaves no name in scope refers to, by their own label (`Value(0.5, label='w1')`): the label
 * is the user's name for that node. A label several such leaves share names none of them (an MLP's
 * `b` in every neuron), and one that is already a variable's name is not reused for another node.
 */
function labelledLeaves(
  last: TracedValue,
  graph: TracedGraph,
  taken: Set<string>,
  statementRange: Range,
): VariableResult[] {
  const named = new Set(last.variables.map((v) => v.node));
  const byLabel = new Map<string, number[]>();
  for (const id of childrenFirstSkippingCycles(graph)) {
    const node = graph.nodes[id];
    if (id === graph.root || named.has(id) || node.children.length > 0 || !node.label) continue;
    byLabel.set(node.label, [...(byLabel.get(node.label) ?? []), id]);
  }
  const out: VariableResult[] = [];
  for (const [label, ids] of byLabel) {
    const node = graph.nodes[ids[0]];
    if (ids.length > 1 || taken.has(label) || node.data === null || node.grad === null) continue;
    taken.add(label);
    out.push({
      name: label,
      value: node.data,
      grad: node.grad,
      leaf: true,
      definedAt: statementRange,
      definedBy: 'assignment',
      occurrences: [],
    });
  }
  return out;
}

/** Where `name` occurs as a whole word in the statement's text (in its unit's coordinates). */
function occurrencesIn(lines: LineIndex, span: { start: number; end: number }, name: string): Range[] {
  const text = lines.text.slice(span.start, span.end);
  const out: Range[] = [];
  const word = /[\p{L}\p{N}_$]/u;
  for (let at = text.indexOf(name); at >= 0 && out.length < 100; at = text.indexOf(name, at + name.length)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + name.length] ?? '';
    if (word.test(before) || word.test(after) || before === '.') continue;
    out.push(lines.range({ start: span.start + at, end: span.start + at + name.length }));
  }
  return out;
}

/**
 * The traced graph in the core's shape: children before parents, ids renumbered, output last;
 * ops as the engine's symbols where the check could read them (with operands recovered, so the
 * panel's local derivatives apply), else as the user's engine wrote them. Null when some node
 * has no finite value. A gradient the tracer could not read is NaN (shown as such, never as 0).
 */
function coreGraph(traced: TracedGraph, resolved: CheckGraph | null, last: TracedValue, lens: Lens): Graph | null {
  // The user's nodes only: those the check added to expand a composite are not in the user's graph.
  const order = (resolved?.order ?? childrenFirstSkippingCycles(traced)).filter((id) => id < traced.nodes.length);
  if (order.some((id) => traced.nodes[id].data === null)) return null;
  const names = new Map<number, string>();
  for (const v of last.variables) if (!names.has(v.node)) names.set(v.node, v.name);
  const nodes: GraphNode[] = [];
  const ids = new Map<number, number>();
  const constant = (value: number): number => {
    nodes.push({ id: nodes.length, label: null, op: '', data: value, grad: NaN, children: [], kind: 'constant' });
    return nodes.length - 1;
  };
  for (const id of order) {
    const n = traced.nodes[id];
    const check = resolved?.nodes[id];
    let op = n.op;
    let children = n.children.map((c) => ids.get(c)).filter((c): c is number => c !== undefined);
    const composite = resolved?.composites.get(id);
    if (composite) {
      // As the user's engine wrote it, with the operands read (a base recovered from the values).
      children = composite.operands.map((o) => ('node' in o ? ids.get(o.node)! : constant(o.constant)));
    } else if (check && check.op !== null) {
      op = opSymbol(check.op, check.exponent);
      children = check.operands.map((o) => ('node' in o ? ids.get(o.node)! : constant(o.constant)));
    } else if (check) op = '';
    // micrograd's default label is '': no label, as null is.
    const label = n.label || names.get(id) || (id === traced.root && lens.target !== '' ? lens.target : null);
    const node: GraphNode = {
      id: nodes.length,
      label,
      op,
      data: n.data as number,
      grad: n.grad ?? NaN,
      children,
      kind: children.length > 0 ? 'intermediate' : 'leaf',
    };
    if (id === traced.root) node.range = lens.targetRange;
    ids.set(id, nodes.length);
    nodes.push(node);
  }
  return { nodes, output: nodes.length - 1 };
}

/** The check's central differences against the user's gradients, in the shape the hover and the CLI show. */
function gradcheckOf(check: EngineCheck): GradcheckSummary | null {
  const checkable = check.entries.filter((e) => e.leaf && e.user !== null);
  const entries = checkable
    .filter((e) => e.numeric !== null)
    .map((e) => gradcheckEntry(e.name, e.user as number, e.numeric as number));
  if (entries.length === 0) return null;
  return {
    ok: entries.every((e) => e.ok),
    maxRelError: Math.max(...entries.map((e) => e.relError)),
    entries,
    skipped: checkable.length - entries.length,
  };
}
