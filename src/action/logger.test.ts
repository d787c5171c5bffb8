import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../log.js';
import { redactIds } from '../render/mask.js';
import { redactingLogger } from './logger.js';

describe('redactingLogger', () => {
  it('passes every level through the redaction before the runner sees it', () => {
    const inner = memoryLogger();
    const log = redactingLogger(inner, redactIds);
    log.error('user suspend user:student:1042: 403 Authorization_RequestDenied');
    log.warn('staff:31 has no account');
    log.info('ok');
    const all = JSON.stringify(inner);
    expect(all).not.toMatch(/1042|staff:31/);
    expect(all).toContain('user:student:•••');
    expect(all).toContain('ok');
  });
});
