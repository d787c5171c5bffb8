// The product and its test kit apart: the synthetic school, the Bromcom SOAP emulator, the planner's and the
// emulator's test helpers and the sample plan live under test/support. Nothing in src/ outside its *.test.ts files may
// import them (or anything else outside src/), and neither dist/lib nor the package carries them. `npm test` builds
// dist/lib first (pretest); `npm run build` cleans it, so a module moved out of src/ cannot linger there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const LIB = path.join(ROOT, 'dist/lib');
/** The kit's file and folder names: none may appear in the product. */
const KIT_NAME = /(^|\/)(synth|testkit|sample-plan|[a-z-]+-kit)(\/|\.|$)/;

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

const productSources = () => files(SRC).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** Every module specifier in a TypeScript file: static imports and re-exports, dynamic import(), require(). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

describe('the product (src/, without its tests) imports no test kit', () => {
  it('every relative import of a product module resolves to another product module under src/', () => {
    const bad: string[] = [];
    const sources = productSources();
    expect(sources.length).toBeGreaterThan(100);
    for (const f of sources) {
      for (const spec of specifiers(readFileSync(path.join(SRC, f), 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(SRC, path.resolve(path.dirname(path.join(SRC, f)), spec)).split(path.sep).join('/');
        const ts = target.replace(/\.js$/, '.ts');
        if (target.startsWith('..') || KIT_NAME.test(target) || /\.test\.[jt]s$/.test(target)) bad.push(`src/${f} imports ${spec}`);
        else if (target.endsWith('.js') && !existsSync(path.join(SRC, ts))) bad.push(`src/${f} imports ${spec}, which is not a product module`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no product module imports a test runner, and none is named like the kit', () => {
    const bad: string[] = [];
    for (const f of productSources()) {
      if (KIT_NAME.test(f)) bad.push(`src/${f} is named like test kit`);
      if (specifiers(readFileSync(path.join(SRC, f), 'utf8')).some((s) => s === 'vitest' || s.startsWith('vitest/') || s === 'saxes')) bad.push(`src/${f} imports a test-only package`);
    }
    expect(bad).toEqual([]);
  });
});

describe('dist/lib and the package carry no test kit', () => {
  it('every file under dist/lib is built from a product module or is one of its run-time assets', () => {
    const built = files(LIB);
    expect(built).toContain('cli/main.js');
    const strays = built.filter((f) => {
      if (KIT_NAME.test(f)) return true;
      const source = f.replace(/\.js\.map$/, '.ts').replace(/\.js$/, '.ts');
      return !existsSync(path.join(SRC, source)) || source.endsWith('.test.ts');
    });
    expect(strays).toEqual([]);
    // Source maps name the file each module was compiled from: all of them under src/.
    const mapSources = built.filter((f) => f.endsWith('.js.map'))
      .flatMap((f) => (JSON.parse(readFileSync(path.join(LIB, f), 'utf8')).sources as string[]).map((s) => path.relative(ROOT, path.resolve(path.dirname(path.join(LIB, f)), s)).split(path.sep).join('/')));
    expect(mapSources.length).toBeGreaterThan(100);
    expect(mapSources.filter((s) => !s.startsWith('src/'))).toEqual([]);
  });

  it('`npm pack --dry-run` lists no kit file', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const listed = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(listed).toContain('dist/lib/cli/main.js');
    expect(listed.filter((f) => KIT_NAME.test(f) || f.startsWith('test/') || f.startsWith('bench/') || f.startsWith('.kit/'))).toEqual([]);
  });
});
