import type { RosterBuilder } from '../roster/builder.js';
import type { Table } from './table.js';

// rollcall reads everyone in an export. A trust's export can hold several schools, and the config has no school
// filter yet, so say so rather than provision another school's pupils quietly.
export function warnIfSeveralSchools(b: RosterBuilder, table: Table | undefined, isSchool: (row: Table['rows'][number]) => boolean): void {
  if (!table) return;
  const schools = table.rows.filter(isSchool).length;
  if (schools > 1) b.warn(`${table.file} lists ${schools} schools; rollcall reads the people of all of them as one school`);
}
