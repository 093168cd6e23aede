// The entry unit's code as it runs: probes inserted at the sites, then transpiled. A probe that
// would break the code (a site in a place no statement may follow, such as a class field) is
// dropped, and the others stay.

import * as vm from 'vm';
import Module from 'module';
import { applyEdits, fitsSource, siteEdits } from './probes';
import { sourceNames } from './sourceNames';
import { transpile, withTopLevelAwait } from './transpile';
import type { SiteRequest } from './wire';

export interface Instrumented {
  code: string;
  /** Ids of the sites that have a probe in `code`. */
  probed: Set<number>;
}

export function instrument(source: string, filename: string, sites: SiteRequest[]): Instrumented {
  const { names } = sourceNames(source);
  const perSite = sites
    .filter((site) => fitsSource(source, site))
    .map((site) => ({ id: site.id, edits: siteEdits(source, site, names) }))
    .filter((s) => s.edits.length > 0);
  const all = build(
    source,
    filename,
    perSite.flatMap((s) => s.edits),
  );
  if (all !== null) return { code: all, probed: new Set(perSite.map((s) => s.id)) };
  // Some probe breaks the code: keep the ones that compile alone.
  const kept = perSite.filter((s) => build(source, filename, s.edits) !== null);
  const code = build(
    source,
    filename,
    kept.flatMap((s) => s.edits),
  );
  if (code !== null) return { code, probed: new Set(kept.map((s) => s.id)) };
  return { code: build(source, filename, []) ?? transpile(source, filename), probed: new Set() };
}

/** The transpiled code with these edits, or null when it does not compile. */
function build(source: string, filename: string, edits: Parameters<typeof applyEdits>[1]): string | null {
  let code: string;
  try {
    code = transpile(applyEdits(source, edits), filename);
  } catch {
    return null;
  }
  if (compiles(code, filename)) return code;
  const wrapped = withTopLevelAwait(code);
  return /\bawait\b/.test(code) && compiles(wrapped, filename) ? wrapped : null;
}

function compiles(code: string, filename: string): boolean {
  try {
    new vm.Script(Module.wrap(code), { filename });
    return true;
  } catch {
    return false;
  }
}
