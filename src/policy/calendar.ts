// Calendar events as they should be: the lessons of the window, their bodies in the school's time zone, and whose
// calendars get them.
import type { Config } from '../config/load.js';
import { addDays } from '../roster/dates.js';
import type { Person, PersonId, Roster } from '../roster/types.js';
import type { DesiredEvents, EventBody } from './desired.js';
import { membersByGroup, type GroupMembers } from './groups.js';
import { renderText } from './template.js';

/** Whose calendars rollcall writes (calendar.users, listed, exclude); the tenant read asks for exactly these. */
export function calendarScope(config: Config): (person: PersonId) => boolean {
  const cal = config.calendar;
  const listed = new Set(cal.listed);
  const excluded = new Set(cal.exclude);
  const who = cal.users;
  return (p) => !excluded.has(p) && (who === 'all' || (who === 'listed' ? listed.has(p) : p.startsWith(who === 'staff' ? 'staff:' : 'student:')));
}

const formats = new Map<string, Intl.DateTimeFormat>();
/**
 * Answers per time zone, by instant. A timetable repeats a few hundred start and end times across all its classes,
 * and formatting an instant costs microseconds (a 1,500-pupil school's plan asked 150,000 times: a third of it).
 */
const answers = new Map<string, Map<string, string>>();
const MAX_ANSWERS = 100_000;

/** `2026-03-02T09:00:00+00:00` → `2026-03-02T09:00:00` in the school's zone: Outlook shows it as the school sees it. */
export function localDateTime(iso: string, timeZone: string): string {
  let known = answers.get(timeZone);
  if (!known) answers.set(timeZone, (known = new Map()));
  const hit = known.get(iso);
  if (hit !== undefined) return hit;
  // Building a formatter costs far more than using one, and a year's timetable asks tens of thousands of times.
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(iso))) parts[p.type] = p.value;
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  // A bound, so a long-running process (the Action's, tests) never holds more than a few MB of answers.
  if (known.size >= MAX_ANSWERS) known.clear();
  known.set(iso, local);
  return local;
}

/**
 * Timetable lessons of the next calendar.windowDays as events in each in-scope attendee's calendar, each tagged
 * with the lesson's stable key (the value of rollcall's extended property).
 */
export function desiredEvents(config: Config, roster: Roster, asOf: string, membersOf: () => GroupMembers = () => membersByGroup(roster.memberships, asOf)): DesiredEvents {
  const cal = config.calendar;
  const key = config.school.key;
  const reminder = cal.reminderMinutes;
  const out: DesiredEvents = { enabled: cal.enabled, tagPrefix: `${key}:`, ...(reminder !== undefined ? { reminderMinutes: reminder } : {}), lessons: [] };
  if (!cal.enabled) return out;
  const tz = config.school.timeZone;
  const until = addDays(asOf, cal.windowDays);
  const inScope = calendarScope(config);
  const people = new Map<PersonId, Person>(roster.people.map((p) => [p.id, p]));
  const groups = new Map(roster.groups.map((g) => [g.id, g]));
  const members = membersOf();

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
    const body: EventBody = {
      subject,
      start: { dateTime: localDateTime(lesson.start, tz), timeZone: tz },
      end: { dateTime: localDateTime(lesson.end, tz), timeZone: tz },
      location: { displayName: lesson.room ?? '' },
      isReminderOn: reminder !== undefined,
      ...(reminder !== undefined ? { reminderMinutesBeforeStart: reminder } : {}),
      showAs: 'busy',
    };
    const attendees = [...new Set<PersonId>([...(members.get(g.id)?.students ?? []), ...lesson.staff])].sort().filter(inScope);
    out.lessons.push({ lesson: lesson.id, tag: `${key}:${lesson.id}`, body, startsAt: lesson.start, endsAt: lesson.end, attendees });
  }
  return out;
}
