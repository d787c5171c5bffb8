// Configuration that the MIS makes meaningless: a scope value no one has ("Year 7" where the MIS writes "7"),
// or a template token that is empty for everyone from this source ({entryYear} from an export without start
// dates). Neither is wrong in the file itself, so `validate` cannot see it; only the roster shows it.
import type { Config } from '../config/load.js';
import { TOKEN_RE } from '../config/tokens.js';
import { tokenValues } from '../policy/users.js';
import type { Person, Roster } from '../roster/types.js';

type Role = 'students' | 'staff';
const KIND: Record<Role, Person['kind']> = { students: 'student', staff: 'staff' };
const NOUN: Record<Role, string> = { students: 'student', staff: 'member of staff' };

/** Scope keys, the person field each filters on, and whether its values may be listed in a (public) plan. */
const SCOPES: { role: Role; key: 'yearGroups' | 'registrationGroups' | 'staffCodes'; field: 'yearGroup' | 'registrationGroup' | 'staffCode'; what: string; listable: boolean }[] = [
  { role: 'students', key: 'yearGroups', field: 'yearGroup', what: 'year groups', listable: true },
  { role: 'students', key: 'registrationGroups', field: 'registrationGroup', what: 'registration groups', listable: true },
  // Staff codes are usually initials: counted, never listed.
  { role: 'staff', key: 'staffCodes', field: 'staffCode', what: 'staff codes', listable: false },
];

const natural = new Intl.Collator('en', { numeric: true }).compare;
const MAX_LISTED = 20;

function list(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => `"${v}"`).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more` : shown;
}

/** How the no-e-mail warning begins: renderers show it at the top of the plan, not among the other warnings only. */
export const NO_WORK_EMAIL = 'users.match has workEmail, but the MIS';

const EMAIL_HINT: Record<Roster['source']['kind'], string> = {
  bromcom: "They are read from Bromcom's Emails entity (Work or School addresses by PersonID): check that the school keeps them there",
  oneroster: 'Check that the export fills the email column of users.csv',
  sds: 'Check that the export fills the email column',
  csv: 'Check that the export fills the e-mail column (columns.students.email, columns.staff.email)',
};

/**
 * Matching by work e-mail when the MIS gave no e-mail address to anyone matches nobody, silently: existing accounts
 * would look unclaimed. Said first, and at the top of the plan.
 */
export function noWorkEmailWarning(config: Config, roster: Roster): string | undefined {
  if (!config.users.match.includes('workEmail')) return undefined;
  const roles = (['students', 'staff'] as const).filter((r) => config.users[r]?.enabled === true);
  const kinds = roles.map((r) => KIND[r]);
  // One pass, no list made: stops at the first person of an enabled role with an e-mail address.
  let any = false;
  for (const p of roster.people) {
    if (!kinds.includes(p.kind)) continue;
    if (p.workEmail) return undefined;
    any = true;
  }
  if (!any) return undefined;
  const who = roles.map((r) => (r === 'students' ? 'student' : 'member of staff')).join(' or ');
  return `${NO_WORK_EMAIL} (${roster.source.kind}) gave no e-mail address for any ${who}: nobody can be matched by work e-mail, so existing accounts are found only by ${config.users.match.filter((m) => m !== 'workEmail').join(' and ') || 'nothing else'}. ${EMAIL_HINT[roster.source.kind]}, or take workEmail out of users.match.`;
}

export function configWarnings(config: Config, roster: Roster): string[] {
  const out: string[] = [];
  const enabled = (role: Role) => config.users[role]?.enabled === true;
  const people = (role: Role) => roster.people.filter((p) => p.kind === KIND[role]);

  for (const s of SCOPES) {
    const wanted = (config.users[s.role]?.scope as Record<string, string[] | undefined> | undefined)?.[s.key];
    if (!enabled(s.role) || !wanted?.length) continue;
    const have = [...new Set(people(s.role).map((p) => p[s.field]).filter((v): v is string => v !== undefined && v !== ''))].sort(natural);
    const unmatched = wanted.filter((v) => !have.includes(v));
    if (!unmatched.length) continue;
    const values = have.length === 0 ? `the MIS gives no ${s.what} at all` : s.listable ? `the MIS has ${list(have)}` : `the MIS has ${have.length} ${have.length === 1 ? s.what.replace(/s$/, '') : s.what}, not listed here`;
    out.push(`users.${s.role}.scope.${s.key}: ${list(unmatched)} ${unmatched.length > 1 ? 'match' : 'matches'} no one in the MIS (${values})`);
  }

  const yearStart = config.school.academicYearStart;
  for (const role of ['students', 'staff'] as const) {
    const rc = config.users[role];
    if (!enabled(role) || !rc) continue;
    const kind = KIND[role];
    const everyone = roster.people;
    if (!everyone.some((p) => p.kind === kind)) continue;
    const templates: [string, string][] = [
      ['userPrincipalName', rc.userPrincipalName],
      ['displayName', rc.displayName],
      ...rc.securityGroups.map((t, i): [string, string] => [`securityGroups[${i}]`, t]),
    ];
    // A person's token values are made when a token is first asked of them: a token is found not empty at the
    // first person of the role who has it (usually the first), so a trust's 108,000 people are not all worked out
    // each night, nor listed by role.
    const values: ReturnType<typeof tokenValues>[] = [];
    const valuesOf = (i: number) => (values[i] ??= tokenValues(everyone[i], config.school.key, yearStart));
    const empty = new Map<string, boolean>();
    const isEmpty = (token: string) => {
      if (!empty.has(token)) empty.set(token, everyone.every((p, i) => p.kind !== kind || (valuesOf(i)[token] ?? '').trim() === ''));
      return empty.get(token)!;
    };
    for (const [key, template] of templates) {
      const tokens = [...new Set([...template.matchAll(TOKEN_RE)].map((m) => m[1]))].filter(isEmpty);
      for (const token of tokens) {
        out.push(`users.${role}.${key} uses {${token}}, which is empty for every ${NOUN[role]} from this source (${roster.source.kind}): it adds nothing`);
      }
    }
  }
  return out;
}
