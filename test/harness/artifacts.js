'use strict';
// Where a tier writes its logs, results and screenshots while it runs: a private temp folder,
// published to test-results/<tier>/ when the tier ends. Two runs at once in one checkout (several
// people share one here) then never read each other's results file or delete each other's files.
const fs = require('fs');
const path = require('path');
const { resultsDir } = require('./paths');
const { makeTempDir } = require('./processes');

/** @returns {{ dir: string, publish: () => string }} `publish` returns the final folder. */
function artifactsFor(tier) {
  const dir = makeTempDir(tier);
  const publish = () => {
    const target = path.join(resultsDir, tier);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    fs.cpSync(dir, target, { recursive: true });
    return target;
  };
  return { dir, publish };
}

module.exports = { artifactsFor };
