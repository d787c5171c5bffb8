import { createHash } from 'node:crypto';
import type { Config } from '../config/load.js';
import { renderText } from '../policy/template.js';
import { addDays } from '../roster/dates.js';
import type { Lesson, Person, PersonId, Roster } from '../roster/types.js';
import { storedAnchor, type AnchorAttribute } from './anchor.js';
import { ROLLCALL_EVENT_PROPERTY_ID } from './event-property.js';
import { eventChangeKey, personFromAnchor } from './keys.js';
import type { Snapshot, TenantEvent } from '../tenant/types.js';
import { calendarScope } from '../policy/calendar.js';
import { membersByGroup } from '../policy/groups.js';
import type { Change, ObjectRef } from './types.js';
import type { UserPlan } from './users.js';

/** `2026-03-02T09:00:00+00:00` → `2026-03-02T09:00:00` in the school's zone: Outlook shows it as the school sees it. */
const formats = new Map<string, Intl.DateTimeFormat>();

function localDateTime(iso: string, timeZone: string): string {
  // Building a formatter costs far more than using one, and a year's timetable asks tens of thousands of times.
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = format
    .formatToParts(new Date(iso))
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

function sameTime(have: { dateTime: string; timeZone: string }, iso: string, local: string, timeZone: string): boolean {
  if (have.timeZone === timeZone) return have.dateTime.slice(0, 19) === local;
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
 * Timetable lessons of the next `windowDays` as events in each in-scope person's calendar. Events carry
 * rollcall's extended property, so rollcall finds and updates only its own and never touches anyone else's.
 */
export function planCalendar(config: Config, roster: Roster, snapshot: Snapshot, users: UserPlan, asOf: string): CalendarPlan {
  const cal = config.calendar;
  const out: CalendarPlan = { changes: [], warnings: [] };
  if (!cal.enabled) return out;
  const key = config.school.key;
  const tz = config.school.timeZone;
  const until = addDays(asOf, cal.windowDays);
  const inScope = calendarScope(config);
  const people = new Map<PersonId, Person>(roster.people.map((p) => [p.id, p]));
  const groups = new Map(roster.groups.map((g) => [g.id, g]));
  const members = membersByGroup(roster.memberships, asOf);
  const active = new Set(users.active.map((p) => p.person.id));

  // Excluded and protected people's calendars are left exactly as they are, rollcall's own events included.
  const untouchable = new Set(snapshot.users.filter((u) => users.untouchable.has(u.userPrincipalName.toLowerCase())).map((u) => u.id));
  const have = new Map<string, TenantEvent>();
  for (const e of snapshot.events) if (e.tag.startsWith(`${key}:`) && !untouchable.has(e.userId)) have.set(`${e.userId}\0${e.tag}`, e);

  const lessons = roster.lessons.filter((l) => {
    const day = localDateTime(l.start, tz).slice(0, 10);
    return day >= asOf && day < until;
  });
  for (const lesson of [...lessons].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const g = groups.get(lesson.group);
    if (!g) continue;
    const teacher = lesson.staff.map((s) => people.get(s)).find(Boolean);
    const subject = renderText(cal.subject, {
      class: g.name, subject: g.subject, room: lesson.room, period: lesson.period,
      teacher: teacher ? `${teacher.preferred.first ?? teacher.legal.first} ${teacher.preferred.last ?? teacher.legal.last}` : undefined,
    });
    const tag = `${key}:${lesson.id}`;
    const start = localDateTime(lesson.start, tz);
    const end = localDateTime(lesson.end, tz);
    const attendees = new Set<PersonId>([...(members.get(g.id)?.students ?? []), ...lesson.staff]);
    for (const person of [...attendees].sort()) {
      if (!active.has(person) || !inScope(person)) continue;
      const user = users.accountOf.get(person);
      if (!user) continue;
      const changeKey = eventChangeKey(person, lesson.id);
      const existing = user.id ? have.get(`${user.id}\0${tag}`) : undefined;
      if (existing) have.delete(`${user.id}\0${tag}`);
      plan(existing, user, person, changeKey, tag, subject, lesson, start, end);
    }
  }
  // rollcall's own events in the window that no lesson wants any more: the lesson moved or was cancelled.
  // Keyed by the person whose calendar it is (from the account's anchor), as when it was created.
  const attribute: AnchorAttribute = config.users.anchor;
  const personOfAccount = new Map(snapshot.users.map((u) => [u.id, personFromAnchor(storedAnchor(u, attribute) ?? '')]));
  for (const e of have.values()) {
    if (e.start.dateTime.slice(0, 10) < asOf) continue;
    out.changes.push({ action: 'delete', kind: 'event', key: eventChangeKey(personOfAccount.get(e.userId) ?? e.userId, e.tag.slice(key.length + 1)), destructive: false, reason: 'the lesson is no longer in the timetable', subject: { name: e.subject }, target: { id: e.id }, member: { id: e.userId } });
  }
  return out;

  function plan(existing: TenantEvent | undefined, user: ObjectRef, person: PersonId, changeKey: string, tag: string, subject: string, lesson: Lesson, start: string, end: string) {
    const reminder = cal!.reminderMinutes;
    const body = {
      subject,
      start: { dateTime: start, timeZone: tz },
      end: { dateTime: end, timeZone: tz },
      location: { displayName: lesson.room ?? '' },
      isReminderOn: reminder !== undefined,
      ...(reminder !== undefined ? { reminderMinutesBeforeStart: reminder } : {}),
      showAs: 'busy',
    };
    if (!existing) {
      out.changes.push({
        action: 'create', kind: 'event', key: changeKey, destructive: false, reason: 'lesson in the timetable',
        subject: { person, name: subject }, member: user,
        after: { ...body, singleValueExtendedProperties: [{ id: ROLLCALL_EVENT_PROPERTY_ID, value: tag }], transactionId: transactionId(tag, user.id ?? user.createdBy ?? person) },
      });
      return;
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (existing.subject !== subject) { before.subject = existing.subject; after.subject = subject; }
    if (!sameTime(existing.start, lesson.start, start, tz)) { before.start = existing.start; after.start = body.start; }
    if (!sameTime(existing.end, lesson.end, end, tz)) { before.end = existing.end; after.end = body.end; }
    if ((existing.location ?? '') !== (lesson.room ?? '')) { before.location = existing.location ?? null; after.location = body.location; }
    if ((existing.reminderMinutes ?? undefined) !== reminder) {
      before.reminderMinutes = existing.reminderMinutes ?? null;
      Object.assign(after, { isReminderOn: reminder !== undefined, ...(reminder !== undefined ? { reminderMinutesBeforeStart: reminder } : {}) });
    }
    if (Object.keys(after).length) {
      out.changes.push({ action: 'update', kind: 'event', key: changeKey, destructive: false, reason: 'the lesson changed in the timetable', subject: { person, name: subject }, target: { id: existing.id }, member: user, before, after });
    }
  }
}
