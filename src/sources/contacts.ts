import type { RosterBuilder } from '../roster/builder.js';
import type { Contact, ContactRelationship } from '../roster/types.js';
import { describeWhere, type Where } from '../roster/where.js';

// What every source shares when it reads students' contacts (parents, guardians): whether the config asks for
// them, one table per source from its words to Graph's relationship values, and the counted warnings for rows that
// cannot be used. A bad contact row never stops the night's accounts; a source that cannot send contacts at all
// while guardians are on is an error (an empty read would look like "no guardians" and remove them all).

/** The part of a configuration that says whether guardians are on (`guardians:` present) and with phones. */
export interface GuardiansSetting { guardians?: { phones?: boolean } }

/** The config has a `guardians:` section (absent = off): every source reads students' contacts. */
export function wantsContacts(config: GuardiansSetting): boolean {
  return config.guardians !== undefined;
}

/** `guardians.phones` is true: a source that reads phones from a separate entity (Bromcom) reads it. */
export function wantsContactPhones(config: GuardiansSetting): boolean {
  return config.guardians?.phones === true;
}

/** A source's words for a contact's relationship (lower case, spaces and punctuation folded), mapped onto Graph's. */
export type RelationshipTable = Readonly<Record<string, ContactRelationship>>;

/** Folds "Step-Mother", "step mother" and "STEPMOTHER" to one key. */
export const relationshipKey = (word: string): string => word.toLowerCase().replace(/[^a-z0-9]/g, '');

// Deliberately loose: a value with one @, something before it and a dotted domain after it. Graph refuses worse.
const EMAIL = /^[^@\s<>(),;:"]+@[^@\s<>(),;:"]+\.[^@\s<>(),;:".]+$/;

const MAX_PLACES = 5;

/**
 * Collects a source's contacts into the builder: maps relationship words, drops what cannot be used with one
 * counted warning per kind of problem (naming the first few file:line places, never the values, which are personal
 * data), and says when the source sent none at all.
 */
export class ContactSink {
  private unknownWords = new Map<string, number>();
  private problems = new Map<string, Where[]>();
  private added = 0;

  constructor(
    private readonly b: RosterBuilder,
    /** How the source is named in warnings, e.g. "OneRoster". */
    private readonly source: string,
    private readonly table: RelationshipTable,
  ) {
    b.readContacts();
  }

  /** Graph's word for a source's; an unknown word is `other`, counted for one warning. */
  relationship(word: string | undefined): ContactRelationship {
    if (word === undefined || word.trim() === '') return 'other';
    const mapped = this.table[relationshipKey(word)];
    if (mapped) return mapped;
    const shown = word.trim().slice(0, 40);
    this.unknownWords.set(shown, (this.unknownWords.get(shown) ?? 0) + 1);
    return 'other';
  }

  /** Notes a row that could not be used (the problem says what, the place says where). */
  skip(problem: string, where: Where): void {
    const list = this.problems.get(problem) ?? [];
    list.push(where);
    this.problems.set(problem, list);
  }

  /**
   * Adds one contact. No name: skipped. A malformed e-mail: the contact is kept without it (its phone and
   * relationship still count), with a warning. Empty e-mail and phone are left out.
   */
  add(c: Omit<Contact, 'email' | 'mobilePhone' | 'displayName'> & { displayName?: string; email?: string; mobilePhone?: string }, where: Where): void {
    const displayName = c.displayName?.replace(/\s+/g, ' ').trim();
    if (!displayName) {
      this.skip('contact(s) with no name skipped', where);
      return;
    }
    let email = c.email?.trim() || undefined;
    if (email && !EMAIL.test(email)) {
      this.skip('contact e-mail(s) that are not e-mail addresses left out', where);
      email = undefined;
    }
    const mobilePhone = c.mobilePhone?.trim() || undefined;
    const { email: _e, mobilePhone: _m, ...rest } = c;
    this.b.addContact({ ...rest, displayName, ...(email ? { email } : {}), ...(mobilePhone ? { mobilePhone } : {}) }, where);
    this.added++;
  }

  /** How many contacts were handed to the builder (before it drops those of unknown students). */
  get count(): number {
    return this.added;
  }

  /** Writes the counted warnings; call once, after the last row. */
  finish(): void {
    for (const [problem, places] of this.problems) {
      const shown = places.slice(0, MAX_PLACES).map(describeWhere).join(', ');
      this.b.warn(`${this.source}: ${places.length} ${problem} (${shown}${places.length > MAX_PLACES ? ', …' : ''})`);
    }
    if (this.unknownWords.size) {
      const total = [...this.unknownWords.values()].reduce((a, n) => a + n, 0);
      const words = [...this.unknownWords].map(([w, n]) => `"${w}" (${n})`).join(', ');
      this.b.warn(`${this.source}: ${total} contact relationship(s) rollcall does not know read as "other": ${words}`);
    }
  }
}
