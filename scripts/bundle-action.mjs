#!/usr/bin/env node
// Bundles the GitHub Action (src/action/main.ts) into dist/index.js, ESM with every dependency, and copies the files
// the code reads at run time into dist/assets/ in the repository's layout. The Graph emulator (tenant.local) and its
// certificate chain (selfsigned, asn1) are a separate entry, dist/emulator.js, loaded by a dynamic import only when a
// run asks for the local tenant; code both share sits in dist/chunk-<hash>.js. A school's Action against a real
// tenant never loads the emulator. The bundle is dist/ except tsc's dist/lib: index.js, emulator.js, the chunks,
// package.json and assets/.
//   node scripts/bundle-action.mjs           rebuild the bundle in dist/
//   node scripts/bundle-action.mjs --check   rebuild into a temporary folder; fail if any committed bundle file differs
//   node scripts/bundle-action.mjs --out DIR  build into DIR (tests)
//   node scripts/bundle-action.mjs --metafile FILE  also write esbuild's metafile (inputs of each output) to FILE
//   node scripts/bundle-action.mjs --from-git REV  build from the committed tree at REV (git archive), not the
//     working tree, and write dist/ here: what a clean clone's --check will rebuild, whatever is uncommitted.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const outArg = args.indexOf('--out');
const fromGit = args.indexOf('--from-git');
const metaArg = args.indexOf('--metafile');

/** The bundle's files, relative to dist/: everything this script writes there, that is all but tsc's lib/. */
const isBundleFile = (rel) => rel !== 'lib' && !rel.startsWith('lib/');

