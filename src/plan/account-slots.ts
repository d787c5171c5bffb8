// Every account a plan's memberships can name, numbered once (a slot) for all the membership planners: what they
// know of an account (its key, reference, person, whether rollcall manages it) is then read from arrays by slot,
// instead of looked up again in a Map of 100,000 strings per membership, which is what a trust's 680,000
// memberships spend their time on (each lookup in a Map that size misses the processor's caches).
import type { PersonId } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import type { ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { IdIndex } from './id-index.js';

export interface AccountSlots {
  /** An account's id → its slot (-1 for none): its position in snapshot.users (the first, for an id listed twice). */
  ofId: (id: string) => number;
  /** An active person (one who keeps or gets an account) → the slot of that account, or undefined. */
  ofPerson: (p: PersonId) => number | undefined;
  /** Slot → the account's key: its id, or `+` and the key of the change that creates it. */
  key: string[];
  /** Slot → the active person's entry of UserPlan.accountOf (undefined for an account no active person has). */
  ref: (ObjectRef | undefined)[];
  /** Slot → the active person whose account it is. */
  person: (PersonId | undefined)[];
  /** Slot → 1 when rollcall manages the account (UserPlan.managedIds). */
  managed: Uint8Array;
  /** UserPlan.active's people, in order → the slot of their account (-1 for someone without one). */
  activeSlot: Int32Array;
  size: number;
}

const memo = new WeakMap<UserPlan, { snapshot: Snapshot; slots: AccountSlots }>();

/** The slots of a plan's accounts: made once per UserPlan, shared by the planners of groups, security groups and classes. */
export function accountSlots(users: UserPlan, snapshot: Snapshot): AccountSlots {
  const known = memo.get(users);
  if (known && known.snapshot === snapshot) return known.slots;
  // A snapshot account's slot is its position (the first one's, for an id listed twice).
  const key: string[] = snapshot.users.map((u) => u.id);
  const index = new IdIndex(key);
  // An account the plan names that the snapshot does not list (none, today): a slot after the snapshot's.
  const added = new Map<string, number>();
  const ofId = (id: string) => {
    const slot = index.get(id);
    return slot >= 0 || added.size === 0 ? slot : (added.get(id) ?? -1);
  };
  const ref: (ObjectRef | undefined)[] = new Array(key.length);
  const person: (PersonId | undefined)[] = new Array(key.length);
  // Who is active, by position in users.active; their accounts from one walk through accountOf (a lookup in a Map of
  // 100,000 people per person would miss the caches each time).
  const { active } = users;
  const activeIds: PersonId[] = new Array(active.length);
  for (let i = 0; i < active.length; i++) activeIds[i] = active[i].person.id;
  const activeAt = personIndex(activeIds);
  const refAt: (ObjectRef | undefined)[] = new Array(active.length);
  for (const [p, r] of users.accountOf) {
    const i = activeAt(p);
    if (i >= 0) refAt[i] = r;
  }
  const activeSlot = new Int32Array(active.length).fill(-1);
  for (let i = 0; i < active.length; i++) {
    const p = activeIds[i];
    const r = refAt[activeAt(p)];
    if (!r) continue;
    let slot = r.id !== undefined ? ofId(r.id) : -1;
    if (slot < 0) {
      slot = key.length;
      key.push(r.id ?? `+${r.createdBy}`);
      if (r.id !== undefined) added.set(r.id, slot);
    }
    activeSlot[i] = slot;
    ref[slot] = r;
    person[slot] = p;
  }
  const ofPerson = (p: PersonId) => {
    const i = activeAt(p);
    return i < 0 || activeSlot[i] < 0 ? undefined : activeSlot[i];
  };
  const managed = new Uint8Array(key.length);
  for (const id of users.managedIds) {
    const slot = ofId(id);
    if (slot >= 0) managed[slot] = 1;
  }
  const slots: AccountSlots = { ofId, ofPerson, key, ref, person, managed, activeSlot, size: key.length };
  memo.set(users, { snapshot, slots });
  return slots;
}

// Person ids are `student:` or `staff:` and the MIS id, which is nearly always a plain number (Bromcom's, SIMS',
// most CSVs'). Those are found in an array by that number: the 680,000 lookups of a trust's memberships then read a
// few hundred kilobytes instead of missing the caches in a Map of 100,000 strings. Any other id goes to the Map.
const MAX_DIGITS = 9;

/**
 * A person id's MIS number when it is a plain one (no sign, no leading zero, at most 9 digits), in one integer:
 * n for `student:n`, -2 - n for `staff:n`; -1 for any other id.
 */
function plainNumber(id: string): number {
  let from: number;
  if (id.startsWith('student:')) from = 8;
  else if (id.startsWith('staff:')) from = 6;
  else return -1;
  const n = id.length - from;
  if (n < 1 || n > MAX_DIGITS || (n > 1 && id.charCodeAt(from) === 48)) return -1;
  let v = 0;
  for (let i = from; i < id.length; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return from === 8 ? v : -2 - v;
}

/**
 * Person → its position in `ids` (the last, for one listed twice), or -1: by number in an array per kind where the
 * numbers are dense, in a Map for every other id.
 */
function personIndex(ids: readonly PersonId[]): (p: PersonId) => number {
  const max = [-1, -1];
  const count = [0, 0];
  for (const id of ids) {
    const c = plainNumber(id);
    if (c === -1) continue;
    const k = c < 0 ? 1 : 0;
    const v = c < 0 ? -2 - c : c;
    if (v > max[k]) max[k] = v;
    count[k]++;
  }
  // Per kind, position + 1 by number (0: none), when the numbers are dense enough for the array to be small.
  const tables = [0, 1].map((k) => (max[k] < 0 || max[k] > 4 * count[k] + 4096 ? undefined : new Int32Array(max[k] + 1)));
  const rest = new Map<PersonId, number>();
  for (let i = 0; i < ids.length; i++) {
    const c = plainNumber(ids[i]);
    const table = c === -1 ? undefined : tables[c < 0 ? 1 : 0];
    if (table) table[c < 0 ? -2 - c : c] = i + 1;
    else rest.set(ids[i], i);
  }
  return (p) => {
    const c = plainNumber(p);
    const table = c === -1 ? undefined : tables[c < 0 ? 1 : 0];
    if (!table) return rest.get(p) ?? -1;
    const v = c < 0 ? -2 - c : c;
    return v < table.length ? table[v] - 1 : -1;
  };
}

/** Slots marked for one group at a time: `next()` starts a new group in O(1), so one instance serves a whole plan. */
export class SlotMarks {
  private mark: Int32Array;
  private generation = 0;

  constructor(size: number) {
    this.mark = new Int32Array(size);
  }

  next(): this {
    this.generation++;
    return this;
  }

  add(slot: number): void {
    this.mark[slot] = this.generation;
  }

  has(slot: number): boolean {
    return this.mark[slot] === this.generation;
  }

  remove(slot: number): void {
    if (this.mark[slot] === this.generation) this.mark[slot] = 0;
  }
}
