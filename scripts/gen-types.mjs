// `npm run gen`: schema/rollcall.schema.json and src/config/types.generated.ts from scripts/schema/*.schema.ts.
// `--check` writes nothing and fails when a committed file differs from what would be generated (CI runs it).
import { build } from 'esbuild';
import { compile } from 'json-schema-to-typescript';
import { readFile, writeFile } from 'node:fs/promises';

const check = process.argv.includes('--check');

async function loadTs(entry) {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const targets = [];
const schema = (await loadTs('scripts/schema/rollcall.schema.ts')).default;
// The loader's own rule for which values are always there once defaults are applied (src/config/defaults.ts).
const { resolvedSchema } = await loadTs('src/config/defaults.ts');
targets.push(['schema/rollcall.schema.json', JSON.stringify(schema, null, 2) + '\n']);
const options = {
  bannerComment: '/* Generated from schema/rollcall.schema.json by `npm run gen`. Do not edit by hand. */',
  additionalProperties: false,
  strictIndexSignatures: true,
  format: true,
  style: { singleQuote: true, printWidth: 120 },
};
// What a school writes (every default optional) …
targets.push(['src/config/types.generated.ts', await compile(schema, 'RollcallConfig', options)]);
// … and what `loadConfig` returns: every value with a default, and every section holding defaults, present.
const resolved = { ...resolvedSchema(schema), title: 'resolved rollcall configuration' };
targets.push(['src/config/resolved.generated.ts', await compile(resolved, 'ResolvedRollcallConfig', options)]);

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
