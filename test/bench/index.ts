// `npm run bench`: runs every bench section in turn and prints its lines. A section is an async
// function returning the lines to print (see timing.ts); add one with an import and a line below.
import { engineBench } from './engine';
import { coreBench } from './core';
import { graphBench } from './graph';
import { extensionBench } from './extension';
import { hostileBench } from './hostile';
import { traceBench } from './trace';
import type { BenchSection } from './timing';

const sections: [string, BenchSection][] = [
  ['engine', engineBench],
  ['core', coreBench],
  ['graph webview', graphBench],
  ['extension (after an edit)', extensionBench],
  ['hostile inputs', hostileBench],
  ['trace mode', traceBench],
];

async function main(): Promise<void> {
  console.log(`Gradient Lens bench (Node ${process.version}); times are medians after warm-up.\n`);
  // `node out/test/bench/index.js engine` runs only the sections whose name contains an argument.
  const only = process.argv.slice(2);
  for (const [name, section] of sections) {
    if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
    console.log(`== ${name} ==`);
    for (const line of await section()) console.log(line);
    console.log('');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
