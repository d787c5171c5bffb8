import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { RosterBuilder } from '../../roster/builder.js';
import type { DataSet, DataSetRow } from './dataset.js';
import { mapBromcom, type BromcomTables } from './map.js';

const table = (names: string[], rows: DataSetRow[]): DataSet => ({ columns: new Map(names.map((n) => [n.toLowerCase(), { name: n, type: 'string' }])), rows });

function tables(assocDates: (string | null)[], lessonEnds: (string | null)[]): BromcomTables {
  return {
    Students: table(['StudentID', 'FirstName', 'LastName'], [{ studentid: '1', firstname: 'Ada', lastname: 'Lovelace' }]),
    Staff: table(['StaffID', 'FirstName', 'LastName'], [{ staffid: '9', firstname: 'Alan', lastname: 'Turing' }]),
    Collections: table(['CollectionID', 'CollectionName', 'CollectionTypeName'], [{ collectionid: '5', collectionname: '7A', collectiontypename: 'CLASS' }]),
    SubjectClasses: table(['ClassID'], []),
    CollectionAssociates: table(['PersonID', 'CollectionID', 'StartDate'], assocDates.map((d) => ({ personid: '1', collectionid: '5', startdate: d }))),
    CollectionExecutives: table(['StaffID', 'CollectionID'], []),
    TimeTable: table(['ClassID', 'PeriodStartDate', 'PeriodEndDate'], lessonEnds.map((end, i) => ({ classid: '5', periodstartdate: `2026-01-1${i + 2}T09:00:00Z`, periodenddate: end }))),
  };
}
const map = (t: BromcomTables) => {
  const b = new RosterBuilder('bromcom', '2026-01-12', silentLogger);
  mapBromcom(t, b);
  return b.build();
};

describe('mapBromcom dates (each distinct text parsed once)', () => {
  it('the same date text on many rows gives the same date; a bad one fails naming its own row', () => {
    const roster = map(tables(['2025-09-01', '2025-09-01T00:00:00', '2025-09-01'], ['2026-01-12T10:00:00+00:00', '2026-01-13T10:00:00Z']));
    expect(roster.memberships.filter((m) => m.group === 'group:5').map((m) => m.startDate)).toEqual(['2025-09-01']);
    expect(roster.lessons.map((l) => l.end)).toEqual(['2026-01-12T10:00:00+00:00', '2026-01-13T10:00:00+00:00']);
    expect(() => map(tables(['2025-09-01', '2025-09-01', '2025-02-30'], []))).toThrow('CollectionAssociates row 3: StartDate "2025-02-30" is not a date');
    expect(() => map(tables(['2025-02-30', '2025-02-30'], []))).toThrow('CollectionAssociates row 1: StartDate "2025-02-30" is not a date');
  });

  it('a lesson without an end fails naming its row, even after the same rows with ends', () => {
    expect(() => map(tables([], ['2026-01-12T10:00:00Z', null]))).toThrow('TimeTable row 2: PeriodEndDate "" is not a date-time with an offset');
  });
});

describe('mapBromcom reference ids (made once per MIS id)', () => {
  it('numbers and texts name the same person or group; an empty reference fails naming its row; a lesson without staff has none', () => {
    const t = tables([], []);
    t.Students!.rows.push({ studentid: '2', firstname: 'Grace', lastname: 'Hopper' });
    // xs:int columns arrive as numbers, others as text with stray spaces: both name the same id.
    t.CollectionAssociates!.rows.push({ personid: 1, collectionid: 5 }, { personid: ' 2 ', collectionid: '5' }, { personid: 2, collectionid: 5 });
    t.CollectionExecutives = table(['StaffID', 'CollectionID'], [{ staffid: 9, collectionid: ' 5' }]);
    t.TimeTable = table(['ClassID', 'PeriodStartDate', 'PeriodEndDate', 'StaffID'], [
      { classid: 5, periodstartdate: '2026-01-12T09:00:00Z', periodenddate: '2026-01-12T10:00:00Z', staffid: 9 },
      { classid: '5', periodstartdate: '2026-01-13T09:00:00Z', periodenddate: '2026-01-13T10:00:00Z', staffid: ' ' },
    ]);
    const roster = map(t);
    expect(roster.memberships.filter((m) => m.group === 'group:5').map((m) => [m.person, m.role])).toEqual([['staff:9', 'teacher'], ['student:1', 'member'], ['student:2', 'member']]);
    expect(roster.lessons.map((l) => [l.group, l.staff])).toEqual([['group:5', ['staff:9']], ['group:5', []]]);
    const empty = tables([], []);
    empty.CollectionAssociates!.rows.push({ personid: 1, collectionid: 5 }, { personid: '  ', collectionid: 5 });
    expect(() => map(empty)).toThrow('CollectionAssociates row 2: PersonID is empty');
    const noClass = tables([], []);
    noClass.TimeTable!.rows.push({ classid: null, periodstartdate: '2026-01-12T09:00:00Z', periodenddate: '2026-01-12T10:00:00Z' });
    expect(() => map(noClass)).toThrow('TimeTable row 1: ClassID is empty');
  });

  it('an error names its row as a plain place, whether the row lacks an id or has a bad date', () => {
    const placeOf = (t: BromcomTables) => {
      try {
        map(t);
      } catch (e) {
        return { message: (e as SourceError).message, where: (e as SourceError).where };
      }
      return undefined;
    };
    const empty = tables([], []);
    empty.CollectionAssociates!.rows.push({ personid: 1, collectionid: 5 }, { personid: 1, collectionid: null });
    expect(placeOf(empty)).toEqual({ message: 'CollectionAssociates row 2: CollectionID is empty', where: { record: 'CollectionAssociates row 2' } });
    expect(placeOf(tables(['2025-09-01', 'soon'], []))?.where).toEqual({ record: 'CollectionAssociates row 2' });
    expect(placeOf(tables([], ['2026-01-12T10:00:00Z', 'later']))?.where).toEqual({ record: 'TimeTable row 2' });
    expect(placeOf(tables([], ['2026-01-12T10:00:00Z', null]))?.where).toEqual({ record: 'TimeTable row 2' });
  });
});
