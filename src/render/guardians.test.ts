// Guardians are personal data of people who are not the school's users: every masked output (text, markdown,
// json, the journal, the summary mail) shows how many a student has, never a name, an address or a phone; the
// unmasked text plan shows one line per contact that comes or goes.
import { describe, expect, it } from 'vitest';
import { journalEntry } from '../apply/journal.js';
import { buildPlan } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import type { Contact } from '../roster/types.js';
import type { Snapshot, TenantUser } from '../tenant/types.js';
import { config, roster, snapshot, student } from '../../test/support/plan-kit.js';
import { renderSummaryMail } from './mail.js';
import { Masker, pseudonymiser } from './mask.js';
import { renderPlan } from './index.js';

const contact = (misId: string, displayName: string, email: string, extra: Partial<Contact> = {}): Contact => ({
  student: 'student:1001', misId, displayName, email, relationship: 'parent', consent: true, mobilePhone: '07700 900461', ...extra,
});
const SECRETS = ['Marigold', 'Thackeray', 'marigold.t', 'home-mail.example', 'Ptolemy', 'ptolemy@', '900461', '900999'];

function guardianPlan(): Plan {
  const cfg = config({}, { tenant: { local: { state: '/tmp/x.json' }, domains: ['t.example', 'students.t.example'], education: true }, guardians: { phones: true } } as never);
  const r = roster([student('1001', 'Ada', 'Brook')]);
  r.contacts = [contact('c1', 'Marigold Thackeray', 'marigold.t@home-mail.example'), contact('c2', 'Ptolemy Thackeray', 'ptolemy@home-mail.example', { relationship: 'guardian', mobilePhone: '07700 900999' })];
  const user: TenantUser = { id: 'u1', userPrincipalName: 'adab@students.t.example', displayName: 'Ada Brook', accountEnabled: true, employeeId: 'ts:s1001' };
  const snap: Snapshot = {
    ...snapshot([user]), education: true,
    educationUsers: { profiles: [{ id: 'u1', primaryRole: 'student', student: null, teacher: null, relatedContacts: [{ displayName: 'Marigold Thackeray', emailAddress: 'marigold.t@home-mail.example', mobilePhone: null, relationship: 'parent', accessConsent: true }] }] },
  };
  return buildPlan({ config: cfg, roster: r, snapshot: snap, manualMatches: [], asOf: '2026-03-02', now: '2026-03-02T06:00:00Z' });
}

describe('guardians in rendered plans', () => {
  const plan = guardianPlan();
  const change = plan.changes.find((c) => c.kind === 'guardian')!;

  it('plans one update for the student, with a reason in counts', () => {
    expect(change).toMatchObject({ action: 'update', key: 'guardian:student:1001', reason: 'guardians differ from the MIS: 1 added, 1 changed' });
  });

  it('the unmasked text plan shows each contact that comes or goes', () => {
    const text = renderPlan(plan, { format: 'text', personalData: 'full', detail: true });
    expect(text).toMatch(/~ update guardian Ada Brook <adab@students\.t\.example> \(student:1001, Y8\) \(guardians differ from the MIS: 1 added, 1 changed\)/);
    expect(text).toContain('- parent Marigold Thackeray <marigold.t@home-mail.example>, consent');
    expect(text).toContain('+ parent Marigold Thackeray <marigold.t@home-mail.example> 07700 900461, consent');
    expect(text).toContain('+ guardian Ptolemy Thackeray <ptolemy@home-mail.example> 07700 900999, consent');
  });

  for (const personalData of ['masked', 'counts'] as const) {
    it(`${personalData}: text, markdown and json show no guardian's name, address or phone`, () => {
      const outputs = {
        text: renderPlan(plan, { format: 'text', personalData, detail: true }),
        markdown: renderPlan(plan, { format: 'markdown', personalData }),
        json: renderPlan(plan, { format: 'json', personalData }),
      };
      for (const [format, out] of Object.entries(outputs)) for (const s of SECRETS) expect(out, `${format} shows ${s}`).not.toContain(s);
      if (personalData === 'masked') {
        expect(outputs.text).toContain('guardians: 1 → 2');
        expect(outputs.markdown).toContain('guardians: 1 → 2');
        const json = JSON.parse(outputs.json) as Plan;
        expect(json.changes.find((c) => c.kind === 'guardian')!.after).toEqual({
          relatedContacts: [
            { displayName: '•••', emailAddress: '•••', mobilePhone: '•••', relationship: 'parent', accessConsent: true },
            { displayName: '•••', emailAddress: '•••', mobilePhone: '•••', relationship: 'guardian', accessConsent: true },
          ],
        });
      }
    });
  }

  it('a public repository\'s plan (pseudonymised, masked) shows counts only', () => {
    const md = renderPlan(pseudonymiser()(plan), { format: 'markdown', personalData: 'masked' });
    for (const s of [...SECRETS, '1001']) expect(md).not.toContain(s);
    expect(md).toContain('guardians: 1 → 2');
  });

  it('the journal and the summary mail keep them out too', () => {
    const m = new Masker('masked', plan);
    const line = JSON.stringify(journalEntry(change, { key: change.key, kind: change.kind, action: change.action, status: 'done' }, m, { time: 't', run: 'r', config: 'c', checksum: plan.checksum }));
    const mail = renderSummaryMail(plan, undefined, { personalData: 'masked' });
    for (const out of [line, mail.html, mail.text]) for (const s of SECRETS) expect(out).not.toContain(s);
  });
});
