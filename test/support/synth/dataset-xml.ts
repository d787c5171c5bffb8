import type { BromcomTable, Cell } from './bromcom-data.js';

const NEEDS_ESCAPE = /[&<>]/;
// Most values have nothing to escape: tested once rather than replaced three times.
const esc = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s);

/**
 * A .NET DataSet as ASMX serialises it: inline xs:schema (columns listed even with no rows), then a diffgram.
 * NULL columns are left out of their row; no rows means an empty diffgram. The text comes in pieces, a run of rows
 * each, so a server may render a large table without holding up its other answers (renderDataSetYielding).
 */
function* dataSetPieces(table: BromcomTable, rows: BromcomTable['rows'], rowsPerPiece: number): Generator<string> {
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
      if ((i + 1) % rowsPerPiece === 0) yield parts.splice(0).join('');
    }
    parts.push('</NewDataSet>');
  }
  parts.push('</diffgr:diffgram>');
  yield parts.join('');
}

export function renderDataSet(table: BromcomTable, rows: BromcomTable['rows']): string {
  return [...dataSetPieces(table, rows, Infinity)].join('');
}

/** Rows rendered between two turns of the event loop by renderDataSetYielding. */
const ROWS_PER_TURN = 2000;

/**
 * renderDataSet's text, the event loop let run between runs of rows: the emulator is one thread, and rendering a
 * 176,000-row table at a stretch stopped it sending the answers it had already made (a real service answers
 * concurrent calls side by side). The bytes are renderDataSet's.
 */
export async function renderDataSetYielding(table: BromcomTable, rows: BromcomTable['rows']): Promise<string> {
  const pieces: string[] = [];
  for (const piece of dataSetPieces(table, rows, ROWS_PER_TURN)) {
    pieces.push(piece);
    if (pieces.length > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return pieces.join('');
}
