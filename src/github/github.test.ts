import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { Change, Plan } from '../plan/types.js';
import { samplePlan } from '../../test/support/sample-plan.js';
import { approvalPath } from './approval.js';
import { checkoutBaseConfig } from './base-config.js';
import { upsertComment, COMMENT_MAX_CHARS } from './comments.js';
import { destructiveHash, MAX_DESTRUCTIVE_HASHES, markerScheme, parsePlanMarker, planMarker } from './marker.js';
import { diffPlans } from './plan-diff.js';
import { prCommentBody, share } from './pr-comment.js';
import { graphqlUrl } from './identity.js';
import { GitHubApiError, gitHub } from './octokit.js';
import { reviewBranch } from './review-pr.js';

const change = (key: string, action: Change['action'] = 'create', extra: Partial<Change> = {}): Change => ({
  action, kind: 'user', key, reason: 'r', subject: {}, destructive: ['suspend', 'delete', 'remove-member'].includes(action), ...extra,
});
const plan = (changes: Change[], checksum = 'a'.repeat(64)): Plan => ({ ...samplePlan(), checksum, changes, blocked: [] });

describe('plan marker', () => {
  it('round-trips the checksum and the destructive changes, per config', () => {
    const changes = [change('user:student:1', 'suspend'), change('user:student:2'), change('user:student:3', 'delete')];
    const body = `${planMarker('schools/north/rollcall.yaml', 'b'.repeat(64), changes)}## text`;
    const m = parsePlanMarker(body, 'schools/north/rollcall.yaml')!;
    expect(m.checksum).toBe('b'.repeat(64));
    expect([...m.destructive!].sort()).toEqual([destructiveHash(changes[0]), destructiveHash(changes[2])].sort());
    expect(parsePlanMarker(body, 'rollcall.yaml')).toBeUndefined();
    expect(body).not.toContain('student:1'); // ids only as hashes
  });

  it('says "none" when nothing was planned and "overflow" past the limit', () => {
    expect(parsePlanMarker(planMarker('rollcall.yaml', undefined, []), 'rollcall.yaml')).toBeUndefined();
    const many = Array.from({ length: MAX_DESTRUCTIVE_HASHES + 1 }, (_, i) => change(`user:student:${i}`, 'suspend'));
    const m = parsePlanMarker(planMarker('rollcall.yaml', 'c'.repeat(64), many), 'rollcall.yaml')!;
    expect(m.checksum).toBe('c'.repeat(64));
    expect(m.destructive).toBeUndefined();
  });
});

describe('plan marker in a public repository', () => {
  const changes = Array.from({ length: 50 }, (_, i) => change(`user:student:${1000 + i}`, 'suspend'));
  const candidates = (body: string) => {
    // Everything an outsider can hash: every plausible id, as the key and as "action key", whole or truncated.
    const hex = new Set(body.match(/[0-9a-f]{8,}/g) ?? []);
    const hits: string[] = [];
    for (let id = 0; id < 3000; id++) for (const text of [`suspend user:student:${id}`, `user:student:${id}`, `student:${id}`]) {
      const h = createHash('sha256').update(text).digest('hex');
      for (const x of hex) if (h.startsWith(x)) hits.push(text);
    }
    return hits;
  };

  it('without a marker key records no hashes at all, and the merge cannot compare them', () => {
    const body = planMarker('rollcall.yaml', 'b'.repeat(64), changes, markerScheme(undefined, true));
    expect(body).toContain('rollcall:destructive withheld');
    expect(candidates(body)).toEqual([]);
    const m = parsePlanMarker(body, 'rollcall.yaml')!;
    expect(m).toMatchObject({ checksum: 'b'.repeat(64), scheme: 'withheld' });
    expect(m.destructive).toBeUndefined();
  });

  it('with a marker key records HMACs, which only that key reproduces; a private repository keeps the plain hashes', () => {
    const keyed = markerScheme('s3cret-key', true);
    const body = planMarker('rollcall.yaml', 'b'.repeat(64), changes, keyed);
    expect(candidates(body)).toEqual([]);
    const m = parsePlanMarker(body, 'rollcall.yaml')!;
    expect(m.scheme).toBe('hmac');
    expect([...m.destructive!].sort()).toEqual(changes.map((c) => destructiveHash(c, keyed)).sort());
    expect(m.destructive!.has(destructiveHash(changes[0], markerScheme('another', true)))).toBe(false);
    const plain = planMarker('rollcall.yaml', 'b'.repeat(64), changes, markerScheme(undefined, false));
    expect(candidates(plain)).toHaveLength(50); // what the private repository's readers may see anyway
  });
});

