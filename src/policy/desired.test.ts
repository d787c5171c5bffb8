import { describe, expect, it } from 'vitest';
import { config, roster, staff, student } from '../../test/support/plan-kit.js';
import type { RawConfig } from '../config/load.js';
import type { Group, Lesson, Membership } from '../roster/types.js';
import { desiredEvents } from './calendar.js';
import { desiredClasses } from './classes.js';
import type { DesiredOwnGroup } from './desired.js';
import { desiredGroups, desiredSecurityGroups } from './groups.js';

const asOf = '2026-03-02';
const people = [
  student('1001', 'Jack', 'Cole'),
  student('1002', 'Amy', 'Poe'),
  student('1003', 'Zoë', 'Rees'),
  staff('31', 'Ann', 'Lee'),
  staff('32', 'Robert', 'Hale', { preferred: { first: 'Bob' } }),
];
const groups: Group[] = [
  { id: 'group:455', kind: 'registration', misId: '455', name: '8A' },
  { id: 'group:456', kind: 'registration', misId: '456', name: '8B', endDate: '2026-02-13' },
  { id: 'group:457', kind: 'registration', misId: '457', name: 'Staff Briefing' },
  { id: 'group:460', kind: 'teaching', misId: '460', name: '8A/Ma1', subject: 'Maths' },
  { id: 'group:461', kind: 'teaching', misId: '461', name: '8A/Dr1' },
  { id: 'group:470', kind: 'registration', misId: '470', name: '9C', startDate: '2026-09-01' },
];
const memberships: Membership[] = [
  { group: 'group:455', person: 'student:1001', role: 'member' },
  { group: 'group:455', person: 'student:1002', role: 'member', endDate: '2026-02-27' },
  { group: 'group:455', person: 'student:1003', role: 'member', startDate: '2026-04-20' },
  { group: 'group:455', person: 'staff:31', role: 'tutor' },
  { group: 'group:460', person: 'student:1003', role: 'member' },
  { group: 'group:460', person: 'student:1001', role: 'member' },
  { group: 'group:460', person: 'staff:32', role: 'teacher' },
];
const school = () => ({ ...roster(people), groups, memberships });
const settings = (rest: Partial<RawConfig>) => config({}, { school: { name: 'Test School', key: 'ts', academicYearStart: '09-01', timeZone: 'Europe/London' }, ...rest });
const own = (g: unknown) => g as DesiredOwnGroup;

describe('desiredGroups', () => {
  const cfg = (groupsConfig: Partial<NonNullable<RawConfig['groups']>> = {}) => settings({ groups: { from: ['registrationGroups'], displayName: '{academicYear} {name}', exclude: ['Staff*'], ...groupsConfig } });

  it('names, nicknames, marks and makes each current group as the templates and groups.type say', () => {
    const d = desiredGroups(cfg(), school(), asOf);
    expect(d.enabled).toBe(true);
    expect(d.prefix).toBe('ts-');
    // 8B ended, Staff Briefing is excluded by name; 9C starts next year and takes that year in its name.
    expect(d.groups.map((g) => [g.group, g.displayName, own(g).mailNickname])).toEqual([
      ['group:455', '2025-26 8A', 'ts-registration-455'],
      ['group:470', '2026-27 9C', 'ts-registration-470'],
    ]);
    expect(own(d.groups[0])).toMatchObject({
      name: '8A', kind: 'registration',
      description: '8A (registration group) [rollcall:ts:group]',
      mail: { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false },
    });
    const security = desiredGroups(cfg({ type: 'security', displayName: 'Tutor group {name}', mailNickname: '{schoolKey}-tutor-{name}-{misId}' }), school(), asOf);
    expect(own(security.groups[0])).toMatchObject({ displayName: 'Tutor group 8A', mailNickname: 'ts-tutor-8a-455', mail: { groupTypes: [], mailEnabled: false, securityEnabled: true } });
  });

  it('has today\'s members only, with staff as owners, members or both (groups.staffAs)', () => {
    const of = (staffAs: 'owners' | 'members' | 'ownersAndMembers') => own(desiredGroups(cfg({ staffAs }), school(), asOf).groups[0]);
    // Amy left the group last week; Zoë joins after Easter.
    expect(of('owners')).toMatchObject({ members: ['student:1001'], owners: ['staff:31'] });
    expect(of('members')).toMatchObject({ members: ['student:1001', 'staff:31'], owners: [] });
    expect(of('ownersAndMembers')).toMatchObject({ members: ['student:1001', 'staff:31'], owners: ['staff:31'] });
  });

  it('sends a mapped group to the school\'s own group by address, with no nickname or owners of its own', () => {
    const d = desiredGroups(cfg({ map: { '8A': 'form-8a@t.example' }, extraMembers: { '8A': { include: ['head@t.example'], exclude: [] } } }), school(), asOf);
    expect(d.groups[0]).toEqual({
      group: 'group:455', name: '8A', kind: 'registration', displayName: '2025-26 8A',
      members: ['student:1001'], extraMembers: { include: ['head@t.example'], exclude: [] }, mappedTo: 'form-8a@t.example',
    });
  });

  it('says which academic year an ended group ended in, by the nickname it was made with', () => {
    const d = desiredGroups(cfg(), school(), asOf);
    expect([...d.endedIn]).toEqual([['ts-registration-456', '2025-26']]);
    // A group the MIS no longer lists at all: the year of the day before the run (a rollover rehearsal on 1 September).
    expect(desiredGroups(cfg(), school(), '2026-09-01').yearBefore).toBe('2025-26');
    expect(desiredGroups(cfg(), school(), '2026-09-02').yearBefore).toBe('2026-27');
  });

  it('desires no group when groups.from names none', () => {
    const d = desiredGroups(settings({}), school(), asOf);
    expect(d).toMatchObject({ enabled: false, groups: [], prefix: 'ts-' });
    expect(d.endedIn.size).toBe(0);
  });
});

