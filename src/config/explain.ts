import path from 'node:path';
import { joinPointer, pointerToPath, type Origin } from './problems.js';

/**
 * The effective configuration, one value a line, each with the file and line it came from
 * (or "default"), so a school can see what its trust's file decided for it.
 */
export function explainConfig(config: unknown, origins: Map<string, Origin>, cwd = process.cwd()): string {
  const rows: [string, string, string][] = [];
  const walk = (value: unknown, pointer: string) => {
    const isLeafArray = Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null);
    if (value && typeof value === 'object' && !isLeafArray && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) walk(v, joinPointer(pointer, k));
      return;
    }
    const o = origins.get(pointer);
    const from = o ? `${path.relative(cwd, o.file) || o.file}:${o.line}` : 'default';
    // Paths were made absolute when loaded; shown relative they read as the school wrote them.
    const shown = typeof value === 'string' && path.isAbsolute(value) ? path.relative(cwd, value) || '.' : value;
    rows.push([pointerToPath(pointer), JSON.stringify(shown), from]);
  };
  walk(config, '');
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.min(60, Math.max(...rows.map((r) => r[1].length)));
  return rows.map(([p, v, f]) => `${p.padEnd(w0)}  ${v.padEnd(w1)}  # ${f}`).join('\n') + '\n';
}
