'use strict';
// Where the harness finds the repository, its cache of real VS Code, and its outputs.
// One place, so every script agrees on them.
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..');
/** The gitignored cache, named like @vscode/test-electron's (GRADIENT_LENS_CACHE_DIR moves it, e.g. for a CI cache). */
const cacheDir = path.resolve(process.env.GRADIENT_LENS_CACHE_DIR || path.join(repoRoot, '.vscode-test'));
/** Screenshots, result files, logs: gitignored. */
const resultsDir = path.join(repoRoot, 'test-results');
const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
const examplesDir = path.join(repoRoot, 'examples');
/** The compiled mocha runner that VS Code loads into the extension host (from test/suite/index.ts). */
const suiteEntry = path.join(repoRoot, 'out', 'test', 'suite', 'index');
/** Mocha specs of the UI tier (from test/e2e/*.test.ts). */
const e2eSpecDir = path.join(repoRoot, 'out', 'test', 'e2e');

module.exports = { repoRoot, cacheDir, resultsDir, fixtureWorkspace, examplesDir, suiteEntry, e2eSpecDir };
