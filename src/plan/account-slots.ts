// Every account a plan's memberships can name, numbered once (a slot) for all the membership planners: what they
// know of an account (its key, reference, person, whether rollcall manages it) is then read from arrays by slot,
// instead of looked up again in a Map of 100,000 strings per membership, which is what a trust's 680,000
// memberships spend their time on (each lookup in a Map that size misses the processor's caches).
import type { PersonId } from '../roster/types.js';
import type { Snapshot } from '../tenant/types.js';
import type { ObjectRef } from './types.js';
import type { UserPlan } from './users.js';

export interface AccountSlots {
  /** A snapshot account's id → its slot (the first account with that id). */
  ofId: Map<string, number>;
  /** An active person (one who keeps or gets an account) → the slot of that account. */
  ofPerson: Map<PersonId, number>;
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
  const ofId = new Map<string, number>();
  const key: string[] = [];
  for (const u of snapshot.users) {
    if (ofId.has(u.id)) continue;
    ofId.set(u.id, key.length);
    key.push(u.id);
  }
  const ref: (ObjectRef | undefined)[] = new Array(key.length);
  const person: (PersonId | undefined)[] = new Array(key.length);
  const ofPerson = new Map<PersonId, number>();
  const activeSlot = new Int32Array(users.active.length).fill(-1);
  for (let i = 0; i < users.active.length; i++) {
    const p = users.active[i].person.id;
    const r = users.accountOf.get(p);
    if (!r) continue;
    const k = r.id ?? `+${r.createdBy}`;
    let slot = r.id !== undefined ? ofId.get(r.id) : undefined;
    if (slot === undefined) {
      slot = key.length;
      key.push(k);
      if (r.id !== undefined) ofId.set(r.id, slot);
    }
    ofPerson.set(p, slot);
    activeSlot[i] = slot;
    ref[slot] = r;
    person[slot] = p;
  }
  const managed = new Uint8Array(key.length);
  for (const id of users.managedIds) {
    const slot = ofId.get(id);
    if (slot !== undefined) managed[slot] = 1;
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
}
