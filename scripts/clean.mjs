// Empties a build folder before tsc writes it: tsc never deletes, so a module moved or removed from src would
// otherwise linger in dist/lib (and in the package) from an earlier build.
//   node scripts/clean.mjs DIR…
import { rm } from 'node:fs/promises';

for (const dir of process.argv.slice(2)) await rm(dir, { recursive: true, force: true });
