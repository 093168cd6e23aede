'use strict';
// Each tier opens its own copy of the fixture workspace, so a test that edits or saves a file (or
// writes workspace settings) can neither change the committed fixtures nor leak into the next tier.
const fs = require('fs');
const path = require('path');
const { fixtureWorkspace } = require('./paths');
const { makeTempDir } = require('./processes');

/**
 * Copies test/fixtures/workspace/ to a fresh temp folder, keeping its name ("workspace").
 * @param {{ settings?: Record<string, unknown> }} [options] `settings`: written as the copy's
 *   .vscode/settings.json (workspace settings of the window that opens it)
 */
function copyFixtureWorkspace({ settings } = {}) {
  const target = path.join(makeTempDir('fixture'), path.basename(fixtureWorkspace));
  fs.cpSync(fixtureWorkspace, target, { recursive: true });
  if (settings) {
    fs.mkdirSync(path.join(target, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(target, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  return target;
}

module.exports = { copyFixtureWorkspace };
