import { describe, expect, it } from 'vitest';
import { BULLETS, commentPersonalData, Masker, pseudonymiser } from './mask.js';
import { samplePlan } from '../../test/support/sample-plan.js';

describe('Masker', () => {
  const plan = samplePlan();
  const masked = new Masker('masked', plan);
  const counts = new Masker('counts', plan);
  const full = new Masker('full', plan);

  it('shows an address as its first character, bullets and the domain; counts not even the first character', () => {
    expect(masked.address('zoe.angstrom@students.example.sch.uk')).toBe('z•••@students.example.sch.uk');
    expect(masked.address('Ørjan.lie@example.sch.uk')).toBe('Ø•••@example.sch.uk');
    expect(counts.address('zoe.angstrom@students.example.sch.uk')).toBe('•••@students.example.sch.uk');
    expect(masked.address('SMTP:a.b@x.example, smtp:c@y.example')).toBe('SMTP:a•••@x.example, smtp:c•••@y.example');
    expect(full.address('zoe.angstrom@students.example.sch.uk')).toBe('zoe.angstrom@students.example.sch.uk');
  });

  it('scrubs free text of addresses and of every word of every name the plan carries, in any case and normalisation', () => {
    expect(masked.text('Jacob Hartley left; write to jacob.hartley@students.example.sch.uk')).toBe(`${BULLETS} ${BULLETS} left; write to j•••@students.example.sch.uk`);
    expect(masked.text('ZOË ÅNGSTRÖM')).toBe(`${BULLETS} ${BULLETS}`);
    expect(masked.text('Zoe\u0308 is decomposed')).toBe(`${BULLETS} is decomposed`);
    expect(masked.text('name 王 小明')).toBe(`name ${BULLETS} ${BULLETS}`);
    // Numbers, single Latin letters and ordinary words survive: dates and year groups stay readable.
    expect(masked.text('Year 7 starts on 2026-09-03, group A')).toBe('Year 7 starts on 2026-09-03, group A');
  });

  it('hides person ids only in counts mode', () => {
    expect(masked.text('student:1042 and staff:31')).toBe('student:1042 and staff:31');
    expect(counts.text('student:1042 and staff:31')).toBe(`student:${BULLETS} and staff:${BULLETS}`);
  });

  it('masks before/after under name and address keys, however deep, and scrubs the rest', () => {
    expect(masked.values({
      displayName: 'Anyone At All', GivenName: 'X', mail: 'a.b@example.sch.uk', otherMails: ['c.d@example.org'],
      mailNickname: { old: 'a.b', new: ['a.b2'] }, employeeId: 'bts:s1', department: 'Year 9 (Hartley)', accountEnabled: false,
    })).toEqual({
      displayName: BULLETS, GivenName: BULLETS, mail: 'a•••@example.sch.uk', otherMails: ['c•••@example.org'],
      mailNickname: { old: BULLETS, new: [BULLETS] }, employeeId: 'bts:s1', department: `Year 9 (${BULLETS})`, accountEnabled: false,
    });
  });

  it('leaves a group’s own names alone', () => {
    expect(masked.values({ displayName: 'Year 7 (2026 intake)', mailNickname: 'rc-year-2026' }, false))
      .toEqual({ displayName: 'Year 7 (2026 intake)', mailNickname: 'rc-year-2026' });
    expect(masked.label({ name: '7X/Ma1 Maths' }, 'class')).toBe('7X/Ma1 Maths');
    // …unless a group is named after someone the plan knows as a person.
    expect(masked.label({ name: '7R Mr Pennant tutor group' }, 'group')).toBe(`7R Mr ${BULLETS} tutor group`);
    expect(masked.subject({ name: '7R Mr Pennant tutor group' }, 'group')).toEqual({ name: `7R Mr ${BULLETS} tutor group` });
    expect(full.label({ name: '7R Mr Pennant tutor group' }, 'group')).toBe('7R Mr Pennant tutor group');
  });

  it('labels people by id, initials and year when masked, by name when full', () => {
    const s = plan.changes[0].subject;
    expect(masked.label(s, 'user')).toBe('student:1042 (ZÅ, Y7)');
    expect(full.label(s, 'user')).toBe('Zoë Ångström <zoe.angstrom@students.example.sch.uk> (student:1042, Y7)');
    expect(masked.label({ name: 'g.farrow@example.sch.uk', displayName: 'Gwendolyn Farrow', initials: 'GF' }, 'user')).toBe('g•••@example.sch.uk (GF)');
    expect(masked.label({ person: 'student:9', yearGroup: 'R' })).toBe('student:9 (R)');
    expect(full.label({ person: 'student:1063', yearGroup: '7' })).toBe('student:1063, Y7');
    // A Han or Hangul "initial" is a whole syllable, often the whole surname.
    expect(masked.label({ person: 'student:1061', initials: '李.王.', yearGroup: '8' })).toBe('student:1061 (•.•., Y8)');
    expect(masked.label({ person: 'student:1064', initials: '김.O.' })).toBe('student:1064 (•.O.)');
    // In a membership the planner puts the group's name in `name`: the group stays readable, the person does not.
    expect(masked.label({ person: 'staff:31', name: 'All Staff' }, 'membership')).toBe('staff:31');
    expect(full.label({ person: 'staff:31', name: 'All Staff' }, 'membership')).toBe('staff:31');
    expect(masked.subject({ person: 'staff:31', name: 'All Staff' }, 'membership')).toEqual({ person: 'staff:31', name: 'All Staff' });
  });

  it('keeps a subject’s shape in JSON', () => {
    expect(masked.subject(plan.changes[0].subject, 'user')).toEqual({
      person: 'student:1042', name: 'z•••@students.example.sch.uk', displayName: BULLETS, yearGroup: '7', initials: 'ZÅ',
    });
    expect(masked.subject({ name: '7X/Ma1 Maths' }, 'class')).toEqual({ name: '7X/Ma1 Maths' });
  });
});

