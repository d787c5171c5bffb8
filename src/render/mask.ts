// Personal data in rendered plans follows `report.personalData`. PR comments can be read by anyone with
// access to the repository (or by the world, for a public one), so masking errs on the side of hiding:
// besides the known name fields, free text (reasons, details, warnings) is scrubbed of every address and
// every word of every name the plan itself carries.
import type { Change, ChangeKind, Plan, Subject } from '../plan/types.js';

export type PersonalData = 'masked' | 'full' | 'counts';

export const BULLETS = '•••';

/**
 * Keys whose values (and everything under them) are names, addresses or a person's numbers. Compared
 * case-insensitively, by their last part (`student.studentNumber`). A person's externalId is their MIS id, which a
 * public repository's plan must not show beside the pseudonymised `student:#1`.
 */
const PERSONAL_KEYS = new Set(
  ['displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'mailNickname', 'otherMails', 'proxyAddresses', 'preferredName',
    'externalId', 'studentNumber', 'teacherNumber', 'emailAddress', 'mobilePhone']
    .map((k) => k.toLowerCase()),
);

/**
 * Personal keys masked whole, never `j•••@domain`: a guardian's e-mail address and phone number. Parents are not
 * the school's users, and what is left of an address (a private mail domain) says more about them than a pupil's does.
 */
const HIDDEN_KEYS = new Set(['emailAddress', 'mobilePhone'].map((k) => k.toLowerCase()));

