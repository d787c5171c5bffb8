import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, parseYamlText } from './yaml-file.js';

const messages = (text: string) => parseYamlText('r.yaml', text).problems.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`);

describe('YAML limits (issue 12.11)', () => {
  it('an alias before its anchor, and one without any anchor, are problems at the alias', () => {
    expect(messages('a: *x\nb: &x 1\nc: *nope\n')).toEqual([
      '1:4 a YAML: the alias *x comes before its anchor &x (an anchor must be defined first)',
      '3:4 c YAML: the alias *nope has no anchor &nope in this file',
    ]);
  });

  it('aliases within the limits still work, including an anchor redefined later', () => {
    const r = parseYamlText('r.yaml', 'a: &g [x, y]\nb: *g\nc: &g z\nd: *g\n');
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual({ a: ['x', 'y'], b: ['x', 'y'], c: 'z', d: 'z' });
  });

  it('the 101st alias is named', () => {
    const text = ['x: &a 1', ...Array.from({ length: 101 }, (_, i) => `k${i}: *a`)].join('\n');
    expect(messages(text)).toEqual([expect.stringMatching(/^102:7 k100 YAML: aliases expand to too much/)]);
  });

  it('nested expansion is counted by the nodes it stands for', () => {
    const text = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c]\n';
    expect(parseYamlText('r.yaml', text.replace(/d: .*\n/, '')).problems).toEqual([]);
    expect(messages(text)).toEqual([expect.stringMatching(/^4:\d+ d\[0\] YAML: aliases expand to too much/)]);
  });

  it('a duplicate key is named at its second appearance', () => {
    expect(messages('school:\n  name: A\n  key: a\n  name: B\n')).toEqual(['4:3 school.name duplicate key: "name" appears more than once in this mapping']);
  });

  it('a text over the cap is refused without parsing; one just under it parses in bounded time', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n');
    let n = 1;
    while (Buffer.byteLength(keys(n * 2)) <= MAX_CONFIG_BYTES) n *= 2;
    while (Buffer.byteLength(keys(n + 1000)) <= MAX_CONFIG_BYTES) n += 1000;
    const over = `${keys(n)}\n${'#'.repeat(MAX_CONFIG_BYTES)}`;
    expect(messages(over)).toEqual([`1:1  is ${Buffer.byteLength(over)} bytes; a rollcall configuration may be at most ${MAX_CONFIG_BYTES} bytes`]);
    // Thousands of keys in one mapping: quadratic key comparison took minutes here.
    const started = Date.now();
    const r = parseYamlText('r.yaml', keys(n));
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.data as object)).toHaveLength(n);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
