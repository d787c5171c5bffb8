// A synthetic plan for render tests: every kind of row a reviewer can meet. The people are invented.
import type { Change, Plan, Unsynced } from '../../src/plan/types.js';

/** Everything personal in the sample, for "masked output never shows this" assertions. */
export const SAMPLE_PEOPLE = [
  { id: 'student:1042', displayName: 'Zoë Ångström', given: 'Zoë', surname: 'Ångström', local: 'zoe.angstrom' },
  { id: 'student:1043', displayName: 'Tomasz Wiśniewski', given: 'Tomasz', surname: 'Wiśniewski', local: 'tomasz.wisniewski' },
  { id: 'student:1044', displayName: 'Amara Okonkwo', given: 'Amara', surname: 'Okonkwo', local: 'amara.okonkwo' },
  { id: 'student:1051', displayName: 'Jacob Hartley', given: 'Jacob', surname: 'Hartley', local: 'jacob.hartley' },
  { id: 'student:1052', displayName: 'Priyanka Raman', given: 'Priyanka', surname: 'Raman', local: 'priyanka.raman' },
  { id: 'staff:31', displayName: 'Ffion Llewellyn', given: 'Ffion', surname: 'Llewellyn', local: 'f.llewellyn' },
  { id: 'student:1060', displayName: 'Oisín Brennan', given: 'Oisín', surname: 'Brennan', local: 'oisin.brennan' },
  { id: 'student:1061', displayName: '王 小明', given: '小明', surname: '王', local: '' },
  { id: 'student:1062', displayName: 'Keziah Marlowe', given: 'Keziah', surname: 'Marlowe', local: 'keziah.marlowe' },
  { id: 'staff:77', displayName: 'Rhodri Pennant', given: 'Rhodri', surname: 'Pennant', local: 'r.pennant' },
  // An account without an MIS match, known only by its address.
  { id: '', displayName: 'Gwendolyn Farrow', given: 'Gwendolyn', surname: 'Farrow', local: 'g.farrow' },
] as const;

const STU = 'students.example.sch.uk';
const STAFF = 'example.sch.uk';

function summarise(changes: Change[]): Plan['summary'] {
  const summary: Plan['summary'] = {};
  for (const c of changes) {
    const row = (summary[c.kind] ??= {});
    row[c.action] = (row[c.action] ?? 0) + 1;
  }
  return summary;
}

