import { describe, expect, it } from 'vitest';
import { renderPlan, type RenderFormat } from './index.js';
import type { PersonalData } from './mask.js';
import { SAMPLE_PEOPLE, samplePlan } from '../../test/support/sample-plan.js';

const FORMATS: RenderFormat[] = ['text', 'markdown', 'json'];
const MODES: PersonalData[] = ['masked', 'full', 'counts'];
const EXT: Record<RenderFormat, string> = { text: 'txt', markdown: 'md', json: 'json', csv: 'csv' };
const ANSI = /\x1b\[/;

/** Names, surnames and address local parts of the synthetic people, plus the old name in an update's `before`. */
const personalStrings = [
  ...SAMPLE_PEOPLE.flatMap((p) => [p.displayName, p.given, p.surname, p.local]).filter((s) => s.length > 0),
  'Amy Okonkwo', 'amy.okonkwo',
];
const leaks = (out: string) => personalStrings.filter((s) => out.toLowerCase().includes(s.toLowerCase()));
// Text lists every row only with `detail`; the leak and layout checks below read every row.
const render = (format: RenderFormat, personalData: PersonalData, color = false, detail = true) => renderPlan(samplePlan(), { format, personalData, color, detail });

describe('renderPlan snapshots: every format × personalData over the synthetic plan', () => {
  for (const format of FORMATS) {
    for (const personalData of MODES) {
      it(`${format}, ${personalData}`, async () => {
        await expect(render(format, personalData, false, false)).toMatchFileSnapshot(`__snapshots__/sample.${personalData}.${EXT[format]}`);
      });
    }
  }
  it('text with colour', async () => {
    await expect(render('text', 'masked', true, false)).toMatchFileSnapshot('__snapshots__/sample.masked.color.txt');
  });
  it('text with --detail', async () => {
    await expect(render('text', 'masked')).toMatchFileSnapshot('__snapshots__/sample.masked.detail.txt');
    await expect(render('text', 'full')).toMatchFileSnapshot('__snapshots__/sample.full.detail.txt');
  });
});

describe('personal data', () => {
  it('full output really carries the names, so the leak checks below are not vacuous', () => {
    for (const format of FORMATS) {
      const out = render(format, 'full');
      expect(leaks(out).length, format).toBeGreaterThan(personalStrings.length - 3);
    }
  });

  it.each(FORMATS)('masked %s shows no name, surname or address local part of anyone', (format) => {
    expect(leaks(render(format, 'masked'))).toEqual([]);
  });

  it.each(FORMATS)('masked %s still shows ids, initials, year groups and masked addresses', (format) => {
    const out = render(format, 'masked');
    expect(out).toContain('student:1042');
    expect(out).toContain('k•••@students.example.sch.uk');
    if (format !== 'json') {
      expect(out).toContain('student:1042 (ZÅ, Y7)');
      expect(out).toContain('staff:31 (FL)');
    }
  });

  it.each(FORMATS)('counts %s shows no person id, name or even the first letter of an address', (format) => {
    const out = render(format, 'counts');
    expect(out).not.toMatch(/(student|staff):\w/);
    expect(leaks(out)).toEqual([]);
    expect(out).not.toMatch(/\p{L}•••@/u);
  });

  it('counts text and markdown keep the summary, the block and unsynced counts by reason, but no rows', () => {
    for (const format of ['text', 'markdown'] as const) {
      const out = render(format, 'counts');
      expect(out).toContain('safety.maxSuspensions');
      expect(out).toMatch(/address-taken-by-unmanaged-account\D+1/);
      expect(out).toMatch(/remove-member/);
      expect(out).not.toContain('7X/Ma1');
      expect(out).not.toContain('left the school');
    }
  });

  it('masked json keeps the structure and marks itself redacted; full json is the plan itself', () => {
    const plan = samplePlan();
    const masked = JSON.parse(render('json', 'masked'));
    expect(masked.changes).toHaveLength(plan.changes.length);
    expect(masked.changes.map((c: { key: string }) => c.key)).toEqual(plan.changes.map((c) => c.key));
    expect(masked.changes[0].subject).toEqual({ person: 'student:1042', name: 'z•••@students.example.sch.uk', displayName: '•••', yearGroup: '7', initials: 'ZÅ' });
    expect(masked.changes[0].after.employeeId).toBe('bts:s1042');
    expect(masked.redacted).toEqual({ personalData: 'masked' });
    expect(JSON.parse(render('json', 'full'))).toEqual(plan);
  });

  it('counts json drops rows but keeps their numbers', () => {
    const counts = JSON.parse(render('json', 'counts'));
    expect(counts.changes).toEqual([]);
    expect(counts.summary).toEqual(samplePlan().summary);
    expect(counts.redacted).toEqual({
      personalData: 'counts', changes: 13, warnings: 2, notes: 1,
      unsynced: { 'address-taken-by-unmanaged-account': 1, 'no-matching-account': 1, 'no-ascii-name': 1, 'future-starter': 1 },
    });
  });
});

describe('layout', () => {
  const destructiveRows = (out: string) => out.split('\n').map((l, i) => [l, i] as const).filter(([l]) => /\b(suspend|delete|archive|remove-member)\b(\*\*)? (user|team|membership)/.test(l));
  const otherRows = (out: string) => out.split('\n').map((l, i) => [l, i] as const).filter(([l]) => /\b(create|update|add-member|add-owner)\b(\*\*)? (user|group|class|event|membership)/.test(l));

  for (const format of ['text', 'markdown'] as const) {
    for (const personalData of ['masked', 'full'] as const) {
      it(`${format} ${personalData}: destructive changes come before all others, each marked`, () => {
        const out = render(format, personalData);
        const d = destructiveRows(out);
        const o = otherRows(out);
        expect(d).toHaveLength(4);
        expect(o).toHaveLength(9);
        expect(Math.max(...d.map(([, i]) => i))).toBeLessThan(Math.min(...o.map(([, i]) => i)));
        for (const [line] of d) expect(line).toMatch(format === 'text' ? /^\s+! / : /^- ⚠️ /);
      });
    }
  }

  it('text puts the summary first (saying it is blocked), then the block, loud, before any change', () => {
    const out = render('text', 'masked');
    expect(out.indexOf('Summary: 13 changes (blocked)')).toBeGreaterThan(0);
    expect(out.indexOf('Summary')).toBeLessThan(out.indexOf('BLOCKED'));
    expect(out.indexOf('BLOCKED')).toBeLessThan(out.indexOf('! Destructive'));
    expect(out).toContain('41 of 1,311 (3.1 %), limit 2 % or 25');
  });

  it('markdown has a heading with school and short checksum, a caution banner, a table and collapsible sections', () => {
    const out = render('markdown', 'masked');
    expect(out.startsWith('### rollcall plan for Brook &amp; Tarn School · `9f2c4e1a7b3d`')).toBe(true);
    expect(out.indexOf('> [!CAUTION]')).toBeLessThan(out.indexOf('| kind |'));
    expect(out.indexOf('| kind |')).toBeLessThan(out.indexOf('#### ⚠ Destructive changes (4)'));
    expect(out).toContain('| user | 2 | 2 |  |  | 1 |  |  | 1 | 6 |');
    expect(out.match(/<details>/g)).toHaveLength(9);
    expect(out.match(/<\/details>/g)).toHaveLength(9);
    expect(out).not.toContain('truncated');
  });

  it('markdown escapes what the plan says so it cannot inject markup', () => {
    const plan = samplePlan();
    plan.changes[7].subject.name = '<img src=x> **bold** | pipe';
    const out = renderPlan(plan, { format: 'markdown', personalData: 'full' });
    expect(out).toContain('&lt;img src=x&gt; \\*\\*bold\\*\\* \\| pipe');
  });

  it('uses colour only when asked', () => {
    for (const format of FORMATS) for (const personalData of MODES) expect(render(format, personalData, false)).not.toMatch(ANSI);
    const coloured = render('text', 'masked', true);
    expect(coloured).toMatch(/\x1b\[31m.*BLOCKED/);
    expect(coloured).toMatch(/\x1b\[31m! suspend user/);
    expect(render('markdown', 'masked', true)).not.toMatch(ANSI);
  });

  it('takes a title', () => {
    expect(renderPlan(samplePlan(), { format: 'markdown', personalData: 'masked', title: 'Changes in this PR' })).toMatch(/^### Changes in this PR · `/);
    expect(renderPlan(samplePlan(), { format: 'text', personalData: 'masked', title: 'Nightly' })).toMatch(/^Nightly \(bts\)/);
  });

  it('says so when there is nothing to do', () => {
    const plan = { ...samplePlan(), changes: [], summary: {}, blocked: [], unsynced: [], warnings: [], notes: [] };
    expect(renderPlan(plan, { format: 'markdown', personalData: 'masked' })).toContain('**No changes.**');
    expect(renderPlan(plan, { format: 'text', personalData: 'masked' })).toContain('Summary: no changes');
  });
});