if (fromGit >= 0) {
  const { execFileSync } = await import('node:child_process');
  const { symlink } = await import('node:fs/promises');
  const rev = args[fromGit + 1] ?? 'HEAD';
  const tree = await mkdtemp(path.join(tmpdir(), 'rollcall-bundle-tree-'));
  try {
    execFileSync('sh', ['-c', `git archive --format=tar ${JSON.stringify(rev)} | tar -x -C ${JSON.stringify(tree)}`], { cwd: root, stdio: 'inherit' });
    await symlink(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
    execFileSync(process.execPath, [path.join(tree, 'scripts/bundle-action.mjs'), '--out', path.join(root, 'dist')], { cwd: tree, stdio: 'inherit' });
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
  process.exit(0);
}

// Files read with new URL(…, import.meta.url) or readFileSync at run time: the same rule as copy-assets.mjs, plus
// the config schema. They ship beside the bundle under dist/assets/<path in the repository>.
const ASSET = /\.(wsdl|json|xml|xsd)$/;
async function assetFiles() {
  const out = [];
  async function walk(dir) {
    for (const e of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) await walk(rel);
      else if (ASSET.test(e.name) && !/\.test\./.test(e.name) && !rel.includes('__snapshots__')) out.push(rel);
    }
  }
  await walk('src');
  out.push('schema/rollcall.schema.json', 'schema/plan.schema.json');
  return out.sort();
}

/**
 * Modules find their files relative to their own location (`new URL('./x.json', import.meta.url)`). In one bundle
 * every module shares dist/index.js's URL, so each module's import.meta.url is rewritten to where it would sit
 * under dist/assets/, beside its files. `createRequire(import.meta.url)` becomes the bundler's own require, so
 * CommonJS packages loaded that way are bundled rather than looked up in a node_modules the runner does not have.
 */
const relocate = {
  name: 'relocate-import-meta',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      const rel = path.relative(root, args.path).split(path.sep).join('/');
      text = text.replace(/const require = createRequire\(import\.meta\.url\);/g, '');
      if (text.includes('import.meta.url')) {
        text = text.replace(/import\.meta\.url/g, `new URL(${JSON.stringify(`./assets/${rel}`)}, import.meta.url).href`);
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

/**
 * sodium-native is a native addon (a prebuilt .node file per platform), reached through the EFF word list's
 * secure sampler, which uses only its randombytes_buf. A single-file action cannot carry the addon, so the
 * bundle gives it Node's own CSPRNG instead: the same uniform bytes, no native code.
 */
const nativeShims = {
  name: 'native-shims',
  setup(b) {
    b.onResolve({ filter: /^sodium-native$/ }, () => ({ path: 'sodium-native', namespace: 'rollcall-shim' }));
    b.onLoad({ filter: /.*/, namespace: 'rollcall-shim' }, () => ({
      contents: "const { randomFillSync } = require('node:crypto'); module.exports = { randombytes_buf: (buf) => { randomFillSync(buf); } };",
      loader: 'js',
    }));
  },
};

async function bundle(outDir) {
  await mkdir(outDir, { recursive: true });
  // Chunk names carry a content hash: an earlier build's chunks would linger beside the new ones.
  for (const e of await readdir(outDir)) if (isBundleFile(e)) await rm(path.join(outDir, e), { recursive: true, force: true });
  const result = await build({
    // The emulator is its own entry so that src/tenant/index.ts's `import('./emulator/index.js')` becomes
    // `import('./emulator.js')`: split out of index.js, and named for what it is.
    entryPoints: { index: path.join(root, 'src/action/main.ts'), emulator: path.join(root, 'src/tenant/emulator/index.ts') },
    outdir: outDir,
    entryNames: '[name]',
    // Beside index.js, not in a subfolder: relocate (above) points each module's import.meta.url at ./assets/….
    chunkNames: 'chunk-[hash]',
    splitting: true,
    metafile: metaArg >= 0,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Some CommonJS dependencies call require() for Node built-ins; ESM output needs a require to hand them.
    banner: { js: "import { createRequire as __rollcallCreateRequire } from 'node:module'; const require = __rollcallCreateRequire(import.meta.url);" },
    legalComments: 'none',
    minify: true,
    keepNames: true,
    logLevel: 'warning',
    absWorkingDir: root,
    plugins: [relocate, nativeShims],
  });
  // The bundle is ESM: say so beside it, so Node never has to guess from the syntax (or from a package.json above).
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  await rm(path.join(outDir, 'assets'), { recursive: true, force: true });
  for (const rel of await assetFiles()) {
    await mkdir(path.dirname(path.join(outDir, 'assets', rel)), { recursive: true });
    await cp(path.join(root, rel), path.join(outDir, 'assets', rel));
  }
  if (metaArg >= 0) await writeFile(path.resolve(args[metaArg + 1]), JSON.stringify(result.metafile));
}

async function listTree(dir) {
  const out = [];
  async function walk(d) {
    let entries;
    try { entries = await readdir(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  }
  await walk(dir);
  return out.sort();
}

if (check) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'rollcall-bundle-'));
  try {
    await bundle(tmp);
    const fresh = (await listTree(tmp)).filter(isBundleFile);
    const committed = (await listTree(path.join(root, 'dist'))).filter(isBundleFile);
    const stale = [];
    if (fresh.join('\n') !== committed.join('\n')) stale.push('the list of files');
    for (const f of fresh) {
      const a = await readFile(path.join(tmp, f));
      const b = await readFile(path.join(root, 'dist', f)).catch(() => undefined);
      if (!b || !a.equals(b)) stale.push(`dist/${f}`);
    }
    if (stale.length) {
      console.error(`dist/ is stale (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run node scripts/bundle-action.mjs (in a working tree shared with uncommitted work: --from-git HEAD) and commit dist/`);
      process.exit(1);
    }
    console.log(`dist/ (${fresh.filter((f) => f.endsWith('.js')).join(', ')}, package.json, assets/) matches the sources`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
} else {
  const out = outArg >= 0 ? path.resolve(args[outArg + 1]) : path.join(root, 'dist');
  await bundle(out);
  console.log(`bundled ${path.relative(process.cwd(), path.join(out, 'index.js')) || 'index.js'}`);
}
