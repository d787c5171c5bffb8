import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { numberedReason } from '../plan/numbered.js';
import type { Change } from '../plan/types.js';
import { renderPlan } from './index.js';
import { samplePlan } from '../../test/support/sample-plan.js';

const STU = 'students.example.sch.uk';
const numbered: Change = {
  action: 'create', kind: 'user', key: 'user:student:1099', reason: numberedReason('new student in the MIS', `zoe.angstrom@${STU}`), destructive: false,
  subject: { person: 'student:1099', name: `zoe.angstrom2@${STU}`, displayName: '=Zoë Ångström', yearGroup: '7', initials: 'ZÅ' },
  after: { displayName: '=Zoë Ångström', userPrincipalName: `zoe.angstrom2@${STU}` },
};
const plan = () => { const p = samplePlan(); return { ...p, changes: [...p.changes, numbered] }; };
const people = new Map([['student:1042', { yearGroup: '7', registrationGroup: '7X' }], ['student:1099', { yearGroup: '7', registrationGroup: '7Y' }]]);
const rows = (csv: string) => parse(csv, { columns: true, comment: '#' }) as Record<string, string>[];

describe('--format csv: the new accounts for a school office', () => {
  it('has one row per account the plan creates, with MIS id, name, year, registration group, address and what to check', () => {
    const out = rows(renderPlan(plan(), { format: 'csv', personalData: 'full', people }));
    expect(out).toEqual([
      { 'MIS id': '1042', role: 'student', name: 'Zoë Ångström', year: '7', 'registration group': '7X', address: `zoe.angstrom@${STU}`, note: 'same name and year as student:1099' },
      { 'MIS id': '1043', role: 'student', name: 'Tomasz Wiśniewski', year: '7', 'registration group': '', address: `tomasz.wisniewski@${STU}`, note: '' },
      // A name the MIS starts with "=" is text in a spreadsheet, never a formula (render/csv.ts).
      { 'MIS id': '1099', role: 'student', name: "'=Zoë Ångström", year: '7', 'registration group': '7Y', address: `zoe.angstrom2@${STU}`, note: `numbered: zoe.angstrom@${STU} is taken; same name and year as student:1042` },
    ]);
  });

  it('follows the personal-data level: initials and masked addresses when masked, no rows with counts', () => {
    const masked = renderPlan(plan(), { format: 'csv', personalData: 'masked', people });
    expect(masked).not.toMatch(/Zoë|Ångström|zoe\.angstrom/);
    expect(rows(masked)[0]).toMatchObject({ 'MIS id': '1042', name: 'ZÅ', address: `z•••@${STU}` });
    const counts = renderPlan(plan(), { format: 'csv', personalData: 'counts', people });
    expect(rows(counts)).toEqual([]);
    expect(counts).toContain('3 new accounts');
  });
});
