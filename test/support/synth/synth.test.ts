import { describe, expect, it } from 'vitest';
import { generateSchool } from './school.js';
import { renderSchool } from './write.js';

describe('synthetic school', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = renderSchool(generateSchool({ seed: 5, students: 120 }), 'oneroster');
    const b = renderSchool(generateSchool({ seed: 5, students: 120 }), 'oneroster');
    const c = renderSchool(generateSchool({ seed: 6, students: 120 }), 'oneroster');
    expect([...a]).toEqual([...b]);
    expect(a.get('users.csv')).not.toBe(c.get('users.csv'));
  });

  it('has the asked number of pupils in years 7-13, unique ids, accented names and some duplicate names', () => {
    const s = generateSchool({ seed: 1, students: 1200 });
    const students = s.people.filter((p) => p.kind === 'student');
    expect(students).toHaveLength(1200);
    expect(new Set(students.map((p) => p.yearGroup))).toEqual(new Set(['7', '8', '9', '10', '11', '12', '13']));
    expect(new Set(s.people.map((p) => p.id)).size).toBe(s.people.length);
    expect(s.people.some((p) => /[^\x00-\x7f]/.test(p.legal.first + p.legal.last))).toBe(true);
    const names = students.map((p) => `${p.legal.first} ${p.legal.last}`);
    expect(new Set(names).size).toBeLessThan(names.length);
    expect(s.lessons.length).toBeGreaterThan(0);
    expect(s.lessons.every((l) => /[+-]\d\d:\d\d$/.test(l.start))).toBe(true);
  });
});
