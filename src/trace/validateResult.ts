// The tracer's result is written by code running inside the user's program, with the user's
// objects: never trust it. Every field is checked against protocol.ts: numbers finite or null,
// ids in range, sizes capped. Structure that is wrong refuses the whole result (with the path of
// the first bad field, so a tracer bug is easy to find); over-long text is clipped, not refused.

import {
  TRACE_PROTOCOL_VERSION,
  type TraceRequest,
  type TraceResult,
  type TracedError,
  type TracedGraph,
  type TracedNode,
  type TracedSite,
  type TracedValue,
  type TracedVariable,
} from './protocol';

/** The largest result file read (a 20 000-node graph per site is ~2 MB; 64 MiB leaves room for many). */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** Longest kept text per field: longer is clipped with an ellipsis. */
const TEXT_LIMITS = {
  short: 200, // names, labels, ops, types, the interpreter
  note: 2_000,
  message: 4_000,
  traceback: 20_000,
} as const;

export type Validated = { ok: true; result: TraceResult } | { ok: false; reason: string };

class Invalid extends Error {}

/**
 * Parses and checks the text of a result file against the request it answers. Python's json
 * writes NaN and Infinity as bare words, which JSON.parse refuses: outside strings they are read
 * as null (a number that is not finite is null in the protocol anyway).
 */
