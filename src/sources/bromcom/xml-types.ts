// Tag events as the DataSet reader consumes them, and the one part of soap's response stream rollcall touches
// (soap hands its stream over when `returnSaxStream` is on; rollcall only silences it).
export interface XmlTag {
  name: string;
  attributes: Record<string, string>;
}

export interface SaxEvents {
  on(event: 'error', fn: (err: Error) => void): unknown;
}
