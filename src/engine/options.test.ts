import { describe, expect, it } from 'vitest';
import { OptionsError, runOptions } from './options.js';

describe('runOptions', () => {
  it('fills the same defaults for the CLI and the action', () => {
    expect(runOptions({})).toEqual({ configPath: 'rollcall.yaml', verbose: false, format: 'text', detailedExitcode: false });
    expect(runOptions({ configPath: '', asOf: '2026-01-12', approve: 'a'.repeat(64) })).toMatchObject({ configPath: 'rollcall.yaml', asOf: '2026-01-12', approve: 'a'.repeat(64) });
  });

  it('names the option as the caller spells it', () => {
    expect(() => runOptions({ format: 'xml' as 'text' }, { format: '--format' })).toThrow('--format must be text, markdown, json or csv, not xml');
    expect(() => runOptions({ asOf: '12/01/2026' }, { asOf: 'input as-of' })).toThrow(OptionsError);
    expect(() => runOptions({ approve: 'abc' }, { approve: 'input approve' })).toThrow('input approve must be a plan checksum');
    expect(() => runOptions({ only: ['kind:pupil'] }, { only: 'input only' })).toThrow('input only kind:pupil: no such kind');
  });

  it('takes the short checksum a plan header prints (12 digits or more) and selectors as typed', () => {
    expect(runOptions({ approve: '0123456789ab' }).approve).toBe('0123456789ab');
    expect(() => runOptions({ approve: '0123456789a' })).toThrow('(0123456789a is too short to name one plan)');
    expect(() => runOptions({ approve: 'A'.repeat(64) })).toThrow('must be a plan checksum');
    expect(runOptions({ only: ['student:1042, 455'] }).only).toEqual([
      { text: 'student:1042', type: 'person', person: 'student:1042' }, { text: '455', type: 'name', value: '455' },
    ]);
  });
});
