import { StringDecoder } from 'node:string_decoder';
import { SourceError } from '../../errors.js';
import type { XmlTag } from './xml-types.js';
import { decodeEntities, MAX_XML_TOKEN_CHARS, XmlLimitError, XmlSyntaxError, XmlTokenizer, type XmlRowReader } from './xml-tokens.js';

/**
 * The largest response read (bytes, as sent). A 20,000-pupil school's biggest entity is tens of megabytes; past this
 * the response is refused rather than held, and not asked for again.
 */
export const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** The error for a response over the cap, whoever noticed first (this reader, or axios's maxContentLength). */
export function responseTooLarge(what: string, maxBytes: number, cause?: unknown): SourceError {
  return new SourceError(`Bromcom's response to ${what} is larger than ${maxBytes} bytes; refusing it`, { record: what }, { cause, retryable: false });
}
const AXIOS_TOO_LARGE = /maxContentLength size of (\d+) exceeded/;
export const axiosTooLarge = (message: string | undefined): number | undefined => {
  const m = AXIOS_TOO_LARGE.exec(message ?? '');
  return m ? Number(m[1]) : undefined;
};

/**
 * The bytes of a response decoded and read at once. Values are slices of the text they came in, so each piece of
 * text lives as long as the rows do; pieces this large are allocated outside the young generation, where the
 * socket's 64 KiB pieces were copied by every scavenge the rows survived.
 */
const DECODE_BYTES = 512 * 1024;

export type DataSetValue = string | number | boolean | null;
/** A row keyed by lower-cased column name: Bromcom's column casing is not stable. */
export type DataSetRow = Record<string, DataSetValue>;

export interface DataSet {
  /** Column name (lower-cased) → the name and XSD type as the inline schema declares them. */
  columns: Map<string, { name: string; type: string }>;
  rows: DataSetRow[];
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

type Cell = { key: string; type: string | undefined; name: string };

/**
 * What a row of the main table looks like, for reading rows whole: its tag, and its value tags (the declared column
 * names, each with its cell) with, for each value (and for the row's start), the column that came next last time.
 */
interface RowShape {
  tag: string;
  names: string[];
  cells: Cell[];
  /** follows[i + 1]: the column that came after column i last time (follows[0]: the row's first); -1 none yet. */
  follows: Int32Array;
}

/**
 * Names the fast row path may read: plain ASCII without a prefix, and none that means something to the reader
 * wherever it is (a `diffgram` element anywhere starts a diffgram; `Fault` under `Body` is a fault).
 */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const rowName = (name: string) => PLAIN_NAME.test(name) && name !== 'diffgram' && name !== 'Body' && name !== 'Fault';
const NIL = ' xsi:nil="true"/>';
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * The first position at or after a given one where a character is, in one buffer, for positions asked in
 * increasing order: each search starts where it is asked and the answer is kept until asked past it, so a
 * character that is rare or absent is not searched for to the buffer's end again for every row.
 */
class NextOf {
  private buf = '';
  private from = 0;
  private at = -1;
  constructor(private readonly char: string) {}
  in(buf: string, from: number): number {
    if (buf !== this.buf) {
      this.buf = buf;
      this.at = -1;
    }
    if (from > this.at || from < this.from) {
      const at = buf.indexOf(this.char, from);
      this.at = at < 0 ? buf.length : at;
      this.from = from;
    }
    return this.at;
  }
}

/**
 * Turns the events of a SOAP response carrying a .NET DataSet into columns and rows. Values are converted by
 * the types the inline schema declares; a column left out of a row is NULL. A fault, or a result without inline
 * schema and diffgram, is an error: a response we cannot read must never look like an empty table.
 */
export class DataSetReader implements XmlRowReader {
  private stack: string[] = [];
  private sawResult = false;
  private sawSchema = false;
  private sawDiffgram = false;
  private schemaDepth = -1;
  private diffgramDepth = -1;
  private complex: string[] = [];
  private tables = new Map<string, Map<string, { name: string; type: string }>>();
  private rowTable: string | undefined;
  private row: DataSetRow | undefined;
  private rows: DataSetRow[] = [];
  private table: [name: string, columns: Map<string, { name: string; type: string }>] | undefined;
  private column: string | undefined;
  private text = '';
  private fault: { code?: string; string?: string } | undefined;
  private faultField: string | undefined;
  private skipDepth = -1;

  /** The tokenizer reading for this reader, which it tells when rows of a known shape may be read whole. */
  private tokens: XmlTokenizer | undefined;
  /** The depth of the rows of the diffgram's data element now open (-1: none open). */
  rowDepth = -1;
  /** The main table's row shape once known (null: its names are not plain enough to read rows whole). */
  private shape: RowShape | null | undefined;
  private readonly amp = new NextOf('&');
  private readonly dq = new NextOf('"');
  private readonly sq = new NextOf("'");

  /** Rows read whole (for tests: that the fast path is taken). */
  wholeRows = 0;

  /** `wholeRows: false` reads every tag as an event (for tests: the general path alone, to compare with). */
  constructor(private readonly what: string, private readonly opts: { wholeRows?: boolean } = {}) {}

  open(tag: XmlTag): void {
    const name = local(tag.name);
    const depth = this.stack.length;
    this.stack.push(name);
    if (this.skipDepth >= 0) return;
    if (name === 'Fault' && this.stack[depth - 1] === 'Body') this.fault = {};
    if (this.fault && (name === 'faultcode' || name === 'faultstring' || name === 'Text' || name === 'Value')) {
      this.faultField = name;
      this.text = '';
    }
    // Over SOAP the DataSet is the content of <opResult> in the body; the service's HTTP GET/POST binding (and its
    // test page) answers with the same content under a <DataSet> root.
    if ((depth === 3 && name.endsWith('Result')) || (depth === 0 && name === 'DataSet')) this.sawResult = true;
    if (name === 'schema' && this.schemaDepth < 0 && this.diffgramDepth < 0) {
      this.sawSchema = true;
      this.schemaDepth = depth;
      return;
    }
    if (this.schemaDepth >= 0) {
      if (name === 'element' && tag.attributes.name) {
        const type = tag.attributes.type;
        if (type) {
          const table = this.complex[this.complex.length - 1] ?? 'Table';
          const cols = this.tables.get(table) ?? new Map();
          cols.set(tag.attributes.name.toLowerCase(), { name: tag.attributes.name, type: local(type) });
          this.tables.set(table, cols);
        } else {
          this.complex.push(tag.attributes.name);
          this.complexDepths.push(depth);
        }
      }
      return;
    }
    if (name === 'diffgram') {
      this.sawDiffgram = true;
      this.diffgramDepth = depth;
      return;
    }
    if (this.diffgramDepth < 0) return;
    const rel = depth - this.diffgramDepth;
    // diffgr:before and diffgr:errors carry old versions and errors of rows, not rows.
    if (rel === 1 && (name === 'before' || name === 'errors')) {
      this.skipDepth = depth;
      return;
    }
    // The data element (<NewDataSet>): its rows may be read whole, without an event per tag. Rows at depth 3 may
    // be the *Result element that marks a SOAP result (checked in readRows); shallower, their values could be.
    if (rel === 1 && this.tokens && this.opts.wholeRows !== false && !this.fault && depth + 1 >= 3 && name !== 'Body') {
      this.rowDepth = depth + 1;
      this.tokens.rowReader = this;
    }
    if (rel === 2) {
      this.rowTable = name;
      this.row = {};
    } else if (rel === 3 && this.row) {
      this.cell = this.cellOf(name);
      this.column = name;
      this.text = '';
      if (tag.attributes['xsi:nil'] === 'true') this.row[this.cell.key] = null;
    }
  }

  onText(text: string): void {
    if (this.column !== undefined || this.faultField !== undefined) this.text += text;
  }

  close(): void {
    const depth = this.stack.length - 1;
    const name = this.stack.pop();
    if (depth === this.rowDepth - 1) {
      this.rowDepth = -1;
      if (this.tokens) this.tokens.rowReader = undefined;
    }
    if (this.skipDepth >= 0) {
      if (depth === this.skipDepth) this.skipDepth = -1;
      return;
    }
    if (this.faultField && name === this.faultField && this.fault) {
      if (name === 'faultcode' || name === 'Value') this.fault.code ??= this.text.trim();
      else this.fault.string ??= this.text.trim();
      this.faultField = undefined;
    }
    if (depth === this.schemaDepth) this.schemaDepth = -1;
    else if (this.schemaDepth >= 0 && name === 'element' && this.complexClosesAt(depth)) this.complex.pop();
    if (depth === this.diffgramDepth) this.diffgramDepth = -1;
    if (this.diffgramDepth < 0 || !this.row) return;
    const rel = depth - this.diffgramDepth;
    // Values are converted as they close (the schema came first), so a large table is held once, typed.
    if (rel === 3 && this.column !== undefined) {
      const cell = this.cell!;
      if (this.row[cell.key] !== null) this.row[cell.key] = convert(this.text, cell.type, this, cell.name);
      this.column = undefined;
    } else if (rel === 2) {
      if (this.rowTable === this.mainTable()[0]) this.rows.push(this.row);
      this.row = undefined;
    }
  }

  /** Where a value that does not convert was (built only then). */
  where(column: string): string {
    return `${this.what} row ${this.rows.length + 1} column ${column}`;
  }

  /**
   * Each value element's key (its name lower-cased), declared type and declared name, looked up once per element
   * name rather than once per value: the same few names repeat in every row, and lower-casing each one anew made
   * a fresh key string per value.
   */
  private cells = new Map<string, Cell>();
  private cell: Cell | undefined;
  private cellOf(name: string): Cell {
    let cell = this.cells.get(name);
    if (!cell) {
      const key = name.toLowerCase();
      const col = this.mainTable()[1].get(key);
      cell = { key, type: col?.type, name: col?.name ?? key };
      this.cells.set(name, cell);
    }
    return cell;
  }

  // Complex (table-level) xs:element tags have no type attribute; their close is found by counting.
  private complexDepths: number[] = [];
  private complexClosesAt(depth: number): boolean {
    return this.complexDepths.length > 0 && this.complexDepths[this.complexDepths.length - 1] === depth ? (this.complexDepths.pop(), true) : false;
  }

  private mainTable(): [string, Map<string, { name: string; type: string }>] {
    this.table ??= [...this.tables.entries()].find(([t]) => t !== 'NewDataSet') ?? ['Table', new Map()];
    return this.table;
  }

  finish(): DataSet {
    if (this.fault) {
      throw new SourceError(`Bromcom answered ${this.what} with a SOAP fault: ${this.fault.string ?? this.fault.code ?? 'no detail'}`, { record: this.what });
    }
    if (!this.sawResult || !this.sawSchema || !this.sawDiffgram) {
      const missing = [!this.sawResult && 'result element', !this.sawSchema && 'inline xs:schema', !this.sawDiffgram && 'diffgram'].filter(Boolean).join(', ');
      throw new SourceError(`Bromcom's response to ${this.what} is not a DataSet (no ${missing})`, { record: this.what });
    }
    return { columns: this.mainTable()[1], rows: this.rows };
  }

  /** Reads a response body as it arrives; resolves when the document ends, rejects if it is cut off or malformed. */
  static fromReadable(body: NodeJS.ReadableStream & { readableEnded?: boolean }, what: string, maxBytes = MAX_RESPONSE_BYTES): Promise<DataSet> {
    const reader = new DataSetReader(what);
    const tokens = reader.tokenizer();
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    return new Promise((resolve, reject) => {
      let done = false;
      const fail = (e: unknown) => {
        if (done) return;
        done = true;
        reject(wrapXmlError(e, what));
      };
      // Bytes are decoded and read a batch at a time (see DECODE_BYTES).
      const batch: Buffer[] = [];
      let batchBytes = 0;
      const flush = () => {
        if (!batchBytes) return;
        const all = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes);
        batch.length = 0;
        batchBytes = 0;
        tokens.write(decoder.write(all));
      };
      body.on('data', (chunk: Buffer | string) => {
        if (done) return;
        try {
          bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          if (bytes > maxBytes) throw responseTooLarge(what, maxBytes);
          if (typeof chunk === 'string') {
            flush();
            tokens.write(chunk);
          } else {
            batch.push(chunk);
            batchBytes += chunk.length;
            if (batchBytes >= DECODE_BYTES) flush();
          }
        } catch (e) {
          fail(e);
          (body as unknown as { destroy?: () => void }).destroy?.();
        }
      });
      body.on('error', (e) => fail(axiosTooLarge(e.message) !== undefined ? responseTooLarge(what, maxBytes, e) : new SourceError(`the connection to Bromcom dropped during the response to ${what} (${e.message})`, { record: what }, { cause: e, retryable: true })));
      body.on('close', () => {
        if (!body.readableEnded) fail(new SourceError(`the connection to Bromcom dropped during the response to ${what}`, { record: what }, { retryable: true }));
      });
      body.on('end', () => {
        if (done) return;
        try {
          flush();
          tokens.write(decoder.end());
          tokens.end();
          const ds = reader.finish();
          done = true;
          resolve(ds);
        } catch (e) {
          fail(e);
        }
      });
    });
  }

  tokenizer(): XmlTokenizer {
    return (this.tokens = new XmlTokenizer({ open: (t) => this.open(t), close: () => this.close(), text: (t) => this.onText(t) }));
  }

  /**
   * Rows read whole: `<Table …>(<Col>text</Col>|<Col/>|<Col xsi:nil="true"/>)*</Table>` with the main table's
   * tag and declared column names, no white space, comment, CDATA or other element between, no '&' in the row's
   * tag, found with indexOf rather than a tokenizer event per tag (a 20,000-pupil read is millions of values).
   * Each row read here has exactly the effect the events would have had; a row that is anything else, or that the
   * buffer cuts, is left whole to the general path (values already converted are converted again there: at most
   * one row per chunk).
   */
  readRows(buf: string, at: number): number {
    const shape = this.shape === undefined ? (this.shape = this.rowShape()) : this.shape;
    // Once a fault has begun, value names like faultstring are read as its fields: every tag is the general path's.
    if (shape === null || this.fault || (this.rowDepth === 3 && shape.tag.endsWith('Result'))) return at;
    let pos = at;
    for (;;) {
      const end = this.readRow(buf, pos, shape);
      if (end < 0 || code(buf, end) !== 0x3c) return end < 0 ? pos : end;
      pos = end;
    }
  }

  private rowShape(): RowShape | null {
    // The general path looks the main table up at a row's first value or its end at the latest: no schema can
    // come between (it is never read inside a diffgram), so looking it up here sees the same table.
    const [tag, columns] = this.mainTable();
    if (!rowName(tag)) return null;
    const names = [...columns.values()].map((c) => c.name).filter(rowName);
    return { tag, names, cells: names.map((n) => this.cellOf(n)), follows: new Int32Array(names.length + 1).fill(-1) };
  }

  /** One row from the '<' at `lt`: where it ends, or -1 (nothing done) when it is not exactly the shape. */
  private readRow(buf: string, lt: number, shape: RowShape): number {
    const tag = shape.tag;
    if (!matchAt(buf, lt + 1, tag)) return -1;
    let i = lt + 1 + tag.length;
    let end: number;
    const c = code(buf, i);
    if (c === 0x3e) end = i;
    else if (isSpace(c)) {
      // The tag's '>': the first one outside quoted attribute values.
      for (;;) {
        const gt = buf.indexOf('>', i);
        if (gt < 0) return -1;
        const dq = this.dq.in(buf, i);
        const sq = this.sq.in(buf, i);
        const q = dq < sq ? dq : sq;
        if (q > gt) {
          end = gt;
          break;
        }
        const close = q === dq ? this.dq.in(buf, q + 1) : this.sq.in(buf, q + 1);
        if (close >= buf.length) return -1;
        i = close + 1;
      }
      // A row that closes itself, or whose attributes have a reference to check, is the general path's.
      if (code(buf, end - 1) === 0x2f || this.amp.in(buf, lt) < end) return -1;
    } else return -1;
    if (end - lt > MAX_XML_TOKEN_CHARS) return -1;
    const { names, cells, follows } = shape;
    const row: DataSetRow = {};
    let pos = end + 1;
    let prev = -1;
    for (;;) {
      if (code(buf, pos) !== 0x3c) return -1;
      if (code(buf, pos + 1) === 0x2f) {
        if (code(buf, pos + 2 + tag.length) !== 0x3e || !matchAt(buf, pos + 2, tag)) return -1;
        this.rows.push(row);
        this.wholeRows++;
        return pos + 3 + tag.length;
      }
      // Values come in the same order in every row: the column that came next last time is tried first.
      let k = follows[prev + 1];
      if (k < 0 || !valueTagAt(buf, pos, names[k])) {
        // Otherwise the columns after the last one first, in the order declared (the order values come in).
        const n = names.length;
        let j = 0;
        for (; j < n; j++) if (valueTagAt(buf, pos, names[(k = (prev + 1 + j) % n)])) break;
        if (j === n) return -1;
        follows[prev + 1] = k;
      }
      const name = names[k];
      const cell = cells[k];
      const nameEnd = pos + 1 + name.length;
      const after = code(buf, nameEnd);
      if (after === 0x3e) {
        const from = nameEnd + 1;
        const to = buf.indexOf('<', from);
        if (to < 0 || to - from > MAX_XML_TOKEN_CHARS) return -1;
        if (code(buf, to + 1) !== 0x2f || code(buf, to + 2 + name.length) !== 0x3e || !matchAt(buf, to + 2, name)) return -1;
        let raw = to === from ? '' : buf.slice(from, to);
        if (this.amp.in(buf, from) < to) raw = decodeEntities(raw);
        if (row[cell.key] !== null) row[cell.key] = convert(raw, cell.type, this, cell.name);
        pos = to + 3 + name.length;
      } else if (after === 0x2f) {
        if (code(buf, nameEnd + 1) !== 0x3e) return -1;
        if (row[cell.key] !== null) row[cell.key] = convert('', cell.type, this, cell.name);
        pos = nameEnd + 2;
      } else if (matchAt(buf, nameEnd, NIL)) {
        row[cell.key] = null;
        pos = nameEnd + NIL.length;
      } else return -1;
      prev = k;
    }
  }

}

/**
 * The character at `i`, or -1 past the end: rows are cut by chunk ends, and a charCodeAt out of bounds (NaN) makes
 * V8 throw away the optimised code of the function that does it, again for each place it happens.
 */
const code = (buf: string, i: number): number => (i < buf.length ? buf.charCodeAt(i) : -1);

/** `<name` at `lt`, the name whole (followed by '>', '/' or a space). */
function valueTagAt(buf: string, lt: number, name: string): boolean {
  const c = code(buf, lt + 1 + name.length);
  return (c === 0x3e || c === 0x2f || c === 0x20) && matchAt(buf, lt + 1, name);
}

/** `s` at `at` in `buf`: startsWith, compared here (a builtin call for each of millions of short names cost more). */
function matchAt(buf: string, at: number, s: string): boolean {
  const n = s.length;
  if (at + n > buf.length) return false;
  for (let i = 0; i < n; i++) if (buf.charCodeAt(at + i) !== s.charCodeAt(i)) return false;
  return true;
}

function convert(raw: string, type: string | undefined, at: DataSetReader, column: string): DataSetValue {
  switch (type) {
    case 'int': case 'long': case 'short': case 'byte': case 'decimal': case 'double': case 'float': {
      const t = raw.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) throw new SourceError(`${at.where(column)}: "${raw}" is not a number`, { record: at.where(column) });
      return n;
    }
    case 'boolean': {
      const t = raw.trim();
      return t === 'true' || t === '1';
    }
    default:
      return raw;
  }
}

function wrapXmlError(e: unknown, what: string): unknown {
  if (e instanceof XmlLimitError) return new SourceError(`Bromcom's response to ${what} is refused: ${e.message}`, { record: what }, { cause: e, retryable: false });
  if (e instanceof XmlSyntaxError) return new SourceError(`Bromcom's response to ${what} is not well-formed XML: ${e.message}`, { record: what }, { cause: e, retryable: true });
  return e;
}

/** The same reading for a whole response held as text (tests, and the AsXml operation). */
export function parseDataSetXml(xml: string, what: string): DataSet {
  const reader = new DataSetReader(what);
  const tokens = reader.tokenizer();
  try {
    tokens.write(xml);
    tokens.end();
  } catch (e) {
    throw wrapXmlError(e, what);
  }
  return reader.finish();
}
