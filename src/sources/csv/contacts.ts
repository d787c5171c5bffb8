import path from 'node:path';
import { ConfigError } from '../../errors.js';
import type { RosterBuilder } from '../../roster/builder.js';
import { parsePersonId, personId } from '../../roster/ids.js';
import type { CsvContactColumns, CsvSourceConfig } from '../config.js';
import { ContactSink, type RelationshipTable } from '../contacts.js';
import { exists } from '../file-options.js';
import { readTable, type Row } from '../table.js';

/**
 * The words a school's own contacts export uses (UK MIS wording and Graph's own), mapped onto Graph's. Anything
 * else is `other`, with one counted warning.
 */
export const CSV_RELATIONSHIPS: RelationshipTable = {
  parent: 'parent', mother: 'parent', father: 'parent', mum: 'parent', dad: 'parent', stepmother: 'parent', stepfather: 'parent',
  stepparent: 'parent', adoptivemother: 'parent', adoptivefather: 'parent', adoptiveparent: 'parent',
  guardian: 'guardian', legalguardian: 'guardian', carer: 'guardian', fostercarer: 'guardian', fostermother: 'guardian', fosterfather: 'guardian',
  fosterparent: 'guardian', specialguardian: 'guardian',
  relative: 'relative', otherrelative: 'relative', familymember: 'relative', otherfamilymember: 'relative', grandparent: 'relative',
  grandmother: 'relative', grandfather: 'relative', aunt: 'relative', uncle: 'relative', brother: 'relative', sister: 'relative', sibling: 'relative',
  cousin: 'relative',
  doctor: 'doctor', gp: 'doctor', aide: 'aide', child: 'child', other: 'other', othercontact: 'other', familyfriend: 'other', socialworker: 'other',
  childminder: 'other',
};

const YES = /^(y|yes|true|1)$/i;
const NO = /^(n|no|false|0)$/i;

const KEYS = ['student', 'id', 'name', 'first', 'last', 'email', 'phone', 'relationship', 'consent', 'priority'] as const;

/**
 * The contacts file of a plain CSV source (`files.contacts`, default contacts.csv), one row per student and
 * contact, read through `columns.contacts`. A file or a column guardians cannot do without is a config problem
 * naming the key to set: reading no contacts would remove every guardian.
 */
export async function readCsvContacts(cfg: CsvSourceConfig, dir: string, b: RosterBuilder): Promise<void> {
  const fileName = cfg.files?.contacts ?? 'contacts.csv';
  const file = path.join(dir, fileName);
  if (!(await exists(file))) {
    throw new ConfigError(`guardians: needs the students' contacts: source.csv.files.contacts names the file (default contacts.csv), and ${fileName} is not in ${cfg.dir}`);
  }
  const mapped: Partial<CsvContactColumns> = cfg.columns?.contacts ?? {};
  const col = Object.fromEntries(KEYS.map((k) => [k, mapped[k] ?? k])) as Record<(typeof KEYS)[number], string>;
  const t = await readTable(file, { shownAs: fileName });
  const lacking = (k: (typeof KEYS)[number]) => !t.has(col[k]);
  const missing: (typeof KEYS)[number][] = (['student', 'id', 'email', 'relationship'] as const).filter(lacking);
  // A name in one column, or in first and last.
  if (lacking('name') && (lacking('first') || lacking('last'))) missing.push('name');
  // A mapped optional column that is not there is a typo, not "the MIS does not say".
  for (const k of ['phone', 'consent', 'priority'] as const) if (mapped[k] !== undefined && lacking(k)) missing.push(k);
  if (missing.length) {
    throw new ConfigError(
      `${fileName}:1 has no column for ${missing.map((k) => `${k} ("${col[k]}"; set source.csv.columns.contacts.${k}${k === 'name' ? ', or first and last' : ''})`).join(', ')}; guardians: needs it to read students' contacts (header: ${t.header.join(',')})`,
    );
  }
  if (t.rows.length === 0) throw new ConfigError(`${fileName} has no rows; guardians: needs the students' contacts (reading none would remove every guardian)`);
  const sink = new ContactSink(b, fileName, CSV_RELATIONSHIPS);
  const flag = (r: Row, where: { file: string; line: number }): boolean | undefined => {
    const v = r.get(col.consent);
    if (v === undefined) return undefined;
    if (YES.test(v)) return true;
    if (NO.test(v)) return false;
    sink.skip(`${col.consent} value(s) that are not yes or no read as not given`, where);
    return undefined;
  };
  const rank = (r: Row, where: { file: string; line: number }): number | undefined => {
    const v = r.get(col.priority);
    if (v === undefined) return undefined;
    if (/^\d{1,3}$/.test(v) && Number(v) >= 1) return Number(v);
    sink.skip(`${col.priority} value(s) that are not a whole number from 1 read as not given`, where);
    return undefined;
  };
  for (const r of t.rows) {
    const where = { file: fileName, line: r.line };
    const student = r.get(col.student), id = r.get(col.id);
    if (!student || !id) { sink.skip(`row(s) with an empty ${!student ? col.student : col.id} skipped`, where); continue; }
    const typed = parsePersonId(student);
    const consent = flag(r, where), priority = rank(r, where);
    sink.add({
      // A student written typed (student:1001) or bare (1001).
      student: typed ? personId(typed.kind, typed.misId) : personId('student', student),
      misId: id,
      displayName: r.get(col.name) ?? [r.get(col.first), r.get(col.last)].filter(Boolean).join(' '),
      email: r.get(col.email), mobilePhone: r.get(col.phone), relationship: sink.relationship(r.get(col.relationship)),
      ...(consent !== undefined ? { consent } : {}), ...(priority !== undefined ? { priority } : {}),
    }, where);
  }
  sink.finish();
}
