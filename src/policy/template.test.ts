import { describe, expect, it } from 'vitest';
import { TOKEN_RE } from '../config/tokens.js';
import { renderText } from './template.js';

// The rule renderText keeps, written the slow way: tokens trimmed and cut, then every run of white space one space.
const reference = (template: string, values: Record<string, string | undefined>) => template
  .replace(TOKEN_RE, (_, name: string, n?: string) => { const v = (values[name] ?? '').trim(); return n === undefined ? v : Number(n) >= 0 ? v.slice(0, Number(n)) : v.slice(Number(n)); })
  .replace(/\s+/g, ' ')
  .trim();

describe('renderText', () => {
  const values = { first: ' Zoë ', last: "O'Brien", middle: undefined, yearGroup: '7', house: 'Brunel\t Hall', empty: '', nbsp: 'A\u00a0B', name: '$& $1' };
  const templates = ['{first} {last}', '{first:1}{last}', '{last:-3}', 'Students Y{yearGroup}', '  {middle}  {last} ', 'House {house}', '{empty}', '{nbsp}', 'x{name}y', '{first}{first}', 'plain text', '', '{unknown} {first:0}', '{first}\n{last}'];
  it.each(templates)('%j is filled as the token rule says', (t) => {
    expect(renderText(t, values)).toBe(reference(t, values));
    expect(renderText(t, values)).toBe(reference(t, values)); // the second time through the compiled template
  });
});
