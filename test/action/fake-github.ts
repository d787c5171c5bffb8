// A fake GitHub REST API on loopback: just the endpoints rollcall's action calls, with state a test can seed and
// inspect, and every request recorded. It serves under a path prefix, the way GitHub Enterprise Server does
// (`/api/v3`), so a client that ignored GITHUB_API_URL would miss it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest { method: string; path: string; query: Record<string, string>; body?: any; auth?: string }
export interface FakeUser { login: string; type: string }
export interface FakeComment { id: number; body: string; user: FakeUser; performed_via_github_app?: { slug: string } | null }
export interface FakePull {
  number: number; state: 'open' | 'closed'; title: string; body: string | null;
  head: { ref: string; sha: string; repo?: { full_name: string; fork: boolean } }; base: { ref: string; sha?: string; repo?: { full_name: string } };
  user: FakeUser;
  merged_at: string | null; merge_commit_sha: string | null; html_url: string;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments = new Map<number, FakeComment[]>();
  readonly labels = new Map<number, Set<string>>();
  readonly pulls: FakePull[] = [];
  /** Commit sha → pull request numbers, as GET /commits/{sha}/pulls answers. */
  readonly commitPulls = new Map<string, number[]>();
  repo = { full_name: 'school/it', private: true, visibility: 'private' as 'public' | 'private', default_branch: 'main' };
  /** Who the token writes as (GraphQL `viewer`); `undefined` makes GraphQL answer as for a token it refuses. */
  writer: FakeUser | undefined = { login: 'github-actions[bot]', type: 'Bot' };
  /** Answer comment writes with this status (a fork's read-only token). */
  denyWrites = false;
  /** Git data (blobs, flat trees, commits, refs): what the journal branch is written through. */
  readonly git = {
    blobs: new Map<string, Buffer>(),
    trees: new Map<string, Map<string, string>>(),
    commits: new Map<string, { tree: string; parents: string[]; message: string }>(),
    refs: new Map<string, string>(),
  };
  private nextId = 1000;
  private server?: Server;
  url = '';

