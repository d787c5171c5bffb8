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
  // A snapshot account's slot is its position; backwards, so that an id listed twice is the first one's.
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
  const personIds: PersonId[] = [];
  const personSlot: number[] = [];
  const activeSlot = new Int32Array(users.active.length).fill(-1);
  for (let i = 0; i < users.active.length; i++) {
    const p = users.active[i].person.id;
    const r = users.accountOf.get(p);
    if (!r) continue;
    const k = r.id ?? `+${r.createdBy}`;
    let slot = r.id !== undefined ? ofId(r.id) : -1;
    if (slot < 0) {
      slot = key.length;
      key.push(k);
      if (r.id !== undefined) added.set(r.id, slot);
    }
    personIds.push(p);
    personSlot.push(slot);
    activeSlot[i] = slot;
    ref[slot] = r;
    person[slot] = p;
  }
  const managed = new Uint8Array(key.length);
  for (const id of users.managedIds) {
    const slot = ofId(id);
    if (slot >= 0) managed[slot] = 1;
  }
  const slots: AccountSlots = { ofId, ofPerson: personSlots(personIds, personSlot), key, ref, person, managed, activeSlot, size: key.length };
  memo.set(users, { snapshot, slots });
  return slots;
}

// Person ids are `student:` or `staff:` and the MIS id, which is nearly always a plain number (Bromcom's, SIMS',
// most CSVs'). Those are found in an array by that number: the 680,000 lookups of a trust's memberships then read a
// few hundred kilobytes instead of missing the caches in a Map of 100,000 strings. Any other id goes to the Map.
const KINDS = ['student:', 'staff:'] as const;
const MAX_DIGITS = 9;

/** The MIS id's number when `id` is `kind` and a number written plainly (no sign, no leading zero), else -1. */
function plainNumber(id: string, prefix: string): number {
  const n = id.length - prefix.length;
  if (n < 1 || n > MAX_DIGITS || !id.startsWith(prefix)) return -1;
  if (n > 1 && id.charCodeAt(prefix.length) === 48) return -1;
  let v = 0;
  for (let i = prefix.length; i < id.length; i++) {
    const c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Person → slot: by number in an array per kind where the numbers are dense, in a Map for every other id. */
function personSlots(ids: readonly PersonId[], slotOf: readonly number[]): (p: PersonId) => number | undefined {
  // Per kind, slot + 1 by number (0: none), when the numbers are dense enough for the array to be small.
  const tables: (Int32Array | undefined)[] = KINDS.map((prefix) => {
    let max = -1;
    let count = 0;
    for (const id of ids) {
      const v = plainNumber(id, prefix);
      if (v > max) max = v;
      if (v >= 0) count++;
    }
    return max < 0 || max > 4 * count + 4096 ? undefined : new Int32Array(max + 1);
  });
  const rest = new Map<PersonId, number>();
  for (let i = 0; i < ids.length; i++) {
    const k = tableOf(ids[i]);
    if (k < 0) rest.set(ids[i], slotOf[i]);
    else tables[k]![plainNumber(ids[i], KINDS[k])] = slotOf[i] + 1;
  }
  return (p) => {
    const k = tableOf(p);
    if (k < 0) return rest.get(p);
    const table = tables[k]!;
    const v = plainNumber(p, KINDS[k]);
    const slot = v < table.length ? table[v] : 0;
    return slot ? slot - 1 : undefined;
  };

  /** The kind whose array holds `id`, or -1 for the Map. */
  function tableOf(id: PersonId): number {
    for (let k = 0; k < KINDS.length; k++) if (tables[k] && plainNumber(id, KINDS[k]) >= 0) return k;
    return -1;
  }
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
