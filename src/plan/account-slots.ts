// Every account a plan's memberships can name, numbered once (a slot) for all the membership planners: what they
// know of an account (its key, reference, person, whether rollcall manages it) is then read from arrays by slot,
// instead of looked up again in a Map of 100,000 strings per membership, which is what a trust's 680,000
// memberships spend their time on (each lookup in a Map that size misses the processor's caches).
import type { PersonId } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import type { ObjectRef } from './types.js';
import type { UserPlan } from './users.js';
import { IdIndex } from './id-index.js';
import { KeyIndex } from './key-index.js';

export interface AccountSlots {
  /** An account's id → its slot (-1 for none): its position in snapshot.users (the first, for an id listed twice). */
  ofId: (id: string) => number;
  /** An active person (one who keeps or gets an account) → the slot of that account, or undefined. */
  ofPerson: (p: PersonId) => number | undefined;
  /** Slot → the account's key: its id, or `+` and the key of the change that creates it. */
  key: string[];
  /** Slot → what UserPlan.accountOf has for the active person (undefined for an account no active person has). */
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
  // Who is active, by position in users.active, with the position of their account in snapshot.users (planUsers
  // keeps it): no lookup of 100,000 people or ids to find them.
  const { active, activeAccount, managedAt } = users;
  const activeIds: PersonId[] = new Array(active.length);
  for (let i = 0; i < active.length; i++) activeIds[i] = active[i].person.id;
  const byPerson = new KeyIndex(activeIds);
  const activeAt = (p: PersonId) => byPerson.get(p) ?? -1;
  const activeSlot = new Int32Array(active.length).fill(-1);
  for (let i = 0; i < active.length; i++) {
    const p = activeIds[i];
    // As UserPlan.accountOf has it: the account's id, or the change that creates it.
    const at = activeAccount[i];
    const r: ObjectRef = at >= 0 ? { id: snapshot.users[at].id } : { createdBy: `user:${p}` };
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
  for (let i = 0; i < managedAt.length; i++) {
    if (!managedAt[i]) continue;
    const slot = ofId(snapshot.users[i].id);
    if (slot >= 0) managed[slot] = 1;
  }
  const slots: AccountSlots = { ofId, ofPerson, key, ref, person, managed, activeSlot, size: key.length };
  memo.set(users, { snapshot, slots });
  return slots;
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
