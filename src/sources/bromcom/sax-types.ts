// The few parts of the `sax` package rollcall uses (sax ships no type declarations). `soap` hands its
// response stream over as a sax stream of this shape when `returnSaxStream` is on.
export interface SaxTag {
  name: string;
  attributes: Record<string, string>;
}

export interface SaxEvents {
  on(event: 'opentag', fn: (tag: SaxTag) => void): unknown;
  on(event: 'closetag', fn: (name: string) => void): unknown;
  on(event: 'text' | 'cdata', fn: (text: string) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
}

export interface SaxParser {
  onopentag: (tag: SaxTag) => void;
  onclosetag: (name: string) => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  onerror: (err: Error) => void;
  write(chunk: string): SaxParser;
  close(): SaxParser;
}
