// The committed CSDL subset: it must hold what the emulator validates, and match Microsoft's metadata when that
// is available (CI keeps ../shared beside the repository; elsewhere the comparison is skipped).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from '../../../test/support/shared.js';
import { isMember, validateBody } from './validate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const csdl = sharedPath('reference/graph/v1.0-Prod.csdl');
const subset = JSON.parse(readFileSync(new URL('./csdl-subset.json', import.meta.url), 'utf8'));

describe('csdl-subset.json', () => {
  it('has the types the emulator writes, with base types', () => {
    for (const t of ['user', 'group', 'educationClass', 'event', 'team', 'passwordProfile', 'onPremisesExtensionAttributes', 'itemBody', 'dateTimeTimeZone', 'location', 'singleValueLegacyExtendedProperty', 'directoryObject', 'entity']) {
      expect(subset.types[t], t).toBeDefined();
    }
    expect(subset.types.user.base).toBe('directoryObject');
    expect(isMember('user', 'id')).toBe(true); // inherited from entity
    expect(isMember('user', 'employeeId')).toBe(true);
    expect(isMember('group', 'members')).toBe(true); // navigation
    expect(isMember('user', 'shoeSize')).toBe(false);
  });

  it('validates nested complex types, collections, enums and binds', () => {
    expect(() => validateBody('user', { onPremisesExtensionAttributes: { extensionAttribute1: 'x' }, businessPhones: ['1'] })).not.toThrow();
    expect(() => validateBody('user', { businessPhones: '1' })).toThrow(/A 'StartArray' node was expected/);
    expect(() => validateBody('educationClass', { externalSource: 'sis' })).not.toThrow();
    expect(() => validateBody('educationClass', { externalSource: 'excel' })).toThrow(/not a valid enumerated type value/);
    expect(() => validateBody('group', { 'members@odata.bind': ['https://x/directoryObjects/1'] })).not.toThrow();
    expect(() => validateBody('group', { 'friends@odata.bind': ['x'] })).toThrow(/'friends' does not exist on type 'microsoft.graph.group'/);
    expect(() => validateBody('event', { start: { dateTime: '2026-01-01T09:00:00', timeZone: 'UTC' }, reminderMinutesBeforeStart: 1.5 })).toThrow(/Edm.Int32/);
    expect(() => validateBody('educationClass', { displayName: null })).toThrow(/does not allow null values/);
  });

  it('reads enum values case-insensitively, as Graph does, and keeps the member spelling', () => {
    const event = { body: { contentType: 'HTML', content: 'x' }, importance: 'High', recurrence: { pattern: { type: 'Weekly', interval: 1, daysOfWeek: ['Monday', 'friday'] }, range: { type: 'noEnd', startDate: '2026-01-05' } } };
    validateBody('event', event);
    expect(event.body.contentType).toBe('html');
    expect(event.importance).toBe('high');
    expect(event.recurrence.pattern).toMatchObject({ type: 'weekly', daysOfWeek: ['monday', 'friday'] });
    expect(() => validateBody('event', { importance: 'urgent' })).toThrow(/'urgent' is not a valid enumerated type value/);
  });

});

describeShared("csdl-subset.json against Microsoft's CSDL", 'reference/graph/v1.0-Prod.csdl', () => {
  it('is what scripts/gen-csdl-subset.mjs makes from the CSDL', async () => {
    await expect(promisify(execFile)(process.execPath, [path.join(root, 'scripts/gen-csdl-subset.mjs'), '--check', csdl])).resolves.toBeDefined();
  });
});
