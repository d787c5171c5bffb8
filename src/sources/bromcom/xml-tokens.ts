import type { XmlTag } from './xml-types.js';

// A small streaming XML tokenizer for DataSet responses. `sax` (which `soap` uses) spent most of a 20,000-pupil
// read in character-by-character work; DataSets are plain element trees, so this finds tags with indexOf and
// checks only what a DataSet needs to be trusted: tags balance, entities are known, character references name
// characters XML allows, nothing is left open, no DOCTYPE (so no entity expansion). An unfinished token is held
// as chunks until one that can finish it arrives, and only the new chunk is searched: each character is looked at
// a bounded number of times however the response is chunked (searching the whole held token on every chunk was
// quadratic on a long value).

export class XmlSyntaxError extends Error {}
/** A token over MAX_XML_TOKEN_CHARS: not a syntax slip that a retry may not meet again, but a response to refuse. */
export class XmlLimitError extends XmlSyntaxError {}

/**
 * The longest text, tag, comment or CDATA section held at once. DataSet values are names, dates and codes; a
 * value of megabytes is a broken or hostile response, and buffering it whole took minutes and gigabytes.
 */
export const MAX_XML_TOKEN_CHARS = 4 * 1024 * 1024;

export interface XmlHandlers {
  /** `tag` is the handler's during this call only: the tokenizer may use the same object for a later tag. */
  open(tag: XmlTag): void;
  close(name: string): void;
  text(text: string): void;
}

/**
 * A reader of whole elements of a known shape, given the buffer at each '<' that opens an element at `rowDepth`
 * (open elements around it). It returns where the elements it read end (after their last '>'), or `at` when it
 * read none: it reads only what the general path would read to exactly the same effect, and nothing partly, so
 * the general path takes over at whatever it left with the tokenizer's state as it was. It may throw only the
 * error the general path would throw at the same place.
 */
