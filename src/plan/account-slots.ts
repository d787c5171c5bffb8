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
  /**
   * Slot → what UserPlan.accountOf has for the active person (undefined for an account no active person has): made
   * when a change asks for it, a new object each time (nothing compares references by identity).
   */
  ref: (slot: number) => ObjectRef | undefined;
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
  // A snapshot account's slot is its position (the first one's, for an id listed twice); an account this plan
  // creates, a slot after the snapshot's.
  const accounts = snapshot.users.length;
  const key: string[] = snapshot.users.map((u) => u.id);
  const index = new IdIndex(key);
  const ofId = (id: string) => index.get(id);
  const person: (PersonId | undefined)[] = new Array(accounts);
  // Who is active, by position in users.active, with the position of their account in snapshot.users (planUsers
  // keeps it): the account's slot is read from that position, with no lookup of its id.
  const { active, activeAccount, managedAt } = users;
  const activeIds: PersonId[] = new Array(active.length);
  const activeSlot = new Int32Array(active.length);
  for (let i = 0; i < active.length; i++) {
    const p = (activeIds[i] = active[i].person.id);
    // As UserPlan.accountOf has it: the account (its id), or the change that creates it.
    const at = activeAccount[i];
    let slot: number;
    if (at >= 0) slot = index.first[at];
    else {
      slot = key.length;
      key.push(`+user:${p}`);
    }
    activeSlot[i] = slot;
    person[slot] = p;
  }
  // People by id, made when a planner first asks for one.
  let byPerson: KeyIndex | undefined;
  const ofPerson = (p: PersonId) => {
    const i = (byPerson ??= new KeyIndex(activeIds)).get(p);
    return i === undefined || activeSlot[i] < 0 ? undefined : activeSlot[i];
  };
  const ref = (slot: number): ObjectRef | undefined => {
    if (person[slot] === undefined) return undefined;
    const k = key[slot];
    return slot < accounts ? { id: k } : { createdBy: k.slice(1) };
  };
  const managed = new Uint8Array(key.length);
  for (let i = 0; i < managedAt.length; i++) if (managedAt[i]) managed[index.first[i]] = 1;
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
