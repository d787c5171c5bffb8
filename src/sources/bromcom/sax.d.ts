// sax ships no type declarations; the parts rollcall uses are typed in sax-types.ts.
declare module 'sax' {
  const sax: { parser(strict: boolean, options?: Record<string, unknown>): unknown };
  export default sax;
}
