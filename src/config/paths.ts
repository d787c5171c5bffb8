// The files and folders a configuration names, checked when it is loaded so `rollcall validate` points at the
// line that names a missing export or match file. Warnings, not errors: an export is often written by an earlier
// step of the same job (or only on the machine that runs the plan), so its absence at validate time is not
// always a mistake; reading it at plan time fails with its own error.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './load.js';
import type { Origin, Problem } from './problems.js';

type Kind = 'folder' | 'file';

interface Expected { pointer: string; at: string; kind: Kind; value: string }

/** What the configuration names, where each is written (`at`: the pointer whose line to show). */
function expected(config: Config, origins: Map<string, Origin>): Expected[] {
  const out: Expected[] = [];
  const add = (pointer: string, kind: Kind, value: string | undefined, at = pointer) => { if (value) out.push({ pointer, at, kind, value }); };
  const s = config.source;
  add('/source/oneroster/dir', 'folder', s.oneroster?.dir);
  if (s.oneroster?.dir) add('/source/oneroster/dir', 'file', path.join(s.oneroster.dir, 'manifest.csv'));
  add('/source/sds/dir', 'folder', s.sds?.dir);
  add('/source/csv/dir', 'folder', s.csv?.dir);
  if (s.csv?.dir && config.users.students?.enabled !== false) {
    // A file name the school did not write is shown at the folder's line.
    const written = origins.has('/source/csv/files/students');
    add('/source/csv/files/students', 'file', path.resolve(s.csv.dir, s.csv.files.students), written ? '/source/csv/files/students' : '/source/csv/dir');
  }
  if (config.tenant.graph?.auth === 'certificate') add('/tenant/graph/certificatePath', 'file', config.tenant.graph.certificatePath);
  add('/users/manualMatches', 'file', config.users.manualMatches);
  if (config.classes?.from.length) add('/classes/matches', 'file', config.classes.matches);
  return out;
}

async function kindOf(p: string): Promise<Kind | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

export async function pathProblems(config: Config, origins: Map<string, Origin>, file: string, cwd = process.cwd()): Promise<Problem[]> {
  const out: Problem[] = [];
  const missingFolders = new Set<string>();
  for (const e of expected(config, origins)) {
    // A missing folder is reported once, not again for each file it should hold.
    if ([...missingFolders].some((f) => e.value.startsWith(`${f}${path.sep}`))) continue;
    const found = await kindOf(e.value);
    if (found === e.kind) continue;
    if (found === 'missing' && e.kind === 'folder') missingFolders.add(e.value);
    const shown = path.relative(cwd, e.value) || e.value;
    const message = found === 'missing' ? `no such ${e.kind}: ${shown}` : `${shown} is a ${found}, not a ${e.kind}`;
    const o = origins.get(e.at) ?? origins.get(e.at.slice(0, e.at.lastIndexOf('/'))) ?? { file, line: 1, col: 1 };
    out.push({ file: o.file, line: o.line, col: o.col, path: e.pointer.split('/').slice(1).join('.'), message, severity: 'warning' });
  }
  return out;
}
