import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RollcallError } from '../errors.js';
import { memoryLogger } from '../log.js';
import { pseudonymiser } from '../render/mask.js';
import { SAMPLE_PEOPLE, samplePlan } from '../../test/support/sample-plan.js';
import { JournalWriter, localJournalFile, type JournalEntry, type JournalTarget } from './journal.js';

const plan = samplePlan();
const byKey = (k: string) => plan.changes.find((c) => c.key === k)!;
const names = SAMPLE_PEOPLE.flatMap((p) => [p.displayName, p.given, p.surname, p.local]).filter(Boolean);
const at = new Date('2026-11-30T02:10:00Z');

async function journal(personalData: JournalTarget['personalData'], extra: Partial<JournalTarget> = {}): Promise<JournalEntry[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-journal-'));
  const target: JournalTarget = { file: path.join(dir, 'deep/j.jsonl'), run: 'run-1', config: 'rollcall.yaml', personalData, ...extra };
  const w = await JournalWriter.open(target, plan, memoryLogger(), () => at);
  w.write(byKey('user:student:1042'), { key: 'user:student:1042', kind: 'user', action: 'create', status: 'done', requestId: 'req-1' });
  w.write(byKey('user:student:1043'), { key: 'user:student:1043', kind: 'user', action: 'create', status: 'failed', error: { status: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists: tomasz.wisniewski@students.example.sch.uk', requestId: 'req-2' } });
  w.write(byKey('member:group:455:student:1042'), { key: 'member:group:455:student:1042', kind: 'membership', action: 'add-member', status: 'done' });
  expect(await w.close()).toBe(3);
  return (await readFile(target.file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as JournalEntry);
}

describe('the journal', () => {
  it('is one file a month beside the config', () => {
    expect(localJournalFile('/school/it/rollcall.yaml', at)).toBe('/school/it/.rollcall/journal/2026-11.jsonl');
  });

  it('writes one line per change with run, config, checksum, status, request id and Graph error', async () => {
    const [created, failed, member] = await journal('full');
    expect(created).toEqual({
      time: '2026-11-30T02:10:00.000Z', run: 'run-1', config: 'rollcall.yaml', checksum: plan.checksum,
      key: 'user:student:1042', kind: 'user', action: 'create', subject: byKey('user:student:1042').subject, status: 'done', requestId: 'req-1',
    });
    expect(failed).toMatchObject({ status: 'failed', requestId: 'req-2', error: { status: 400, code: 'Request_BadRequest' } });
    expect(failed.error!.message).toContain('tomasz.wisniewski@students.example.sch.uk');
    expect(member).toMatchObject({ kind: 'membership', action: 'add-member', group: '7X/Ma1 Maths', subject: { person: 'student:1042' } });
  });

  it('masks names and addresses with report.personalData masked, keeping MIS ids and the school’s group names', async () => {
    const lines = await journal('masked');
    const text = JSON.stringify(lines);
    expect(names.filter((n) => text.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    expect(lines[0].subject.person).toBe('student:1042');
    expect(lines[1].error!.message).toContain('t•••@students.example.sch.uk');
    expect(lines[2].group).toBe('7X/Ma1 Maths');
  });

  it('keeps no one with counts, and a public repository’s view has no MIS ids', async () => {
    const counts = JSON.stringify(await journal('counts'));
    expect(counts).not.toMatch(/(student|staff):\w/);
    expect(names.filter((n) => counts.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
    const published = JSON.stringify(await journal('masked', { view: pseudonymiser() }));
    expect(published).not.toMatch(/student:1042|student:1043/);
    expect(published).toContain('student:#');
  });

  it('appends to what is there, and refuses to start when the file cannot be written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-journal-'));
    const file = path.join(dir, 'j.jsonl');
    await writeFile(file, '{"earlier":true}\n');
    const w = await JournalWriter.open({ file, run: 'r', config: 'c', personalData: 'masked' }, plan, memoryLogger());
    w.write(byKey('group:year:2026'), { key: 'group:year:2026', kind: 'group', action: 'create', status: 'done' });
    await w.close();
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    await expect(JournalWriter.open({ file: path.join(file, 'below-a-file.jsonl'), run: 'r', config: 'c', personalData: 'masked' }, plan, memoryLogger()))
      .rejects.toThrow(RollcallError);
  });
});
