// ESLint's flat config: the recommended rules of ESLint and typescript-eslint (as the
// vscode-extension-samples use them), plus the import boundaries that keep the layering of
// README's "How it is built" true: each folder below names what it may import, and
// test/unit/build/lintBoundaries.test.ts feeds each boundary a file that breaks it.
// Formatting is Prettier's (.prettierrc.json); `npm run lint` runs both.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_AND_JS = '*.{ts,tsx,mts,cts,js,mjs,cjs}';

/** `fs`, `node:fs`, `fs/promises`, …: nothing that runs in a browser or a web worker may import them. */
const NODE_BUILTINS = {
  regex: `^(node:.*|(${builtinModules.map(escapeRegex).join('|')})(/.*)?)$`,
  caseSensitive: true,
};

/** The ways a module reaches the extension host's API: `vscode` and everything under src/host/. */
const vscode = (why) => ({
  regex: '^vscode$',
  caseSensitive: true,
  message: `\`vscode\` only in src/host/ and src/extension.ts: ${why}`,
});
const host = (why) => ({
  regex: '^(\\.\\./)+(host|extension)(/|$)',
  caseSensitive: true,
  message: `not the host (src/host/, src/extension.ts): ${why}`,
});

export default defineConfig([
  globalIgnores([
    'dist/',
    'out/',
    '.vscode-test/',
    'test-results/',
    'media/',
    '**/*.vsix',
    // Sample user code: the tests depend on its exact lines, and it is not ours to lint.
    'test/fixtures/',
    'examples/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Control characters in regular expressions are deliberate here: the CLI's reports escape
      // them before they reach a terminal, and the tests match ANSI colours.
      'no-control-regex': 'off',
      // `_`-prefixed names say "unused on purpose" (tsc's noUnusedParameters agrees).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain CommonJS scripts run by Node: the harness and the build script.
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },

  // ---- Import boundaries -----------------------------------------------------------------------
  // Each file gets exactly one of the blocks below (a later block replaces an earlier one's
  // options), so each block states the whole boundary of its folder.

  // Everything under src/ except the host: no `vscode`. (The CLI runs in plain Node.)
  restrict(['src/**/' + TS_AND_JS], [vscode('everything else runs without the editor')], {
    ignores: ['src/host/**', 'src/extension.ts'],
  }),

  // engine/: the autodiff engine imports nothing outside itself (no Node, no packages, no src/).
  ...insideOnly(
    'engine',
    [],
    'engine/ imports nothing outside engine/: it is built alone as dist/engine.js and runs anywhere',
  ),

  // src/core/: the @grad language imports only engine/ and itself; it runs in the CLI, in Node and
  // in the web worker extension host, so no Node built-ins either.
  ...insideOnly(
    'src/core',
    ['engine'],
    'src/core/ imports only engine/ and itself: it runs in Node, the CLI and a web worker',
  ),

  // src/trace/: trace mode's runner (Node: child_process, fs, os). It runs in the desktop extension
  // host and the CLI, never in the web build; it imports the core, the engine, Node and itself.
  ...insideOnly(
    'src/trace',
    ['src/core', 'engine'],
    'src/trace/ imports only engine/, src/core/, Node built-ins and itself: the host and the CLI both run it',
    `(node:.*|(${builtinModules.map(escapeRegex).join('|')})(/.*)?)$`,
  ),

  // src/tracer/node/: the Node tracer, bundled alone as dist/tracer/node.js and run inside the
  // user's program: Node built-ins, sucrase (bundled) and the runner's protocol (types) only.
  ...insideOnly(
    'src/tracer/node',
    ['src/trace/protocol'],
    "src/tracer/node/ imports only Node built-ins, sucrase and src/trace/protocol: it runs inside the user's program",
    `(node:.*|(${builtinModules.map(escapeRegex).join('|')})(/.*)?|sucrase)$`,
  ),

  // src/shared/: the webview's wire format, checked on both sides; imports nothing outside itself.
  ...insideOnly('src/shared', [], 'src/shared/ imports nothing outside src/shared/: both sides of the webview use it'),

  // src/graph/, src/text/: pure, run anywhere (the panel and the webview, Node and web worker).
  restrict(
    ['src/graph/**/' + TS_AND_JS, 'src/text/**/' + TS_AND_JS],
    [
      vscode('the graph model and the text builders are pure'),
      host('the graph model and the text builders are pure'),
      { ...NODE_BUILTINS, message: 'no Node built-ins: the graph model and the text builders run in a browser too' },
    ],
  ),

  // src/webview/: a browser page and its worker. Type-only imports of the core are fine (they
  // vanish at build time); a run-time import would bundle the analysis into the page.
  restrict(
    ['src/webview/**/' + TS_AND_JS],
    [
      vscode('the webview is a browser page'),
      host('the webview is a browser page; it talks to the host through src/shared/protocol.ts'),
      {
        regex: '^(\\.\\./)+core(/|$)',
        caseSensitive: true,
        allowTypeImports: true,
        message: 'the webview imports the core for types only (`import type`): it draws what src/shared/ carries',
      },
      { ...NODE_BUILTINS, message: 'no Node built-ins: the webview is a browser page' },
    ],
  ),
]);

/** One `@typescript-eslint/no-restricted-imports` block for `files`. */
function restrict(files, patterns, extra = {}) {
  return {
    files,
    ...extra,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

/**
 * "Files in `folder` import only from `folder` and the repo-relative `allowed` folders": every
 * import that is not a relative path staying inside is an error. Import paths are text, not
 * resolved files, so how many `../` stay inside depends on how deep the importing file sits:
 * one block per depth (the folders are flat today; four levels of subfolders are covered).
 * `alsoAllowed`: a regex (without its leading ^) of other imports allowed, e.g. Node's built-ins.
 */
function insideOnly(folder, allowed, message, alsoAllowed) {
  const folderDepth = folder.split('/').length;
  const blocks = [];
  for (let depth = 0; depth <= 4; depth++) {
    // `.`, `./x`; and below the top, `..`, `../x`, … up to `depth` levels up and no further.
    const here = '\\.(/|$)';
    const inside = depth === 0 ? here : `${here}|(\\.\\./){0,${depth - 1}}\\.\\.(/(?!\\.\\.(/|$))|$)`;
    const others = allowed.map((other) => {
      // Relative to the file: up to the folders both paths share, then down (`../core` from src/trace/).
      const shared = sharedSegments(folder, other);
      const down = other.split('/').slice(shared).join('/');
      return `(\\.\\./){${folderDepth - shared + depth}}${escapeRegex(down)}(/|$)`;
    });
    const ok = [inside, ...others, ...(alsoAllowed ? [alsoAllowed] : [])].join('|');
    blocks.push(
      restrict(
        [`${folder}/${'*/'.repeat(depth)}${TS_AND_JS}`],
        [{ regex: `^(?!(${ok}))`, caseSensitive: true, message }],
      ),
    );
  }
  return blocks;
}

/** How many leading path segments `a` and `b` share ('src/trace' and 'src/core': 1). */
function sharedSegments(a, b) {
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return k;
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
