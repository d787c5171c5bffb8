import path from 'node:path';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import { raiseIfRefused, type Approval } from '../plan/refusal.js';
import type { Change, ObjectRef, Plan } from '../plan/types.js';
import type { OpResult, TenantWriter } from '../tenant/types.js';
import { opsFor, type OpFor } from './ops.js';
import { GroupGate, groupOf, startOf, unitsOf } from './schedule.js';
import type { Person } from '../roster/types.js';
import { phasesOf } from './phases.js';
import { ApplyTally, type ChangeResult, type Counts } from './tally.js';
import { generatePassword, unknowablePassword, writePasswordsFile, type PasswordPolicy, type PasswordSlip } from './passwords.js';

export type { ChangeResult } from './tally.js';

export interface ApplyOutcome {
  counts: Counts;
  /** The counts per kind of change (what the summary mail tabulates). */
  byKind: ApplyTally['byKind'];
  /** The first failed changes (at most MAX_FAILURES_KEPT); `counts.failed` says how many failed in all. */
  failures: ChangeResult[];
  /** Where the encrypted first passwords were written, if any account was to be created with a known password. */
  passwordsFile?: string;
}

export interface ApplyOptions {
  config: Config;
  writer: TenantWriter;
  log: Logger;
  /** Lets a blocked plan through: its checksum, or the merge gate's reviewed destructive changes. */
  approval?: Approval;
  /** Called as ops finish, across all phases. */
  onProgress?: (done: number, total: number) => void;
  /** Every change's result as it comes, for a caller that keeps a journal; apply itself keeps only counts. */
  onResult?: (r: ChangeResult, change: Change) => void;
  now?: Date;
  /** The MIS's people, for the password file's slips (registration group); without it those cells are empty. */
  person?: (id: string) => Person | undefined;
  /** Told where the first passwords were written as soon as they are, before any account is created. */
  onPasswordsFile?: (file: string) => void;
}

const DEFAULT_POLICIES: Record<'students' | 'staff', PasswordPolicy> = { students: { words: 3, digits: 2 }, staff: { length: 16 } };

