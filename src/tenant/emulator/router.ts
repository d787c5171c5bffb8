// Table-driven routing: each resource file exports Route[]; a path matches segment by segment, `{id}` captures.
import type { EmuRequest, Route } from './context.js';
import { GraphError, odataError } from './errors.js';

/** `teams('x')/operations('y')` and `users/x` both become [teams, x, operations, y]. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (!raw) continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw odataError(`Bad Request - Invalid URL: malformed percent-encoding in '${raw}'.`);
    }
    const key = /^([^(]+)\('?([^']*)'?\)$/.exec(seg);
    if (key) out.push(key[1], key[2]);
    else out.push(seg);
  }
  return out;
}

export class Router {
  private table: { route: Route; parts: string[] }[] = [];

  constructor(routes: Route[]) {
    for (const route of routes) this.table.push({ route, parts: route.pattern.split('/') });
    // A literal segment beats a placeholder (users/delta before users/{id}); otherwise table order.
    const holes = (p: string[]) => p.map((x) => (x === '{id}' ? '1' : '0')).join('');
    this.table.sort((a, b) => a.parts.length - b.parts.length || holes(a.parts).localeCompare(holes(b.parts)));
  }

  match(req: Pick<EmuRequest, 'method' | 'segments'>): { route: Route; ids: string[] } {
    let pathMatched = false;
    for (const { route, parts } of this.table) {
      if (parts.length !== req.segments.length) continue;
      const ids: string[] = [];
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        if (parts[i] === '{id}') ids.push(req.segments[i]);
        else ok = parts[i].toLowerCase() === req.segments[i].toLowerCase();
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === req.method) return { route, ids };
    }
    if (pathMatched) throw new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    const first = req.segments.find((s, i) => !this.table.some((t) => t.parts[i] !== undefined && (t.parts[i] === '{id}' || t.parts[i].toLowerCase() === s.toLowerCase())));
    throw odataError(`Resource not found for the segment '${first ?? req.segments[req.segments.length - 1] ?? ''}'.`);
  }
}
