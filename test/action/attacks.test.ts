// End to end, through dist/index.js run as GitHub runs it: what a hostile pull request tries (issue 11). A branch
// that names where rollcall connects (to take the runner's secrets), a contributor's comment or pull request body
// carrying a forged marker (to get a blocked plan applied at merge), and the ids a public repository would leak.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../support/emulator-process.js';
import { FakeGitHub } from './fake-github.js';
import {
  commitConfig, configText, git, installAction, loadWorkflow, makeSchool, REPO_ROOT, runAction, tenantUsers, writeMis, type RunResult, type School,
} from './harness.js';

const TOKEN = 'ghs_attacktoken000000000000000';
const SECRETS = { ANY_VARIABLE: 'runner-variable-value-4711', BROMCOM_PASSWORD: 'mis-password-value-4712', AZURE_CLIENT_SECRET: 'client-secret-value-4713' };
/** The repository secret the workflows pass as `marker-key` (unset unless a test sets it). */
let markerKey = '';
let dir: string;
let actionDir: string;
const schools: School[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollcall-attack-'));
  actionDir = await installAction(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  for (const s of schools) await rm(s.root, { recursive: true, force: true });
});

/** A loopback listener that records every connection and every byte sent to it, and answers nothing useful. */
class Listener {
  connections = 0;
  received = '';
  private server?: Server;
  private sockets = new Set<Socket>();
  url = '';
  async start(): Promise<void> {
    this.server = createServer((sock) => {
      this.connections++;
      this.sockets.add(sock);
      sock.on('data', (d: Buffer) => { this.received += d.toString('latin1'); });
      sock.on('error', () => undefined);
      setTimeout(() => sock.destroy(), 200);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

function prPayload(number: number, base: string, head: string, opts: { fork?: boolean; visibility?: 'public' | 'private'; body?: string } = {}) {
  const visibility = opts.visibility ?? 'private';
  return {
    action: 'synchronize', number,
    repository: { full_name: 'school/it', private: visibility === 'private', visibility, default_branch: 'main' },
    pull_request: {
      number, labels: [], body: opts.body ?? null, user: { login: opts.fork ? 'outsider' : 'teacher', type: 'User' },
      base: { sha: base, ref: 'main', repo: { full_name: 'school/it', fork: false } },
      head: { sha: head, ref: `feature-${number}`, repo: opts.fork ? { full_name: 'outsider/it', fork: true } : { full_name: 'school/it', fork: false } },
    },
  };
}

async function pullRequestRun(s: School, gh: FakeGitHub, number: number, base: string, head: string, opts: { fork?: boolean; env?: Record<string, string>; visibility?: 'public' | 'private'; body?: string; config?: string } = {}): Promise<RunResult> {
  const wf = await loadWorkflow('rollcall-pull-request.yml', { 'github.token': TOKEN, 'vars.ROLLCALL_READ_CLIENT_ID': '', 'secrets.ROLLCALL_MARKER_KEY': markerKey });
  await git(s.workspace, 'checkout', '-q', head);
  return runAction({ actionDir, school: s, api: gh.url, event: 'pull_request', payload: prPayload(number, base, head, opts), inputs: { ...wf.with, ...(opts.config ? { config: opts.config } : {}) }, sha: head, ref: `refs/pull/${number}/merge`, token: TOKEN, env: { ...SECRETS, ...opts.env } });
}

/** A branch off main with one config commit; returns [base, head]. */
async function branch(s: School, number: number, text: string, file = 'rollcall.yaml'): Promise<[string, string]> {
  await git(s.workspace, 'checkout', '-q', 'main');
  const base = await git(s.workspace, 'rev-parse', 'HEAD');
  await git(s.workspace, 'checkout', '-q', '-b', `feature-${number}`);
  return [base, await commitConfig(s, text, `pull request ${number}`, file)];
}

async function merge(s: School, gh: FakeGitHub, number: number): Promise<string> {
  await git(s.workspace, 'checkout', '-q', 'main');
  await git(s.workspace, 'merge', '-q', '--no-ff', '-m', `Merge pull request #${number}`, `feature-${number}`);
  await git(s.workspace, 'push', '-q', 'origin', 'main');
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  const pull = gh.pulls.find((p) => p.number === number) ?? gh.addPull({ number });
  Object.assign(pull, { state: 'closed', merged_at: new Date().toISOString(), merge_commit_sha: sha });
  gh.commitPulls.set(sha, [number]);
  return sha;
}

async function mergeRun(s: School, gh: FakeGitHub, sha: string, visibility: 'public' | 'private' = 'private'): Promise<RunResult> {
  const wf = await loadWorkflow('rollcall-merge.yml', { 'github.token': TOKEN, 'secrets.ROLLCALL_MARKER_KEY': markerKey });
  await git(s.workspace, 'checkout', '-q', sha);
  const repository = { full_name: 'school/it', private: visibility === 'private', visibility, default_branch: 'main' };
  return runAction({ actionDir, school: s, api: gh.url, event: 'push', payload: { ref: 'refs/heads/main', after: sha, repository }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN, env: SECRETS });
}

async function nightlyRun(s: School, gh: FakeGitHub): Promise<RunResult> {
  const wf = await loadWorkflow('rollcall-nightly.yml', { 'github.token': TOKEN, 'secrets.ROLLCALL_MARKER_KEY': markerKey });
  await git(s.workspace, 'checkout', '-q', 'main');
  const sha = await git(s.workspace, 'rev-parse', 'HEAD');
  return runAction({ actionDir, school: s, api: gh.url, event: 'schedule', payload: { schedule: '17 2 * * *', repository: { full_name: 'school/it', private: true, visibility: 'private', default_branch: 'main' } }, inputs: wf.with, sha, ref: 'refs/heads/main', token: TOKEN, env: SECRETS });
}

const fail = (r: RunResult) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`;
// `::add-mask::VALUE` is how a step asks the runner to hide a value; the runner never shows the line itself.
const everything = (r: RunResult, gh: FakeGitHub) => [r.stdout.replace(/^::add-mask::.*$/gm, ''), r.stderr, r.summary, JSON.stringify(r.outputs), JSON.stringify([...gh.comments.values()])].join('\n');

describe('a pull request never chooses where rollcall connects', () => {
  let gh: FakeGitHub;
  let listener: Listener;
  let s: School;
  beforeAll(async () => {
    gh = new FakeGitHub();
    await gh.start();
    listener = new Listener();
    await listener.start();
    s = await makeSchool({ students: 12, seed: 21 });
    schools.push(s);
  });
  afterAll(async () => { await gh.stop(); await listener.stop(); });

  const graph = (extra: string) => `
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-0000000000aa
    clientId: 11111111-1111-1111-1111-1111111111bb
${extra}
  domains: [e2e.example, students.e2e.example]
  education: false
`;
  const withTenant = (text: string, tenant: string) => text.replace(/\ntenant:\n {2}local: .*\n {2}domains: .*\n {2}education: false\n/, tenant);

  it('through source: a Bromcom URL on a loopback listener with { env: ANY_VARIABLE } gets nothing; the plan uses the base\'s MIS', async () => {
    const source = `{ bromcom: { url: "http://${listener.url}/x.asmx", schoolId: 1, username: { env: ANY_VARIABLE }, password: { env: BROMCOM_PASSWORD }, retries: 0 } }`;
    const [base, head] = await branch(s, 41, configText(s, { source, staffGroups: ['All Staff', 'Library'] }));
    const r = await pullRequestRun(s, gh, 41, base, head);
    expect(listener.received).not.toContain(SECRETS.ANY_VARIABLE);
    expect(listener.received).not.toContain(SECRETS.BROMCOM_PASSWORD);
    expect(listener.connections).toBe(0);
    expect(r.code, fail(r)).toBe(0);
    expect(JSON.parse(r.outputs.summary).user.create).toBe(s.school.people.length); // read from the base's OneRoster export
    const body = gh.comments.get(41)!.at(-1)!.body;
    expect(body).toContain('changes where rollcall connects');
    expect(body).toMatch(/`source\.bromcom\.url` added/);
    expect(body).toMatch(/`source\.oneroster\.dir` removed/);
    expect(everything(r, gh)).not.toMatch(/runner-variable-value|mis-password-value/);
  });

  it('through tenant.graph.authorityHost: the client secret is never sent to a host the base did not name', async () => {
    const tenant = graph(`    auth: client-secret\n    clientSecret: { env: AZURE_CLIENT_SECRET }\n    authorityHost: https://${listener.url}`);
    const [base, head] = await branch(s, 42, withTenant(configText(s, { staffGroups: ['All Staff', 'Library'] }), tenant));
    expect(await readFile(path.join(s.workspace, 'rollcall.yaml'), 'utf8')).toContain('authorityHost');
    const before = listener.connections;
    const r = await pullRequestRun(s, gh, 42, base, head);
    expect(listener.connections - before).toBe(0);
    expect(listener.received).not.toContain(SECRETS.AZURE_CLIENT_SECRET);
    expect(everything(r, gh)).not.toContain(SECRETS.AZURE_CLIENT_SECRET);
  });

  describe('through the Graph base URL', () => {
    let emulator: ChildProcess;
    let emulatorUrl: string;
    let ca: string;
    beforeAll(async () => {
      ca = path.join(s.root, 'ca.pem');
      ({ child: emulator, url: emulatorUrl } = await startEmulatorProcess({ state: path.join(s.root, 'attacker-tenant.json'), ca, domains: ['e2e.example', 'students.e2e.example'] }));
    });
    afterAll(() => { emulator?.kill('SIGTERM'); });

    it('a token from a real sign-in is never sent to a Graph address the base did not name', async () => {
      // The sign-in answers (the emulator's token endpoint, trusted as a real one would be); Graph is the listener.
      const tenant = graph(`    auth: client-secret\n    clientSecret: { env: AZURE_CLIENT_SECRET }\n    authorityHost: ${emulatorUrl}\n    graphUrl: https://${listener.url}`);
      const [base, head] = await branch(s, 43, withTenant(configText(s, { staffGroups: ['All Staff', 'Library'] }), tenant));
      const before = listener.connections;
      const r = await pullRequestRun(s, gh, 43, base, head, { env: { NODE_EXTRA_CA_CERTS: ca } });
      expect(listener.connections - before).toBe(0);
      // Planned with the base's connection, or (once the loader refuses hosts the base did not allow) refused.
      const body = gh.comments.get(43)!.at(-1)!.body;
      if (r.code === 0) expect(body).toMatch(/`tenant\.graph\.graphUrl` added/);
      else expect(body, fail(r)).toContain('does not load');
    });
  });

  it('a pull request that moves the MIS export is planned with the base\'s reads, and its comment shows the keys that changed', async () => {
    const small = await makeSchool({ students: 3, seed: 22 });
    schools.push(small);
    const [base, head] = await branch(s, 44, configText({ misDir: small.misDir, tenantFile: s.tenantFile }, { staffGroups: ['All Staff', 'Library'] }));
    const r = await pullRequestRun(s, gh, 44, base, head);
    expect(r.code, fail(r)).toBe(0);
    expect(JSON.parse(r.outputs.summary).user.create).toBe(s.school.people.length);
    expect(JSON.parse(r.outputs.summary).user.create).not.toBe(small.school.people.length);
    const body = gh.comments.get(44)!.at(-1)!.body;
    expect(body).toContain("this plan was made with the base branch's connection");
    expect(body).toMatch(/`source\.oneroster\.dir` changed/);
    expect(body).not.toContain(small.misDir);
    expect(((await tenantUsers(s)) ?? []).filter((u) => u.employeeId)).toEqual([]); // and nothing was written
  });
});

