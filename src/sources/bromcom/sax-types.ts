// The shape of the tag events the DataSet reader consumes (the same as sax's, which `soap` hands over when
// `returnSaxStream` is on).
export interface SaxTag {
  name: string;
  attributes: Record<string, string>;
}

export interface SaxEvents {
  on(event: 'error', fn: (err: Error) => void): unknown;
}
