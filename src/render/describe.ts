// A change in words, shared by the text, markdown and mail renderers (each adds its own markup).
import type { Change, Unsynced } from '../plan/types.js';
import { BULLETS, isPersonalRecord, type Masker } from './mask.js';

/** `!` marks anything destructive, whatever its action, so a reviewer's eye finds it. */
export function sigil(c: Change): string {
  if (c.destructive) return '!';
  if (c.action === 'update') return '~';
  if (c.action === 'delete' || c.action.startsWith('remove') || c.action === 'suspend' || c.action === 'archive') return '-';
  return '+';
}

/** `student:1042 (Z.Å., Y9) → 9X/Ma1`: who or what, and for memberships which group. */
export function changeTarget(c: Change, m: Masker): string {
  // An event in a person's calendar: whose calendar, then the lesson (the school's words, never masked as a name).
  if (c.kind === 'event' && c.subject.person && c.subject.name) return `${m.label({ ...c.subject, name: undefined }, c.kind)}: ${m.text(c.subject.name)}`;
  const who = m.label(c.subject, c.kind);
  return c.group ? `${who} → ${m.text(c.group.name)}` : who;
}

const MAX_VALUE = 120;

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

type ContactLine = { displayName?: string; emailAddress?: string | null; mobilePhone?: string | null; relationship?: string; accessConsent?: boolean | null };
const contactsOf = (side: Record<string, unknown> | undefined) => (side?.relatedContacts ?? []) as ContactLine[];
const contactLine = (x: ContactLine) => `${x.relationship} ${x.displayName} <${x.emailAddress ?? ''}>${x.mobilePhone ? ` ${x.mobilePhone}` : ''}${x.accessConsent ? ', consent' : ''}`;

/**
 * A student's guardians: with names, one line per contact that comes or goes (`+ parent Ann Lee <ann@…>`);
 * masked, only how many there are, as in a public repository (a contact's relationship is not theirs to hide, but
 * the count is all a reviewer needs there).
 */
function guardianDiff(c: Change, m: Masker): string[] {
  const before = contactsOf(c.before);
  const after = contactsOf(c.after);
  if (!m.full) return [c.before ? `guardians: ${before.length} → ${after.length}` : `guardians: ${after.length}`];
  const was = new Set(before.map(contactLine));
  const is = new Set(after.map(contactLine));
  return [...before.filter((x) => !is.has(contactLine(x))).map((x) => `- ${contactLine(x)}`), ...after.filter((x) => !was.has(contactLine(x))).map((x) => `+ ${contactLine(x)}`)];
}

/** One `key: before → after` line per property that changes, values masked. */
export function changeDiff(c: Change, m: Masker): string[] {
  if (!c.before && !c.after) return [];
  if (c.kind === 'guardian') return guardianDiff(c, m);
  const personal = isPersonalRecord(c.kind);
  const before = m.values(c.before, personal) ?? {};
  const after = m.values(c.after, personal) ?? {};
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  const lines: string[] = [];
  for (const k of keys) {
    // A new value masked whole says nothing ("displayName: •••" on every new account): leave the line out.
    // A masked change keeps its line: that a name changes is worth a reviewer's eye.
    if (!(k in before)) { if (after[k] !== BULLETS) lines.push(`${k}: ${show(after[k])}`); }
    else lines.push(`${k}: ${show(before[k])} → ${show(after[k])}`);
  }
  return lines;
}

export function unsyncedWho(u: Unsynced, m: Masker): string {
  const subject = { ...u.subject, person: u.subject.person ?? u.person };
  if (!subject.name && u.account) subject.name = u.account;
  // Unsynced entries are always about a person or their account, whatever the subject carries.
  const label = m.label(subject, 'user');
  if (m.full && u.account && u.account !== subject.name) return `${label} [${u.account}]`;
  return label;
}
