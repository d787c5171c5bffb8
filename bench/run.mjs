// `npm run bench`: runs every bench/cases/*.mjs (each exports `name` and `async run()` returning figures),
// prints the figures as JSON and writes bench/results.json. Cases import the kit build in .kit/ (tsconfig.kit.json:
// the product and test/support/synth, compiled together), which `npm run bench` makes first; dist/lib has no kit.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const resultsFile = path.join(here, 'results.json');
// Running some cases keeps the figures of the others from the last run (each case's figures are its own).
// A missing or unreadable file starts afresh.
const earlier = only.length ? await readFile(resultsFile, 'utf8').then(JSON.parse).catch(() => ({})) : {};
const results = {
  ...earlier,
  machine: { cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()}-${os.arch()}` },
};
const files = (await readdir(path.join(here, 'cases'))).filter((f) => f.endsWith('.mjs')).sort();
const mods = await Promise.all(files.map((file) => import(pathToFileURL(path.join(here, 'cases', file)).href)));
// Cases that reuse another's figures (`uses`, e.g. naive and calendar use firstSync's run) go after the others.
mods.sort((a, b) => (a.uses ? 1 : 0) - (b.uses ? 1 : 0));
for (const mod of mods) {
  // A case may provide several figures at once (`provides`, run() returning them by name): firstSync and nightly
  // share one tenant. Cases get the results so far (naive compares itself with firstSync).
  const names = mod.provides ?? [mod.name];
  if (only.length && !names.some((n) => only.includes(n))) continue;
  process.stderr.write(`bench: ${names.join(', ')} …\n`);
  const figures = await mod.run(results);
  if (mod.provides) Object.assign(results, figures);
  else results[mod.name] = figures;
  for (const n of names) process.stdout.write(JSON.stringify({ [n]: results[n] }) + '\n');
}
await writeFile(resultsFile, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
