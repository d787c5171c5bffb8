// Waits for new teams to be provisioned. Teams answers a team create with 202 and a teamsAsyncOperation; asking
// each operation in turn costs one request per team (295 for a 1,500-pupil school). The list of teams
// (`GET /teams?$select=id`, the read rollcall already needs) shows every team that is provisioned, so one read of it
// confirms all the teams that are waiting: each team is still confirmed on its own (present in a list read that
// began after its create was accepted), and a team the list does not show is asked about on its own operation, so an
// operation that failed is reported failed with Teams' error. Unknown is never absent: a list read that fails or
// answers nonsense proves nothing, and the team is then asked about on its own.
import type { OpResult } from '../types.js';
import { checkAnswer, IdPage, TeamsOperationAnswer } from './answers.js';
import { versionRelative } from './links.js';
import type { BatchQueue, GraphAnswer } from './queue.js';

export interface TeamWatchOptions {
  queue: BatchQueue;
  /** Pauses between looks (the first after the 202); when they run out the team is reported accepted. */
  polls: number[];
  sleep: (ms: number) => Promise<void>;
  /** Graph's version root (`https://graph.microsoft.com/v1.0`): links Graph gives are made relative to it. */
  graphBase: string;
}

/** The list read of one polling round: teams, ids only, the largest page Graph gives. */
export const TEAM_LIST_URL = '/teams?$select=id&$top=999';

interface Waiting {
  /** Rounds started before this team's create was accepted: only a later round's list may confirm it. */
  after: number;
  seen: boolean;
}

const ok = (status: number) => status >= 200 && status < 300;

export class TeamWatch {
  private readonly waiting = new Map<string, Waiting>();
  /** Rounds started so far; the one in flight, if any. */
  private rounds = 0;
  private current: Promise<boolean> | undefined;
  /** Pages the last list read took: a round costs that many requests, worth it only with as many teams waiting. */
  private pages = 1;

  constructor(private readonly opts: TeamWatchOptions) {}

  /** Done when the team is provisioned, failed with Teams' error when its operation failed. */
  async created(key: string, accepted: GraphAnswer, teamId: string): Promise<OpResult> {
    const location = accepted.headers.location;
    if (accepted.status !== 202 || !location) return { key, status: 'done', id: teamId };
    // The same group twice in one run (never planned) shares one entry: the first to finish removes it.
    const me: Waiting = { after: this.rounds, seen: false };
    this.waiting.set(teamId, me);
    try {
      const { polls } = this.opts;
      for (let i = 0; i < polls.length; i++) {
        await this.opts.sleep(polls[i]);
        // A list read that failed or answered nonsense watched nothing: the team's own operation is read instead.
        const listed = !me.seen && this.unseen() >= this.pages && await this.round(me);
        if (me.seen) return { key, status: 'done', id: teamId };
        // Not listed yet: its own operation says whether it failed. Asked once early (a failure is reported soon,
        // not at the time limit) and at the time limit; between them the shared list reads watch it.
        if (listed && i !== 1 && i !== polls.length - 1) continue;
        const verdict = await teamOperation(this.opts.queue, key, versionRelative(location, this.opts.graphBase), teamId);
        if (verdict) return verdict;
      }
      return { key, status: 'done', id: teamId, detail: 'accepted; Teams is still provisioning it' };
    } finally {
      if (this.waiting.get(teamId) === me) this.waiting.delete(teamId);
    }
  }

  /** Joins the round in flight when it began after this team's create was accepted, or starts one; false when its read failed. */
  private async round(me: Waiting): Promise<boolean> {
    for (;;) {
      if (this.current && this.rounds > me.after) return this.current;
      if (this.current) { await this.current; continue; }
      const n = ++this.rounds;
      const read = this.listTeams(n);
      this.current = read;
      const clear = () => { if (this.current === read) this.current = undefined; };
      read.then(clear, clear);
      return read;
    }
  }

  /**
   * One list read, every page; each waiting team it shows (and that was waiting before the read began) is seen.
   * False when a page failed or answered nonsense (the teams it did show are still seen: presence is proof).
   */
  private async listTeams(n: number): Promise<boolean> {
    let url: string | undefined = TEAM_LIST_URL;
    let pages = 0;
    let whole = true;
    while (url) {
      const a = await this.opts.queue.send({ method: 'GET', url });
      pages++;
      const { value: page } = ok(a.status) ? checkAnswer(IdPage, a.body) : { value: undefined };
      if (!page) { whole = false; break; }
      for (const t of page.value) {
        const w = this.waiting.get(t.id);
        if (w && w.after < n) w.seen = true;
      }
      const next = (a.body as { '@odata.nextLink'?: unknown })['@odata.nextLink'];
      url = typeof next === 'string' ? versionRelative(next, this.opts.graphBase) : undefined;
    }
    this.pages = Math.max(1, pages);
    return whole;
  }

  private unseen(): number {
    let n = 0;
    for (const w of this.waiting.values()) if (!w.seen) n++;
    return n;
  }
}

/** A teamsAsyncOperation read once: a result when it succeeded or failed, undefined while it runs or is unknown. */
export async function teamOperation(queue: BatchQueue, key: string, url: string, id: string): Promise<OpResult | undefined> {
  const op = await queue.send({ method: 'GET', url });
  if (!ok(op.status)) return undefined;
  // An answer without a status string says nothing about the operation: look again, as after a failed GET.
  const { value: body } = checkAnswer(TeamsOperationAnswer, op.body);
  if (!body) return undefined;
  if (body.status === 'succeeded') return { key, status: 'done', id };
  if (body.status === 'failed') {
    return { key, status: 'failed', id, detail: 'the Teams operation failed', error: { status: 200, code: body.error?.code ?? 'OperationFailed', message: body.error?.message ?? 'teamsAsyncOperation failed' } };
  }
  return undefined;
}