describe('a config the base branch does not have', () => {
  let gh: FakeGitHub;
  let listener: Listener;
  let s: School;
  beforeAll(async () => {
    gh = new FakeGitHub();
    await gh.start();
    listener = new Listener();
    await listener.start();
    s = await makeSchool({ students: 8, seed: 25 });
    schools.push(s);
  });
  afterAll(async () => { await gh.stop(); await listener.stop(); });

  it('is planned when it inherits its connection from a file on the base branch and sets none of its own', async () => {
    const [base, head] = await branch(s, 45, 'version: 1\nextends: rollcall.yaml\nsafety: { maxSuspensions: { count: 5 } }\n', 'sixth-form.yaml');
    const r = await pullRequestRun(s, gh, 45, base, head, { config: 'sixth-form.yaml' });
    expect(r.code, fail(r)).toBe(0);
    expect(JSON.parse(r.outputs.summary).user.create).toBe(s.school.people.length);
    expect(gh.comments.get(45)![0].body).toContain('It is planned with the connection it inherits there');
  });

  it('is validated only when it sets its own connection, and nothing is sent to it', async () => {
    const source = `{ bromcom: { url: "http://${listener.url}/x.asmx", schoolId: 1, username: { env: ANY_VARIABLE }, password: { env: BROMCOM_PASSWORD }, retries: 0 } }`;
    const [base, head] = await branch(s, 46, configText(s, { source }), 'annexe.yaml');
    const r = await pullRequestRun(s, gh, 46, base, head, { config: 'annexe.yaml' });
    expect(listener.connections).toBe(0);
    expect(r.code, fail(r)).toBe(0);
    expect(r.outputs.checksum).toBeUndefined();
    const body = gh.comments.get(46)![0].body;
    expect(body).toContain('Validated only');
    expect(body).toContain('sets its own connection');
    expect(body).not.toContain(listener.url);
  });
});

