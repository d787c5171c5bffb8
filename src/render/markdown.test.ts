import { describe, expect, it } from 'vitest';
import { renderPlan } from './index.js';
import { MARKDOWN_MAX_CHARS } from './markdown.js';
import { bigPlan, samplePlan } from '../../test/support/sample-plan.js';

const TRUNCATION = /^\*\*… truncated: (.+) not shown — the full plan is in the job summary and the plan artifact\.\*\*$/m;
const CHANGE_ROW = /^- (⚠️ )?\*\*[a-z-]+\*\* /;

/** The document's structure is intact: every <details> closed, no row cut short, no tag cut in half. */
function assertWellFormed(out: string) {
  expect((out.match(/<details>/g) ?? []).length).toBe((out.match(/<\/details>/g) ?? []).length);
  expect((out.match(/<summary>/g) ?? []).length).toBe((out.match(/<\/summary>/g) ?? []).length);
  expect(out).not.toMatch(/<[^>\n]*$/m);
  let depth = 0;
  for (const tag of out.match(/<\/?details>/g) ?? []) {
    depth += tag === '<details>' ? 1 : -1;
    expect(depth === 0 || depth === 1).toBe(true);
  }
  expect(out.endsWith('\n')).toBe(true);
}

describe('markdown size cap', () => {
  const huge = bigPlan(100_000);

  it('keeps a 100,000-change plan within the default 60,000 characters and says how many are missing', () => {
    const out = renderPlan(huge, { format: 'markdown', personalData: 'masked' });
    expect(MARKDOWN_MAX_CHARS).toBe(60_000);
    expect(out.length).toBeLessThanOrEqual(60_000);
    expect(out.length).toBeGreaterThan(55_000);
    assertWellFormed(out);

    const shown = out.split('\n').filter((l) => CHANGE_ROW.test(l)).length;
    expect(shown).toBeGreaterThan(100);
    const line = out.match(TRUNCATION);
    // Warnings and notes are kept whole; what is dropped is detail.
    expect(line?.[1]).toBe(`${(100_000 - shown).toLocaleString('en-GB')} more changes and 4 unsynced`);
    expect(out).toContain('#### Warnings (2)');
    expect(out).toContain('#### Notes (1)');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(TRUNCATION);
    // The summary and the destructive section come first, whole.
    expect(out).toContain('| user | 66,666 | 33,334 | 100,000 |');
    expect(out.indexOf('#### ⚠ Destructive changes (33,334)')).toBeGreaterThan(out.indexOf('| kind |'));
  });

  it('holds in full mode too, and for a caller-chosen cap', () => {
    for (const maxChars of [65_536, 10_000, 2_000]) {
      const out = renderPlan(huge, { format: 'markdown', personalData: 'full', maxChars });
      expect(out.length).toBeLessThanOrEqual(maxChars);
      expect(out).toMatch(TRUNCATION);
      assertWellFormed(out);
    }
  });

  it('cuts only between rows, at every cap from tiny to just too small', () => {
    const plan = samplePlan();
    const whole = renderPlan(plan, { format: 'markdown', personalData: 'masked', maxChars: 1_000_000 });
    const wholeRows = new Set(whole.split('\n').filter((l) => l.startsWith('- ') || l.startsWith('  - ')));
    for (let maxChars = 400; maxChars < whole.length; maxChars += 37) {
      const out = renderPlan(plan, { format: 'markdown', personalData: 'masked', maxChars });
      expect(out.length, `maxChars ${maxChars}`).toBeLessThanOrEqual(maxChars);
      expect(out, `maxChars ${maxChars}`).toMatch(TRUNCATION);
      assertWellFormed(out);
      for (const l of out.split('\n')) if (l.startsWith('- ') || l.startsWith('  - ')) expect(wholeRows.has(l) || /^> - /.test(l), l).toBe(true);
    }
  });

  it('does not truncate what fits, to the character', () => {
    const whole = renderPlan(samplePlan(), { format: 'markdown', personalData: 'masked', maxChars: 1_000_000 });
    expect(renderPlan(samplePlan(), { format: 'markdown', personalData: 'masked', maxChars: whole.length })).toBe(whole);
    expect(renderPlan(samplePlan(), { format: 'markdown', personalData: 'masked', maxChars: whole.length - 1 })).toMatch(TRUNCATION);
  });

  it('keeps the promise even with an absurdly small cap', () => {
    for (const maxChars of [0, 10, 80, 200]) {
      expect(renderPlan(huge, { format: 'markdown', personalData: 'masked', maxChars }).length).toBeLessThanOrEqual(maxChars);
    }
  });
});

describe('what a cut keeps', () => {
  // A plan whose detail alone is far over a comment: 5,000 creates, a few destructive changes, a block, warnings, notes.
  const plan = (() => {
    const big = bigPlan(5_000);
    const sample = samplePlan();
    const creates = big.changes.filter((c) => !c.destructive);
    return { ...sample, changes: [...sample.changes, ...creates], summary: { ...sample.summary, user: { ...sample.summary.user, create: (sample.summary.user?.create ?? 0) + creates.length } } };
  })();

  it('keeps blocked rules, every destructive change, warnings and notes, and drops the detail first', () => {
    const whole = renderPlan(plan, { format: 'markdown', personalData: 'masked', maxChars: Number.MAX_SAFE_INTEGER });
    expect(whole.length).toBeGreaterThan(200_000);
    const out = renderPlan(plan, { format: 'markdown', personalData: 'masked', maxChars: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    assertWellFormed(out);
    expect(out).toContain('safety.maxSuspensions');
    expect(out).toContain('#### ⚠ Destructive changes (4)');
    expect(out.split('\n').filter((l) => l.startsWith('- ⚠️ '))).toHaveLength(4);
    expect(out).toContain('#### Warnings (2)');
    expect(out).toContain('#### Notes (1)');
    expect(out).toContain('Hand out 2 initial passwords');
    // The detail is what went: some creates, not the exceptions.
    expect(out.match(TRUNCATION)?.[1]).toMatch(/^[\d,]+ more changes$/);
  });

  it('sends the reader where the whole plan really is', () => {
    const cli = renderPlan(plan, { format: 'markdown', personalData: 'masked', maxChars: 20_000, fullPlanAt: 'the whole plan: rollcall plan --format markdown --out FILE' });
    expect(cli.match(/^\*\*… truncated.*$/m)?.[0]).not.toContain('job summary');
    expect(cli).toMatch(/^\*\*… truncated: [\d,]+ more changes not shown — the whole plan: rollcall plan --format markdown --out FILE\.\*\*$/m);
  });
});
