// Checks analytic gradients against central finite differences, in the spirit of
// torch.autograd.gradcheck (|analytic - numeric| <= atol + rtol * |numeric|). It reports what it
// cannot confirm (a kink, a domain edge within the step, an estimate that is not finite) instead
// of hiding it: such entries are not ok and carry a note.
import { DomainError } from './errors';
import { Value } from './value';

export interface GradcheckEntry {
  /** Position of the input in `inputs`. */
  index: number;
  label: string | null;
  analytic: number;
  /**
   * Central difference; a one-sided one near a domain edge (see note); null if neither side
   * exists or the difference is not finite. Never NaN or ±Infinity.
   */
  numeric: number | null;
  /** |analytic - numeric| / max(|analytic|, |numeric|); 0 when both are 0; Infinity when numeric is null. Never NaN. */
  relError: number;
  ok: boolean;
  /** Why the entry could not be confirmed, e.g. a kink or a domain edge within eps. */
  note?: string;
}

export interface GradcheckOptions {
  /**
   * Relative step of the finite differences (default 1e-6, torch's step): input x moves by
   * eps·max(1, |x|), so that the step stays well above the spacing of doubles near x.
   */
  eps?: number;
  /** Relative tolerance (default 1e-3, as torch). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5, as torch). */
  atol?: number;
  /** Labels given to the input leaves, reported back in the entries. */
  labels?: (string | undefined)[];
}

export interface GradcheckResult {
  ok: boolean;
  /** The largest relError among entries that have a numeric value (0 if none); always finite. */
  maxRelError: number;
  entries: GradcheckEntry[];
}

type Fn = (inputs: Value[]) => Value;

interface Settings {
  eps: number;
  rtol: number;
  atol: number;
}

/**
 * Compares ∂f/∂inputs[i] from `backward()` with a finite difference, for every input.
 * A DomainError at the unperturbed point propagates (f is undefined there); at a perturbed point
 * it is caught and reported in the entry's note.
 */
export function gradcheck(f: Fn, inputs: number[], options: GradcheckOptions = {}): GradcheckResult {
  const settings = readSettings(options);
  inputs.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new RangeError(`gradcheck input ${i} must be a finite number, got ${String(x)}`);
  });
  const labels = options.labels ?? [];
  const leaves = inputs.map((x, i) => new Value(x, labels[i]));
  const out = call(f, leaves);
  out.backward();
  const entries = inputs.map((_, i) => checkInput(f, inputs, i, leaves[i].grad, out.data, labels[i] ?? null, settings));
  const compared = entries.filter((e) => e.numeric !== null && Number.isFinite(e.relError)).map((e) => e.relError);
  return {
    ok: entries.every((e) => e.ok),
    maxRelError: compared.length === 0 ? 0 : Math.max(...compared),
    entries,
  };
}

function readSettings(options: GradcheckOptions): Settings {
  const eps = options.eps ?? 1e-6;
  const rtol = options.rtol ?? 1e-3;
  const atol = options.atol ?? 1e-5;
  if (!(eps > 0) || !Number.isFinite(eps))
    throw new RangeError(`gradcheck eps must be a positive number, got ${String(eps)}`);
  if (!(rtol >= 0) || !Number.isFinite(rtol))
    throw new RangeError(`gradcheck rtol must be a non-negative number, got ${String(rtol)}`);
  if (!(atol >= 0) || !Number.isFinite(atol))
    throw new RangeError(`gradcheck atol must be a non-negative number, got ${String(atol)}`);
  return { eps, rtol, atol };
}

function call(f: Fn, leaves: Value[]): Value {
  const out = f(leaves);
  if (!(out instanceof Value)) throw new TypeError(`gradcheck's function must return a Value, got ${typeof out}`);
  return out;
}