export function validateResultText(text: string, request: TraceRequest): Validated {
  let json: unknown;
  try {
    json = JSON.parse(nonFiniteAsNull(text));
  } catch (err) {
    return { ok: false, reason: `the result is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  return validateResult(json, request);
}

export function validateResult(json: unknown, request: TraceRequest): Validated {
  try {
    return { ok: true, result: result(json, request) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}

function result(json: unknown, request: TraceRequest): TraceResult {
  const o = object(json, 'result');
  if (o.version !== TRACE_PROTOCOL_VERSION)
    fail('result.version', `expected ${TRACE_PROTOCOL_VERSION}, got ${shown(o.version)}`);
  const stopped = o.stopped ?? null;
  if (stopped !== null && stopped !== 'timeout' && stopped !== 'signal')
    fail('result.stopped', `expected null, "timeout" or "signal", got ${shown(stopped)}`);
  const sites = array(o.sites, 'result.sites', request.sites.length);
  const seen = new Set<number>();
  const checked = sites.map((s, k) => {
    const site = tracedSite(s, `result.sites[${k}]`, request);
    if (seen.has(site.id)) fail(`result.sites[${k}].id`, `site ${site.id} is reported twice`);
    seen.add(site.id);
    return site;
  });
  return {
    version: TRACE_PROTOCOL_VERSION,
    finished: boolean(o.finished, 'result.finished'),
    stopped,
    interpreter: text(o.interpreter ?? '', 'result.interpreter', TEXT_LIMITS.short),
    torch: nullable(o.torch, (v) => text(v, 'result.torch', TEXT_LIMITS.short)),
    error: nullable(o.error, (v) => tracedError(v, 'result.error', request)),
    sites: checked,
  };
}

function tracedError(json: unknown, at: string, request: TraceRequest): TracedError {
  const o = object(json, at);
  const unit = nullable(o.unit, (v) => index(v, `${at}.unit`, request.units.length));
  const line = nullable(o.line, (v) => count(v, `${at}.line`));
  return {
    type: text(o.type, `${at}.type`, TEXT_LIMITS.short),
    message: text(o.message ?? '', `${at}.message`, TEXT_LIMITS.message),
    // A line without its unit (or the reverse) places nothing.
    unit: line === null ? null : unit,
    line: unit === null ? null : line,
    traceback: text(o.traceback ?? '', `${at}.traceback`, TEXT_LIMITS.traceback),
  };
}

function tracedSite(json: unknown, at: string, request: TraceRequest): TracedSite {
  const o = object(json, at);
  const id = index(o.id, `${at}.id`, request.sites.length);
  const executions = count(o.executions, `${at}.executions`);
  // Twice the limit: a tracer may collect up to that before it thins its history out.
  const history = array(o.history, `${at}.history`, 2 * request.historyLimit).map((v, k) =>
    finiteOrNull(v, `${at}.history[${k}]`),
  );
  const historyStride = count(o.historyStride ?? 1, `${at}.historyStride`);
  if (historyStride < 1) fail(`${at}.historyStride`, 'must be at least 1');
  if (history.length > executions) fail(`${at}.history`, `${history.length} values for ${executions} executions`);
  const last = nullable(o.last, (v) => tracedValue(v, `${at}.last`, request.graphNodeLimit));
  if (executions === 0 && last !== null) fail(`${at}.last`, 'a site never executed has no last value');
  return { id, executions, history, historyStride, last };
}

const KINDS = new Set(['value', 'torch', 'number', 'unsupported']);

function tracedValue(json: unknown, at: string, nodeLimit: number): TracedValue {
  const o = object(json, at);
  if (!KINDS.has(o.kind as string))
    fail(`${at}.kind`, `expected "value", "torch", "number" or "unsupported", got ${shown(o.kind)}`);
  const graph = nullable(o.graph, (v) => tracedGraph(v, `${at}.graph`, nodeLimit));
  const nodes = graph?.nodes.length ?? 0;
  const variables = array(o.variables ?? [], `${at}.variables`, nodeLimit).map((v, k) =>
    tracedVariable(v, `${at}.variables[${k}]`, nodes),
  );
  return {
    kind: o.kind as TracedValue['kind'],
    value: finiteOrNull(o.value ?? null, `${at}.value`),
    note: nullable(o.note, (v) => text(v, `${at}.note`, TEXT_LIMITS.note)),
    variables,
    graph,
    ...(o.noBackward === true ? { noBackward: true } : {}),
  };
}

function tracedVariable(json: unknown, at: string, nodes: number): TracedVariable {
  const o = object(json, at);
  if (nodes === 0) fail(at, 'a variable needs a graph to point into');
  return {
    name: text(o.name, `${at}.name`, TEXT_LIMITS.short),
    node: index(o.node, `${at}.node`, nodes),
    leaf: boolean(o.leaf, `${at}.leaf`),
  };
}

function tracedGraph(json: unknown, at: string, nodeLimit: number): TracedGraph {
  const o = object(json, at);
  const raw = array(o.nodes, `${at}.nodes`, nodeLimit);
  if (raw.length === 0) fail(`${at}.nodes`, 'a graph has at least its root');
  const nodes = raw.map((n, k) => tracedNode(n, `${at}.nodes[${k}]`, k, raw.length));
  return { root: index(o.root, `${at}.root`, nodes.length), nodes };
}

function tracedNode(json: unknown, at: string, k: number, size: number): TracedNode {
  const o = object(json, at);
  if (o.id !== k) fail(`${at}.id`, `expected ${k} (ids are the nodes' indices), got ${shown(o.id)}`);
  // Children are few per node in every engine; a huge list is garbage, not a graph.
  const children = array(o.children ?? [], `${at}.children`, Math.min(size, 1024)).map((c, j) =>
    index(c, `${at}.children[${j}]`, size),
  );
  return {
    id: k,
    data: finiteOrNull(o.data ?? null, `${at}.data`),
    grad: finiteOrNull(o.grad ?? null, `${at}.grad`),
    op: text(o.op ?? '', `${at}.op`, TEXT_LIMITS.short),
    label: nullable(o.label, (v) => text(v, `${at}.label`, TEXT_LIMITS.short)),
    children,
    exponent: finiteOrNull(o.exponent ?? null, `${at}.exponent`),
  };
}

// ---- Field checks ---------------------------------------------------------------------------

function fail(at: string, why: string): never {
  throw new Invalid(`${at}: ${why}`);
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function object(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, `expected an object, got ${shown(v)}`);
  return v as Record<string, unknown>;
}

function array(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(at, `expected a list, got ${shown(v)}`);
  if (v.length > max) fail(at, `${v.length} entries, more than the ${max} allowed`);
  return v;
}

function boolean(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') fail(at, `expected true or false, got ${shown(v)}`);
  return v;
}

function text(v: unknown, at: string, max: number): string {
  if (typeof v !== 'string') fail(at, `expected a string, got ${shown(v)}`);
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}

function count(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    fail(at, `expected a whole number ≥ 0, got ${shown(v)}`);
  return v;
}

function index(v: unknown, at: string, size: number): number {
  const n = count(v, at);
  if (n >= size) fail(at, `${n} is out of range (${size} entries)`);
  return n;
}

function finiteOrNull(v: unknown, at: string): number | null {
  if (v === null) return null;
  if (typeof v !== 'number') fail(at, `expected a number or null, got ${shown(v)}`);
  // JSON cannot hold NaN or ±Infinity; a number that overflowed while parsing (1e999) can.
  return Number.isFinite(v) ? v : null;
}

function nullable<T>(v: unknown, read: (v: unknown) => T): T | null {
  return v === null || v === undefined ? null : read(v);
}

/**
 * `NaN`, `Infinity` and `-Infinity` outside strings, as Python's json.dumps writes them, become
 * `null`. Strings are skipped with their escapes, so text inside them is never touched.
 */
export function nonFiniteAsNull(json: string): string {
  if (!/NaN|Infinity/.test(json)) return json;
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
      continue;
    }
    const word = json.startsWith('NaN', i)
      ? 3
      : json.startsWith('Infinity', i)
        ? 8
        : json.startsWith('-Infinity', i)
          ? 9
          : 0;
    if (word > 0) {
      out += json.slice(from, i) + 'null';
      i += word - 1;
      from = i + 1;
    }
  }
  return out + json.slice(from);
}