// The local part stops at characters that delimit addresses in prose and in `SMTP:` proxy addresses.
const ADDRESS = /[^\s@<>()[\]"'`,;:]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const PERSON_ID = /\b(student|staff):[^\s,;:)\]}>"'`]+/g;

const norm = (w: string) => w.normalize('NFC').toLowerCase();

export function isPersonalKey(key: string): boolean {
  return PERSONAL_KEYS.has(key.slice(key.lastIndexOf('.') + 1).toLowerCase());
}

/** Whether a subject is a person (or a user account, which always belongs to one). */
export function isPersonal(subject: Subject, kind?: ChangeKind): boolean {
  return subject.person !== undefined || kind === 'user' || kind === 'educationUser' || kind === 'guardian';
}

/**
 * Whether a change's before/after is a person's record (masked by key): a user's and an education profile's are. An event in a person's
 * calendar, or a membership, is about a person but its values are the school's (lesson, room, group names).
 */
export function isPersonalRecord(kind: ChangeKind): boolean {
  // An education profile is a person's record too: its externalId and numbers are masked by key; a student's
  // guardians (relatedContacts) are people's records through and through.
  return kind === 'user' || kind === 'educationUser' || kind === 'guardian';
}

/**
 * Whether `subject.name` names the person: a user's address does, but the planner puts the group's name there for
 * memberships (`{ person, name: 'All Staff' }`) and the lesson's for events, and masking those (or learning their
 * words as a name's) would hide the school's own class and room names everywhere.
 */
function nameIsPersonal(s: Subject, kind?: ChangeKind): boolean {
  return s.name !== undefined && isPersonal(s, kind) && ((kind ?? 'user') === 'user' || s.name.includes('@'));
}

// One Han, kana or Hangul character is a syllable, often a whole surname: as an "initial" it gives the name away.
const SYLLABIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

export class Masker {
  /** Lower-cased NFC words of every name and address local part in the plan, for scrubbing free text. */
  private readonly words = new Set<string>();

  constructor(readonly mode: PersonalData, plan?: Pick<Plan, 'changes' | 'unsynced'>) {
    if (mode === 'full' || !plan) return;
    // The school's own names (groups, classes, teams) are never a person's, whatever else carries their words.
    const school = new Set<string>();
    const schoolWords = (v: string | undefined) => { for (const w of v?.match(WORD) ?? []) school.add(norm(w)); };
    for (const c of plan.changes) {
      schoolWords(c.group?.name);
      if (c.kind === 'group' || c.kind === 'class' || c.kind === 'team') { schoolWords(c.subject.name); schoolWords(c.subject.displayName); }
    }
    for (const c of plan.changes) {
      if (!isPersonal(c.subject, c.kind)) continue;
      // An event's subject is the lesson from calendar.subject, which may name the teacher ({teacher}): its words
      // are learnt, except the school's class names it also carries.
      if (c.kind === 'event' && c.subject.name) {
        for (const w of c.subject.name.match(WORD) ?? []) if (!school.has(norm(w))) this.learn(w);
      }
      this.learnSubject(c.subject, c.kind);
      if (isPersonalRecord(c.kind)) for (const side of [c.before, c.after]) if (side) this.learnValues(side, false);
    }
    for (const u of plan.unsynced) {
      this.learnSubject(u.subject, 'user');
      if (u.account) this.learn(u.account);
    }
  }

  /** Adds the words of a string that free text must not repeat. */
  learn(value: string): void {
    const text = value.replace(ADDRESS, (whole) => whole.slice(0, whole.indexOf('@')));
    // A lone Latin letter is an initial, which masked output may show; a lone CJK character is a whole name.
    // Numbers are never names, and scrubbing them would garble dates and year groups.
    for (const w of text.match(WORD) ?? []) {
      if (/^\p{N}+$/u.test(w)) continue;
      if (w.length >= 2 || !/^\p{Script=Latin}$/u.test(w)) this.words.add(norm(w));
    }
  }

  private learnSubject(s: Subject, kind: ChangeKind): void {
    if (s.displayName) this.learn(s.displayName);
    if (s.name && nameIsPersonal(s, kind)) this.learn(s.name);
  }

  private learnValues(values: unknown, personal: boolean, key?: string): void {
    const p = personal || (key !== undefined && isPersonalKey(key));
    if (typeof values === 'string') { if (p) this.learn(values); return; }
    if (Array.isArray(values)) { for (const v of values) this.learnValues(v, p); return; }
    if (values && typeof values === 'object') for (const [k, v] of Object.entries(values)) this.learnValues(v, p, k);
  }

  get full(): boolean { return this.mode === 'full'; }

  /** `j•••@students.example.sch.uk`; with `counts`, not even the first character. */
  address(value: string): string {
    if (this.full) return value;
    return value.replace(ADDRESS, (whole, domain: string) => {
      const first = this.mode === 'counts' ? '' : Array.from(whole)[0];
      return `${first}${BULLETS}@${domain}`;
    });
  }

  /** Free text written by the planner: addresses masked, name words replaced, and (counts) person ids hidden. */
  text(value: string): string {
    if (this.full) return value;
    let out = this.address(value).replace(WORD, (w) => (this.words.has(norm(w)) ? BULLETS : w));
    if (this.mode === 'counts') out = out.replace(PERSON_ID, `$1:${BULLETS}`);
    return out;
  }

  /** A before/after value: names and addresses under personal keys, anything else scrubbed as free text. */
  value(key: string, value: unknown, personal = false): unknown {
    if (this.full) return value;
    const p = personal || isPersonalKey(key);
    if (typeof value === 'string') {
      if (HIDDEN_KEYS.has(key.toLowerCase())) return BULLETS;
      if (!p) return this.text(value);
      return value.includes('@') ? this.address(value) : BULLETS;
    }
    if (Array.isArray(value)) return value.map((v) => this.value(key, v, p));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(k, v, p)]));
    }
    return value;
  }

  /** Before/after of a change; a group's displayName is not personal, so only people's records are masked by key. */
  values(record: Record<string, unknown> | undefined, personal = true): Record<string, unknown> | undefined {
    if (!record || this.full) return record;
    if (!personal) return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.scrub(v)]));
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.value(k, v)]));
  }

  private scrub(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.scrub(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrub(v)]));
    return value;
  }

  /** A subject as JSON: the same shape, personal strings replaced. */
  subject(s: Subject, kind?: ChangeKind): Subject {
    if (this.full) return s;
    const out: Subject = { ...s };
    if (!isPersonal(s, kind)) {
      if (s.name !== undefined) out.name = this.text(s.name);
      if (s.displayName !== undefined) out.displayName = this.text(s.displayName);
      return out;
    }
    if (s.name !== undefined) out.name = !nameIsPersonal(s, kind) ? this.text(s.name) : s.name.includes('@') ? this.address(s.name) : BULLETS;
    if (s.displayName !== undefined) out.displayName = BULLETS;
    if (s.initials !== undefined) out.initials = this.initials(s.initials);
    return out;
  }

  /** A subject in one line of prose: `student:1042 (Z.Å., Y9)` masked, names and address in full. */
  label(subject: Subject, kind?: ChangeKind): string {
    // A membership shows its group separately; the subject's name then is the group's, not the person's.
    const s = kind === 'membership' && subject.person && !nameIsPersonal(subject, kind) ? { ...subject, name: undefined } : subject;
    const facts = [s.initials && this.initials(s.initials), yearLabel(s.yearGroup)].filter((f): f is string => !!f);
    if (this.full) {
      const name = s.displayName ?? s.name;
      const addr = s.displayName && s.name && s.name !== s.displayName ? ` <${s.name}>` : '';
      const ids = [s.person, yearLabel(s.yearGroup)].filter(Boolean).join(', ');
      if (!name) return ids || '(unnamed)';
      return `${name}${addr}${ids ? ` (${ids})` : ''}`;
    }
    // Groups are not people, but a class or event may be named after its teacher.
    if (!isPersonal(s, kind)) return this.text(s.displayName ?? s.name ?? '(unnamed)');
    const who = s.person ?? (s.name?.includes('@') ? this.address(s.name) : 'unknown person');
    return facts.length ? `${who} (${facts.join(', ')})` : who;
  }

  initials(value: string): string {
    return this.full ? value : value.replace(SYLLABIC, '•');
  }

  /** A change's key as JSON: ids are fine, but an address used as a key is not. */
  key(change: Change): string {
    return this.full ? change.key : this.address(change.key);
  }
}

