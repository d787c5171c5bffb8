import { describe, expect, it } from 'vitest';
import type { Contact } from '../roster/types.js';
import { config, roster, student } from '../../test/support/plan-kit.js';
import { desiredGuardians } from './guardians.js';
import { desiredUsers } from './users.js';

const asOf = '2026-03-02';
const c = (student: string, misId: string, extra: Partial<Contact> = {}): Contact => ({
  student: `student:${student}`, misId, displayName: `Contact ${misId}`, email: `c${misId}@home.example`, relationship: 'parent', ...extra,
});

function desired(guardians: Record<string, unknown>, contacts: Contact[] | undefined, exclusions: string[] = []) {
  const cfg = config({ exclusions: { misIds: exclusions, userPrincipalNames: [], addresses: [] } } as never, { guardians } as never);
  const r = roster([student('1', 'Ada', 'Brook'), student('2', 'Ben', 'Cole'), student('3', 'Cy', 'Dale', { endDate: '2026-01-01' })]);
  if (contacts) r.contacts = contacts;
  return desiredGuardians(cfg, r, desiredUsers(cfg, r, asOf, { overrides: new Map(), manualLinks: new Map() }).users);
}

describe('desiredGuardians', () => {
  it('keeps the configured relationships with an e-mail, one per address, by priority; counts the rest in warnings', () => {
    const d = desired({ maxPerStudent: 2 }, [
      c('1', 'a', { priority: 3, relationship: 'guardian' }),
      c('1', 'b', { priority: 1, mobilePhone: '07700 900001' }),
      c('1', 'dup', { priority: 2, email: 'CB@home.example', displayName: 'Same person' }),
      c('1', 'd', { priority: 2, email: 'cb@home.example', relationship: 'guardian' }),
      c('1', 'e', { priority: 4 }),
      c('1', 'doc', { relationship: 'doctor' }),
      c('2', 'x', { email: undefined, mobilePhone: '07700 900002' }),
    ]);
    expect(d.read).toBe(true);
    expect(d.byStudent.get('student:1')).toEqual([
      { displayName: 'Contact b', emailAddress: 'cb@home.example', relationship: 'parent', accessConsent: false },
      { displayName: 'Contact a', emailAddress: 'ca@home.example', relationship: 'guardian', accessConsent: false },
    ]);
    expect(d.byStudent.has('student:2')).toBe(false);
    expect(d.warnings).toEqual([
      '1 contact of students in scope has no e-mail address: left out of the students\' guardians (Graph requires one, and Parent Connection reaches parents by it)',
      '1 contact beyond guardians.maxPerStudent (2) left out, the MIS\'s first by priority kept',
    ]);
  });

  it('phones only when asked; consent as the config says', () => {
    const contacts = [c('1', 'a', { consent: true, mobilePhone: '07700 900001' }), c('1', 'b', { consent: false }), c('1', 'c')];
    const consent = (mode: string) => desired({ consent: mode }, contacts).byStudent.get('student:1')!.map((x) => x.accessConsent);
    expect(consent('whenMisSays')).toEqual([true, false, false]);
    expect(consent('all')).toEqual([true, true, true]);
    expect(consent('none')).toEqual([false, false, false]);
    expect(desired({}, contacts).byStudent.get('student:1')![0].mobilePhone).toBeUndefined();
    expect(desired({ phones: true }, contacts).byStudent.get('student:1')![0].mobilePhone).toBe('07700 900001');
  });

  it('nothing for excluded students, leavers, or when the source did not read contacts', () => {
    const d = desired({}, [c('1', 'a'), c('2', 'b'), c('3', 'c')], ['student:2']);
    expect([...d.byStudent.keys()]).toEqual(['student:1']);
    const unread = desired({}, undefined);
    expect(unread.read).toBe(false);
    expect(unread.byStudent.size).toBe(0);
  });
});