describe('diffPlans', () => {
  it('splits the head plan into this PR (new or altered), pending anyway, and withdrawn', () => {
    const base = plan([change('a'), change('b', 'update', { after: { displayName: 'x' } }), change('c', 'suspend')]);
    const head = plan([change('a'), change('b', 'update', { after: { displayName: 'y' } }), change('d', 'add-member')]);
    const d = diffPlans(head, base);
    expect(d.pending.map((c) => c.key)).toEqual(['a']);
    expect(d.altered.map((c) => c.key)).toEqual(['b']);
    expect(d.introduced.map((c) => c.key)).toEqual(['d']);
    expect(d.withdrawn.map((c) => c.key)).toEqual(['c']);
    expect(diffPlans(head, undefined).introduced).toHaveLength(3);
  });

  it('keys by action as well as key: a create and a suspend of one account are different changes', () => {
    const d = diffPlans(plan([change('a', 'suspend')]), plan([change('a', 'create')]));
    expect(d.introduced).toHaveLength(1);
    expect(d.withdrawn).toHaveLength(1);
  });
});

describe('share', () => {
  it('gives each part what it needs when it can, and splits the rest by weight', () => {
    expect(share([100, 100], [2, 1], 1000)).toEqual([100, 100]);
    expect(share([1000, 100], [2, 1], 600)).toEqual([500, 100]);
    const caps = share([5000, 5000, 5000], [6, 3, 3], 1200);
    expect(caps).toEqual([600, 300, 300]);
    expect(share([0, 50], [6, 3], 10)).toEqual([0, 10]);
  });
});

describe('prCommentBody', () => {
  it('stays under the cap however large the plan, marker first', () => {
    const big = Array.from({ length: 3000 }, (_, i) => change(`user:student:${i}`, 'create', { subject: { name: `pupil${i}@students.example.sch.uk`, displayName: `Pupil Number${i}` }, after: { displayName: `Pupil Number${i}` } }));
    const head = plan(big);
    const base = plan(big.slice(0, 1500), 'd'.repeat(64));
    const marker = planMarker('rollcall.yaml', head.checksum, head.changes);
    const body = prCommentBody({ marker, configRel: 'rollcall.yaml', head, base, diff: diffPlans(head, base), personalData: 'full', notices: [] });
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain('What this pull request changes');
    expect(body).toContain('Pending anyway');
    expect(body).toContain('truncated');
  });

  it('masks free text in one slice with names learnt from the whole plan', () => {
    const named = change('user:student:9', 'create', { subject: { person: 'student:9', name: 'zed.quill@students.example.sch.uk', displayName: 'Zed Quill' } });
    const head = { ...plan([named]), warnings: ['Zed Quill has two accounts'] };
    const base = plan([], 'e'.repeat(64));
    const body = prCommentBody({ marker: planMarker('rollcall.yaml', head.checksum, []), configRel: 'rollcall.yaml', head, base, diff: diffPlans(head, base), personalData: 'masked', notices: [] });
    expect(body).not.toContain('Quill');
  });
});

describe('names of files and branches', () => {
  it('one approval file and one review branch per config', () => {
    expect(approvalPath('rollcall.yaml')).toBe('rollcall.approved.json');
    expect(approvalPath('schools/north/rollcall.yaml')).toBe('schools/north/rollcall.approved.json');
    expect(reviewBranch('rollcall.yaml')).toBe('rollcall/review');
    expect(reviewBranch('schools/north/rollcall.yaml')).toBe('rollcall/review-schools-north');
    expect(reviewBranch('trust/rollcall-south.yaml')).toBe('rollcall/review-trust-rollcall-south');
  });
});

