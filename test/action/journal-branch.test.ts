// report.journal: branch, against the fake GitHub's git data API: the branch is created on first use, each run adds
// a file of its own on top of what is there, and a run that loses a race with another (the ref moved between its
// read and its write) reads again and still lands, fast-forward only, losing neither run's file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToJournalBranch, journalBranchPath } from '../../src/github/journal-branch.js';
import { gitHub } from '../../src/github/octokit.js';
import { memoryLogger } from '../../src/log.js';
import { FakeGitHub } from './fake-github.js';

const repo = { owner: 'school', repo: 'it' };
let dir: string;
const fake = new FakeGitHub();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-journal-branch-'));
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

async function journalFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('the rollcall/journal branch', () => {
  it('names a run\'s file by config, month, time and run', () => {
    expect(journalBranchPath('schools/North.yaml', new Date('2026-11-30T02:17:05.123Z'), '4242')).toBe('journal/schools-north/2026-11/20261130T021705Z-run4242.jsonl');
  });

  it('is created on first use, then gains one file a run; a run that loses a race tries again and keeps both', async () => {
    const gh = gitHub({ token: 'ghs_test', apiUrl: fake.url, retryAfterBaseValue: 1 });
    const log = memoryLogger();
    await appendToJournalBranch(gh, repo, await journalFile('a.jsonl', '{"run":"1"}\n'), 'journal/rollcall/2026-11/a.jsonl', 'run 1', log);
    expect(fake.branchLog('rollcall/journal')).toMatchObject([{ message: 'run 1', parents: [] }]);

    // Another run moves the branch just before this one's ref update.
    let raced = false;
    gh.hook.before('request', async (options) => {
      if (raced || options.method !== 'PATCH') return;
      raced = true;
      const other = gitHub({ token: 'ghs_other', apiUrl: fake.url });
      await appendToJournalBranch(other, repo, await journalFile('b.jsonl', '{"run":"2"}\n'), 'journal/rollcall/2026-11/b.jsonl', 'run 2', log);
    });
    await appendToJournalBranch(gh, repo, await journalFile('c.jsonl', '{"run":"3"}\n'), 'journal/rollcall/2026-11/c.jsonl', 'run 3', log);
    expect(raced).toBe(true);
    expect(Object.fromEntries(fake.branchFiles('rollcall/journal'))).toEqual({
      'journal/rollcall/2026-11/a.jsonl': '{"run":"1"}\n',
      'journal/rollcall/2026-11/b.jsonl': '{"run":"2"}\n',
      'journal/rollcall/2026-11/c.jsonl': '{"run":"3"}\n',
    });
    expect(fake.branchLog('rollcall/journal').map((c) => c.message)).toEqual(['run 3', 'run 2', 'run 1']);
  });
});