describe('only rollcall\'s own comments count', () => {
  let gh: FakeGitHub;
  let s: School;
  const students = () => s.school.people.filter((p) => p.kind === 'student').map((p) => p.id);
  const disabled = async () => (await tenantUsers(s))?.filter((u) => !u.accountEnabled && u.employeeId).length ?? 0;
  /** What an outsider computes from public keys: the marker of a plan suspending these pupils. */
  const forgedMarker = (ids: string[]) => `<!-- rollcall:plan config=rollcall.yaml checksum=${'0'.repeat(64)} -->\n<!-- rollcall:destructive ${ids.map((id) => createHash('sha256').update(`suspend user:${id}`).digest('hex').slice(0, 12)).join(' ')} -->\nLooks good to me!`;

  beforeAll(async () => {
    gh = new FakeGitHub();
    await gh.start();
    s = await makeSchool({ students: 20, seed: 23 });
    schools.push(s);
    const first = await nightlyRun(s, gh); // the accounts exist: within the limits, applied
    expect(first.outputs.applied, fail(first)).toBe('true');
  });
  afterAll(async () => { await gh.stop(); });

  it('the bot updates its own comment, never a contributor\'s that quotes its marker, and says it ignores that one', async () => {
    const [base, head] = await branch(s, 51, configText(s, { staffGroups: ['All Staff', 'Library'] }));
    const quote = gh.addComment(51, '> <!-- rollcall:plan config=rollcall.yaml checksum=none -->\n> what does this mean?');
    const r1 = await pullRequestRun(s, gh, 51, base, head);
    expect(r1.code, fail(r1)).toBe(0);
    expect(quote.body).toContain('what does this mean?'); // untouched
    const own = gh.comments.get(51)!.filter((c) => c.user.login === 'github-actions[bot]');
    expect(own).toHaveLength(1);
    expect(own[0].body).toContain(`checksum=${r1.outputs.checksum}`);
    expect(own[0].body).toContain('rollcall ignores them');
    expect(r1.stdout).toContain(`comment ${quote.id} by contributor carries rollcall's marker; ignored`);
    const r2 = await pullRequestRun(s, gh, 51, base, head);
    expect(r2.code, fail(r2)).toBe(0);
    expect(gh.comments.get(51)).toHaveLength(2);
    expect(gh.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith(`/issues/comments/${quote.id}`))).toHaveLength(0);
  });

  it('a forged marker in a contributor\'s comment, posted before the bot\'s, does not get a blocked plan applied at merge', async () => {
    // Two pupils leave: the plan reviewed suspends two, within the limit of three.
    await writeMis(s, students().slice(0, 2));
    const [base, head] = await branch(s, 52, configText(s, { staffGroups: ['All Staff', 'Library', 'Hall'] }));
    const forged = gh.addComment(52, forgedMarker(students().slice(0, 5)));
    const pr = await pullRequestRun(s, gh, 52, base, head);
    expect(pr.code, fail(pr)).toBe(0);
    forged.body = forgedMarker(students().slice(0, 5)); // and the contributor edits it back, should the bot have touched it
    // Before the merge three more leave: five suspensions, over the limit, three never reviewed.
    await writeMis(s, students().slice(0, 5));
    const r = await mergeRun(s, gh, await merge(s, gh, 52));
    expect(r.outputs.applied, fail(r)).toBe('false');
    expect(r.code).toBe(1);
    expect(await disabled()).toBe(0);
    expect(r.stdout).toContain(`ignored a rollcall marker in comment ${forged.id} by contributor`);
    const said = gh.comments.get(52)!.find((c) => c.body.includes('rollcall:merge'))!;
    expect(said.user.login).toBe('github-actions[bot]');
    expect(said.body).toContain('3 destructive change(s) were not in the reviewed plan');
    expect(said.body).toContain('rollcall ignored 1 marker(s) it did not write');
  });

  it('a forged marker in a pull request\'s body (a fork, whose run could only validate) is ignored at merge and reported', async () => {
    const [base, head] = await branch(s, 53, configText(s, { staffGroups: ['All Staff', 'Library', 'Hall', 'Gym'] }));
    const body = forgedMarker(students().slice(0, 5));
    gh.addPull({ number: 53, body, user: { login: 'outsider', type: 'User' }, head: { ref: 'feature-53', sha: head, repo: { full_name: 'outsider/it', fork: true } } });
    const pr = await pullRequestRun(s, gh, 53, base, head, { fork: true, body });
    expect(pr.code, fail(pr)).toBe(0);
    expect(gh.comments.get(53)![0].body).toContain('Validated only');
    const r = await mergeRun(s, gh, await merge(s, gh, 53));
    expect(r.outputs.applied, fail(r)).toBe('false');
    expect(await disabled()).toBe(0);
    expect(r.stdout).toContain('ignored a rollcall marker in the body of pull request #53 (by outsider');
    expect(gh.comments.get(53)!.find((c) => c.body.includes('rollcall:merge'))!.body).toContain('rollcall ignored 1 marker(s)');
  });
});