  constructor(readonly prefix = '/api/v3') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.prefix}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  addPull(p: Partial<FakePull> & { number: number }): FakePull {
    const pull: FakePull = { state: 'open', title: `PR ${p.number}`, body: null, head: { ref: `feature-${p.number}`, sha: '0'.repeat(40), repo: { full_name: 'school/it', fork: false } }, base: { ref: 'main', repo: { full_name: 'school/it' } }, user: { login: 'teacher', type: 'User' }, merged_at: null, merge_commit_sha: null, html_url: `https://github.example/school/it/pull/${p.number}`, ...p };
    this.pulls.push(pull);
    return pull;
  }

  /** A comment someone else wrote (a contributor), as GitHub records it. */
  addComment(issue: number, body: string, user: FakeUser = { login: 'contributor', type: 'User' }): FakeComment {
    const c: FakeComment = { id: this.nextId++, body, user, performed_via_github_app: null };
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), c]);
    return c;
  }

  /** The files on a branch (path → text), as the git data API left them. */
  branchFiles(branch: string): Map<string, string> {
    const head = this.git.refs.get(`refs/heads/${branch}`);
    const out = new Map<string, string>();
    if (!head) return out;
    for (const [file, blob] of this.git.trees.get(this.git.commits.get(head)!.tree)!) out.set(file, this.git.blobs.get(blob)!.toString('utf8'));
    return out;
  }

  /** The commits of a branch, newest first. */
  branchLog(branch: string): { sha: string; message: string; parents: string[] }[] {
    const log = [];
    for (let sha = this.git.refs.get(`refs/heads/${branch}`); sha; sha = this.git.commits.get(sha)!.parents[0]) log.push({ sha, ...this.git.commits.get(sha)! });
    return log;
  }

  private gitData(method: string, p: string, body: any, send: (status: number, data?: unknown) => void): boolean {
    const sha = (kind: string, data: string | Buffer) => createHash('sha1').update(`${kind}\0`).update(data).digest('hex');
    let g: RegExpExecArray | null;
    if (method === 'POST' && p === '/git/blobs') {
      const content = Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8');
      const id = sha('blob', content);
      this.git.blobs.set(id, content);
      send(201, { sha: id });
      return true;
    }
    if (method === 'GET' && (g = /^\/git\/ref\/(.+)$/.exec(p))) {
      const ref = `refs/${decodeURIComponent(g[1])}`;
      const at = this.git.refs.get(ref);
      send(at ? 200 : 404, at ? { ref, object: { sha: at, type: 'commit' } } : { message: 'Not Found' });
      return true;
    }
    if (method === 'GET' && (g = /^\/git\/commits\/([0-9a-f]{40})$/.exec(p))) {
      const c = this.git.commits.get(g[1]);
      send(c ? 200 : 404, c ? { sha: g[1], tree: { sha: c.tree }, parents: c.parents.map((x) => ({ sha: x })), message: c.message } : { message: 'Not Found' });
      return true;
    }
    if (method === 'POST' && p === '/git/trees') {
      const base = body.base_tree ? this.git.trees.get(body.base_tree) : new Map<string, string>();
      if (!base) { send(422, { message: 'base_tree is not a tree' }); return true; }
      const tree = new Map(base);
      for (const e of body.tree as { path: string; sha: string }[]) {
        if (!this.git.blobs.has(e.sha)) { send(422, { message: `tree.sha ${e.sha} is not a valid blob` }); return true; }
        tree.set(e.path, e.sha);
      }
      const id = sha('tree', JSON.stringify([...tree].sort()));
      this.git.trees.set(id, tree);
      send(201, { sha: id });
      return true;
    }
    if (method === 'POST' && p === '/git/commits') {
      if (!this.git.trees.has(body.tree)) { send(422, { message: 'Tree SHA does not exist' }); return true; }
      const id = sha('commit', JSON.stringify([body.tree, body.parents, body.message, this.nextId++]));
      this.git.commits.set(id, { tree: body.tree, parents: body.parents ?? [], message: body.message });
      send(201, { sha: id, tree: { sha: body.tree } });
      return true;
    }
    if (method === 'POST' && p === '/git/refs') {
      if (this.git.refs.has(body.ref)) { send(422, { message: 'Reference already exists' }); return true; }
      this.git.refs.set(body.ref, body.sha);
      send(201, { ref: body.ref, object: { sha: body.sha, type: 'commit' } });
      return true;
    }
    if (method === 'PATCH' && (g = /^\/git\/refs\/(.+)$/.exec(p))) {
      const ref = `refs/${decodeURIComponent(g[1])}`;
      const at = this.git.refs.get(ref);
      if (!at) { send(422, { message: 'Reference does not exist' }); return true; }
      if (!body.force && !this.git.commits.get(body.sha)?.parents.includes(at)) { send(422, { message: 'Update is not a fast forward' }); return true; }
      this.git.refs.set(ref, body.sha);
      send(200, { ref, object: { sha: body.sha, type: 'commit' } });
      return true;
    }
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body = text ? JSON.parse(text) : undefined;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), ...(body !== undefined ? { body } : {}), ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) };
    this.requests.push(rec);
    const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    // GraphQL is served beside the REST API (`/api/graphql` on Enterprise Server), not under it.
    if (u.pathname === `${this.prefix.replace(/\/v3$/, '')}/graphql` && req.method === 'POST') {
      if (!this.writer) return send(403, { message: 'Resource not accessible by integration' });
      return send(200, /viewer/.test(body?.query ?? '') ? { data: { viewer: { login: this.writer.login } } } : { errors: [{ message: 'unsupported query' }] });
    }
    if (!u.pathname.startsWith(`${this.prefix}/repos/school/it`)) return send(404, { message: 'Not Found' });
    const p = u.pathname.slice(`${this.prefix}/repos/school/it`.length);
    const m = (re: RegExp) => re.exec(p);
    let g: RegExpExecArray | null;
    const method = rec.method;

    if (method === 'GET' && p === '') return send(200, this.repo);
    if (p.startsWith('/git/') && this.gitData(method, p, body, send)) return;
    if ((g = m(/^\/issues\/(\d+)\/comments$/))) {
      const n = Number(g[1]);
      const list = this.comments.get(n) ?? [];
      if (method === 'GET') {
        // Pages of 2, so the client must follow Link headers.
        const page = Number(u.searchParams.get('page') ?? 1);
        const per = 2;
        const slice = list.slice((page - 1) * per, page * per);
        const next = page * per < list.length ? { link: `<${`http://${req.headers.host}${u.pathname}?per_page=${per}&page=${page + 1}`}>; rel="next"` } : undefined;
        return send(200, slice, next);
      }
      if (method === 'POST') {
        if (this.denyWrites) return send(403, { message: 'Resource not accessible by integration' });
        const c: FakeComment = { id: this.nextId++, body: body.body, user: this.writer ?? { login: 'github-actions[bot]', type: 'Bot' }, performed_via_github_app: { slug: (this.writer?.login ?? 'github-actions').replace(/\[bot\]$/, '') } };
        this.comments.set(n, [...list, c]);
        return send(201, c);
      }
    }
    if ((g = m(/^\/issues\/comments\/(\d+)$/)) && method === 'PATCH') {
      if (this.denyWrites) return send(403, { message: 'Resource not accessible by integration' });
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(g![1]));
        if (c) { c.body = body.body; return send(200, c); }
      }
      return send(404, { message: 'Not Found' });
    }
    if ((g = m(/^\/issues\/(\d+)\/labels$/)) && method === 'POST') {
      const set = this.labels.get(Number(g[1])) ?? new Set();
      for (const l of body.labels) set.add(l);
      this.labels.set(Number(g[1]), set);
      return send(200, [...set].map((name) => ({ name })));
    }
    if ((g = m(/^\/issues\/(\d+)\/labels\/(.+)$/)) && method === 'DELETE') {
      const set = this.labels.get(Number(g[1]));
      const name = decodeURIComponent(g[2]);
      if (!set?.has(name)) return send(404, { message: 'Label does not exist' });
      set.delete(name);
      return send(200, [...set].map((n) => ({ name: n })));
    }
    if ((g = m(/^\/commits\/([0-9a-f]{40})\/pulls$/)) && method === 'GET') {
      return send(200, (this.commitPulls.get(g[1]) ?? []).map((n) => this.pulls.find((x) => x.number === n)).filter(Boolean));
    }
    if (p === '/pulls' && method === 'GET') {
      const [, ref] = (u.searchParams.get('head') ?? ':').split(':');
      const state = u.searchParams.get('state') ?? 'open';
      return send(200, this.pulls.filter((x) => (state === 'all' || x.state === state) && (!ref || x.head.ref === ref)));
    }
    if (p === '/pulls' && method === 'POST') {
      const pull = this.addPull({ number: this.nextId++, title: body.title, body: body.body, head: { ref: body.head, sha: '', repo: { full_name: 'school/it', fork: false } }, base: { ref: body.base, repo: { full_name: 'school/it' } }, user: this.writer ?? { login: 'github-actions[bot]', type: 'Bot' } });
      return send(201, pull);
    }
    if ((g = m(/^\/pulls\/(\d+)$/))) {
      const pull = this.pulls.find((x) => x.number === Number(g![1]));
      if (!pull) return send(404, { message: 'Not Found' });
      if (method === 'GET') return send(200, pull);
      if (method === 'PATCH') { Object.assign(pull, body); return send(200, pull); }
    }
    return send(404, { message: `fake GitHub has no ${method} ${p}` });
  }
}
