import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { SourceError } from '../errors.js';
import type { Config } from '../config/load.js';
import type { ClassMatch } from '../plan/classes.js';
import type { AddressOverride, ManualMatch } from '../plan/match.js';
import { restoreCell } from '../render/csv.js';

const MIS_ID = /^(student|staff):\S+$/;
const GROUP_ID = /^group:\S+$/;
const ADDRESS = /^[^@\s]+@[^@\s]+$/;
/** A manual-match row's second column: the account to link, or `create` ("no existing account is theirs"). */
const ADDRESS_OR_CREATE = /^(create|[^@\s]+@[^@\s]+)$/;

/**
 * A two-column CSV a school writes by hand (extra columns, e.g. a suggestion's confidence, are ignored; `#` starts
 * a comment). Any bad row fails the whole file, naming its line: a half-read match file would guess.
 */
function parsePairs(text: string, file: string, header: [string, string], checks: [RegExp, string][]): { a: string; b: string; line: number }[] {
  let rows: { cells: string[]; line: number }[];
  try {
    // restoreCell: a file `rollcall match` wrote has cells made safe for spreadsheets; read them as they were.
    // info: the line a row is on, counting the comment lines between rows.
    rows = (parse(text, { bom: true, skip_empty_lines: true, trim: true, comment: '#', relax_column_count: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[])
      .map(({ record, info }) => ({ cells: record.map(restoreCell), line: info.lines }));
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new SourceError(`${file}:${e.lines ?? '?'}: ${e.message}`, { file, line: e.lines });
  }
  const [first, ...body] = rows;
  if (!first || first.cells[0] !== header[0] || first.cells[1] !== header[1]) {
    throw new SourceError(`${file}:1: the first line must be the header ${header.join(',')}`, { file, line: 1 });
  }
  const seen = new Map<string, number>();
  return body.map(({ cells: r, line }) => {
    const pair = [r[0], r[1]];
    pair.forEach((v, k) => {
      if (!checks[k][0].test(v ?? '')) throw new SourceError(`${file}:${line}: "${v ?? ''}" is not ${checks[k][1]}`, { file, line });
    });
    if (seen.has(pair[0])) throw new SourceError(`${file}:${line}: ${pair[0]} is already matched on line ${seen.get(pair[0])}`, { file, line });
    seen.set(pair[0], line);
    return { a: pair[0], b: pair[1], line };
  });
}

const MIS_ID_CHECK: [RegExp, string] = [MIS_ID, 'a MIS id; write student:<id> or staff:<id>'];

/** `student:1042,ava.edwards@…` links an existing account; `student:1042,create` says a new one is wanted. */
export function parseManualMatches(text: string, file: string): ManualMatch[] {
  return parsePairs(text, file, ['misId', 'userPrincipalName'], [MIS_ID_CHECK, [ADDRESS_OR_CREATE, 'an address or create']])
    .map(({ a, b, line }) => (b === 'create' ? { misId: a, create: true, line } : { misId: a, userPrincipalName: b, line }));
}

/**
 * `misId,userPrincipalName`: the address a person gets in place of the template's (a name with no letters a-z, a
 * family's wish). The address must be in one of tenant.domains: rollcall touches nothing outside them.
 */
export function parseAddressOverrides(text: string, file: string, domains: readonly string[]): AddressOverride[] {
  const inDomains = new Set(domains.map((d) => d.toLowerCase()));
  return parsePairs(text, file, ['misId', 'userPrincipalName'], [MIS_ID_CHECK, [ADDRESS, 'an address']]).map(({ a, b, line }) => {
    const domain = b.slice(b.indexOf('@') + 1).toLowerCase();
    if (!inDomains.has(domain)) throw new SourceError(`${file}:${line}: ${b} is not in tenant.domains (${domains.join(', ')})`, { file, line });
    return { misId: a, userPrincipalName: b, line };
  });
}

export function parseClassMatches(text: string, file: string): ClassMatch[] {
  return parsePairs(text, file, ['misGroupId', 'classMail'], [[GROUP_ID, 'a MIS group id; write group:<id>'], [ADDRESS, 'an address']])
    .map(({ a, b, line }) => ({ misGroupId: a, classMail: b, line }));
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new SourceError(`${what}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`, { file });
  }
}

export async function readManualMatches(file: string | undefined): Promise<ManualMatch[]> {
  return file ? parseManualMatches(await readText(file, 'users.manualMatches'), file) : [];
}

/** The user match files a plan reads: manual matches (when `manual` is in users.match) and address overrides. */
export async function readUserMatchFiles(config: Config): Promise<{ manualMatches: ManualMatch[]; addressOverrides: AddressOverride[] }> {
  const users = config.users;
  const [manualMatches, overrides] = await Promise.all([
    readManualMatches(users.match.includes('manual') ? users.manualMatches : undefined),
    users.addressOverrides ? readText(users.addressOverrides, 'users.addressOverrides') : undefined,
  ]);
  return { manualMatches, addressOverrides: overrides === undefined ? [] : parseAddressOverrides(overrides, users.addressOverrides!, config.tenant.domains) };
}

export async function readClassMatches(file: string | undefined): Promise<ClassMatch[]> {
  return file ? parseClassMatches(await readText(file, 'classes.matches'), file) : [];
}