/**
 * Runs a plan through the tenant writer, phase by phase (groups and users, then memberships, then suspensions
 * and deletions), each phase as soon as the phases it needs are done (events and class teams sooner, schedule.ts). Safe to run again after an interruption: creates that already happened are adopted by the
 * writer, and a change whose object was never created is reported failed, never sent.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyOutcome> {
  const { config, writer, log } = opts;
  // Before anything is written (passwords included): a blocked or edited plan throws here, whoever the caller.
  raiseIfRefused(plan, opts.approval);
  const ids = new Map<string, string>();
  const failedKeys = new Map<string, string>();
  const tally = new ApplyTally();
  let onSettle: (c: Change) => void = () => {};
  const record = (c: Change, status: OpResult['status'], extra: Partial<ChangeResult> = {}) => {
    const r: ChangeResult = { key: c.key, kind: c.kind, action: c.action, status, ...extra };
    tally.add(r);
    opts.onResult?.(r, c);
    onSettle(c);
  };

  const passwords = new Map<string, string>();
  const passwordsFile = await preparePasswords(plan, config, passwords, opts.now ?? new Date(), opts.person ?? (() => undefined));
  if (passwordsFile) opts.onPasswordsFile?.(passwordsFile);
  const force = config.users.passwords.forceChangeOnFirstSignIn;
  const bodyOf = (c: Change): Record<string, unknown> =>
    c.kind === 'user' && c.action === 'create'
      ? { ...c.after, passwordProfile: { password: passwords.get(c.key) ?? unknowablePassword(), forceChangePasswordNextSignIn: force } }
      : { ...c.after };

  const resolve = (ref: ObjectRef | undefined) => ref?.id ?? (ref?.createdBy ? ids.get(ref.createdBy) : undefined);
  const total = plan.changes.length;
  let finished = 0;
  const progress = () => opts.onProgress?.(Math.min(total, finished), total);
  // Ops of groups a team waits for go first in their phase, so that teams start early (see schedule.ts).
  let teamGroups = new Set<string>();
  const runPhase = async (phase: Change[]): Promise<void> => {
    const { ops, unresolved } = opsFor(phase, resolve, bodyOf);
    for (const c of unresolved) {
      const missing = [c.target, c.group, c.member].find((r) => r?.createdBy && !ids.has(r.createdBy))?.createdBy;
      record(c, 'failed', { detail: `depends on ${missing ?? 'an object'} which was not created${missing && failedKeys.has(missing) ? ` (${failedKeys.get(missing)})` : ''}` });
    }
    finished += unresolved.length;
    if (!ops.length) return;
    if (teamGroups.size) {
      const first = (o: OpFor) => o.changes.some((c) => teamGroups.has(groupOf(c) ?? ''));
      ops.sort((a, b) => Number(first(b)) - Number(first(a)));
    }
    const byOp = new Map(ops.map((o) => [o.op.key, o]));
    // Each result is recorded as its op finishes (the journal streams it); ids are only read by later phases.
    const settled = (r: OpResult) => {
      const o = byOp.get(r.key);
      if (!o) return;
      byOp.delete(r.key);
      for (const c of o.changes) {
        if (r.id && c.action === 'create') ids.set(c.key, r.id);
        if (r.status === 'failed') failedKeys.set(c.key, r.error ? `${r.error.status} ${r.error.code}: ${r.error.message}` : r.detail ?? 'failed');
        record(c, r.status, { detail: r.adopted ? 'already existed; adopted' : r.detail, error: r.error, ...(r.requestId ? { requestId: r.requestId } : {}) });
      }
      finished += o.changes.length;
      progress();
    };
    const opResults = await writer.execute(ops.map((o) => o.op), undefined, settled);
    // A writer that does not report results as they come: the same, once the phase is done.
    for (const r of opResults) settled(r);
    progress();
  };

  // Phases run in the plan's order, each once those it needs are done (schedule.ts): most wait for every earlier
  // phase; events and class teams start sooner, beside the phases still writing.
  const units = unitsOf(phasesOf(plan.changes));
  const phases = units.map((u) => u.changes);
  const numbers = units.map((u) => u.number);
  const started = numbers.map((n, i) => startOf(n, numbers.slice(0, i)));
  const gate = new GroupGate();
  const gated = new Set(started.flatMap((s) => (s.perGroup === undefined ? [] : [s.perGroup])));
  const gatedChanges = new Set<Change>();
  phases.forEach((changes, i) => {
    if (!gated.has(numbers[i])) return;
    for (const c of changes) {
      const g = groupOf(c);
      if (g !== undefined) { gate.expect(g); gatedChanges.add(c); }
    }
  });
  onSettle = (c) => { if (gatedChanges.delete(c)) gate.settle(groupOf(c)!); };
  teamGroups = new Set(phases.flatMap((changes, i) => (started[i].perGroup === undefined ? [] : changes.map((c) => groupOf(c) ?? ''))));
  const done = new Map<number, Promise<void>>();
  phases.forEach((changes, i) => {
    const { phases: after, perGroup } = started[i];
    const before = Promise.all(after.map((n) => done.get(n)));
    let run: Promise<void>;
    if (perGroup === undefined) run = before.then(() => runPhase(changes));
    // Each change on its own as soon as its group's changes in `perGroup` have settled.
    else run = before.then(() => Promise.all(changes.map((c) => gate.settled(groupOf(c) ?? '').then(() => runPhase([c]))))).then(() => undefined);
    done.set(numbers[i], run);
  });
  await Promise.all(done.values());

  const { counts, byKind, failures } = tally;
  log.info(`apply: ${counts.done} done, ${counts.skipped} skipped, ${counts.failed} failed`);
  return { counts, byKind, failures, passwordsFile };
}

/** Passwords are made before any create is sent, and written encrypted first, so an interrupted run loses none. */
async function preparePasswords(plan: Plan, config: Config, into: Map<string, string>, now: Date, person: (id: string) => Person | undefined): Promise<string | undefined> {
  const creates = plan.changes.filter((c) => c.kind === 'user' && c.action === 'create');
  const recipient = config.users.passwords.recipient;
  if (!creates.length || !recipient) return undefined;
  const rows: PasswordSlip[] = [];
  for (const c of creates) {
    const role = c.subject.person?.startsWith('student:') ? 'students' : 'staff';
    const policy = (config.users.passwords[role] as PasswordPolicy | undefined) ?? DEFAULT_POLICIES[role];
    const password = generatePassword(policy);
    into.set(c.key, password);
    const p = c.subject.person ? person(c.subject.person) : undefined;
    rows.push({
      misId: c.subject.person ?? '', name: c.subject.displayName ?? String(c.after?.displayName ?? ''),
      yearGroup: c.subject.yearGroup, registrationGroup: p?.registrationGroup,
      userPrincipalName: String(c.after?.userPrincipalName), password,
    });
  }
  return writePasswordsFile(rows, recipient, config.users.passwords.out, now);
}
