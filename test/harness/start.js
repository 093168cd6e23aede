'use strict';
// `npm start`: the real VS Code in the browser with examples/ open and this extension loaded
// from the repository (as F5 would), at a loopback URL. Runs until Ctrl-C, then stops everything.
// `npm start` builds first; `npm run watch` in another terminal rebuilds on change (reload the page).
const fs = require('fs');
const paths = require('./paths');
const { startCodeServer } = require('./server');
const path = require('path');
const { stopAll, isStopping } = require('./processes');

async function main() {
  const folder = process.argv[2] || paths.examplesDir;
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist`);
  const server = await startCodeServer({ folder });
  const url = server.workbenchUrl([['extensionDevelopmentPath', server.remoteUri(paths.repoRoot)]]);
  console.log(
    `\nGradient Lens is running in VS Code (code-server) with ${path.relative(process.cwd(), folder) || folder}/ open:\n`,
  );
  console.log(`    ${url}\n`);
  console.log(`Open it in a browser on this machine. Server log: ${server.logFile}`);
  console.log('Press Ctrl-C to stop.');
  server.child.on('exit', (code) => {
    if (isStopping()) return;
    console.error(`code-server exited (${code}); see ${server.logFile}`);
    process.exit(1);
  });
}

main().catch(async (err) => {
  console.error(err.stack || err);
  await stopAll();
  process.exit(1);
});