describe('desiredSecurityGroups', () => {
  it('gives each security group the users name its nickname under the school\'s sg- prefix and the marked description', () => {
    const d = desiredSecurityGroups(settings({}), [{ securityGroups: ['All Students', 'Students Y8'] }, { securityGroups: ['All Students', 'Élèves 8'] }]);
    expect(d).toMatchObject({ prefix: 'ts-sg-', description: 'Managed by rollcall for Test School [rollcall:ts:sg]', mail: { groupTypes: [], mailEnabled: false, securityEnabled: true } });
    expect([...d.nicknames]).toEqual([['All Students', 'ts-sg-all-students'], ['Students Y8', 'ts-sg-students-y8'], ['Élèves 8', 'ts-sg-eleves-8']]);
  });
});

describe('desiredClasses', () => {
  const cfg = (classes: Partial<NonNullable<RawConfig['classes']>> = {}) => settings({ classes: { from: ['teachingGroups'], ...classes } });

  it('names each current teaching group\'s class, links it by externalId and lists its teachers and students', () => {
    const d = desiredClasses(cfg(), school(), asOf);
    expect(d).toMatchObject({ enabled: true, prefix: 'ts-class-', team: true });
    expect(d.classes).toEqual([
      {
        group: 'group:460', name: '8A/Ma1', kind: 'teaching', displayName: '2025-26-8A/Ma1', mailNickname: 'ts-class-2025-26-460',
        description: 'Maths', externalId: '460', externalName: '8A/Ma1', externalSource: 'sis',
        teachers: ['staff:32'], students: ['student:1003', 'student:1001'],
      },
      {
        group: 'group:461', name: '8A/Dr1', kind: 'teaching', displayName: '2025-26-8A/Dr1', mailNickname: 'ts-class-2025-26-461',
        description: '8A/Dr1', externalId: '461', externalName: '8A/Dr1', externalSource: 'sis', teachers: [], students: [],
      },
    ]);
  });

  it('follows the class templates, classes.exclude and classes.team', () => {
    const d = desiredClasses(cfg({ displayName: '{subject} {name}', mailNickname: '{schoolKey}-class-{misId}', exclude: ['*Dr*'], team: false }), school(), asOf);
    expect(d.team).toBe(false);
    expect(d.classes.map((c) => [c.displayName, c.mailNickname])).toEqual([['Maths 8A/Ma1', 'ts-class-460']]);
  });

  it('desires no class without classes:', () => {
    expect(desiredClasses(settings({}), school(), asOf)).toMatchObject({ enabled: false, classes: [], prefix: 'ts-class-' });
  });
});

