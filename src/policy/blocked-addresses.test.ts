// users.exclusions.addresses: a person whose address matches a pattern is reported and never created. The patterns'
// literal start and end are compared first, in place; whatever the pattern, the answer is the glob's own.
import { describe, expect, it } from 'vitest';
import { config, roster, staff, student } from '../../test/support/plan-kit.js';
import { globMatch } from './glob.js';
import { desiredUsers } from './users.js';

const people = [
  student('1', 'Amy', 'Poe'), student('2', 'Admin', 'Nistrator'), student('3', 'Bo', 'Li'), student('4', 'Zoë', 'Åberg'),
  staff('5', 'Ann', 'Lee'), staff('6', 'Dmin', 'A'), staff('7', 'Kim', 'Ng'), staff('8', 'Al', 'Ek'),
];

describe('blocked addresses', () => {
  it('blocks exactly the addresses the patterns match, whatever their stars, case or characters', () => {
    const patterns = [
      ['admin@*'], ['*@students.t.example'], ['amyp@students.t.example'], ['AMYP@STUDENTS.T.EXAMPLE'], ['*p@*'], ['a*'],
      ['ADM*'], ['*.EXAMPLE'], ['z*'], ['ä*'], ['*ł'], ['amyp@students.t.example.long'], ['*'], ['**'], ['k*@t.example', 'b*'],
      ['amyp@*t.example'], ['*@*.t.example'], ['al*ek@t.example'], ['a*ek@t.example'], ['adminn*'], ['@*'], ['*@'],
    ];
    const everyone = desiredUsers(config({ exclusions: { misIds: [], userPrincipalNames: [], addresses: [] } }), roster(people), '2026-03-02').users;
    const address = (id: string) => { const a = everyone.find((u) => u.person.id === id)!.address; return `${a.local}@${a.domain}`; };
    expect(everyone).toHaveLength(people.length);
    for (const list of patterns) {
      const policy = desiredUsers(config({ exclusions: { misIds: [], userPrincipalNames: [], addresses: list } }), roster(people), '2026-03-02');
      const blocked = policy.unsynced.filter((u) => u.reason === 'blocked-address').map((u) => u.person);
      const expected = people.map((p) => p.id).filter((id) => list.some((pattern) => globMatch(pattern, address(id))));
      expect(blocked, list.join(' ')).toEqual(expected);
      expect(policy.users.map((u) => u.person.id)).toEqual(people.map((p) => p.id).filter((id) => !expected.includes(id)));
    }
  });
});