describe('the GitHub client', () => {
  it('calls under GITHUB_API_URL (Enterprise Server), follows Link pages, and updates a marked comment in place', async () => {
    const seen: string[] = [];
    // A contributor quoting (or forging) the marker first; rollcall's own comment later.
    const comments = [{ id: 1, body: '> <!-- m -->old', user: { login: 'mallory', type: 'User' } }, { id: 2, body: 'x' }, { id: 3, body: '<!-- m -->old', user: { login: 'github-actions[bot]', type: 'Bot' } }];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const u = new URL(req.url!, 'http://x');
      if (req.method === 'GET' && u.pathname === '/api/v3/repos/o/r/issues/5/comments') {
        const page = Number(u.searchParams.get('page') ?? 1);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (page < 3) headers.link = `<http://${req.headers.host}/api/v3/repos/o/r/issues/5/comments?page=${page + 1}>; rel="next"`;
        res.writeHead(200, headers).end(JSON.stringify([comments[page - 1]]));
        return;
      }
      if (req.method === 'PATCH' && u.pathname === '/api/v3/repos/o/r/issues/comments/3') { res.writeHead(200).end('{"id":3}'); return; }
      res.writeHead(404).end('{"message":"Not Found"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const gh = gitHub({ token: 't', apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/`, retryAfterBaseValue: 1 });
      const out = await upsertComment(gh, { owner: 'o', repo: 'r' }, 5, '<!-- m -->', '<!-- m -->new', 'github-actions[bot]');
      expect(out).toMatchObject({ id: 3, created: false, author: 'github-actions[bot]' });
      expect(out.others.map((c) => c.id)).toEqual([1]);
      expect(seen.filter((s) => s.startsWith('GET'))).toHaveLength(3);
      expect(seen.at(-1)).toBe('PATCH /api/v3/repos/o/r/issues/comments/3');
      await expect(gh.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'missing' })).rejects.toBeInstanceOf(GitHubApiError);
      await expect(upsertComment(gh, { owner: 'o', repo: 'r' }, 5, '<!-- m -->', `<!-- m -->${'x'.repeat(COMMENT_MAX_CHARS)}`, 'github-actions[bot]')).rejects.toThrow(/over GitHub/);
    } finally {
      server.close();
    }
  });
});

describe('checkoutBaseConfig', () => {
  const exec = promisify(execFile);
  const git = (cwd: string, ...args: string[]) => exec('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd });

  it('writes the base commit\'s config, the files it extends and its match files to a folder that loads', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rollcall-base-test-'));
    try {
      const repo = path.join(dir, 'repo');
      await mkdir(path.join(repo, 'schools/north/matches'), { recursive: true });
      await writeFile(path.join(repo, 'trust.yaml'), 'version: 1\ntenant:\n  local: { state: t.json }\n  domains: [north.example]\nsource:\n  csv: { dir: ./mis }\n');
      await writeFile(path.join(repo, 'schools/north/rollcall.yaml'), 'version: 1\nextends: ../../trust.yaml\nschool: { name: North, key: north }\nusers:\n  manualMatches: matches/manual.csv\n');
      await writeFile(path.join(repo, 'schools/north/matches/manual.csv'), 'misId,userPrincipalName\nstudent:1,a@north.example\n');
      await git(repo, 'init', '-q');
      await git(repo, 'add', '.');
      await git(repo, 'commit', '-q', '-m', 'base');
      const sha = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
      await writeFile(path.join(repo, 'schools/north/rollcall.yaml'), 'version: 1\nschool: { name: Changed, key: north }\n');

      const tree = (await checkoutBaseConfig(repo, sha, 'schools/north/rollcall.yaml', dir))!;
      const loaded = await loadConfig(tree.configFile);
      expect(loaded.config.school.name).toBe('North');
      expect(loaded.files.map((f) => path.relative(tree.root, f))).toEqual(['trust.yaml', 'schools/north/rollcall.yaml']);
      expect(await readFile(path.join(tree.root, 'schools/north/matches/manual.csv'), 'utf8')).toContain('student:1');
      expect(await checkoutBaseConfig(repo, sha, 'schools/south/rollcall.yaml', dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('graphqlUrl', () => {
  it('is beside the REST API: github.com and Enterprise Server, unless GITHUB_GRAPHQL_URL says', () => {
    expect(graphqlUrl('https://api.github.com', {})).toBe('https://api.github.com/graphql');
    expect(graphqlUrl('https://ghe.example/api/v3/', {})).toBe('https://ghe.example/api/graphql');
    expect(graphqlUrl('https://ghe.example/api/v3', { GITHUB_GRAPHQL_URL: 'https://x/graphql' })).toBe('https://x/graphql');
  });
});
