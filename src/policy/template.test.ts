import { describe, expect, it } from 'vitest';
import { TOKEN_RE } from '../config/tokens.js';
import { addressRenderer, renderAddress, renderText } from './template.js';

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

describe('addressRenderer', () => {
  // Compiled once per role; must give exactly what renderAddress gives, template by template, name by name.
  const templates = ['{first}.{last}@students.trust.example', '{first:1}{last}@Trust.Example', '.{first}..{middle}.{last}.@x.example', '{misId:-3}{last}@x.example',
    '{first}@{schoolKey}.example', 'no-at-{first}.{last}', 'Zoë.{first}@x.example', 'a@b@{last}.example', '{first}{last}{first}{last}@x', 'St.{first:2}.{last:-2}@x.example', '{middle}@x.example', '@{first}'];
  const people = [
    { first: 'Ann', last: 'Lee', middle: '', misId: '100234', schoolKey: 'BT' },
    { first: 'Æsa', last: "O'Brien-Smith", middle: 'Zoë', misId: '7', schoolKey: 'bt' },
    { first: '李', last: '王', middle: undefined, misId: '1', schoolKey: 'bt' },
    { first: 'Ann', last: '—', middle: '.', misId: '', schoolKey: '' },
    { first: 'a'.repeat(40), last: 'B'.repeat(40), middle: 'c', misId: '12', schoolKey: 'k' },
    { first: '', last: '', middle: '', misId: '', schoolKey: '' },
  ];
  it.each(templates)('%j gives what renderAddress gives', (t) => {
    for (const required of [undefined, ['first', 'last'], ['last'], []]) {
      const render = addressRenderer(t, required);
      for (const v of [...people, ...people]) expect(render(v)).toEqual(renderAddress(t, v, required));
    }
  });
});
