import { StringDecoder } from 'node:string_decoder';
import { SourceError } from '../../errors.js';
import type { XmlTag } from './xml-types.js';
import { XmlLimitError, XmlSyntaxError, XmlTokenizer } from './xml-tokens.js';

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

export type DataSetValue = string | number | boolean | null;
/** A row keyed by lower-cased column name: Bromcom's column casing is not stable. */
export type DataSetRow = Record<string, DataSetValue>;

export interface DataSet {
  /** Column name (lower-cased) → the name and XSD type as the inline schema declares them. */
  columns: Map<string, { name: string; type: string }>;
  rows: DataSetRow[];
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * Turns the events of a SOAP response carrying a .NET DataSet into columns and rows. Values are converted by
 * the types the inline schema declares; a column left out of a row is NULL. A fault, or a result without inline
 * schema and diffgram, is an error: a response we cannot read must never look like an empty table.
 */
export class DataSetReader {
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

  constructor(private readonly what: string) {}

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
  private cells = new Map<string, { key: string; type: string | undefined; name: string }>();
  private cell: { key: string; type: string | undefined; name: string } | undefined;
  private cellOf(name: string): { key: string; type: string | undefined; name: string } {
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
      body.on('data', (chunk: Buffer | string) => {
        if (done) return;
        try {
          bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          if (bytes > maxBytes) throw responseTooLarge(what, maxBytes);
          tokens.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
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
    return new XmlTokenizer({ open: (t) => this.open(t), close: () => this.close(), text: (t) => this.onText(t) });
  }

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
