/** Where a record came from, for errors and warnings: a file and line, or a named record of a SOAP entity. */
export interface Where {
  file?: string;
  line?: number;
  record?: string;
}

export function describeWhere(w: Where): string {
  const place = w.file ? (w.line ? `${w.file}:${w.line}` : w.file) : '';
  return [place, w.record].filter(Boolean).join(' ');
}
