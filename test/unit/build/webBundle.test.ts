// dist/web/extension.js is the extension for VS Code for the Web: it runs in a web worker, where
// only `vscode` can be required and Node's globals do not exist. esbuild refuses to bundle a Node
// built-in for the browser, but an `external`, a `require` it cannot follow or a Node global
// (process, Buffer, __dirname) passes the build and fails only in the user's browser. The UI test
// test/e2e/web.test.ts runs this bundle for real; this scan is the quick guard.
// `npm test` builds the bundle first; when it is missing (a spec run on its own), the browser entry
// is bundled here with esbuild.js's options.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../../..');
const DIST = path.join(ROOT, 'dist', 'web', 'extension.js');

/** What only a Node.js host has: each pattern names one use of it. */
const NODE_ONLY: Array<[RegExp, string]> = [
  [/\bprocess\s*(\.\s*[A-Za-z_$]|\[)/g, 'process'],
  [/\bBuffer\s*(\.\s*[A-Za-z_$]|\()/g, 'Buffer'],
  [/\b__dirname\b|\b__filename\b/g, '__dirname/__filename'],
  [/\bsetImmediate\s*\(/g, 'setImmediate'],
  [/\bglobal\s*\.\s*[A-Za-z_$]/g, 'global'],
];

/** Every `require(…)` whose argument is not the string "vscode", and every Node-only global used. */
function nodeOnlyUses(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\brequire\s*\(\s*([^)]*)\)/g)) {
    if (!/^["']vscode["']$/.test(match[1].trim())) found.push(match[0]);
  }
  for (const [pattern, name] of NODE_ONLY) {
    for (const match of source.matchAll(pattern)) found.push(`${name}: ${excerpt(source, match.index ?? 0)}`);
  }
  return found;
}

function excerpt(source: string, index: number): string {
  return source.slice(Math.max(0, index - 40), index + 40).replace(/\s+/g, ' ');
}

async function bundlePath(): Promise<string> {
  if (fs.existsSync(DIST)) return DIST;
  const esbuild = await import('esbuild');
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gl-web-')), 'extension.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/extension.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'silent',
  });
  return outfile;
}

describe('web extension bundle (dist/web/extension.js)', () => {
  it('flags a Node built-in or a Node global in a bundle', () => {
    assert.deepStrictEqual(nodeOnlyUses('const vscode = require("vscode");'), []);
    assert.deepStrictEqual(nodeOnlyUses('const fs = require("fs");'), ['require("fs")']);
    assert.deepStrictEqual(nodeOnlyUses("require('node:path')"), ["require('node:path')"]);
    assert.strictEqual(nodeOnlyUses('const m = require(name);').length, 1);
    assert.strictEqual(nodeOnlyUses('if (process.env.DEBUG) {}').length, 1);
    assert.strictEqual(nodeOnlyUses('Buffer.from(text)').length, 1);
    assert.strictEqual(nodeOnlyUses('path.join(__dirname, "x")').length, 1);
    // Words in messages are not uses.
    assert.deepStrictEqual(nodeOnlyUses('"the node being processed"; // a global line. process it'), []);
  });

  it('requires nothing but vscode and uses no Node global', async () => {
    const source = fs.readFileSync(await bundlePath(), 'utf8');
    assert.match(source, /require\(["']vscode["']\)/, 'the bundle should require vscode (is it the extension?)');
    assert.deepStrictEqual(nodeOnlyUses(source), [], 'the web extension would fail in a web worker');
  });
});
