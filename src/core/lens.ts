// From one annotated statement to a Lens: evaluate, backpropagate, read the results out of the
// engine into plain data, gradcheck, and turn every failure into a Problem at its range.

import { DomainError, opSymbol, topoSort, type Value } from '../../engine';
import type { Expr } from './ast';
import type { DocumentIndex } from './document';
import { AnalysisError } from './errors';
import { LensEvaluation, type Built, type LensSource, type OpDraft } from './evaluate';
import { LensExplainer, MAX_FORMULAS } from './explain';
import { checkGradients, DEFAULT_GRADCHECK } from './gradcheck';
import { formatNumber } from './format';
import type { Span } from './positions';
import { clip } from './quote';
import type {
  AnalyzeOptions,
  GradcheckOptions,
  GradcheckSummary,
  Graph,
  Lens,
  OpSite,
  Problem,
  VariableResult,
} from './types';

/** What the evaluation needs (see LensSource), plus the lens's own ranges and earlier errors. */
export interface LensRequest extends Omit<LensSource, 'expr'> {
  statementSpan: Span;
  target: string;
  targetSpan: Span;
  tagSpan: Span;
  /** Absent when the statement did not parse. */
  expr?: Expr;
  /** Errors known before evaluation: the statement's parse, the annotation's bindings. */
  errors: AnalysisError[];
}

/** Errors first, then warnings, then information (a stable sort keeps each kind in order). */
const SEVERITY_ORDER: Record<Problem['severity'], number> = { error: 0, warning: 1, info: 2 };

export function buildLens(doc: DocumentIndex, request: LensRequest, options: AnalyzeOptions): Lens {
  const lens = emptyLens(doc, request);
  try {
    evaluateInto(lens, doc, request, options);
  } catch (err) {
    // The catch-all: nothing may escape into the extension host, and no half-built result stays.
    Object.assign(lens, { value: null, variables: [], ops: [], graph: null, gradcheck: null });
    lens.problems.push(
      problem(
        doc,
        new AnalysisError('parse', `could not analyse this statement: ${String(err)}`, request.statementSpan),
      ),
    );
  }
  lens.problems.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return lens;
}

export function emptyLens(
  doc: DocumentIndex,
  request: Pick<LensRequest, 'statementSpan' | 'target' | 'targetSpan' | 'exprSpan' | 'tagSpan'>,
): Lens {
  const r = (s: Span) => doc.lines.range(s);
  return {
    line: doc.lines.lineOf(request.statementSpan.start),
    target: request.target,
    statementRange: r(request.statementSpan),
    targetRange: r(request.targetSpan),
    expressionRange: r(request.exprSpan),
    tagRange: r(request.tagSpan),
    value: null,
    variables: [],
    gradcheck: null,
    problems: [],
    ops: [],
    graph: null,
  };
}

function evaluateInto(lens: Lens, doc: DocumentIndex, request: LensRequest, options: AnalyzeOptions): void {
  if (request.errors.length > 0 || !request.expr) {
    lens.problems.push(...request.errors.map((e) => problem(doc, e)));
    return;
  }
  const evaluation = new LensEvaluation(doc, { ...request, expr: request.expr });
  if (!evaluation.discover()) {
    lens.problems.push(...evaluation.problems.map((e) => problem(doc, e)));
    return;
  }
  let built: Built;
  try {
    built = evaluation.evaluate();
    backward(built, request.exprSpan);
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err;
    lens.problems.push(problem(doc, err));
    return;
  }
  lens.value = built.root.data;
  lens.problems.push(...evaluation.caveats.map((e) => problem(doc, e, 'warning')));
  const rootInfo = built.info.get(built.root);
  if (rootInfo && rootInfo.kind !== 'leaf' && rootInfo.name === undefined && request.target !== '') {
    rootInfo.name = request.target;
    rootInfo.span = request.targetSpan;
  }
  const explainer = new LensExplainer(built, doc.text, request.target);
  lens.variables = variables(doc, built, explainer);
  lens.ops = built.ops.map((d) => opSite(doc, d));
  nameComposites(built.ops, lens.ops);
  lens.graph = graph(doc, built);
  const settings = gradcheckSettings(options);
  if (settings.enabled) lens.gradcheck = gradcheckOf(lens, built, settings, doc, request);
  for (const note of explainer.healthNotes(options.health, lens.gradcheck))
    lens.problems.push({
      code: note.code,
      severity: note.severity,
      message: note.message,
      range: doc.lines.range(note.span),
    });
}

function gradcheckSettings(options: AnalyzeOptions): GradcheckOptions {
  const given = options.gradcheck ?? {};
  const pick = <K extends keyof GradcheckOptions>(key: K): GradcheckOptions[K] =>
    (given[key] ?? DEFAULT_GRADCHECK[key]) as GradcheckOptions[K];
  return {
    enabled: pick('enabled'),
    eps: pick('eps'),
    rtol: pick('rtol'),
    atol: pick('atol'),
    maxLeaves: pick('maxLeaves'),
  };
}

/** Backpropagates; a non-finite gradient becomes a 'domain' error at the op that produced it. */
function backward(built: Built, fallback: Span): void {
  try {
    built.root.backward();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const culprit = findOp(built.ops, err);
    throw new AnalysisError('domain', err.message, culprit ? culprit.exprSpan : fallback);
  }
}

