// Probes inserted into the user's source text, in memory only (never on disk), before the
// TypeScript/JSX transpile. They add no newline, so every line stays where it was and stack traces
// still point at the user's lines.
//   assign:      `loss = f(x);`      -> `loss = f(x);;__gradlens.probe(ID,()=>(loss),NAMES);`
//   return:      `return a.times(b)` -> `return __gradlens.ret(ID,(a.times(b)),NAMES)`
//   expression:  `f(x)`              -> `__gradlens.expr(ID,(f(x)),NAMES)`
// NAMES is `(__g,__s)=>{if(!__s[0])try{if(typeof w!=="undefined")__g("w",w)}catch(_e){__s[0]=1}…}`:
// each candidate name read in its own try/catch (a name not declared here is skipped; one in its
// temporal dead zone throws, and is marked in __s so that the next executions skip it).

import { isCandidate, statementNames } from './sourceNames';
import type { SiteRequest } from './wire';

/** The global the probes call; main.ts defines it before any user code runs. */
export const PROBE_GLOBAL = '__gradlens';

interface Edit {
  at: number;
  text: string;
  /** Among edits at the same offset: a closing text goes before an opening one. */
  order: number;
}

/** The probe code for each site, as edits of `source`. A site whose offsets do not fit the text is left out. */
export function siteEdits(source: string, site: SiteRequest, fileNames: string[], target = site.target): Edit[] {
  const names = namesReader(source, site, fileNames, target);
  const g = PROBE_GLOBAL;
  if (site.form === 'assign') {
    if (!isAssignable(target)) return [];
    const after = statementEnd(source, site.end);
    return [
      { at: after.at, text: `${after.semicolon ? '' : ';'}${g}.probe(${site.id},()=>(${target}),${names});`, order: 0 },
    ];
  }
  const fn = site.form === 'return' ? 'ret' : 'expr';
  return [
    { at: site.exprStart, text: `${g}.${fn}(${site.id},(`, order: 1 },
    { at: site.exprEnd, text: `),${names})`, order: 0 },
  ];
}

/** `source` with the edits applied (from the end, so the offsets stay valid). */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.at - a.at || b.order - a.order);
  let out = source;
  for (const edit of sorted) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}

/** Whether a site's offsets are inside the text and ordered. */
export function fitsSource(source: string, site: SiteRequest): boolean {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= source.length;
  return (
    ok(site.start) &&
    ok(site.end) &&
    ok(site.exprStart) &&
    ok(site.exprEnd) &&
    site.start <= site.end &&
    site.exprStart <= site.exprEnd
  );
}

/** The statement's names first (what it reads is most likely what the user means), then the file's. */
function namesReader(source: string, site: SiteRequest, fileNames: string[], target: string): string {
  const names = new Set<string>();
  for (const name of statementNames(source, site.start, site.end)) names.add(name);
  // `this` when the statement reads a member of it (`this.w.mul(x).add(this.b)`): its members
  // name the leaves no plain name refers to (`this.b`, see members.ts), before the file's names.
  if (/(^|[^\w$.])this\s*(\.|\[)/.test(source.slice(site.start, site.end))) names.add('this');
  for (const name of fileNames) names.add(name);
  names.delete(target);
  let body = '';
  let k = 0;
  for (const name of names) {
    if (name !== 'this' && !isCandidate(name)) continue;
    // `typeof` first: a name not declared here reads as "undefined" instead of throwing (a thrown
    // ReferenceError costs, per name, per execution). A name in its temporal dead zone still
    // throws: it is marked in __s and skipped until the recorder clears the marks.
    body += `if(!__s[${k}])try{if(typeof ${name}!=="undefined")__g(${JSON.stringify(name)},${name})}catch(_e){__s[${k}]=1}`;
    k++;
  }
  return `(__g,__s)=>{${body}}`;
}

/** A target the probe can read back: `loss`, `this.out`, `model.loss` (not a pattern such as `{a, b}`). */
function isAssignable(target: string): boolean {
  return /^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/.test(target);
}

/** Just past the statement: after its `;` when one follows on the same line. */
function statementEnd(source: string, end: number): { at: number; semicolon: boolean } {
  let k = end;
  while (k < source.length && (source[k] === ' ' || source[k] === '\t')) k++;
  if (source[k] === ';') return { at: k + 1, semicolon: true };
  return { at: end, semicolon: false };
}