describe('an approval file is rollcall\'s too', () => {
  let gh: FakeGitHub;
  let s: School;
  const disabled = async () => (await tenantUsers(s))?.filter((u) => !u.accountEnabled && u.employeeId).length ?? 0;
  beforeAll(async () => {
    gh = new FakeGitHub();
    await gh.start();
    s = await makeSchool({ students: 20, seed: 27 });
    schools.push(s);
    const first = await nightlyRun(s, gh);
    expect(first.outputs.applied, fail(first)).toBe('true');
    await writeMis(s, s.school.people.filter((p) => p.kind === 'student').map((p) => p.id).slice(0, 5)); // over the limit of three
  });
  afterAll(async () => { await gh.stop(); });

  it('an approval file in anyone else\'s pull request approves nothing: only rollcall\'s review pull request brings one', async () => {
    // The checksum of the blocked plan is public enough: the nightly run's review pull request shows it.
    const night = await nightlyRun(s, gh);
    expect(night.outputs.blocked, fail(night)).toBe('true');
    const checksum = night.outputs.checksum;
    const approval = JSON.stringify({ version: 1, config: 'rollcall.yaml', checksum, school: 'ea', asOf: s.asOf, summary: {}, blocked: ['safety.maxSuspensions'] }, null, 2);
    const [base, head] = await branch(s, 54, `${approval}\n`, 'rollcall.approved.json');
    gh.addPull({ number: 54, user: { login: 'outsider', type: 'User' }, head: { ref: 'feature-54', sha: head, repo: { full_name: 'outsider/it', fork: true } } });
    const pr = await pullRequestRun(s, gh, 54, base, head, { fork: true });
    expect(pr.code, fail(pr)).toBe(0);
    const r = await mergeRun(s, gh, await merge(s, gh, 54));
    expect(r.outputs.checksum).toBe(checksum);
    expect(r.outputs.applied, fail(r)).toBe('false');
    expect(await disabled()).toBe(0);
    expect(r.stdout).toContain("ignored rollcall.approved.json: pull request #54 is not rollcall's review pull request");
  });
});