export function samplePlan(): Plan {
  const changes: Change[] = [
    {
      action: 'create', kind: 'user', key: 'user:student:1042', reason: 'joins Year 7 on 2026-09-03', destructive: false,
      subject: { person: 'student:1042', name: `zoe.angstrom@${STU}`, displayName: 'Zoë Ångström', yearGroup: '7', initials: 'ZÅ' },
      after: { displayName: 'Zoë Ångström', givenName: 'Zoë', surname: 'Ångström', userPrincipalName: `zoe.angstrom@${STU}`, mailNickname: 'zoe.angstrom', employeeId: 'bts:s1042', department: 'Year 7' },
    },
    {
      action: 'create', kind: 'user', key: 'user:student:1043', reason: 'joins Year 7 on 2026-09-03', destructive: false,
      subject: { person: 'student:1043', name: `tomasz.wisniewski@${STU}`, displayName: 'Tomasz Wiśniewski', yearGroup: '7', initials: 'TW' },
      after: { displayName: 'Tomasz Wiśniewski', givenName: 'Tomasz', surname: 'Wiśniewski', userPrincipalName: `tomasz.wisniewski@${STU}`, employeeId: 'bts:s1043' },
    },
    {
      action: 'update', kind: 'user', key: 'user:student:1044', reason: 'preferred name changed in the MIS', destructive: false,
      target: { id: '6c1f0a52-0000-4000-8000-000000001044' },
      subject: { person: 'student:1044', name: `amara.okonkwo@${STU}`, displayName: 'Amara Okonkwo', yearGroup: '9', initials: 'AO' },
      before: { displayName: 'Amy Okonkwo', givenName: 'Amy', proxyAddresses: [`SMTP:amara.okonkwo@${STU}`, `smtp:amy.okonkwo@${STU}`] },
      after: { displayName: 'Amara Okonkwo', givenName: 'Amara', proxyAddresses: [`SMTP:amara.okonkwo@${STU}`] },
    },
    {
      action: 'update', kind: 'user', key: 'user:staff:31', reason: 'department changed in the MIS', destructive: false,
      target: { id: '6c1f0a52-0000-4000-8000-000000000031' },
      subject: { person: 'staff:31', name: `f.llewellyn@${STAFF}`, displayName: 'Ffion Llewellyn', initials: 'FL' },
      before: { department: 'Science', jobTitle: 'Teacher' }, after: { department: 'Science | Physics', jobTitle: 'Head of Physics' },
    },
    {
      action: 'suspend', kind: 'user', key: 'user:student:1051', reason: 'left the school on 2026-07-22 (Jacob Hartley)', destructive: true,
      target: { id: '6c1f0a52-0000-4000-8000-000000001051' },
      subject: { person: 'student:1051', name: `jacob.hartley@${STU}`, displayName: 'Jacob Hartley', yearGroup: '11', initials: 'JH' },
      before: { accountEnabled: true }, after: { accountEnabled: false },
    },
    {
      action: 'delete', kind: 'user', key: 'user:student:1052', reason: 'suspended for 90 days (retention.deleteAfterDays)', destructive: true,
      target: { id: '6c1f0a52-0000-4000-8000-000000001052' },
      subject: { person: 'student:1052', name: `priyanka.raman@${STU}`, displayName: 'Priyanka Raman', yearGroup: '13', initials: 'PR' },
    },
    {
      action: 'create', kind: 'group', key: 'group:year:2026', reason: 'new year group in the MIS', destructive: false,
      subject: { name: 'Year 7 (2026 intake)', displayName: 'Year 7 (2026 intake)' },
      after: { displayName: 'Year 7 (2026 intake)', mailNickname: 'rc-year-2026' },
    },
    {
      action: 'create', kind: 'class', key: 'class:group:455', reason: 'teaching group 7X/Ma1 starts this term', destructive: false,
      subject: { name: '7X/Ma1 Maths', displayName: '7X/Ma1 Maths' },
    },
    {
      action: 'archive', kind: 'team', key: 'team:group:301', reason: 'teaching group 11Y/En2 ended on 2026-07-22', destructive: true,
      target: { id: '1b2c3d4e-0000-4000-8000-000000000301' }, subject: { name: '11Y/En2 English' },
    },
    {
      action: 'add-member', kind: 'membership', key: 'member:group:455:student:1042', reason: 'in 7X/Ma1 in the MIS', destructive: false,
      group: { createdBy: 'class:group:455', name: '7X/Ma1 Maths' }, member: { createdBy: 'user:student:1042' },
      subject: { person: 'student:1042', displayName: 'Zoë Ångström', yearGroup: '7', initials: 'ZÅ' },
    },
    {
      action: 'add-owner', kind: 'membership', key: 'owner:group:455:staff:77', reason: 'teaches 7X/Ma1', destructive: false,
      group: { createdBy: 'class:group:455', name: '7X/Ma1 Maths' }, member: { id: '6c1f0a52-0000-4000-8000-000000000077' },
      subject: { person: 'staff:77', name: `r.pennant@${STAFF}`, displayName: 'Rhodri Pennant', initials: 'RP' },
    },
    {
      action: 'remove-member', kind: 'membership', key: 'member:group:388:student:1060', reason: 'moved from 9B to 9C (Oisín asked)', destructive: true,
      group: { id: '1b2c3d4e-0000-4000-8000-000000000388', name: '9B Registration' }, member: { id: '6c1f0a52-0000-4000-8000-000000001060' },
      subject: { person: 'student:1060', name: `oisin.brennan@${STU}`, displayName: 'Oisín Brennan', yearGroup: '9', initials: 'OB' },
    },
    {
      action: 'create', kind: 'event', key: 'event:lesson:455:2026-09-07T09:00', reason: 'timetable: 7X/Ma1, period 1, room M4', destructive: false,
      subject: { name: '7X/Ma1 Maths: Monday period 1' },
    },
  ];
  const unsynced: Unsynced[] = [
    { person: 'student:1061', reason: 'no-ascii-name', detail: 'name 王 小明 leaves nothing after transliteration', subject: { person: 'student:1061', displayName: '王 小明', yearGroup: '8', initials: 'WX' } },
    { person: 'student:1062', reason: 'address-taken-by-unmanaged-account', detail: `keziah.marlowe@${STU} belongs to an account rollcall does not manage`, subject: { person: 'student:1062', displayName: 'Keziah Marlowe', name: `keziah.marlowe@${STU}`, yearGroup: '10', initials: 'KM' } },
    { account: `g.farrow@${STAFF}`, reason: 'no-matching-account', detail: 'no MIS person matches this account (Gwendolyn Farrow); add a manual match or exclude it', subject: { name: `g.farrow@${STAFF}`, displayName: 'Gwendolyn Farrow', initials: 'GF' } },
    { person: 'student:1063', reason: 'future-starter', detail: 'starts on 2026-11-02', subject: { person: 'student:1063', yearGroup: '7', initials: 'NB' } },
  ];
  return {
    version: 1,
    checksum: '9f2c4e1a7b3d5f60718293a4b5c6d7e8f9012345678901234567890abcdef012',
    createdAt: '2026-09-01T06:00:00.000Z',
    school: { key: 'bts', name: 'Brook & Tarn School' },
    mode: 'create',
    asOf: '2026-09-01',
    source: { kind: 'bromcom', digest: 'c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789', counts: { students: 1180, staff: 142, groups: 390 } },
    tenant: { domains: [STU, STAFF], users: 1402, managedUsers: 1311 },
    summary: summarise(changes),
    changes,
    warnings: [
      `f.llewellyn@${STAFF} has no work e-mail in the MIS; matched by name (Ffion Llewellyn)`,
      '3 teaching groups have no teacher in the MIS',
    ],
    blocked: [
      { rule: 'safety.maxSuspensions', message: 'the plan suspends more accounts than the school allows', count: 41, total: 1311, limit: { percent: 2, count: 25 } },
    ],
    unsynced,
    notes: ['Hand out 2 initial passwords (Year 7): they are in the job summary, not here.'],
  };
}

/** A plan with `n` changes (a third destructive), for size limits and performance. */
export function bigPlan(n: number): Plan {
  const base = samplePlan();
  const changes: Change[] = [];
  for (let i = 0; i < n; i++) {
    const id = 100_000 + i;
    const destructive = i % 3 === 0;
    changes.push({
      action: destructive ? 'suspend' : 'create', kind: 'user', key: `user:student:${id}`, destructive,
      reason: destructive ? 'left the school on 2026-07-22' : 'joins Year 7 on 2026-09-03',
      subject: { person: `student:${id}`, name: `pupil${id}@${STU}`, displayName: `Pupil Nummer${id}`, yearGroup: '7', initials: 'PN' },
      ...(destructive ? { before: { accountEnabled: true }, after: { accountEnabled: false } } : { after: { displayName: `Pupil Nummer${id}` } }),
    });
  }
  return { ...base, changes, summary: summarise(changes), blocked: [] };
}
