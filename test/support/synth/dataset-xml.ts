import type { BromcomTable, Cell } from './bromcom-data.js';

const NEEDS_ESCAPE = /[&<>]/;
// Most values have nothing to escape: tested once rather than replaced three times.
const esc = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);

/**
 * A .NET DataSet as ASMX serialises it: inline xs:schema (columns listed even with no rows), then a diffgram.
 * NULL columns are left out of their row; no rows means an empty diffgram.
 */
export function renderDataSet(table: BromcomTable, rows: BromcomTable['rows']): string {
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
    // Each column's tags are made once, not once per value (a 20,000-pupil table is millions of values).
    const cols = table.columns.map(([name]) => ({ name, open: `<${name}>`, close: `</${name}>` }));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      let s = `<Table diffgr:id="Table${i + 1}" msdata:rowOrder="${i}">`;
      for (const c of cols) {
        const v: Cell = row[c.name];
        // NULL (and the empty string, which a DataSet cannot tell from it) is left out of its row.
        if (v === null || v === undefined || v === '') continue;
        s += c.open + (typeof v === 'string' ? esc(v) : String(v)) + c.close;
      }
      parts.push(s + '</Table>');
    }
    parts.push('</NewDataSet>');
  }
  parts.push('</diffgr:diffgram>');
  return parts.join('');
}
