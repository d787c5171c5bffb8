// Students' parents and guardians as the related contacts of their education profiles (guardians:), from the
// contacts the source read. Pure.
import type { Config } from '../config/load.js';
import type { Contact, ContactRelationship, PersonId, Roster } from '../roster/types.js';
import type { DesiredContact, DesiredGuardians } from './desired.js';
import type { DesiredUser } from './users.js';

type GuardiansConfig = NonNullable<Config['guardians']>;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The MIS's order (priority, unset last), then the order of guardians.relationships, then name and id: stable between runs. */
function byPriority(rels: readonly ContactRelationship[]) {
  return (a: Contact, b: Contact) => (a.priority ?? Infinity) - (b.priority ?? Infinity)
    || rels.indexOf(a.relationship) - rels.indexOf(b.relationship)
    || (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0)
    || (a.misId < b.misId ? -1 : a.misId > b.misId ? 1 : 0);
}

function consentOf(c: Contact, mode: GuardiansConfig['consent']): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  return c.consent === true;
}

/**
 * The related contacts each student in scope should have: those of the configured relationships with an e-mail
 * address (Graph requires one, and Parent Connection reaches parents by it; a contact with only a phone is left out
 * and counted), one per address, at most guardians.maxPerStudent of them by priority. Students out of scope, excluded
 * or not current are not in `students` and get nothing: their contacts are never touched.
 */
export function desiredGuardians(config: Config, roster: Roster, students: readonly DesiredUser[]): DesiredGuardians {
  const g = config.guardians;
  const rels: readonly ContactRelationship[] = g?.relationships ?? [];
  const out: DesiredGuardians = { relationships: rels, read: roster.contacts !== undefined, byStudent: new Map(), warnings: [] };
  if (!g || !roster.contacts) return out;
  const inScope = new Set<PersonId>(students.filter((u) => u.status === 'current' && u.person.kind === 'student').map((u) => u.person.id));
  const mine = new Map<PersonId, Contact[]>();
  for (const c of roster.contacts) {
    if (!inScope.has(c.student) || !rels.includes(c.relationship)) continue;
    (mine.get(c.student) ?? mine.set(c.student, []).get(c.student)!).push(c);
  }
  let noEmail = 0;
  let overCap = 0;
  for (const student of [...mine.keys()].sort()) {
    const list: DesiredContact[] = [];
    const seen = new Set<string>();
    for (const c of mine.get(student)!.sort(byPriority(rels))) {
      const email = c.email?.trim();
      if (!email) { noEmail++; continue; }
      // One person listed twice (as mother and as emergency contact, say) is one related contact.
      if (seen.has(email.toLowerCase())) continue;
      if (g.maxPerStudent !== undefined && list.length >= g.maxPerStudent) { overCap++; continue; }
      seen.add(email.toLowerCase());
      const phone = c.mobilePhone?.trim();
      list.push({
        displayName: c.displayName, emailAddress: email,
        ...(g.phones && phone ? { mobilePhone: phone } : {}),
        relationship: c.relationship, accessConsent: consentOf(c, g.consent),
      });
    }
    if (list.length) out.byStudent.set(student, list);
  }
  if (noEmail) out.warnings.push(`${plural(noEmail, 'contact', 'contacts')} of students in scope ${noEmail === 1 ? 'has' : 'have'} no e-mail address: left out of the students' guardians (Graph requires one, and Parent Connection reaches parents by it)`);
  if (overCap) out.warnings.push(`${plural(overCap, 'contact', 'contacts')} beyond guardians.maxPerStudent (${g.maxPerStudent}) left out, the MIS's first by priority kept`);
  return out;
}