export interface XmlRowReader {
  readonly rowDepth: number;
  readRows(buf: string, at: number): number;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0's Char production: what a character reference may name (no NUL, C0 controls, surrogates, U+FFFE/F). */
function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/**
 * `forbidden`: what a reference to a character XML excludes does: refuse the document (default), or decode to
 * that character (any code point) for a reader that cleans control characters itself.
 */
export function decodeEntities(s: string, forbidden: 'refuse' | 'decode' = 'refuse'): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (m, e: string | undefined) => {
    if (!e) throw new XmlSyntaxError('a bare "&" in text');
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (forbidden === 'decode' ? !(code > 0 && code <= 0x10ffff) : !isXmlChar(code)) {
        throw new XmlSyntaxError(`character reference ${m.length > 16 ? `${m.slice(0, 16)}…` : m} names no character XML allows`);
      }
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity ${m}`);
    return v;
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** The attributes of every tag that has none: shared, and frozen so no handler can fill it for the next tag. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** The most tag-name successions remembered (a DataSet has a few dozen). */
const MAX_FOLLOWS = 1024;
/** ASCII white space as the regex `\s` and `trim` know it (tag names and close tags end there). */
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * What the held, unfinished token waits for: text for a '<'; a comment, CDATA section or processing instruction
 * for its terminator; a tag for a '>' outside quotes (`quote` is the open quote so far); a bare '<' or '<!…' too
 * short to tell which it is, for any more input.
 */
type Unfinished = { kind: 'text' } | { kind: 'until'; end: string } | { kind: 'tag'; quote: number } | { kind: 'start' };

/**
 * A tag whose attributes (none of them an entity) are read on first use, during the handler's `open`. One per
 * tokenizer, set anew for each such tag: every DataSet row's tag is one, and an object for each was garbage.
 */
class LazyTag implements XmlTag {
  name = '';
  private read: Record<string, string> | undefined;
  private buf = '';
  private from = 0;
  private nameEnd = 0;
  private bodyEnd = 0;
  constructor(private readonly tokens: XmlTokenizer) {}

  set(name: string, buf: string, from: number, nameEnd: number, bodyEnd: number): this {
    this.name = name;
    this.read = undefined;
    this.buf = buf;
    this.from = from;
    this.nameEnd = nameEnd;
    this.bodyEnd = bodyEnd;
    return this;
  }

  get attributes(): Record<string, string> {
    return (this.read ??= this.tokens.readAttributes(this.buf, this.from, this.nameEnd, this.bodyEnd));
  }
}

export class XmlTokenizer {
  private stack: string[] = [];
  private sawRoot = false;
  /** The unfinished token, as the chunks it came in (joined once, when a chunk that can finish it arrives). */
  private held: string[] = [];
  private heldChars = 0;
  private waiting: Unfinished = { kind: 'text' };
  /** The held token's last characters, so a terminator split across chunks is still found. */
  private tail = '';
  /** Characters examined while looking for where tokens end (for tests: linear in the input, however chunked). */
  scanned = 0;
  /** Set by the handler while it knows the shape of the elements at `rowDepth` (a DataSet's rows). */
  rowReader: XmlRowReader | undefined;

  /**
   * `forbiddenCharRefs: 'decode'` is for text that is only quoted, never trusted (a SOAP fault's message): a
   * server that writes `&#x1b;[2J` there still said something worth showing, and the reader strips escape
   * sequences and controls itself, whole (dropping just the ESC would leave "[2J" behind).
   */
  constructor(private readonly h: XmlHandlers, private readonly opts: { forbiddenCharRefs?: 'refuse' | 'decode' } = {}) {}

  write(chunk: string): void {
    if (!chunk) return;
    if (this.heldChars) {
      if (!this.mayFinish(chunk)) {
        this.held.push(chunk);
        this.heldChars += chunk.length;
        // The unfinished token (text, tag, comment) may not grow without end.
        this.checkLength(this.heldChars);
        return;
      }
      this.held.push(chunk);
      chunk = this.held.join('');
      this.held = [];
      this.heldChars = 0;
    }
    this.scan(chunk);
  }

  /**
   * Whether `chunk` may finish the held token; never false when it does (a true that is not borne out only costs
   * one search of the joined token, which then records what it still waits for).
   */
  private mayFinish(chunk: string): boolean {
    const w = this.waiting;
    switch (w.kind) {
      case 'text': {
        const lt = chunk.indexOf('<');
        this.scanned += lt < 0 ? chunk.length : lt + 1;
        return lt >= 0;
      }
      case 'until': {
        const s = this.tail + chunk;
        const at = s.indexOf(w.end);
        this.scanned += at < 0 ? s.length : at + w.end.length;
        this.tail = s.slice(-(w.end.length - 1));
        return at >= 0;
      }
      case 'tag': {
        const end = this.tagEnd(chunk, 0, w.quote);
        w.quote = this.quote;
        return end >= 0;
      }
      case 'start':
        return true;
    }
  }

  private scan(buf: string): void {
    let pos = 0;
    let waiting: Unfinished | undefined;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      this.scanned += (lt < 0 ? buf.length : lt + 1) - pos;
      if (lt < 0) {
        // Text may continue in the next chunk; keep it (entities may be split too).
        waiting = { kind: 'text' };
        break;
      }
      if (lt > pos) this.emitText(buf.slice(pos, lt));
      pos = lt;
      if (buf.length - lt < 2) { waiting = { kind: 'start' }; break; }
      const next = buf.charCodeAt(lt + 1);
      const rows = this.rowReader;
      if (rows !== undefined && this.stack.length === rows.rowDepth && next !== 0x2f && next !== 0x21 && next !== 0x3f) {
        const to = rows.readRows(buf, lt);
        if (to > lt) {
          this.scanned += to - lt;
          pos = to;
          continue;
        }
      }
      let end: number;
      if (next === 0x21 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          end = this.find(buf, '-->', lt + 4);
          if (end < 0) { waiting = { kind: 'until', end: '-->' }; break; }
          this.checkLength(end - lt);
          pos = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          end = this.find(buf, ']]>', lt + 9);
          if (end < 0) { waiting = { kind: 'until', end: ']]>' }; break; }
          if (!this.stack.length) throw new XmlSyntaxError('CDATA outside the root element');
          this.checkLength(end - lt - 9);
          this.h.text(buf.slice(lt + 9, end));
          pos = end + 3;
        } else if (buf.length - lt < 9 && ('<![CDATA['.startsWith(buf.slice(lt, lt + 9)) || '<!--'.startsWith(buf.slice(lt, lt + 4)))) {
          waiting = { kind: 'start' };
          break;
        } else throw new XmlSyntaxError('a DOCTYPE or declaration, which a SOAP response must not have');
        continue;
      }
      if (next === 0x3f /* ? */) {
        end = this.find(buf, '?>', lt + 2);
        if (end < 0) { waiting = { kind: 'until', end: '?>' }; break; }
        this.checkLength(end - lt);
        pos = end + 2;
        continue;
      }
      // The tags of a DataSet's values are plain `<Name>` and `</Name>`: found without the quote-aware search
      // (which looks at every character of every tag in JavaScript) when they are exactly that; anything else,
      // attributes, white space, a tag cut by the chunk's end, takes the general way below.
      end = next === 0x2f ? this.plainClose(buf, lt) : this.plainOpen(buf, lt);
      if (end >= 0) {
        this.checkLength(end - lt);
        pos = end + 1;
        continue;
      }
      end = this.tagEnd(buf, lt + 1, 0);
      if (end < 0) { waiting = { kind: 'tag', quote: this.quote }; break; }
      this.checkLength(end - lt);
      if (next === 0x2f /* / */) this.closeTag(buf, lt + 2, end);
      else this.openTag(buf, lt + 1, end);
      pos = end + 1;
    }
    if (pos < buf.length) {
      const rest = buf.slice(pos);
      // Whatever is left is one unfinished token (text, tag, comment): it may not grow without end.
      this.checkLength(rest.length);
      this.held = [rest];
      this.heldChars = rest.length;
      this.waiting = waiting;
      this.tail = waiting.kind === 'until' ? rest.slice(-(waiting.end.length - 1)) : '';
    }
  }

  /** indexOf, counting what it looks at. */
  private find(buf: string, what: string, from: number): number {
    const at = buf.indexOf(what, from);
    this.scanned += (at < 0 ? buf.length : at + what.length) - from;
    return at;
  }

  private checkLength(chars: number): void {
    if (chars > MAX_XML_TOKEN_CHARS) throw new XmlLimitError(`a single value, tag or comment is longer than ${MAX_XML_TOKEN_CHARS} characters`);
  }

  /**
   * The '>' that ends a tag, skipping any inside quoted attribute values, scanning from `from` with `quote` open
   * (0: none); -1 when it is in a later chunk, with the quote still open left in `this.quote` (a field, not a
   * returned pair: this runs once per tag).
   */
  private tagEnd(buf: string, from: number, quote: number): number {
    let amp = false;
    for (let i = from; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === 0x26) amp = true;
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) {
        this.scanned += i + 1 - from;
        this.quote = 0;
        this.tagHasAmp = amp;
        return i;
      }
    }
    this.scanned += buf.length - from;
    this.quote = quote;
    return -1;
  }
  private quote = 0;
  /**
   * Whether the tag tagEnd last found has an '&' in it (from its own start: a tag held across chunks is searched
   * again whole once joined, so this is always about the tag openTag reads).
   */
  private tagHasAmp = true;
  /** The name of the last tag opened or closed, and for each name, the plain tag name that came next last time. */
  private prev = '';
  private follows = new Map<string, string>();
  /** The name of the last tag read the general way (with attributes), and the one tag object for lazy attributes. */
  private lastNamed = '';
  private readonly lazy = new LazyTag(this);

  /**
   * `</name>` closing the innermost open element, written exactly so: handled, and the '>' returned; otherwise -1
   * and nothing done. Exact for the general way too: open names hold no quote (openTag refuses one), so the
   * quote-aware search would stop at the same '>'.
   */
  private plainClose(buf: string, lt: number): number {
    const open = this.stack[this.stack.length - 1];
    if (open === undefined) return -1;
    const end = lt + 2 + open.length;
    if (buf.charCodeAt(end) !== 0x3e || !buf.startsWith(open, lt + 2)) return -1;
    this.scanned += end - lt;
    this.stack.pop();
    this.prev = open;
    this.h.close(open);
    return end;
  }

  /** `<name>` (ASCII, no attributes, no white space): handled, and the '>' returned; otherwise -1 and nothing done. */
  private plainOpen(buf: string, lt: number): number {
    // A row's values come in the same order in every row: the name that followed the previous tag last time is
    // tried first, and when it is there, the string already made for it is used again (no new string per value).
    const guess = this.follows.get(this.prev);
    let name: string;
    let i: number;
    if (guess !== undefined && buf.charCodeAt(lt + 1 + guess.length) === 0x3e && buf.startsWith(guess, lt + 1)) {
      name = guess;
      i = lt + 1 + guess.length;
    } else {
      for (i = lt + 1; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x3e) break;
        if (c === 0x2f || c === 0x22 || c === 0x27 || c >= 0x80 || isSpace(c)) return -1;
      }
      if (i === buf.length || i === lt + 1) return -1;
      name = buf.slice(lt + 1, i);
      // Bounded: a document of endlessly new names only loses the shortcut.
      if (this.follows.size >= MAX_FOLLOWS) this.follows.clear();
      this.follows.set(this.prev, name);
    }
    this.scanned += i - lt;
    if (!this.stack.length && this.sawRoot) throw new XmlSyntaxError('a second root element');
    this.sawRoot = true;
    this.prev = name;
    this.stack.push(name);
    this.h.open({ name, attributes: NO_ATTRIBUTES });
    return i;
  }

  /**
   * Attributes written the plain way, ` name="value"` each (every DataSet row's `diffgr:id` and `msdata:rowOrder`),
   * read without the regex; undefined for anything else (single quotes, white space around '=', stray characters),
   * which the regex then reads as it always did. For what it accepts it gives what the regex gives.
   */
  private plainAttributes(buf: string, from: number, to: number): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    let i = from;
    for (;;) {
      const spaceAt = i;
      while (i < to && isSpace(buf.charCodeAt(i))) i++;
      if (i === to) return out;
      if (i === spaceAt) return undefined;
      const nameAt = i;
      for (; i < to; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x3d /* = */) break;
        if (c === 0x22 || c === 0x27 || c === 0x2f || c === 0x3e || c >= 0x80 || isSpace(c)) return undefined;
      }
      if (i === nameAt || i + 1 >= to || buf.charCodeAt(i + 1) !== 0x22) return undefined;
      const close = buf.indexOf('"', i + 2);
      if (close < 0 || close >= to) return undefined;
      out[buf.slice(nameAt, i)] = decodeEntities(buf.slice(i + 2, close), this.opts.forbiddenCharRefs);
      i = close + 1;
    }
  }

  /** The attributes between the tag name's end and the tag body's end (`from` is where the name starts). */
  readAttributes(buf: string, from: number, nameEnd: number, bodyEnd: number): Record<string, string> {
    const plain = this.plainAttributes(buf, nameEnd, bodyEnd);
    if (plain) return plain;
    const body = buf.slice(from, bodyEnd);
    const attributes: Record<string, string> = {};
    ATTR.lastIndex = nameEnd - from;
    for (let a = ATTR.exec(body); a; a = ATTR.exec(body)) attributes[a[1]] = decodeEntities(a[2] ?? a[3], this.opts.forbiddenCharRefs);
    return attributes;
  }

  /** `</name>` between `from` and the '>' at `end`, which must close the innermost open element. */
  private closeTag(buf: string, from: number, end: number): void {
    const open = this.stack.pop();
    // Compared in place: a DataSet has one close tag per value, and slicing each name out was garbage.
    let to = end;
    while (to > from && isSpace(buf.charCodeAt(to - 1))) to--;
    if (open === undefined || to - from !== open.length || !buf.startsWith(open, from)) {
      // Anything else (leading or non-ASCII white space) as it always was: the name trimmed.
      const name = buf.slice(from, end).trim();
      if (open !== name) throw new XmlSyntaxError(`</${name}> closes <${open ?? 'nothing'}>`);
    }
    this.prev = open!;
    this.h.close(open!);
  }

  /** `<name attr="…">` or `<name/>` between `from` and the '>' at `end`. */
  private openTag(buf: string, from: number, end: number): void {
    const selfClosing = buf.charCodeAt(end - 1) === 0x2f;
    const bodyEnd = selfClosing ? end - 1 : end;
    // The name ends at whitespace, '/' or '>' (the regex below, for the rare name with a non-ASCII character).
    let nameEnd = from;
    for (; nameEnd < bodyEnd; nameEnd++) {
      const c = buf.charCodeAt(nameEnd);
      if (c === 0x2f || c === 0x3e || isSpace(c)) break;
      // No XML name has a quote in it; refusing one here also keeps plainClose exact.
      if (c === 0x22 || c === 0x27) throw new XmlSyntaxError('a quote in a tag name');
      if (c >= 0x80) {
        nameEnd = from + (/^[^\s/>]+/.exec(buf.slice(from, bodyEnd))?.[0].length ?? 0);
        if (/["']/.test(buf.slice(from, nameEnd))) throw new XmlSyntaxError('a quote in a tag name');
        break;
      }
    }
    if (nameEnd === from) throw new XmlSyntaxError('a tag without a name');
    if (!this.stack.length && this.sawRoot) throw new XmlSyntaxError('a second root element');
    this.sawRoot = true;
    // A row's tag has the same name every time: the string made for it the last time is used again.
    const last = this.lastNamed;
    const name = last.length === nameEnd - from && buf.startsWith(last, from) ? last : (this.lastNamed = buf.slice(from, nameEnd));
    let tag: XmlTag;
    if (nameEnd === bodyEnd) tag = { name, attributes: NO_ATTRIBUTES };
    // An entity or character reference is the only thing in attributes that refuses a document; a tag without
    // an '&' has none, so its attributes are read only if the handler asks for them. A DataSet's row tags each
    // carry diffgr:id and msdata:rowOrder, which nothing reads: slicing and decoding them was a good part of
    // reading a row.
    else if (!this.tagHasAmp) tag = this.lazy.set(name, buf, from, nameEnd, bodyEnd);
    else tag = { name, attributes: this.readAttributes(buf, from, nameEnd, bodyEnd) };
    this.prev = name;
    this.stack.push(name);
    this.h.open(tag);
    if (selfClosing) {
      this.stack.pop();
      this.h.close(name);
    }
  }

  private emitText(text: string): void {
    this.checkLength(text.length);
    if (!this.stack.length) {
      if (text.trim()) throw new XmlSyntaxError('text outside the root element');
      return;
    }
    this.h.text(decodeEntities(text, this.opts.forbiddenCharRefs));
  }

  end(): void {
    if (this.held.join('').trim()) throw new XmlSyntaxError('the document ends inside a tag or text');
    if (this.stack.length) throw new XmlSyntaxError(`the document ends with <${this.stack[this.stack.length - 1]}> still open`);
    if (!this.sawRoot) throw new XmlSyntaxError('the response is empty');
  }
}
