import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { SourceError } from '../errors.js';
import type { ManualMatch } from '../plan/match.js';

const MIS_ID = /^(student|staff):\S+$/;

/** `misId,userPrincipalName` rows; any bad row fails the whole file, naming its line (a half-read file guesses). */
export function parseManualMatches(text: string, file: string): ManualMatch[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, comment: '#', relax_column_count: false });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new SourceError(`${file}:${e.lines ?? '?'}: ${e.message}`, { file, line: e.lines });
  }
  const [header, ...body] = rows;
  if (!header || header[0] !== 'misId' || header[1] !== 'userPrincipalName') {
    throw new SourceError(`${file}:1: the first line must be the header misId,userPrincipalName`, { file, line: 1 });
  }
  const seen = new Map<string, number>();
  return body.map((r, i) => {
    const line = i + 2;
    const [misId, upn] = r;
    if (!MIS_ID.test(misId)) throw new SourceError(`${file}:${line}: "${misId}" is not a MIS id; write student:<id> or staff:<id>`, { file, line });
    if (!/^[^@\s]+@[^@\s]+$/.test(upn)) throw new SourceError(`${file}:${line}: "${upn}" is not an address`, { file, line });
    if (seen.has(misId)) throw new SourceError(`${file}:${line}: ${misId} is already matched on line ${seen.get(misId)}`, { file, line });
    seen.set(misId, line);
    return { misId, userPrincipalName: upn, line };
  });
}

export async function readManualMatches(file: string | undefined): Promise<ManualMatch[]> {
  if (!file) return [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SourceError(`users.manualMatches: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`, { file });
  }
  return parseManualMatches(text, file);
}
