// A trust's single export: which of its schools (orgs) a config provisions. Pure; the readers bring the tables.
import { SourceError } from '../errors.js';
import type { Table } from './table.js';

export interface Org { id: string; name: string; type?: string }

/**
 * The org ids a config's `schools` list selects from the export's orgs table, or undefined when the config selects
 * none (the whole export is one school). Each entry is an org id or, ignoring case, a name; an entry that matches
 * no org, or a name shared by two, is an error that lists the export's orgs, so nobody guesses which was meant.
 */
export function selectSchools(selectors: readonly string[] | undefined, setting: string, orgs: { file: string; list: Org[] } | undefined): ReadonlySet<string> | undefined {
  if (!selectors?.length) return undefined;
  if (!orgs) throw new SourceError(`${setting} names schools, but the export has no orgs file to find them in`, {});
  const listed = () => orgs.list.map((o) => `${o.id} (${o.name}${o.type ? `, ${o.type}` : ''})`).join(', ');
  const chosen = new Set<string>();
  for (const s of selectors) {
    const wanted = s.trim();
    const byId = orgs.list.filter((o) => o.id === wanted);
    const byName = byId.length ? byId : orgs.list.filter((o) => o.name.trim().toLowerCase() === wanted.toLowerCase());
    if (!byName.length) throw new SourceError(`${setting}: "${s}" is no org id or name in ${orgs.file}; the export has: ${listed()}`, { file: orgs.file });
    if (byName.length > 1) throw new SourceError(`${setting}: "${s}" names ${byName.length} orgs in ${orgs.file} (${byName.map((o) => o.id).join(', ')}); use the org id`, { file: orgs.file });
    chosen.add(byName[0].id);
  }
  return chosen;
}

/** The orgs of an orgs table with the given id, name and (optional) type columns. */
export function orgsOf(table: Table, id: string, name: string, type?: string): { file: string; list: Org[] } {
  return {
    file: table.file,
    list: table.rows.filter((r) => r.get(id) && r.get('status')?.toLowerCase() !== 'tobedeleted').map((r) => ({ id: r.get(id)!, name: r.get(name) ?? '', ...(type && r.get(type) ? { type: r.get(type) } : {}) })),
  };
}

/** A list cell such as OneRoster's `orgSourcedIds` ("o1,o2" or "o1, o2"). */
export const idList = (text: string | undefined): string[] => (text ?? '').split(',').map((t) => t.trim()).filter(Boolean);

/** Counts what a school selection left out, for one line in the log. */
export class LeftOut {
  people = 0;
  classes = 0;
  memberships = 0;
  describe(source: string): string | undefined {
    if (!this.people && !this.classes) return undefined;
    return `${source}: ${this.people} person(s) and ${this.classes} class(es) of other schools left out (not leavers: they are not this config's)${this.memberships ? `, with ${this.memberships} enrolment(s)` : ''}`;
  }
}