describe('with a GitHub App token, rollcall is the app\'s bot', () => {
  it('finds its identity once per run (GraphQL viewer), writes and updates as the app, and ignores github-actions[bot]\'s marker', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      gh.writer = { login: 'rollcall-school[bot]', type: 'Bot' };
      const s = await makeSchool({ students: 6, seed: 28 });
      schools.push(s);
      const [base, head] = await branch(s, 81, configText(s, { staffGroups: ['All Staff', 'Library'] }));
      // Another workflow's token can write as github-actions[bot]; with an app token that is not rollcall.
      const other = gh.addComment(81, '<!-- rollcall:plan config=rollcall.yaml checksum=none -->\nnot from rollcall', { login: 'github-actions[bot]', type: 'Bot' });
      const r1 = await pullRequestRun(s, gh, 81, base, head);
      expect(r1.code, fail(r1)).toBe(0);
      expect(gh.requests.filter((q) => q.path === '/api/graphql')).toHaveLength(1);
      const own = gh.comments.get(81)!.filter((c) => c.user.login === 'rollcall-school[bot]');
      expect(own).toHaveLength(1);
      expect(other.body).toContain('not from rollcall');
      expect(r1.stdout).toContain(`comment ${other.id} by github-actions[bot] carries rollcall's marker; ignored`);
      await commitConfig(s, configText(s, { staffGroups: ['All Staff', 'Library', 'Hall'] }), 'and the hall');
      const head2 = await git(s.workspace, 'rev-parse', 'HEAD');
      const r2 = await pullRequestRun(s, gh, 81, base, head2);
      expect(r2.code, fail(r2)).toBe(0);
      expect(gh.comments.get(81)).toHaveLength(2);
      expect(own[0].body).toContain(`checksum=${r2.outputs.checksum}`);
    } finally {
      await gh.stop();
    }
  });
});

