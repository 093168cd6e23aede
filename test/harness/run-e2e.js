'use strict';
// Tier 3: UI end-to-end tests. Packages the VSIX, installs it into a fresh extensions folder with
// code-server's CLI, starts the real VS Code on a copy of the fixture workspace, and runs the
// mocha specs in out/test/e2e/, which drive Chromium through playwright-core.
const fs = require('fs');
const path = require('path');
const paths = require('./paths');
const { startCodeServer, installExtension } = require('./server');
const { runMocha } = require('./mocha');
const { run, makeTempDir } = require('./processes');
const { copyFixtureWorkspace } = require('./workspace');
const { chromiumPath } = require('./browser');
const { artifactsFor } = require('./artifacts');

/**
 * Workspace settings of the second window (test/e2e/web.test.ts): the same installed VSIX runs in
 * the browser's web worker extension host, from its `browser` entry, as in VS Code for the Web.
 * code-server prefers its Node host for an extension with a `main`; `remote.extensionKind` (a
 * user/workspace setting VS Code reads when it picks a host) lets it run only as "web".
 */
function webWorkerSettings() {
  const { publisher, name } = JSON.parse(fs.readFileSync(path.join(paths.repoRoot, 'package.json'), 'utf8'));
  return { 'remote.extensionKind': { [`${publisher}.${name}`]: ['web'] } };
}

/**
 * `npm run package`, the VSIX a user installs, written to `outDir` (not the repository root, so
 * that runs at the same time do not overwrite each other's package).
 */
async function packageVsix(outDir) {
  if (process.env.GRADIENT_LENS_E2E_VSIX) return path.resolve(process.env.GRADIENT_LENS_E2E_VSIX);
  const { name, version } = JSON.parse(fs.readFileSync(path.join(paths.repoRoot, 'package.json'), 'utf8'));
  const vsix = path.join(outDir, `${name}-${version}.vsix`);
  console.log('[tier 3] npm run package');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { code, output } = await run(npm, ['run', 'package', '--', '--out', vsix], {
    cwd: paths.repoRoot,
    capture: true,
  });
  if (code !== 0 || !fs.existsSync(vsix))
    throw new Error(`npm run package failed (exit ${code}):\n${output.slice(-4000)}`);
  return vsix;
}

/**
 * @param {{ grep?: string }} [options]
 * @returns {Promise<number>} exit code
 */
async function runE2e(options = {}) {
  console.log('\n[tier 3] UI end-to-end tests: the packaged VSIX in the real VS Code, driven by Chromium');
  chromiumPath(); // fail early and clearly when Chromium is missing
  const artifacts = artifactsFor('e2e');
  const outDir = artifacts.dir;
  const work = makeTempDir('e2e-work');
  const vsix = await packageVsix(work);
  const extensionsDir = path.join(work, 'extensions');
  await installExtension(vsix, extensionsDir);
  console.log(`[tier 3] installed ${path.basename(vsix)} with code-server --install-extension`);

  const folder = copyFixtureWorkspace();
  const webFolder = copyFixtureWorkspace({ settings: webWorkerSettings() });
  const server = await startCodeServer({ folder, extensionsDir, logFile: path.join(outDir, 'code-server.log') });
  const env = {
    ...process.env,
    GRADIENT_LENS_E2E_URL: server.workbenchUrl(),
    GRADIENT_LENS_E2E_WORKSPACE: folder,
    GRADIENT_LENS_E2E_WEB_URL: `${server.origin}/?folder=${encodeURIComponent(webFolder)}`,
    GRADIENT_LENS_E2E_WEB_WORKSPACE: webFolder,
    GRADIENT_LENS_E2E_SCREENSHOTS: outDir,
  };
  const args = [
    '--no-config',
    '--reporter',
    'spec',
    '--timeout',
    '120000',
    '--slow',
    '15000',
    path.join('out', 'test', 'e2e', '**', '*.test.js'),
  ];
  if (options.grep) args.push('--grep', options.grep);
  try {
    return await runMocha(args, { env, name: 'tier 3', allowEmpty: Boolean(options.grep) });
  } finally {
    await server.stop();
    console.log(`[tier 3] screenshots in ${path.relative(process.cwd(), artifacts.publish())}/`);
  }
}

module.exports = { runE2e };
