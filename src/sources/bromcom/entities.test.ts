import { describe, expect, it } from 'vitest';
import { entitiesNeeded } from './entities.js';

describe('entitiesNeeded', () => {
  const config = (enabled: boolean, match: string[]) => ({ calendar: { enabled }, users: { match } });

  it('the six entities every read needs; TimeTable with the calendar; Emails only when matching by work e-mail', () => {
    const base = ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses'];
    expect(entitiesNeeded(config(false, ['anchor', 'manual']))).toEqual(base);
    expect(entitiesNeeded(config(true, ['anchor']))).toEqual([...base, 'TimeTable']);
    expect(entitiesNeeded(config(false, ['anchor', 'workEmail', 'manual']))).toEqual([...base, 'Emails']);
    expect(entitiesNeeded(config(true, ['workEmail']))).toEqual([...base, 'TimeTable', 'Emails']);
  });
});
