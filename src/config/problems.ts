import path from 'node:path';

/** Where a value came from: the file and the position of its key and of its value. */
export interface Origin {
  file: string;
  line: number;
  col: number;
  keyLine?: number;
  keyCol?: number;
}

/** One thing wrong with a configuration, reported as `file:line:col  path  message`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Dotted path inside the config (`users.students.userPrincipalName`), or '' for the file as a whole. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: Problem, cwd = process.cwd()): string {
  const file = path.relative(cwd, p.file) || p.file;
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${file}:${p.line}:${p.col}  ${p.path || '(file)'}  ${tag}${p.message}`;
}

/** `/users/match/0` → `users.match[0]` */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

export function joinPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