export function yearLabel(yearGroup: string | undefined): string | undefined {
  if (!yearGroup) return undefined;
  return /^\d+$/.test(yearGroup) ? `Y${yearGroup}` : yearGroup;
}

/** What a PR comment may show: `report.personalData`, except that a public repository never gets names. */
export function commentPersonalData(setting: PersonalData, opts: { publicRepository: boolean }): PersonalData {
  return opts.publicRepository && setting === 'full' ? 'masked' : setting;
}

/**
 * What the CLI prints on its standard output may show. Someone running rollcall on their own machine (no `CI` in
 * the environment) has the MIS and tenant credentials and is the reviewer: they see names, unless the school chose
 * `counts`, which keeps people out of every output. In CI the output is a job log others read, so it follows
 * `report.personalData` like comments, summaries, artifacts and mail do.
 */
export function stdoutPersonalData(setting: PersonalData, env: Record<string, string | undefined>): PersonalData {
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  if (ci || setting === 'counts') return setting;
  return 'full';
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A public repository's plans: every MIS person id (`student:1042`, and the anchor `ea:s1042` that stores it)
 * replaced by an ordinal in order of first appearance (`student:#1`), before masking. Masking hides names but
 * shows ids, which a private repository's readers may see; the world may not, and a hash of an id is no better
 * (ids are few enough to try them all). One pseudonymiser is used for every plan one message shows, so the same
 * person has the same ordinal throughout it.
 */
export function pseudonymiser(): (plan: Plan) => Plan {
  const ordinals = new Map<string, string>();
  const ordinal = (id: string): string => {
    let o = ordinals.get(id);
    if (!o) { o = `#${ordinals.size + 1}`; ordinals.set(id, o); }
    return o;
  };
  return (plan) => {
    // Learn every id first, from the subjects and the keys, so free text is replaced whichever comes first.
    const learn = (text: string) => { for (const m of text.matchAll(PERSON_ID)) ordinal(m[0]); };
    for (const c of plan.changes) { if (c.subject.person) ordinal(c.subject.person); learn(c.key); }
    for (const u of plan.unsynced) if (u.subject.person) ordinal(u.subject.person);
    if (!ordinals.size) return plan;
    const ids = [...ordinals.keys()].sort((a, b) => b.length - a.length);
    const personRe = new RegExp(`\\b(${ids.map(escapeRe).join('|')})(?![\\p{L}\\p{N}_.-])`, 'gu');
    const anchors = new Map(ids.map((id) => [`${id.startsWith('student:') ? 's' : 't'}${id.slice(id.indexOf(':') + 1)}`, id]));
    const anchorRe = new RegExp(`(?<=[^\\s:]:)(${[...anchors.keys()].map(escapeRe).join('|')})(?![\\p{L}\\p{N}_.-])`, 'gu');
    const text = (s: string) => s
      .replace(personRe, (id) => `${id.slice(0, id.indexOf(':'))}:${ordinal(id)}`)
      .replace(anchorRe, (a) => `${a[0]}${ordinal(anchors.get(a)!)}`);
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    // The checksum stays: it is what a reviewer approves, and a digest of the whole plan reveals no id.
    return { ...(walk(plan) as Plan), checksum: plan.checksum };
  };
}

const ANCHOR_IN_TEXT = /\b([a-z0-9-]{1,16}):([st])([0-9A-Za-z_-]*[0-9][0-9A-Za-z_-]*)\b/g;
const ADDRESS_IN_TEXT = /[^\s@<>()"'`,;:]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * A log line fit for a public repository's job log, which anyone can read: MIS person ids (`student:1042`), the
 * anchors that store them (`ea:s1042`) and the local part of addresses become bullets. Lines are redacted one by
 * one, with no plan to learn from, so the rule is by shape: it may hide a little more than it must, never less.
 */
export function redactIds(text: string): string {
  return text
    .replace(PERSON_ID, (id) => `${id.slice(0, id.indexOf(':'))}:${BULLETS}`)
    .replace(ANCHOR_IN_TEXT, (_a, key: string, kind: string) => `${key}:${kind}${BULLETS}`)
    .replace(ADDRESS_IN_TEXT, (_a, domain: string) => `${BULLETS}@${domain}`);
}

