import { describe, expect, it } from 'vitest';
import { renderSummaryMail, summariseResults, type ApplyResult } from './mail.js';
import { SAMPLE_PEOPLE, samplePlan } from '../../test/support/sample-plan.js';

const plan = samplePlan();
const results: ApplyResult[] = [
  { key: 'user:student:1042', status: 'done' },
  { key: 'user:student:1043', status: 'failed', error: { status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists: tomasz.wisniewski@students.example.sch.uk' } },
  { key: 'user:student:1044', status: 'done' },
  { key: 'user:staff:31', status: 'skipped', detail: 'already up to date' },
  { key: 'user:student:1051', status: 'done' },
  { key: 'user:student:1052', status: 'failed', error: { status: 404, code: 'Request_ResourceNotFound', message: "Resource '6c1f0a52' does not exist." } },
  { key: 'group:year:2026', status: 'done' },
  { key: 'class:group:455', status: 'done' },
  { key: 'member:group:455:student:1042', status: 'failed', error: { status: 424, code: 'FailedDependency', message: 'The request depends on a request that failed.' } },
  { key: 'owner:group:455:staff:77', status: 'failed', error: { status: 424, code: 'FailedDependency', message: 'The request depends on a request that failed.' } },
];
const names = SAMPLE_PEOPLE.flatMap((p) => [p.displayName, p.given, p.surname, p.local]).filter(Boolean);

describe('renderSummaryMail', () => {
  it('counts done, skipped, failed and not run per kind', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'masked' });
    expect(mail.subject).toBe('rollcall applied with failures for Brook & Tarn School: 5 done, 4 failed, 1 skipped, 3 not run');
    expect(mail.text).toContain('user\t3\t1\t2\t0');
    expect(mail.text).toContain('membership\t0\t0\t2\t1');
    expect(mail.text).toContain('team\t0\t0\t0\t1');
    expect(mail.html).toContain('<td style="padding:2px 8px;text-align:left">user</td><td style="padding:2px 8px;text-align:right">3</td>');
  });

  it('lists every failure with Graph’s code and status, masked', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'masked' });
    expect(mail.text).toContain('- create user student:1043 (TW, Y7): Request_BadRequest (400) Another object with the same value for property userPrincipalName already exists: t•••@students.example.sch.uk');
    expect(mail.text).toContain("- delete user student:1052 (PR, Y13): Request_ResourceNotFound (404) Resource '6c1f0a52' does not exist.");
    expect(mail.html).toContain("<li>delete user student:1052 (PR, Y13): Request_ResourceNotFound (404) Resource '6c1f0a52' does not exist.</li>");
    for (const out of [mail.subject, mail.text, mail.html]) expect(names.filter((n) => out.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
  });

  it('names people in full mode', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'full' });
    expect(mail.text).toContain('Tomasz Wiśniewski <tomasz.wisniewski@students.example.sch.uk> (student:1043, Y7): Request_BadRequest (400)');
  });

  it('collapses failures to one line per error in counts mode, with no one in it', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'counts' });
    expect(mail.text).toContain('- FailedDependency (424): add-member membership, 1 time');
    expect(mail.text).toContain('- Request_BadRequest (400): create user, 1 time');
    for (const out of [mail.text, mail.html]) {
      expect(out).not.toMatch(/(student|staff):\w/);
      expect(out).not.toMatch(/\p{L}•••@/u);
      expect(names.filter((n) => out.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    }
  });

  it('escapes HTML and says so plainly when everything worked', () => {
    const ok = renderSummaryMail(plan, summariseResults(plan, plan.changes.map((c) => ({ key: c.key, status: 'done' as const }))), { personalData: 'masked' });
    expect(ok.subject).toBe('rollcall applied for Brook & Tarn School: 13 done, 0 failed, 0 skipped');
    expect(ok.html).toContain('Brook &amp; Tarn School');
    expect(ok.html).not.toContain('Failures');
    expect(ok.text).toContain('To do:\n- Hand out 2 initial passwords');
  });

  it('says a quiet night is quiet: nothing to change, no table of work', () => {
    const quiet = { ...plan, changes: [], summary: {}, blocked: [], unsynced: [], notes: [] };
    const mail = renderSummaryMail(quiet, undefined, { personalData: 'masked' });
    expect(mail.subject).toBe('rollcall for Brook & Tarn School: nothing to change');
    expect(mail.text).toContain('the tenant is in step with the MIS; nothing to change.');
    expect(mail.text).not.toContain('Failures');
  });

  it('says what is blocked and waiting for review, with the figures and the pull request', () => {
    const mail = renderSummaryMail(plan, undefined, { personalData: 'masked', notApplied: 'the plan crosses safety.maxSuspensions', review: { number: 7, url: 'https://github.example/school/it/pull/7' } });
    expect(mail.subject).toBe('rollcall for Brook & Tarn School: 13 changes not applied (blocked), waiting for review');
    expect(mail.text).toContain('Not applied:\n- Not applied: the plan crosses safety.maxSuspensions.\n- Review pull request #7: https://github.example/school/it/pull/7');
    expect(mail.text).toContain('- safety.maxSuspensions: the plan suspends more accounts than the school allows (41 of 1,311 (3.1 %), limit 2 % or 25)');
    expect(mail.text).toContain('0 done, 0 failed, 0 skipped, 13 not run');
  });

  it('lists the unsynced and held people by reason, masked, and only counts them in counts mode', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'masked' });
    expect(mail.text).toContain('Not synced or held (4):');
    expect(mail.text).toContain('- no-ascii-name: 1 person\n  - student:1061 (WX, Y8): name ••• ••• leaves nothing after transliteration');
    expect(mail.text).toContain('- future-starter: 1 person');
    expect(mail.html).toContain('<h3>Not synced or held (4)</h3>');
    for (const out of [mail.text, mail.html]) expect(names.filter((n) => out.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    const counts = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'counts' });
    expect(counts.text).toContain('- future-starter: 1 person');
    expect(counts.text).not.toMatch(/(student|staff):\w/);
  });

  it('gives the path of the passwords file when one was written', () => {
    const mail = renderSummaryMail(plan, summariseResults(plan, results), { personalData: 'masked', passwordsFile: '.rollcall/passwords-20260901T0600.age' });
    expect(mail.text).toContain('First passwords:\n- Written, encrypted, to .rollcall/passwords-20260901T0600.age');
  });
});