function findOp(ops: OpDraft[], err: DomainError): OpDraft | undefined {
  for (let k = ops.length - 1; k >= 0; k--) {
    const d = ops[k];
    if (d.op === err.op && (d.inputs[0].data === err.operands[0] || d.output.data === err.operands[0])) return d;
  }
  return undefined;
}

function variables(doc: DocumentIndex, built: Built, explainer: LensExplainer): VariableResult[] {
  const r = (s: Span) => doc.lines.range(s);
  const drafts = built.variables.filter((d) => d.value !== undefined);
  drafts.sort((a, b) => (a.leaf === b.leaf ? a.definedAt.start - b.definedAt.start : a.leaf ? -1 : 1));
  return drafts.map((d, index) => {
    const explanation = explainer.explain(d.value!, d.name, index < MAX_FORMULAS);
    return {
      name: d.name,
      value: d.value!.data,
      grad: d.value!.grad,
      leaf: d.leaf,
      definedAt: r(d.definedAt),
      definedBy: d.definedBy,
      occurrences: d.occurrences.map(r),
      ...(explanation && { explanation }),
    };
  });
}

/**
 * A composite (`sigmoid(x)`, `a.softplus()`) is desugared into several of the seed's ops that share
 * its name's range: each of them says which composite it belongs to and what it is made of, so the
 * hover names the composite while the graph shows its ops.
 */
function nameComposites(drafts: OpDraft[], sites: OpSite[]): void {
  // Grouped by the name's range once: a lens of many composites stays linear.
  const byName = new Map<string, number[]>();
  drafts.forEach((d, k) => {
    const key = `${d.opSpan.start}:${d.opSpan.end}`;
    const group = byName.get(key);
    if (group) group.push(k);
    else byName.set(key, [k]);
  });
  for (const group of byName.values()) {
    const outer = group.find((k) => 'composite' in drafts[k].expr && drafts[k].expr.composite);
    if (outer === undefined) continue;
    const expr = drafts[outer].expr;
    const composite = { name: 'composite' in expr ? expr.composite! : '', ops: group.map((k) => drafts[k].op) };
    for (const k of group) sites[k].composite = composite;
  }
}

function opSite(doc: DocumentIndex, d: OpDraft): OpSite {
  const site: OpSite = {
    op: d.op,
    symbol: opSymbol(d.op, d.exponent),
    range: doc.lines.range(d.opSpan),
    expressionRange: doc.lines.range(d.exprSpan),
    inputs: d.inputs.map((v) => v.data),
    output: d.output.data,
    grad: d.output.grad,
  };
  if (d.exponent !== undefined) site.exponent = d.exponent;
  return site;
}

function graph(doc: DocumentIndex, built: Built): Graph {
  const order = topoSort(built.root);
  const ids = new Map<Value, number>();
  order.forEach((v, id) => ids.set(v, id));
  const nodes = order.map((v, id) => {
    const info = built.info.get(v);
    const node: Graph['nodes'][number] = {
      id,
      label: info?.name ?? null,
      op: v.op,
      data: v.data,
      grad: v.grad,
      children: v.children.map((c) => ids.get(c)!),
      kind: info?.kind ?? 'intermediate',
    };
    if (info?.span) node.range = doc.lines.range(info.span);
    return node;
  });
  return { nodes, output: order.length - 1 };
}

function gradcheckOf(
  lens: Lens,
  built: Built,
  settings: GradcheckOptions,
  doc: DocumentIndex,
  request: LensRequest,
): GradcheckSummary | null {
  const leaves: { name: string; value: Value }[] = [];
  const seen = new Set<Value>();
  for (const d of built.variables) {
    if (d.leaf && d.value && !seen.has(d.value)) {
      seen.add(d.value);
      leaves.push({ name: d.name, value: d.value });
    }
  }
  if (leaves.length === 0) return null;
  let summary: GradcheckSummary;
  try {
    summary = checkGradients(built.root, leaves, settings);
  } catch (err) {
    lens.problems.push(
      problem(
        doc,
        new AnalysisError(
          'gradcheck',
          `gradcheck could not run: ${err instanceof Error ? err.message : String(err)}`,
          request.tagSpan,
        ),
        'warning',
      ),
    );
    return null;
  }
  const failed = summary.entries.filter((e) => !e.ok);
  if (failed.length > 0) {
    const shown = failed.map((e) => {
      const numeric = e.numeric === null ? 'none' : formatNumber(e.numeric, 6);
      return `∂${clip(lens.target)}/∂${clip(e.name)}: analytic ${formatNumber(e.analytic, 6)}, numeric ${numeric}${e.note ? ` (${e.note})` : ''}`;
    });
    const message = `gradcheck: analytic and numeric gradients disagree: ${shown.join('; ')}`;
    lens.problems.push(problem(doc, new AnalysisError('gradcheck', message, request.tagSpan), 'warning'));
  }
  return summary;
}

function problem(doc: DocumentIndex, e: AnalysisError, severity: 'error' | 'warning' = 'error'): Problem {
  const p: Problem = { code: e.code, severity, message: e.message, range: doc.lines.range(e.span) };
  if (e.unboundName !== undefined) p.name = e.unboundName;
  return p;
}
