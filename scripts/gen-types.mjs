// `npm run gen`: schema/rollcall.schema.json and src/config/types.generated.ts from scripts/schema/*.schema.ts.
// `--check` writes nothing and fails when a committed file differs from what would be generated (CI runs it).
import { build } from 'esbuild';
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';

const check = process.argv.includes('--check');

async function loadTs(entry) {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).default;
}

const targets = [];
const schema = await loadTs('scripts/schema/rollcall.schema.ts');
targets.push(['schema/rollcall.schema.json', JSON.stringify(schema, null, 2) + '\n']);
const types = await compile(schema, 'RollcallConfig', {
  bannerComment: '/* Generated from schema/rollcall.schema.json by `npm run gen`. Do not edit by hand. */',
  additionalProperties: false,
  strictIndexSignatures: true,
  format: true,
  style: { singleQuote: true, printWidth: 120 },
});
targets.push(['src/config/types.generated.ts', types]);

let stale = 0;
for (const [file, text] of targets) {
  const old = await readFile(file, 'utf8').catch(() => '');
  if (old === text) continue;
  if (check) {
    console.error(`${file} is stale: run \`npm run gen\` and commit the result`);
    stale++;
  } else {
    await writeFile(file, text);
    console.error(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
