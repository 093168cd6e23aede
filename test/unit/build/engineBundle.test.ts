// dist/engine.js is the engine as a standalone CommonJS module: require() it and use the ops by
// name. `npm test` builds it first (node esbuild.js). When it has not been built (a spec run on
// its own), the engine entry alone is bundled here with the same esbuild options, so the test
// still exercises a real bundle rather than the compiled sources.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../../..');
const DIST = path.join(ROOT, 'dist', 'engine.js');
const OPS = ['add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'relu', 'tanh'] as const;

async function bundlePath(): Promise<string> {
  if (fs.existsSync(DIST)) return DIST;
  const esbuild = await import('esbuild');
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gl-engine-')), 'engine.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'engine/index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  return outfile;
}

describe('engine bundle (dist/engine.js)', () => {
  it('loads with require() and exposes every op by name, Value, DomainError, gradcheck and the exports', async () => {
    const file = await bundlePath();
    const source = fs.readFileSync(file, 'utf8');
    assert.ok(!/require\(["']vscode["']\)/.test(source), 'the engine bundle must not need vscode');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require(file);
    for (const op of OPS) {
      assert.strictEqual(typeof engine[op], 'function', `${op} is exported`);
      assert.strictEqual(typeof engine.Value.prototype[op], 'function', `Value.prototype.${op}`);
    }
    for (const name of [
      'Value',
      'DomainError',
      'topoSort',
      'toGraph',
      'toDot',
      'gradcheck',
      'MLP',
      'Layer',
      'Neuron',
      'mulberry32',
    ]) {
      assert.strictEqual(typeof engine[name], 'function', `${name} is exported`);
    }
    const a = new engine.Value(-4, 'a');
    const g = engine.div(1, a).add(engine.sub(2, a)).tanh();
    g.backward();
    // g = tanh(1/a + (2 - a)) at a = -4: dg/da = (1 - tanh²(5.75)) · (-1/a² - 1)
    const expected = (1 - Math.tanh(5.75) ** 2) * (-1 / 16 - 1);
    assert.ok(Math.abs(a.grad - expected) <= 1e-12 * Math.abs(expected), `grad ${a.grad}, expected ${expected}`);
    assert.throws(
      () => engine.log(0),
      (err: Error) => err instanceof engine.DomainError && err instanceof RangeError,
    );
    assert.throws(() => a.pow(a), TypeError);
  });
});
