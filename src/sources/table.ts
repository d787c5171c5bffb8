import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SourceError } from '../errors.js';
import { checkHeader, type HeaderSpec } from './header-check.js';

export interface Row {
  /** The line the record starts on (1 = header), for messages. */
  line: number;
  /** Trimmed value of a column, undefined when the column is absent or the cell is empty. */
  get(column: string | undefined): string | undefined;
}

export interface Table {
  /** The file name as it is shown in messages. */
  file: string;
  header: string[];
  rows: Row[];
  has(column: string): boolean;
}

/**
 * The longest record (one row, all its fields) a CSV export may have. Real rows are a few hundred characters; a
 * field of megabytes is a broken or hostile file, and parsing it whole took minutes and gigabytes.
 */
export const MAX_CSV_RECORD_CHARS = 64 * 1024;

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    // TextDecoder drops a leading BOM, which Excel writes into "CSV UTF-8" files.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let bad = 0;
    const text = bytes.toString('utf8');
    for (; bad < text.length && text[bad] !== '\uFFFD'; bad++);
    const line = text.slice(0, bad).split('\n').length;
    throw new SourceError(`${file}:${line} is not UTF-8 text; save the file as "CSV UTF-8"`, { file, line });
  }
}

/**
 * Reads a CSV file into rows addressed by header name. Headers are matched exactly first, then ignoring case,
 * because hand-made exports rarely keep a vendor's capitalisation. Every row must have as many fields as the header.
 * With a `spec` (a standard's file), the header is checked first: see checkHeader.
 */
export async function readTable(filePath: string, opts: { required?: string[]; shownAs?: string; spec?: HeaderSpec } = {}): Promise<Table> {
  const file = opts.shownAs ?? path.basename(filePath);
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(code === 'ENOENT' ? `${file} does not exist (looked for ${filePath})` : `cannot read ${file}: ${code ?? (e as Error).message}`, { file }, { cause: e });
  }
  return parseTable(bytes, file, opts.required ?? [], opts.spec);
}

export function parseTable(bytes: Buffer, file: string, required: string[], spec?: HeaderSpec): Table {
  const text = decodeUtf8(bytes, file);
  if (!text.trim()) throw new SourceError(`${file} is empty (not even a header line)`, { file, line: 1 });
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, info: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_CHARS }) as never;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    if ((e as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
      throw new SourceError(`${file}${line ? `:${line}` : ''}: a record longer than ${MAX_CSV_RECORD_CHARS} characters (an unclosed quote, or not a MIS export)`, { file, line }, { cause: e });
    }
    // csv-parse quotes the offending value; it may be someone's name, so it stays out of the message.
    const message = (e as Error).message.replace(/^Invalid Record Length: |^CSV_\w+: /, '').replace(/,? value is .*$/s, '');
    throw new SourceError(`${file}${line ? `:${line}` : ''}: ${message}`, { file, line }, { cause: e });
  }
  const [head, ...body] = records;
  const header = head.record.map((h) => h.trim());
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  header.forEach((h, i) => {
    if (exact.has(h)) throw new SourceError(`${file}:1 has the column "${h}" twice`, { file, line: 1 });
    exact.set(h, i);
    if (!folded.has(h.toLowerCase())) folded.set(h.toLowerCase(), i);
  });
  if (spec) checkHeader(file, header, required, spec);
  const indexOf = (c: string) => exact.get(c) ?? folded.get(c.toLowerCase());
  const missing = required.filter((c) => indexOf(c) === undefined);
  if (missing.length) {
    throw new SourceError(`${file}:1 lacks required column(s) ${missing.map((m) => `"${m}"`).join(', ')} (header: ${header.join(',')})`, { file, line: 1 });
  }
  const rows: Row[] = body.map(({ record, info }) => {
    const newlinesInside = record.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    const line = info.lines - newlinesInside;
    if (record.length !== header.length) {
      throw new SourceError(`${file}:${line} has ${record.length} field(s) where the header has ${header.length}`, { file, line });
    }
    return {
      line,
      get(column) {
        if (column === undefined) return undefined;
        const i = indexOf(column);
        const v = i === undefined ? undefined : record[i].trim();
        return v === '' ? undefined : v;
      },
    };
  });
  return { file, header, rows, has: (c) => indexOf(c) !== undefined };
}
