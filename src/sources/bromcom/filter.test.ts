import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../test/support/synth/bromcom-filter-eval.js';
import { between, notEndedBefore, renderFilter } from './filter.js';
import { executiveRole, splitPreferredFullName } from './map.js';

describe('entityFilter', () => {
  it('renders typed filters as T-SQL that the emulator evaluates the way SQL Server would', () => {
    const f = notEndedBefore('2025-01-12');
    expect(renderFilter(f)).toBe("(EndDate IS NULL) OR (EndDate >= '2025-01-12')");
    const pred = compileFilter(renderFilter(f), ['StudentID', 'EndDate']);
    expect(pred({ EndDate: null })).toBe(true);
    expect(pred({ EndDate: '2025-01-12T00:00:00+00:00' })).toBe(true);
    expect(pred({ EndDate: '2024-12-31T00:00:00+00:00' })).toBe(false);
    const w = compileFilter(renderFilter(between('PeriodStartDate', '2026-01-12', '2026-01-26')), ['PeriodStartDate']);
    expect(w({ PeriodStartDate: '2026-01-25T14:00:00+00:00' })).toBe(true);
    expect(w({ PeriodStartDate: '2026-01-26T08:50:00+00:00' })).toBe(false);
    expect(renderFilter({ all: true })).toBe('');
    expect(renderFilter({ none: true })).toBe('1=0');
    expect(compileFilter(renderFilter({ none: true }), ['PersonID'])({ PersonID: 1 })).toBe(false);
  });

  it('cannot carry text: bad column names, dates or numbers are refused before anything is sent', () => {
    expect(() => renderFilter({ isNull: "EndDate; DROP TABLE x" })).toThrow(/not a column name/);
    expect(() => renderFilter({ cmp: '=', column: 'StartDate', value: { date: "2025-01-01' OR 1=1 --" } })).toThrow(/not a date/);
    expect(() => renderFilter({ cmp: '=', column: 'StudentID', value: { int: 1.5 } })).toThrow(/not an integer/);
  });
});

describe('Bromcom quirks', () => {
  it('PreferredFullName is split with the legal names as anchors', () => {
    expect(splitPreferredFullName('Ollie Van der Berg', { first: 'Oliver', last: 'Van der Berg' })).toEqual({ first: 'Ollie', last: 'Van der Berg' });
    expect(splitPreferredFullName('Mo Ali Khan', { first: 'Mo', last: 'Ahmed' })).toEqual({ first: 'Mo', last: 'Ali Khan' });
    expect(splitPreferredFullName('Sam Jones', { first: 'Samuel', last: 'Smith' })).toEqual({ first: 'Sam', last: 'Jones' });
  });
  it('staff roles map to tutor or teacher', () => {
    expect(['Main Tutor', 'Additional Tutor', 'Head of House', 'Main Teacher', 'Teacher', 'Caretaker'].map(executiveRole)).toEqual(['tutor', 'tutor', 'teacher', 'teacher', 'teacher', undefined]);
  });
});
