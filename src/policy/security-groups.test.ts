// A role's security groups per person: the templates rendered with the person's values, in order, each once, none
// empty; a trust's people share the few lists there are (one list per combination of the values the templates use).
import { describe, expect, it } from 'vitest';
import { config, roster, staff, student } from '../../test/support/plan-kit.js';
import { renderText } from './template.js';
import { desiredUsers, tokenValues } from './users.js';

/** The definition, per person: each template rendered, empty names and repeats left out. */
function expected(templates: readonly string[], values: Record<string, string | undefined>): string[] {
  return [...new Set(templates.map((t) => renderText(t, values)).filter((n) => n !== ''))];
}

describe('security groups of desired users', () => {
  it('are each person\'s rendered groups, for templates of no, one and two tokens, repeats and empty values', () => {
    const templates = ['All Students', 'Students Y{yearGroup}', '{house} House', 'Y{yearGroup} {house}', 'All Students', '{house}'];
    const cfg = config({ students: { userPrincipalName: '{first}{last:1}@students.t.example', securityGroups: templates } });
    const people = [
      student('1', 'Amy', 'Poe', { yearGroup: '7', house: 'Red' }),
      student('2', 'Bo', 'Li', { yearGroup: '7', house: 'Red' }),
      student('3', 'Cy', 'Ng', { yearGroup: '8', house: 'Red' }),
      student('4', 'Di', 'Oz', { yearGroup: '7', house: undefined }),
      student('5', 'Ed', 'Ux', { yearGroup: '7', house: '' }),
      student('6', 'Fa', 'Vo', { yearGroup: '', house: 'Blue' }),
      // Values that a joined key could confuse: "7 Red" + "" against "7" + " Red".
      student('7', 'Gi', 'Wu', { yearGroup: '7 Red', house: '' }),
      student('8', 'Ha', 'Xi', { yearGroup: '7', house: ' Red' }),
    ];
    const { users } = desiredUsers(cfg, roster(people), '2026-03-02');
    expect(users).toHaveLength(people.length);
    for (const u of users) expect(u.securityGroups, u.person.id).toEqual(expected(templates, tokenValues(u.person, 'ts', '09-01')));
  });

  it('shares one list among people their values render the same for, per role', () => {
    const people = [student('1', 'Amy', 'Poe', { yearGroup: '7' }), student('2', 'Bo', 'Li', { yearGroup: '7' }), student('3', 'Cy', 'Ng', { yearGroup: '9' }), staff('4', 'Di', 'Oz'), staff('5', 'Ed', 'Ux')];
    const { users } = desiredUsers(config(), roster(people), '2026-03-02');
    const [a, b, c, d, e] = users.map((u) => u.securityGroups);
    expect(a).toEqual(['All Students', 'Students Y7']);
    expect(b).toBe(a);
    expect(c).toEqual(['All Students', 'Students Y9']);
    expect(d).toEqual(['All Staff']);
    expect(e).toBe(d);
  });

  it('give {entryYear} wherever a role uses it (address, display name or a group), and none where it does not', () => {
    const people = [student('1', 'Amy', 'Poe', { startDate: '2021-09-06' }), student('2', 'Bo', 'Li', { startDate: '2026-01-12' })];
    const inGroup = desiredUsers(config({ students: { userPrincipalName: '{first}{last}@students.t.example', securityGroups: ['Intake {entryYear}'] } }), roster(people), '2026-03-02').users;
    expect(inGroup.map((u) => u.securityGroups)).toEqual([['Intake 2021'], ['Intake 2025']]);
    const inName = desiredUsers(config({ students: { userPrincipalName: '{first}{last}@students.t.example', displayName: '{first} ({entryYear})' } }), roster(people), '2026-03-02').users;
    expect(inName.map((u) => u.displayName)).toEqual(['Amy (2021)', 'Bo (2025)']);
    const inAddress = desiredUsers(config({ students: { userPrincipalName: '{entryYear:-2}{first}@students.t.example', displayName: '{first} ({entryYear})' } }), roster(people), '2026-03-02').users;
    expect(inAddress.map((u) => u.address.local)).toEqual(['21amy', '25bo']);
    // Not used: left out, so a template that does not name it renders as it always did.
    const unused = desiredUsers(config({ students: { userPrincipalName: '{first}{last}@students.t.example', displayName: '{first} {last}', securityGroups: ['All'] } }), roster(people), '2026-03-02').users;
    expect(unused.map((u) => [u.displayName, u.securityGroups])).toEqual([['Amy Poe', ['All']], ['Bo Li', ['All']]]);
  });
});
