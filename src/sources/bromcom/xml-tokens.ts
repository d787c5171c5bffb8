import type { XmlTag } from './xml-types.js';

// A small streaming XML tokenizer for DataSet responses. `sax` (which `soap` uses) spent most of a 20,000-pupil
// read in character-by-character work; DataSets are plain element trees, so this finds tags with indexOf and
// checks only what a DataSet needs to be trusted: tags balance, entities are known, nothing is left open.

export class XmlSyntaxError extends Error {}
/** A token over MAX_XML_TOKEN_CHARS: not a syntax slip that a retry may not meet again, but a response to refuse. */
export class XmlLimitError extends XmlSyntaxError {}

/**
 * The longest text, tag, comment or CDATA section held at once. DataSet values are names, dates and codes; a
 * value of megabytes is a broken or hostile response, and buffering it whole took minutes and gigabytes.
 */
export const MAX_XML_TOKEN_CHARS = 4 * 1024 * 1024;

export interface XmlHandlers {
  open(tag: XmlTag): void;
  close(name: string): void;
  text(text: string): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (m, e: string | undefined) => {
    if (!e) throw new XmlSyntaxError('a bare "&" in text');
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw new XmlSyntaxError(`bad character reference ${m}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity ${m}`);
    return v;
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export class XmlTokenizer {
  private buf = '';
  private stack: string[] = [];
  private sawRoot = false;

  constructor(private readonly h: XmlHandlers) {}

  write(chunk: string): void {
    this.buf += chunk;
    const buf = this.buf;
    let pos = 0;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        // Text may continue in the next chunk; keep it (entities may be split too).
        break;
      }
      if (lt > pos) this.emitText(buf.slice(pos, lt));
      pos = lt;
      const next = buf.charCodeAt(lt + 1);
      let end: number;
      if (next === 0x21 /* ! */) {
        if (buf.startsWith('<!--', lt)) {
          end = buf.indexOf('-->', lt + 4);
          if (end < 0) break;
          pos = end + 3;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          end = buf.indexOf(']]>', lt + 9);
          if (end < 0) break;
          if (!this.stack.length) throw new XmlSyntaxError('CDATA outside the root element');
          this.checkLength(end - lt - 9);
          this.h.text(buf.slice(lt + 9, end));
          pos = end + 3;
        } else if (buf.length - lt < 9) break;
        else throw new XmlSyntaxError('a DOCTYPE or declaration, which a SOAP response must not have');
        continue;
      }
      if (next === 0x3f /* ? */) {
        end = buf.indexOf('?>', lt + 2);
        if (end < 0) break;
        pos = end + 2;
        continue;
      }
      end = this.tagEnd(buf, lt + 1);
      if (end < 0) break;
      if (next === 0x2f /* / */) {
        const name = buf.slice(lt + 2, end).trim();
        const open = this.stack.pop();
        if (open !== name) throw new XmlSyntaxError(`</${name}> closes <${open ?? 'nothing'}>`);
        this.h.close(name);
      } else {
        const selfClosing = buf.charCodeAt(end - 1) === 0x2f;
        const body = buf.slice(lt + 1, selfClosing ? end - 1 : end);
        const m = /^[^\s/>]+/.exec(body);
        if (!m) throw new XmlSyntaxError('a tag without a name');
        if (!this.stack.length && this.sawRoot) throw new XmlSyntaxError('a second root element');
        this.sawRoot = true;
        const attributes: Record<string, string> = {};
        if (body.length > m[0].length) {
          ATTR.lastIndex = m[0].length;
          for (let a = ATTR.exec(body); a; a = ATTR.exec(body)) attributes[a[1]] = decodeEntities(a[2] ?? a[3]);
        }
        this.stack.push(m[0]);
        this.h.open({ name: m[0], attributes });
        if (selfClosing) {
          this.stack.pop();
          this.h.close(m[0]);
        }
      }
      pos = end + 1;
    }
    this.buf = buf.slice(pos);
    // Whatever is left is one unfinished token (text, tag, comment): it may not grow without end.
    this.checkLength(this.buf.length);
  }

  private checkLength(chars: number): void {
    if (chars > MAX_XML_TOKEN_CHARS) throw new XmlLimitError(`a single value, tag or comment is longer than ${MAX_XML_TOKEN_CHARS} characters`);
  }

  /** The '>' that ends a tag, skipping any inside quoted attribute values; -1 when it is in a later chunk. */
  private tagEnd(buf: string, from: number): number {
    let quote = 0;
    for (let i = from; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) return i;
    }
    return -1;
  }

  private emitText(text: string): void {
    this.checkLength(text.length);
    if (!this.stack.length) {
      if (text.trim()) throw new XmlSyntaxError('text outside the root element');
      return;
    }
    this.h.text(decodeEntities(text));
  }

  end(): void {
    if (this.buf.trim()) throw new XmlSyntaxError('the document ends inside a tag or text');
    if (this.stack.length) throw new XmlSyntaxError(`the document ends with <${this.stack[this.stack.length - 1]}> still open`);
    if (!this.sawRoot) throw new XmlSyntaxError('the response is empty');
  }
}