describe('desiredEvents', () => {
  const lessons: Lesson[] = [
    // 23:30 UTC on 1 June is 00:30 on 2 June in London (summer time): the school's day and wall time count.
    { id: 'L2', group: 'group:460', staff: ['staff:32'], room: 'M2', period: 'P1', start: '2026-06-01T23:30:00Z', end: '2026-06-02T00:30:00Z' },
    { id: 'L1', group: 'group:460', staff: ['staff:32'], start: '2026-05-29T09:00:00+01:00', end: '2026-05-29T10:00:00+01:00' },
    { id: 'L0', group: 'group:460', staff: ['staff:32'], start: '2026-05-31T22:30:00Z', end: '2026-05-31T23:30:00Z' },
    { id: 'L9', group: 'group:460', staff: ['staff:32'], start: '2026-06-30T09:00:00Z', end: '2026-06-30T10:00:00Z' },
    { id: 'Lx', group: 'group:999', staff: ['staff:32'], start: '2026-06-03T09:00:00Z', end: '2026-06-03T10:00:00Z' },
  ];
  const day = '2026-06-01';
  const timetable = () => ({ ...school(), lessons });
  const cfg = (calendar: Partial<NonNullable<RawConfig['calendar']>> = {}) => settings({ calendar: { enabled: true, windowDays: 14, subject: '{class} {subject} {room} {teacher}', reminderMinutes: 5, ...calendar } });

  it('makes each lesson of the window an event body in the school\'s time zone, tagged with the lesson', () => {
    const d = desiredEvents(cfg(), timetable(), day);
    expect(d).toMatchObject({ enabled: true, tagPrefix: 'ts:', reminderMinutes: 5 });
    // L0 starts at 23:30 on 31 May in London, L1 before the day, L9 beyond the window, Lx in a group the MIS lacks.
    expect(d.lessons.map((l) => l.lesson)).toEqual(['L2']);
    expect(d.lessons[0]).toEqual({
      lesson: 'L2', tag: 'ts:L2', startsAt: '2026-06-01T23:30:00Z', endsAt: '2026-06-02T00:30:00Z',
      body: {
        subject: '8A/Ma1 Maths M2 Bob Hale',
        start: { dateTime: '2026-06-02T00:30:00', timeZone: 'Europe/London' },
        end: { dateTime: '2026-06-02T01:30:00', timeZone: 'Europe/London' },
        location: { displayName: 'M2' }, isReminderOn: true, reminderMinutesBeforeStart: 5, showAs: 'busy',
      },
      attendees: ['staff:32', 'student:1001', 'student:1003'],
    });
  });

  it('orders lessons by start, and sends no reminder without calendar.reminderMinutes', () => {
    const d = desiredEvents(cfg({ windowDays: 61, reminderMinutes: undefined }), timetable(), '2026-05-01');
    expect(d.lessons.map((l) => l.lesson)).toEqual(['L1', 'L0', 'L2', 'L9']);
    // The window is windowDays long: 60 days from 1 May end before 30 June.
    expect(desiredEvents(cfg({ windowDays: 60 }), timetable(), '2026-05-01').lessons.map((l) => l.lesson)).toEqual(['L1', 'L0', 'L2']);
    expect(d.reminderMinutes).toBeUndefined();
    expect(d.lessons[0].body).toMatchObject({ isReminderOn: false, location: { displayName: '' } });
    expect(d.lessons[0].body).not.toHaveProperty('reminderMinutesBeforeStart');
  });

  it('puts lessons only in the calendars in scope (calendar.users, calendar.exclude)', () => {
    expect(desiredEvents(cfg({ users: 'students', exclude: ['student:1003'] }), timetable(), day).lessons[0].attendees).toEqual(['student:1001']);
    expect(desiredEvents(cfg({ users: 'staff' }), timetable(), day).lessons[0].attendees).toEqual(['staff:32']);
    expect(desiredEvents(cfg({ users: 'listed', listed: ['student:1003'] }), timetable(), day).lessons[0].attendees).toEqual(['student:1003']);
  });

  it('desires no event when the calendar is off', () => {
    expect(desiredEvents(settings({}), timetable(), day)).toMatchObject({ enabled: false, lessons: [], tagPrefix: 'ts:' });
  });
});
