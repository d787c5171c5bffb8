// What --approve (the action's approve input) means for a plan: one plan, named by its checksum or the short form
// its header prints; any other checksum is a mismatch.
import { describe, expect, it } from 'vitest';
import { approvalFor, refusalOf } from './refusal.js';

const checksum = '9f2c4e1a7b3d5f60718293a4b5c6d7e8f9012345678901234567890abcdef012';
const blocked = { checksum, changes: [], blocked: [{ rule: 'safety.maxSuspensions', message: 'too many' }] };

describe('approvalFor', () => {
  it('the whole checksum or a prefix of it approves the plan by its whole checksum', () => {
    for (const given of [checksum, checksum.slice(0, 12), checksum.slice(0, 20)]) {
      const { approval, mismatch } = approvalFor(given, { checksum });
      expect(mismatch).toBeUndefined();
      expect(approval).toEqual({ checksum });
      expect(refusalOf(blocked, approval)).toBeUndefined();
    }
  });

  it('another plan\'s checksum is a mismatch naming both, whether or not the plan is blocked', () => {
    const { approval, mismatch } = approvalFor('0123456789ab', { checksum });
    expect(approval).toBeUndefined();
    expect(mismatch).toContain('the approval names the plan 0123456789ab, but the plan now is 9f2c4e1a7b3d');
    expect(approvalFor(`${checksum.slice(0, 63)}3`, { checksum }).mismatch).toBeDefined();
  });

  it('no approval given: nothing to say', () => {
    expect(approvalFor(undefined, { checksum })).toEqual({});
  });
});
