// `npm run test:electron`: the same extension-host suite (test/suite/) in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code. (Here and in CI, where that
// download is unreachable, `npm run test:editor` runs the suite in code-server instead.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A copy of the fixture workspace, so that tests which edit files leave the committed ones alone. */
function copyFixtureWorkspace(): string {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-fixture-')), 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), target, { recursive: true });
  return target;
}

async function main(): Promise<void> {
  const grepIndex = process.argv.indexOf('--grep');
  const grep = grepIndex >= 0 ? process.argv[grepIndex + 1] : undefined;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-electron-user-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'chat.disableAIFeatures': true,
      'security.workspace.trust.enabled': false,
    }),
  );
  const exitCode = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index'),
    launchArgs: [
      copyFixtureWorkspace(),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir',
      userDataDir,
    ],
    extensionTestsEnv: {
      GRADIENT_LENS_TEST_RESULTS: path.join(repoRoot, 'test-results', 'electron', 'results.jsonl'),
      ...(grep ? { GRADIENT_LENS_TEST_GREP: grep } : {}),
    },
  });
  process.exit(exitCode);
}

main().catch((err) => {
  console.error(
    'The extension-host tests failed to run in desktop VS Code (where it cannot be downloaded, use `npm run test:editor`):',
    err,
  );
  process.exit(1);
});
