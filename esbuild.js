// Builds every runtime's bundle, after the `yo code` esbuild recipe.
//   node esbuild.js               development build (source maps)
//   node esbuild.js --production  minified, no source maps (used by vscode:prepublish)
//   node esbuild.js --watch       rebuild on change
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

/** One entry per runtime: each has its own platform and format. */
const builds = [
  // The extension in desktop VS Code and code-server (Node extension host).
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The same extension in VS Code for the Web (web worker extension host): no Node built-ins.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] },
  // The engine as a standalone CommonJS module, for use outside the editor.
  { ...common, entryPoints: ['engine/index.ts'], outfile: 'dist/engine.js', platform: 'node', format: 'cjs' },
  // The `gradlens` command line.
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', banner: { js: '#!/usr/bin/env node' } },
  // The graph webview (browser, DOM).
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', tsconfig: 'src/webview/tsconfig.json' },
  // Its layout worker: Graphviz compiled to WebAssembly (embedded in the bundle), off the UI thread.
  { ...common, entryPoints: ['src/webview/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', platform: 'browser', format: 'iife', tsconfig: 'src/webview/tsconfig.json' },
];

async function main() {
  if (watch) {
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
