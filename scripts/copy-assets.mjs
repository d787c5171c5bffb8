// tsc compiles only TypeScript; files the code reads at run time (WSDL, generated JSON) are copied beside it.
//   node scripts/copy-assets.mjs [OUT]   copy src/**/*.{wsdl,json,xml,xsd} to OUT (default dist/lib) in src's layout
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';

const out = process.argv[2] ?? 'dist/lib';
const ASSET = /\.(wsdl|json|xml|xsd)$/;
async function walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(from);
    else if (ASSET.test(entry.name)) await cp(from, path.join(out, path.relative('src', from)));
  }
}
await walk('src');
