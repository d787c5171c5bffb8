import { createHash } from 'node:crypto';
import type { Config } from '../config/load.js';
import type { DesiredEvents, DesiredLesson, EventTime } from '../policy/desired.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantEvent } from '../tenant/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import { ROLLCALL_EVENT_PROPERTY_ID } from './event-property.js';
import { eventChangeKey, personFromAnchor } from './keys.js';
import type { Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';

/** An event's time as the tenant stores it against the desired one: the same wall time in the school's zone, or the same instant in UTC. */
function sameTime(have: EventTime, iso: string, want: EventTime): boolean {
  if (have.timeZone === want.timeZone) return have.dateTime.slice(0, 19) === want.dateTime;
  if (/^(UTC|Etc\/UTC|GMT)$/i.test(have.timeZone)) return Date.parse(`${have.dateTime.slice(0, 19)}Z`) === Date.parse(iso);
  return false;
}

/** A retried POST with the same transactionId is not a second event (Outlook's idempotency key). */
function transactionId(tag: string, userKey: string): string {
  const h = createHash('sha256').update(`${tag}\0${userKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface CalendarPlan { changes: Change[]; warnings: string[] }

/**
 * The desired events (policy/calendar.ts) against the events rollcall finds in each calendar. Events carry
 * rollcall's extended property, so rollcall finds and updates only its own and never touches anyone else's.
 */
export function planCalendar(config: Config, desired: DesiredEvents, snapshot: Snapshot, users: UserPlan, asOf: string): CalendarPlan {
  const out: CalendarPlan = { changes: [], warnings: [] };
  if (!desired.enabled) return out;
  const { tagPrefix, reminderMinutes: reminder } = desired;
  const active = new Set(users.active.map((p) => p.person.id));

  // Excluded and protected people's calendars are left exactly as they are, rollcall's own events included.
  // By position, as planUsers marked them (no address lower-cased again).
  const untouchable = new Set(snapshot.users.filter((_, i) => users.untouchableAt[i] === 1).map((u) => u.id));
  const have = new Map<string, TenantEvent>();
  for (const e of snapshot.events) if (e.tag.startsWith(tagPrefix) && !untouchable.has(e.userId)) have.set(`${e.userId}\0${e.tag}`, e);

  for (const lesson of desired.lessons) {
    for (const person of lesson.attendees) {
      if (!active.has(person)) continue;
      const user = users.accountOf.get(person);
      if (!user) continue;
      const existing = user.id ? have.get(`${user.id}\0${lesson.tag}`) : undefined;
      if (existing) have.delete(`${user.id}\0${lesson.tag}`);
      plan(existing, user, person, lesson);
    }
  }
  // rollcall's own events in the window that no lesson wants any more: the lesson moved or was cancelled.
  // Keyed by the person whose calendar it is (from the account's anchor), as when it was created.
  const attribute: AnchorAttribute = config.users.anchor;
  const personOfAccount = new Map(snapshot.users.map((u) => [u.id, personFromAnchor(storedAnchor(u, attribute) ?? '')]));
  for (const e of have.values()) {
    if (e.start.dateTime.slice(0, 10) < asOf) continue;
    out.changes.push({ action: 'delete', kind: 'event', key: eventChangeKey(personOfAccount.get(e.userId) ?? e.userId, e.tag.slice(tagPrefix.length)), destructive: false, reason: 'the lesson is no longer in the timetable', subject: { name: e.subject }, target: { id: e.id }, member: { id: e.userId } });
  }
  return out;

  function plan(existing: TenantEvent | undefined, user: ObjectRef, person: PersonId, lesson: DesiredLesson) {
    const { body, tag } = lesson;
    const changeKey = eventChangeKey(person, lesson.lesson);
    if (!existing) {
      out.changes.push({
        action: 'create', kind: 'event', key: changeKey, destructive: false, reason: 'lesson in the timetable',
        subject: { person, name: body.subject }, member: user,
        after: { ...body, singleValueExtendedProperties: [{ id: ROLLCALL_EVENT_PROPERTY_ID, value: tag }], transactionId: transactionId(tag, user.id ?? user.createdBy ?? person) },
      });
      return;
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (existing.subject !== body.subject) { before.subject = existing.subject; after.subject = body.subject; }
    if (!sameTime(existing.start, lesson.startsAt, body.start)) { before.start = existing.start; after.start = body.start; }
    if (!sameTime(existing.end, lesson.endsAt, body.end)) { before.end = existing.end; after.end = body.end; }
    if ((existing.location ?? '') !== body.location.displayName) { before.location = existing.location ?? null; after.location = body.location; }
    if ((existing.reminderMinutes ?? undefined) !== reminder) {
      before.reminderMinutes = existing.reminderMinutes ?? null;
      Object.assign(after, { isReminderOn: reminder !== undefined, ...(reminder !== undefined ? { reminderMinutesBeforeStart: reminder } : {}) });
    }
    if (Object.keys(after).length) {
      out.changes.push({ action: 'update', kind: 'event', key: changeKey, destructive: false, reason: 'the lesson changed in the timetable', subject: { person, name: body.subject }, target: { id: existing.id }, member: user, before, after });
    }
  }
}