describe('commentPersonalData', () => {
  it('defaults to masked and never gives a public repository names', () => {
    expect(commentPersonalData('full', { publicRepository: false })).toBe('full');
    expect(commentPersonalData('full', { publicRepository: true })).toBe('masked');
    expect(commentPersonalData('counts', { publicRepository: true })).toBe('counts');
  });
});

describe('pseudonymiser (public repositories)', () => {
  it('replaces every MIS person id, in keys, subjects, anchors and free text, the same way across plans', () => {
    const plan = samplePlan();
    const ids = new Set(plan.changes.flatMap((c) => (c.subject.person ? [c.subject.person] : [])));
    expect(ids.size).toBeGreaterThan(2);
    const view = pseudonymiser();
    const withText = { ...plan, warnings: [...plan.warnings, `${[...ids][0]} is in two groups`], changes: [...plan.changes, { ...plan.changes[0], after: { employeeId: `bts:s${[...ids][0].split(':')[1]}` } }] };
    const out = view(withText);
    const text = JSON.stringify(out);
    for (const id of ids) {
      const raw = id.split(':')[1];
      expect(text).not.toMatch(new RegExp(`${id}(?![0-9A-Za-z])`));
      expect(text).not.toContain(`:s${raw}"`);
    }
    expect(text).toMatch(/student:#1\b/);
    expect(out.checksum).toBe(plan.checksum);
    // The same person is the same ordinal in a second plan from the same run.
    const again = view(plan);
    expect(again.changes[0].key).toBe(out.changes[0].key);
    expect(again.changes.map((c) => c.subject.person)).toEqual(out.changes.slice(0, plan.changes.length).map((c) => c.subject.person));
  });
});

describe('redactIds (a public repository\'s job log)', () => {
  it('hides MIS ids, anchors and address local parts in the lines apply logs, and keeps the rest readable', async () => {
    const { redactIds } = await import('./mask.js');
    // The shape of apply-session's failure line: `${kind} ${action} ${key}: ${status} ${code}: ${message}`.
    const line = 'user create user:student:1042: 400 Request_BadRequest: Another object with the same value for property userPrincipalName (ava.edwards@students.e2e.example, anchor ea:s1042) already exists; staff:T-31 too';
    const out = redactIds(line);
    for (const secret of ['1042', 'ava.edwards', 'T-31']) expect(out).not.toContain(secret);
    expect(out).toBe('user create user:student:•••: 400 Request_BadRequest: Another object with the same value for property userPrincipalName (•••@students.e2e.example, anchor ea:s•••) already exists; staff:••• too');
    expect(redactIds('applying 26 change(s) (checksum 0123456789ab); kind:staff, group All Staff')).toBe('applying 26 change(s) (checksum 0123456789ab); kind:staff, group All Staff');
  });
});

describe("the school's own words are never masked", () => {
  // The quickstart's first plan showed `class "2026-27-•••/•••"`: an event in a teacher's calendar carries the
  // lesson's name as its subject and the room under `location.displayName`, and both were learnt as a name.
  const plan = samplePlan();
  plan.changes.push({
    action: 'create', kind: 'event', key: 'event:staff:31:lesson:1128@2026-11-23T12:10', destructive: false, reason: 'lesson in the timetable',
    subject: { person: 'staff:31', name: '10C/En3' }, member: { createdBy: 'user:staff:31' },
    after: { subject: '10C/En3', location: { displayName: 'Lab4' } },
  }, {
    action: 'create', kind: 'class', key: 'class:group:10C/En3', destructive: false, reason: 'teaching group in the MIS',
    subject: { name: '2026-27-10C/En3' }, after: { displayName: '2026-27-10C/En3' },
  }, {
    // calendar.subject: "{class} ({teacher})", a teacher whose account exists already (no change of their own).
    action: 'create', kind: 'event', key: 'event:staff:77:lesson:1129@2026-11-23T13:10', destructive: false, reason: 'lesson in the timetable',
    subject: { person: 'staff:77', name: '10C/En3 (Bartholomew Quist)' }, member: { id: 'u77' },
    after: { subject: '10C/En3 (Bartholomew Quist)' },
  });
  const masked = new Masker('masked', plan);

  it('keeps class and room names in free text and in an event, and still hides the teacher', async () => {
    const { renderPlan } = await import('./index.js');
    expect(masked.text('class "2026-27-10C/En3" in Lab4 has no teacher')).toBe('class "2026-27-10C/En3" in Lab4 has no teacher');
    const out = renderPlan(plan, { format: 'text', personalData: 'masked', detail: true });
    expect(out).toContain('staff:31: 10C/En3');
    expect(out).toContain('location: {"displayName":"Lab4"}');
    expect(JSON.parse(renderPlan(plan, { format: 'json', personalData: 'masked' })).changes.at(-3).after.location.displayName).toBe('Lab4');
  });

  it('still hides a teacher named in a lesson subject', async () => {
    const { renderPlan } = await import('./index.js');
    expect(masked.text('Bartholomew Quist teaches 10C/En3')).toBe(`${BULLETS} ${BULLETS} teaches 10C/En3`);
    for (const format of ['text', 'markdown', 'json'] as const) {
      expect(renderPlan(plan, { format, personalData: 'masked', detail: true }), format).not.toMatch(/Bartholomew|Quist/);
    }
  });
});

describe('what the CLI prints may show (stdoutPersonalData)', () => {
  it('names on a local terminal unless counts; in CI whatever report.personalData says', async () => {
    const { stdoutPersonalData } = await import('./mask.js');
    expect(stdoutPersonalData('masked', {})).toBe('full');
    expect(stdoutPersonalData('masked', { CI: 'false' })).toBe('full');
    expect(stdoutPersonalData('counts', {})).toBe('counts');
    expect(stdoutPersonalData('masked', { CI: 'true' })).toBe('masked');
    expect(stdoutPersonalData('full', { CI: '1' })).toBe('full');
    expect(stdoutPersonalData('counts', { CI: 'true' })).toBe('counts');
  });
});
