// Builds every runtime's bundle, after the `yo code` esbuild recipe.
//   node esbuild.js               development build (source maps)
//   node esbuild.js --production  minified, no source maps (used by vscode:prepublish)
//   node esbuild.js --watch       rebuild on change
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * The web build's platform modules: `src/host/analysis/spawnWorker.ts` starts a worker_threads
 * thread on the desktop; the web build takes `spawnWorker.web.ts` (a Web Worker) in its place.
 * `src/host/trace/traceRunner.ts` runs the user's program through src/trace/ (child processes);
 * the web build takes `traceRunner.web.ts`, which says why tracing is unavailable there.
 */
const webPlatform = {
  name: 'web-platform',
  setup(build) {
    build.onResolve({ filter: /\/(spawnWorker|traceRunner)$/ }, (args) => ({
      path: path.join(args.resolveDir, path.dirname(args.path), `${path.basename(args.path)}.web.ts`),
    }));
  },
};

/** One entry per runtime: each has its own platform and format. */
const builds = [
  // The extension in desktop VS Code and code-server (Node extension host).
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  // The same extension in VS Code for the Web (web worker extension host): no Node built-ins.
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
    plugins: [webPlatform],
  },
  // The analysis worker, off the extension host's thread: worker_threads on the desktop, a Web Worker on the web.
  {
    ...common,
    entryPoints: ['src/worker/node.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
  },
  {
    ...common,
    entryPoints: ['src/worker/web.ts'],
    outfile: 'dist/web/analysisWorker.js',
    platform: 'browser',
    format: 'iife',
  },
  // The engine as a standalone CommonJS module, for use outside the editor.
  { ...common, entryPoints: ['engine/index.ts'], outfile: 'dist/engine.js', platform: 'node', format: 'cjs' },
  // The `gradlens` command line.
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  // The Node tracer, run by trace mode inside a child `node` with the user's program (sucrase bundled in).
  {
    ...common,
    entryPoints: ['src/tracer/node/main.ts'],
    outfile: 'dist/tracer/node.js',
    platform: 'node',
    format: 'cjs',
  },
  // The graph webview (browser, DOM).
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    tsconfig: 'src/webview/tsconfig.json',
  },
  // Its layout worker: Graphviz compiled to WebAssembly (embedded in the bundle), off the UI thread.
  {
    ...common,
    entryPoints: ['src/webview/layoutWorker.ts'],
    outfile: 'dist/layoutWorker.js',
    platform: 'browser',
    format: 'iife',
    tsconfig: 'src/webview/tsconfig.json',
  },
];

/**
 * The Python tracer runs inside the user's own interpreter, so it ships as the source file itself
 * (standard library only): copied, not bundled.
 */
const copies = [['src/tracer/python/gradlens_tracer.py', 'dist/tracer/gradlens_tracer.py']];

function copyFiles() {
  for (const [from, to] of copies) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

async function main() {
  copyFiles();
  if (watch) {
    for (const [from] of copies) fs.watchFile(from, { interval: 500 }, copyFiles);
    for (const options of builds) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    console.log('[watch] watching for changes');
    return;
  }
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
