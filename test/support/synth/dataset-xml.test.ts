import { describe, expect, it } from 'vitest';
import { toBromcomData, type BromcomTable, type Cell } from './bromcom-data.js';
import { renderDataSet, renderDataSetYielding } from './dataset-xml.js';
import { generateSchool } from './school.js';

// The emulator's answers are what the Bromcom tests hold rollcall's reader to: making the rendering cheaper must
// not change a byte of them. This is the rendering as it was (one escape pass per character class, tags built per
// value), kept as the oracle.
function renderedBefore(table: BromcomTable, rows: BromcomTable['rows']): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cell = (v: Cell) => (v === null || v === undefined || v === '' ? undefined : esc(String(v)));
  const parts: string[] = [];
  parts.push(
    '<xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:msdata="urn:schemas-microsoft-com:xml-msdata">',
    '<xs:element name="NewDataSet" msdata:IsDataSet="true" msdata:UseCurrentLocale="true"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded">',
    '<xs:element name="Table"><xs:complexType><xs:sequence>',
  );
  for (const [name, type] of table.columns) parts.push(`<xs:element name="${name}" type="${type}" minOccurs="0"/>`);
  parts.push('</xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType></xs:element></xs:schema>');
  parts.push('<diffgr:diffgram xmlns:msdata="urn:schemas-microsoft-com:xml-msdata" xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1">');
  if (rows.length) {
    parts.push('<NewDataSet xmlns="">');
    rows.forEach((row, i) => {
      let s = `<Table diffgr:id="Table${i + 1}" msdata:rowOrder="${i}">`;
      for (const [name] of table.columns) {
        const v = cell(row[name]);
        if (v !== undefined) s += `<${name}>${v}</${name}>`;
      }
      parts.push(s + '</Table>');
    });
    parts.push('</NewDataSet>');
  }
  parts.push('</diffgr:diffgram>');
  return parts.join('');
}

describe('renderDataSet', () => {
  it('renders every entity of a synthetic school byte for byte as before', () => {
    const data = toBromcomData(generateSchool({ seed: 41, students: 300, staff: 30, asOf: '2026-01-12' }), { contacts: true });
    expect(Object.keys(data).length).toBeGreaterThan(8);
    for (const [name, table] of Object.entries(data)) expect(renderDataSet(table, table.rows), name).toBe(renderedBefore(table, table.rows));
  });

  it('escapes, leaves out NULL and empty values, and writes numbers and booleans as before', () => {
    const table: BromcomTable = { columns: [['A', 'xs:string'], ['N', 'xs:int'], ['B', 'xs:boolean']], rows: [
      { A: 'Zoë & Co <x> >', N: 0, B: false }, { A: '', N: null, B: true }, { A: '&amp;', N: -1.5 }, {}, { A: 'plain', N: 12345678901 },
    ] };
    expect(renderDataSet(table, table.rows)).toBe(renderedBefore(table, table.rows));
    expect(renderDataSet(table, [])).toBe(renderedBefore(table, []));
  });

  it('renders a large table with the same bytes while letting the event loop run between runs of rows', async () => {
    const data = toBromcomData(generateSchool({ seed: 43, students: 2500, staff: 40, asOf: '2026-01-12' }));
    const table = data.CollectionAssociates;
    expect(table.rows.length).toBeGreaterThan(6000);
    // What the server would do meanwhile: count the turns it gets while the table is rendered.
    let turns = 0;
    let rendering = true;
    const other = () => {
      if (!rendering) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    const text = await renderDataSetYielding(table, table.rows);
    rendering = false;
    expect(text).toBe(renderedBefore(table, table.rows));
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(await renderDataSetYielding(table, [])).toBe(renderedBefore(table, []));
    expect(await renderDataSetYielding(data.Staff, data.Staff.rows)).toBe(renderedBefore(data.Staff, data.Staff.rows));
  });
});
