import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { academicYearLabel, academicYearOf } from './academic-year.js';
import { renderAddress, renderText } from './template.js';

const root = path.resolve(import.meta.dirname, '../..');

interface Case { template: string; first: string; last: string; middle: string; preferredFirst: string; preferredLast: string; startDate: string; expected: string }

describe('username conformance (test/fixtures/conformance/usernames.csv, our own copy of ../shared/conformance/usernames.csv)', async () => {
  const cases: Case[] = parse(await readFile(path.join(root, 'test/fixtures/conformance/usernames.csv')), { columns: true, trim: false });
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));
  it.each(cases.map((c) => [`${c.template} ← ${c.first} ${c.last}`, c] as const))('%s', (_, c) => {
    const values = {
      first: c.first, last: c.last, middle: c.middle,
      preferredFirst: c.preferredFirst || c.first, preferredLast: c.preferredLast || c.last,
      entryYear: String(academicYearOf(c.startDate)),
    };
    const a = renderAddress(c.template, values);
    expect(a && `${a.local}@${a.domain}`).toBe(c.expected);
  });
});

describe('address templates', () => {
  it('collapses dots, trims them at the ends and cuts the local part to 64', () => {
    expect(renderAddress('.{first}..{middle}.{last}.@x.example', { first: 'Ann', middle: '', last: 'Lee' })).toEqual({ local: 'ann.lee', domain: 'x.example' });
    const long = renderAddress('{first}.{last}@x.example', { first: 'a'.repeat(60), last: 'b'.repeat(10) });
    expect(long?.local).toHaveLength(64);
  });

  it('refuses a name that leaves nothing after transliteration', () => {
    expect(renderAddress('{first}.{last}@x.example', { first: '李', last: '王' })).toBeUndefined();
    expect(renderAddress('{first}.{last}@x.example', { first: 'Ann', last: '—' })).toBeUndefined();
  });

  it('takes the last N characters with {token:-N}', () => {
    expect(renderAddress('{misId:-3}{last}@x.example', { misId: '100234', last: 'Ng' })?.local).toBe('234ng');
  });
});

describe('display templates', () => {
  it('keeps names as written and tidies gaps left by empty tokens', () => {
    expect(renderText('{preferredFirst} {middle} {preferredLast}', { preferredFirst: 'Zoë', middle: '', preferredLast: "O'Brien" })).toBe("Zoë O'Brien");
    expect(renderText('Students {yearGroup}', { yearGroup: '7' })).toBe('Students 7');
  });
});

describe('academic years', () => {
  it('starts the year on academicYearStart', () => {
    expect(academicYearOf('2025-09-01')).toBe(2025);
    expect(academicYearOf('2026-08-31')).toBe(2025);
    expect(academicYearOf('2026-01-12', '01-01')).toBe(2026);
    expect(academicYearLabel(2025)).toBe('2025-26');
    expect(academicYearLabel(2099)).toBe('2099-00');
  });
});
