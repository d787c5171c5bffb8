import { SourceError } from '../../errors.js';
import type { DataSet, DataSetRow, DataSetValue } from './dataset.js';

// Bromcom keeps e-mail addresses in the Emails entity, one row per address, by PersonID (a pupil's StudentID or a
// member of staff's StaffID). Its column names are not public, so they are discovered (a `1=0` read) and mapped
// from known candidates, case-insensitively; none fitting is an error listing the columns the service has.

export interface EmailColumns {
  person: string;
  address: string;
  type: string;
  /** IsPrimary / Primary (true first) or Priority (lowest first); optional, it only breaks ties. */
  primary?: string;
}

const CANDIDATES: { role: keyof EmailColumns; names: string[]; required: boolean }[] = [
  { role: 'person', names: ['PersonID'], required: true },
  { role: 'address', names: ['EmailAddress', 'Email', 'Address'], required: true },
  { role: 'type', names: ['EmailType', 'EmailTypeDescription', 'Type'], required: true },
  { role: 'primary', names: ['IsPrimary', 'Primary', 'Priority'], required: false },
];

/** The Emails columns to read, from the columns the service declared (lower-cased keys, as DataSet has them). */
export function emailColumns(columns: DataSet['columns']): EmailColumns {
  const found: Partial<EmailColumns> = {};
  const missing: string[] = [];
  for (const c of CANDIDATES) {
    const name = c.names.find((n) => columns.has(n.toLowerCase()));
    if (name) found[c.role] = name.toLowerCase();
    else if (c.required) missing.push(`${c.role} (${c.names.join(', ')})`);
  }
  if (missing.length) {
    const seen = [...columns.values()].map((c) => c.name).join(', ') || 'none';
    throw new SourceError(`Bromcom entity Emails has no column rollcall knows for the ${missing.join(', nor for the ')}; it has: ${seen}`, { record: 'Emails' });
  }
  return found as EmailColumns;
}

// Addresses a school gives: "Work" for staff, "School" for pupils; "Work Email" and the like are the same type.
const WORK_TYPE = /^(work|school)(\s*(e-?mail|address))?$/i;
const isWork = (type: DataSetValue | undefined) => typeof type === 'string' && WORK_TYPE.test(type.trim());

/** Lower ranks first: a primary address before another, priority 1 before 2; unknown last. */
function rank(value: DataSetValue | undefined, column: string | undefined): number {
  if (!column || value === null || value === undefined) return Number.MAX_SAFE_INTEGER;
  if (column === 'priority') {
    const n = Number(value);
    return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
  }
  return value === true || /^(true|1|yes|y)$/i.test(String(value).trim()) ? 0 : 1;
}

export interface WorkEmails {
  /** PersonID → the person's work address, as the MIS spells it. */
  byPerson: Map<string, string>;
  warnings: string[];
}

/**
 * Each person's work address: only Work and School addresses count (a primary Home address is not a work e-mail);
 * among several different ones the primary flag decides, and a tie it cannot break gives no address at all
 * rather than a guess. The same address twice, in any case, is one address.
 */
export function workEmails(ds: DataSet, cols: EmailColumns): WorkEmails {
  const candidates = new Map<string, { address: string; rank: number }[]>();
  let notAddress = 0;
  ds.rows.forEach((row: DataSetRow) => {
    const person = row[cols.person];
    const address = typeof row[cols.address] === 'string' ? (row[cols.address] as string).trim() : '';
    if (person === null || person === undefined || String(person).trim() === '' || !isWork(row[cols.type])) return;
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) {
      if (address !== '') notAddress++;
      return;
    }
    const key = String(person).trim();
    const list = candidates.get(key) ?? [];
    list.push({ address, rank: rank(row[cols.primary ?? ''], cols.primary) });
    candidates.set(key, list);
  });
  const byPerson = new Map<string, string>();
  let undecided = 0;
  for (const [person, list] of candidates) {
    const best = Math.min(...list.map((c) => c.rank));
    // One address in two spellings is one address; the first row's spelling is kept.
    const top = new Map<string, string>();
    for (const c of list) if (c.rank === best && !top.has(c.address.toLowerCase())) top.set(c.address.toLowerCase(), c.address);
    if (top.size === 1) byPerson.set(person, [...top.values()][0]);
    else undecided++;
  }
  const warnings: string[] = [];
  if (undecided) warnings.push(`${undecided} person(s) have more than one work e-mail in Bromcom's Emails and none is marked primary: they are not matched by work e-mail`);
  if (notAddress) warnings.push(`${notAddress} work e-mail value(s) in Bromcom's Emails are not e-mail addresses and were left out`);
  return { byPerson, warnings };
}