/** f with input i moved to x: its value, or the DomainError it threw there. */
function evalAt(f: Fn, inputs: readonly number[], i: number, x: number): number | DomainError {
  const moved = inputs.slice();
  moved[i] = x;
  try {
    return call(
      f,
      moved.map((v) => new Value(v)),
    ).data;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

/** Both finite, and within atol + rtol·|numeric|. (∞ ≤ atol + rtol·∞ would hold: never for a non-finite.) */
function closeEnough(analytic: number, numeric: number, s: Settings): boolean {
  return (
    Number.isFinite(analytic) &&
    Number.isFinite(numeric) &&
    Math.abs(analytic - numeric) <= s.atol + s.rtol * Math.abs(numeric)
  );
}

/** Scaled first, so that |analytic − numeric| cannot overflow when both are near the largest double. */
function relativeError(analytic: number, numeric: number): number {
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  return scale === 0 ? 0 : Math.abs(analytic / scale - numeric / scale);
}

/**
 * The step for input x: eps relative to |x| (absolute below 1). A fixed 1e-6 is below the spacing
 * of doubles near 1e10 and badly rounded near 1e8 (3·x at 1e8 gave 2.98); a relative step keeps
 * about the same number of significant digits at every magnitude.
 */
function stepFor(x: number, eps: number): number {
  return eps * Math.max(1, Math.abs(x));
}

type Entry = (numeric: number | null, ok: boolean, note?: string) => GradcheckEntry;

function checkInput(
  f: Fn,
  inputs: readonly number[],
  i: number,
  analytic: number,
  base: number,
  label: string | null,
  s: Settings,
): GradcheckEntry {
  const x = inputs[i];
  const entry: Entry = (numeric, ok, note) => {
    if (numeric !== null && !Number.isFinite(numeric)) {
      // f changes by more than a double holds across the step: there is nothing to compare with.
      const why = `the finite difference is not finite (${String(numeric)}); the gradient could not be checked`;
      return entry(null, false, note === undefined ? why : `${note}; ${why}`);
    }
    const relError = numeric === null ? Infinity : relativeError(analytic, numeric);
    const e: GradcheckEntry = {
      index: i,
      label,
      analytic,
      numeric,
      relError,
      ok: ok && numeric !== null && closeEnough(analytic, numeric, s),
    };
    if (note !== undefined) e.note = note;
    return e;
  };
  const h = stepFor(x, s.eps);
  // The steps as the doubles x ± h actually lie from x (rounding can make them differ from h).
  const up = x + h;
  const down = x - h;
  const plus = evalAt(f, inputs, i, up);
  const minus = evalAt(f, inputs, i, down);
  if (plus instanceof DomainError && minus instanceof DomainError) {
    return entry(null, false, `both x + eps and x - eps leave the domain (${plus.message}); no finite difference`);
  }
  if (plus instanceof DomainError) {
    return entry(
      (base - (minus as number)) / (x - down),
      false,
      `x + eps leaves the domain (${plus.message}); numeric is a one-sided difference, not confirmed`,
    );
  }
  if (minus instanceof DomainError) {
    return entry(
      (plus - base) / (up - x),
      false,
      `x - eps leaves the domain (${minus.message}); numeric is a one-sided difference, not confirmed`,
    );
  }
  return smoothOrKink(f, inputs, i, base, { x, up, down, plus, minus }, s, entry);
}

/** f at x and at x ± the step, where both sides are in the domain. */
interface Around {
  x: number;
  up: number;
  down: number;
  plus: number;
  minus: number;
}

/**
 * The two one-sided differences agree where f is smooth. Where they do not, a smaller step tells
 * a kink at x (the gap stays) from curvature or a kink a little further away (the gap shrinks).
 * A difference that is not finite settles nothing: the entry says it could not be checked.
 */
function smoothOrKink(
  f: Fn,
  inputs: readonly number[],
  i: number,
  base: number,
  at: Around,
  s: Settings,
  entry: Entry,
): GradcheckEntry {
  const { x, up, down, plus, minus } = at;
  const right = (plus - base) / (up - x);
  const left = (base - minus) / (x - down);
  const central = (plus - minus) / (up - down);
  const overflow = [central, right, left].find((d) => !Number.isFinite(d));
  if (overflow !== undefined) return entry(overflow, false);
  const gap = Math.abs(right - left);
  if (gap <= 2 * (s.atol + s.rtol * Math.max(Math.abs(left), Math.abs(right)))) return entry(central, true);
  const h = stepFor(x, s.eps) / 4;
  const up2 = x + h;
  const down2 = x - h;
  const plus2 = evalAt(f, inputs, i, up2);
  const minus2 = evalAt(f, inputs, i, down2);
  if (plus2 instanceof DomainError || minus2 instanceof DomainError) return entry(central, true);
  const right2 = (plus2 - base) / (up2 - x);
  const left2 = (base - minus2) / (x - down2);
  const overflow2 = [right2, left2].find((d) => !Number.isFinite(d));
  if (overflow2 !== undefined) return entry(overflow2, false);
  const gap2 = Math.abs(right2 - left2);
  if (gap2 > gap / 2) {
    const shown = (n: number) => Number(n.toPrecision(6));
    return entry(
      central,
      false,
      `f is not differentiable here (a kink, e.g. relu at 0): left derivative ${shown(left)}, right derivative ${shown(right)}`,
    );
  }
  return entry((plus2 - minus2) / (up2 - down2), true);
}
