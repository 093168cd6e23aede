// TypeScript, JSX and ES modules to CommonJS with sucrase: pure JavaScript (bundled, no native
// binary) and line-preserving, so a stack trace's line is the user's line. Modern syntax is kept
// as written (Node runs it); only types, JSX and import/export are rewritten.

import * as path from 'path';
import { transform, type Transform } from 'sucrase';
import { usesModuleSyntax } from './sourceNames';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
const JSX = new Set(['.jsx', '.tsx']);

/** Whether `filename` needs the transpile at all (plain CommonJS JavaScript runs as it is). */
export function needsTranspile(filename: string, source: string): boolean {
  const ext = path.extname(filename).toLowerCase();
  if (TYPESCRIPT.has(ext) || JSX.has(ext) || ext === '.mjs') return true;
  return usesModuleSyntax(source) || looksLikeJsx(source);
}

/** CommonJS code with the same lines as `source`. Throws sucrase's SyntaxError on broken source. */
export function transpile(source: string, filename: string): string {
  const ext = path.extname(filename).toLowerCase();
  const transforms: Transform[] = [];
  if (TYPESCRIPT.has(ext) || ext === '.tsx') transforms.push('typescript');
  if (JSX.has(ext) || (!TYPESCRIPT.has(ext) && looksLikeJsx(source))) transforms.push('jsx');
  if (ext === '.mjs' || TYPESCRIPT.has(ext) || ext === '.tsx' || usesModuleSyntax(source)) transforms.push('imports');
  if (transforms.length === 0) return source;
  const code = transform(source, {
    transforms,
    filePath: filename,
    production: true,
    disableESTransforms: true,
  }).code;
  return transforms.includes('imports') ? withImportMeta(code) : code;
}

/**
 * `import.meta` is a syntax error in CommonJS: the module's own url, dirname and filename stand in
 * for it (on the same line).
 */
function withImportMeta(code: string): string {
  return code.replace(
    /\bimport\.meta\b/g,
    '({url: require("url").pathToFileURL(__filename).href, dirname: __dirname, filename: __filename})',
  );
}

/**
 * A module that awaits at its top level (an ES module may; CommonJS may not) runs inside an async
 * function instead: same lines, one more at the end. An exception in it is an unhandled rejection,
 * which Node reports and exits on as it does for an uncaught exception.
 */
export function withTopLevelAwait(code: string): string {
  return `(async () => {${code}\n})();`;
}

/** A `.js` file with JSX in it (React projects often write JSX in .js): `<Tag` or `</` after `(`, `return` or `=`. */
function looksLikeJsx(source: string): boolean {
  return /(?:return|[(=,?:]|=>)\s*<\/?[A-Za-z>]/.test(source) && /<\/[A-Za-z]*>|\/>/.test(source);
}
