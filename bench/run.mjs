// `npm run bench`: runs every bench/cases/*.mjs (each exports `name` and `async run()` returning figures),
// prints the figures as JSON and writes bench/results.json. Cases import the built code from dist/lib.
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const results = {
  machine: { cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()}-${os.arch()}` },
};
const files = (await readdir(path.join(here, 'cases'))).filter((f) => f.endsWith('.mjs')).sort();
for (const file of files) {
  const mod = await import(pathToFileURL(path.join(here, 'cases', file)).href);
  if (only.length && !only.includes(mod.name)) continue;
  process.stderr.write(`bench: ${mod.name} …\n`);
  results[mod.name] = await mod.run();
  process.stdout.write(JSON.stringify({ [mod.name]: results[mod.name] }) + '\n');
}
await writeFile(path.join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
