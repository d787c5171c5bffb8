import type { BromcomTable, Cell } from './bromcom-data.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(v: Cell): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  return esc(String(v));
}

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