describe('a public repository leaks no ids', () => {
  it('without marker-key its markers record no destructive change, so a grown plan over the limits needs its exact checksum; with it, HMACs let the reviewed changes through', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      gh.repo = { ...gh.repo, private: false, visibility: 'public' };
      const s = await makeSchool({ students: 20, seed: 26, config: { maxSuspensions: 1 } });
      schools.push(s);
      const first = await nightlyRun(s, gh);
      expect(first.outputs.applied, fail(first)).toBe('true');
      const disabled = async () => (await tenantUsers(s))?.filter((u) => !u.accountEnabled && u.employeeId).length ?? 0;
      const students = s.school.people.filter((p) => p.kind === 'student').map((p) => p.id);
      await writeMis(s, students.slice(0, 2)); // two suspensions: over the limit of one
      const renamed = (i: number) => { const staff = s.school.people.filter((p) => p.kind === 'staff')[i]; staff.legal = { ...staff.legal, last: `${staff.legal.last}-Renamed${i}` }; };

      const [b1, h1] = await branch(s, 71, configText(s, { maxSuspensions: 1, staffGroups: ['All Staff', 'Library'] }));
      const pr1 = await pullRequestRun(s, gh, 71, b1, h1, { visibility: 'public' });
      expect(pr1.outputs.blocked, fail(pr1)).toBe('true');
      expect(gh.comments.get(71)![0].body).toContain('<!-- rollcall:destructive withheld -->');
      renamed(0); // the plan changes a little before the merge (not destructively)
      await writeMis(s, students.slice(0, 2));
      const m1 = await mergeRun(s, gh, await merge(s, gh, 71), 'public');
      expect(m1.outputs.applied, fail(m1)).toBe('false');
      expect(m1.outputs.checksum).not.toBe(pr1.outputs.checksum);
      expect(gh.comments.get(71)!.find((c) => c.body.includes('rollcall:merge'))!.body).toContain('without the marker-key input');
      expect(await disabled()).toBe(0);

      markerKey = 'a-long-random-marker-key-0123456789';
      try {
        const [b2, h2] = await branch(s, 72, configText(s, { maxSuspensions: 1, staffGroups: ['All Staff', 'Library', 'Hall'] }));
        const pr2 = await pullRequestRun(s, gh, 72, b2, h2, { visibility: 'public' });
        expect(gh.comments.get(72)![0].body).toMatch(/<!-- rollcall:destructive hmac [0-9a-f]{24} [0-9a-f]{24} -->/);
        renamed(1);
        await writeMis(s, students.slice(0, 2));
        const m2 = await mergeRun(s, gh, await merge(s, gh, 72), 'public');
        expect(m2.outputs.checksum).not.toBe(pr2.outputs.checksum);
        expect(m2.outputs.applied, fail(m2)).toBe('true');
        expect(await disabled()).toBe(2);
      } finally {
        markerKey = '';
      }
    } finally {
      await gh.stop();
    }
  });

  it('comment, summary, plan artifact, outputs and markers carry no MIS id and no hash of a candidate key', async () => {
    const gh = new FakeGitHub();
    await gh.start();
    try {
      gh.repo = { ...gh.repo, private: false, visibility: 'public' };
      const s = await makeSchool({ students: 20, seed: 24, config: { personalData: 'full' } });
      schools.push(s);
      const first = await nightlyRun(s, gh);
      expect(first.outputs.applied, fail(first)).toBe('true');
      const students = s.school.people.filter((p) => p.kind === 'student').map((p) => p.id);
      await writeMis(s, students.slice(0, 2));
      const [base, head] = await branch(s, 61, configText(s, { personalData: 'full', staffGroups: ['All Staff', 'Library'] }));
      const r = await pullRequestRun(s, gh, 61, base, head, { visibility: 'public' });
      expect(r.code, fail(r)).toBe(0);
      const comment = gh.comments.get(61)![0].body;
      expect(comment).toMatch(/suspend/); // the destructive changes are shown …
      expect(comment).toContain('Library'); // … and the school's own group names are not masked
      const artifact = await readFile(r.outputs['plan-file'], 'utf8');
      // The job logs of a public repository are public too: the nightly apply's and the pull request's.
      const published = [comment, r.summary, artifact, JSON.stringify(r.outputs), first.stdout, first.stderr, r.stdout, r.stderr].join('\n');

      const misIds = s.school.people.map((p) => p.misId);
      const leaks = s.school.people.filter((p) => new RegExp(`(${p.id}|:[st]${p.misId})(?![0-9A-Za-z])`).test(published)).map((p) => p.id);
      expect(leaks).toEqual([]);
      // Every hex run anyone could try against sha256 of every candidate key, whole or truncated.
      const hex = [...new Set(published.match(/[0-9a-f]{8,}/g) ?? [])];
      const hits: string[] = [];
      for (const id of misIds) {
        for (const kind of ['student', 'staff']) {
          for (const text of [`${kind}:${id}`, `user:${kind}:${id}`, `suspend user:${kind}:${id}`, `delete user:${kind}:${id}`, id]) {
            const h = createHash('sha256').update(text).digest('hex');
            if (hex.some((x) => h.startsWith(x) || x.startsWith(h))) hits.push(text);
          }
        }
      }
      expect(hits).toEqual([]);
    } finally {
      await gh.stop();
    }
  });
});
