// The floor of a plan (bench/lib/floor.mjs), checked against small plans computed by hand.
import { describe, expect, it } from 'vitest';
import { GRAPH_LIMITS, floorSeconds } from '../../bench/lib/floor.mjs';

type C = { kind: string; action: string; via?: string; target?: { createdBy?: string; id?: string }; group?: { createdBy?: string }; member?: { createdBy?: string; id?: string } };
const empty = { users: [], groups: [], classes: [], teams: [] };

/** A class with a teacher and 25 pupils, a group of the same pupils, the class's team and 50 of the teacher's lessons. */
function smallSchool(): C[] {
  const changes: C[] = [
    { kind: 'class', action: 'create' },
    { kind: 'group', action: 'create' },
    { kind: 'user', action: 'create' },
    { kind: 'educationUser', action: 'set', target: { createdBy: 'user:t' } },
  ];
  for (let i = 0; i < 25; i++) {
    changes.push({ kind: 'user', action: 'create' });
    changes.push({ kind: 'membership', action: 'add-member', group: { createdBy: 'class:c' }, member: { createdBy: `user:s${i}` } });
    changes.push({ kind: 'membership', action: 'add-member', group: { createdBy: 'group:g' }, member: { createdBy: `user:s${i}` } });
  }
  changes.push({ kind: 'membership', action: 'add-member', group: { createdBy: 'class:c' }, member: { createdBy: 'user:t' } });
  changes.push({ kind: 'membership', action: 'add-owner', via: 'class', group: { createdBy: 'class:c' }, member: { createdBy: 'user:t' } });
  changes.push({ kind: 'team', action: 'create', target: { createdBy: 'class:c' } });
  for (let i = 0; i < 50; i++) changes.push({ kind: 'event', action: 'create', member: { createdBy: 'user:t' } });
  return changes;
}

describe('floorSeconds', () => {
  it('is the directory write quota when writes dominate: 34 writes at 20/s after one read round trip', () => {
    // 28 creates (class, group, 26 accounts), 1 education profile, binds: class 26 members → 2, group 25 → 2,
    // the teacher through the education API → 1: 34 writes, 1.7 s. Teams 1 POST (0.1 s); Outlook 50 events in one
    // mailbox, one round of 4 × 20 (0.1 s); chain 4 × 0.1 + 1 s provisioning = 1.4 s; reads one page (0.1 s).
    const f = floorSeconds({ changes: smallSchool() }, { snapshot: empty, latencyMs: 100, teamProvisioningMs: 1000 });
    expect(f.directoryWrites).toBe(34);
    expect(f.directorySeconds).toBeCloseTo(1.7);
    expect(f.teamPosts).toBe(1);
    expect(f.teamsSeconds).toBeCloseTo(0.1);
    expect(f.mailboxes).toBe(1);
    expect(f.outlookSeconds).toBeCloseTo(0.1);
    expect(f.chainSeconds).toBeCloseTo(1.4);
    expect(f.readSeconds).toBeCloseTo(0.1);
    expect(f.seconds).toBeCloseTo(1.8);
  });

  it('is the dependency chain when Teams takes longer to provision than the writes take', () => {
    const f = floorSeconds({ changes: smallSchool() }, { snapshot: empty, latencyMs: 100, teamProvisioningMs: 5000 });
    expect(f.chainSeconds).toBeCloseTo(5.4);
    expect(f.seconds).toBeCloseTo(5.5);
  });

  it("counts Graph's 150-second window when a faster per-second rate would beat it", () => {
    const changes = Array.from({ length: 3500 }, () => ({ kind: 'user', action: 'create' }));
    expect(floorSeconds({ changes }, { snapshot: empty, latencyMs: 0, teamProvisioningMs: 0 }).directorySeconds).toBeCloseTo(175);
    // At 100 writes/s the 3,000 per 150 s binds: the 3,001st write waits for the second window.
    const fast = { ...GRAPH_LIMITS, writesPerSecond: 100 };
    expect(floorSeconds({ changes }, { snapshot: empty, latencyMs: 0, teamProvisioningMs: 0, limits: fast }).directorySeconds).toBe(150);
  });

  it("counts a mailbox's 10,000 requests per 10 minutes and the pages of a read", () => {
    const changes = Array.from({ length: 10_001 }, () => ({ kind: 'event', action: 'create', member: { id: 'm1' } }));
    const snapshot = { users: Array.from({ length: 2000 }, () => ({})), groups: [], classes: [], teams: [] };
    const f = floorSeconds({ changes }, { snapshot, latencyMs: 100, teamProvisioningMs: 0 });
    // 600 s for the second 10-minute window, 126 rounds of 80 at 0.1 s; users read in 3 pages of 999 (0.3 s).
    expect(f.outlookSeconds).toBeCloseTo(612.6);
    expect(f.readSeconds).toBeCloseTo(0.3);
    expect(f.seconds).toBeCloseTo(612.9);
  });

  it('is the read alone for a plan with nothing to do', () => {
    expect(floorSeconds({ changes: [] }, { snapshot: empty, latencyMs: 100, teamProvisioningMs: 1000 }).seconds).toBeCloseTo(0.1);
  });
});
