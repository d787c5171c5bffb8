// The mail after apply and after every scheduled run: how it went per kind, every failure with Graph's error code
// so the IT lead can look it up, who is not synced or held and why, what is blocked or waiting for review, and
// where the first passwords went. Mail leaves the repository's access control, so it is masked like a comment.
import type { Change, ChangeAction, Plan } from '../plan/types.js';
import { changeTarget, unsyncedWho } from './describe.js';
import { Masker, type PersonalData } from './mask.js';
import { blockedFigures, KINDS, plural, shortChecksum, thousands, unsyncedByReason } from './summary.js';

export interface ApplyResult {
  key: string;
  status: 'done' | 'skipped' | 'failed';
  detail?: string;
  error?: { status: number; code: string; message: string };
}

export interface SummaryMail { subject: string; html: string; text: string }

type Counts = { done: number; skipped: number; failed: number };

/** What an apply kept: counts per kind and the first failures (apply does not keep every result). */
export interface ApplySummary {
  byKind: Partial<Record<string, Counts>>;
  failures: readonly ApplyResult[];
}

/** The summary of a list of results, for callers that have one. */
export function summariseResults(plan: Pick<Plan, 'changes'>, results: readonly ApplyResult[]): ApplySummary {
  const kindOf = new Map(plan.changes.map((c) => [c.key, c.kind as string]));
  const byKind: Record<string, Counts> = {};
  for (const r of results) (byKind[kindOf.get(r.key) ?? 'unknown'] ??= { done: 0, skipped: 0, failed: 0 })[r.status]++;
  return { byKind, failures: results.filter((r) => r.status === 'failed') };
}

type Tally = { done: number; skipped: number; failed: number; notRun: number };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Failure { action: ChangeAction | '?'; kind: string; who?: string; code: string; status: number; message: string; times: number }

export interface SummaryMailOptions {
  personalData: PersonalData;
  /** The plan was not applied (blocked, or left for review): why, in a sentence. */
  notApplied?: string;
  /** The review pull request that carries the plan. */
  review?: { number: number; url?: string };
  /** The encrypted first-password file the run wrote. */
  passwordsFile?: string;
}

/** People listed per unsynced reason before the rest are only counted (the plan has every one). */
const UNSYNCED_LISTED = 20;

/**
 * `summary` is what an apply kept; without it nothing was applied (a quiet night, or a plan held for review) and
 * every planned change counts as not run.
 */
export function renderSummaryMail(plan: Plan, summary: ApplySummary | undefined, opts: SummaryMailOptions): SummaryMail {
  const m = new Masker(opts.personalData, plan);
  summary ??= { byKind: {}, failures: [] };
  const tallies = new Map<string, Tally>();
  const tally = (kind: string) => {
    let t = tallies.get(kind);
    if (!t) tallies.set(kind, (t = { done: 0, skipped: 0, failed: 0, notRun: 0 }));
    return t;
  };
  // Changes with no result were not run; only the failed ones are looked up by key.
  const planned = new Map<string, number>();
  for (const c of plan.changes) planned.set(c.kind, (planned.get(c.kind) ?? 0) + 1);
  for (const [kind, n] of planned) tally(kind).notRun = n;
  for (const [kind, c] of Object.entries(summary.byKind)) {
    if (!c) continue;
    const t = tally(kind);
    t.done += c.done; t.skipped += c.skipped; t.failed += c.failed;
    t.notRun = Math.max(0, t.notRun - c.done - c.skipped - c.failed);
  }
  const failedKeys = new Set(summary.failures.map((r) => r.key));
  const byKey = new Map<string, Change>(plan.changes.filter((c) => failedKeys.has(c.key)).map((c) => [c.key, c]));
  const failures: Failure[] = [];
  const grouped = new Map<string, Failure>();

  for (const r of summary.failures) {
    const change = byKey.get(r.key);
    const kind = change?.kind ?? 'unknown';
    const code = r.error?.code ?? 'unknown';
    const status = r.error?.status ?? 0;
    const message = m.text(r.error?.message ?? r.detail ?? '');
    const action = change?.action ?? '?';
    if (m.mode === 'counts') {
      // No per-person rows: failures collapse to one line per error and action.
      const id = `${code}\0${status}\0${action}\0${kind}`;
      const f = grouped.get(id);
      if (f) f.times++;
      else { const nf: Failure = { action, kind, code, status, message: '', times: 1 }; grouped.set(id, nf); failures.push(nf); }
    } else {
      const who = change ? changeTarget(change, m) : m.text(r.key);
      failures.push({ action, kind, who, code, status, message, times: 1 });
    }
  }

  const kinds = [...tallies.keys()].sort((a, b) => rankKind(a) - rankKind(b));
  const total = sum([...tallies.values()]);
  const counts = `${thousands(total.done)} done, ${thousands(total.failed)} failed, ${thousands(total.skipped)} skipped` +
    (total.notRun ? `, ${thousands(total.notRun)} not run` : '');
  const quiet = !plan.changes.length;
  const subject = quiet ? `rollcall for ${plan.school.name}: nothing to change`
    : opts.notApplied !== undefined ? `rollcall for ${plan.school.name}: ${plural(plan.changes.length, 'change')} not applied${plan.blocked.length ? ' (blocked)' : ''}, waiting for review`
      : `rollcall ${total.failed ? 'applied with failures' : 'applied'} for ${plan.school.name}: ${counts}`;
  const intro = quiet
    ? `Plan ${shortChecksum(plan.checksum)} for ${plan.school.name} (${plan.school.key}), as of ${plan.asOf}: the tenant is in step with the MIS; nothing to change.`
    : `Plan ${shortChecksum(plan.checksum)} for ${plan.school.name} (${plan.school.key}), as of ${plan.asOf}: ${counts}.`;
  // Each section once, as [heading, lines]; text and HTML render the same list.
  const sections: [string, string[]][] = [];
  if (opts.notApplied !== undefined) {
    const review = opts.review ? [`Review pull request #${opts.review.number}${opts.review.url ? `: ${opts.review.url}` : ''}`] : [];
    sections.push(['Not applied', [`Not applied: ${m.text(opts.notApplied)}.`, ...review]]);
  }
  if (plan.blocked.length) {
    sections.push([`Blocked (${plan.blocked.length})`, plan.blocked.map((b) => {
      const figures = blockedFigures(b);
      return `${b.rule}: ${m.text(b.message)}${figures ? ` (${figures})` : ''}`;
    })]);
  }
  if (plan.unsynced.length) {
    const lines: string[] = [];
    for (const [reason, list] of unsyncedByReason(plan.unsynced)) {
      lines.push(`${reason}: ${plural(list.length, 'person', 'people')}`);
      if (m.mode === 'counts') continue;
      for (const u of list.slice(0, UNSYNCED_LISTED)) lines.push(`  ${unsyncedWho(u, m)}: ${m.text(u.detail)}`);
      if (list.length > UNSYNCED_LISTED) lines.push(`  … and ${thousands(list.length - UNSYNCED_LISTED)} more (the plan lists every one)`);
    }
    sections.push([`Not synced or held (${thousands(plan.unsynced.length)})`, lines]);
  }
  if (opts.passwordsFile) {
    sections.push(['First passwords', [`Written, encrypted, to ${opts.passwordsFile} (rollcall passwords open FILE --identity KEY-FILE).`]]);
  }

  const failureLine = (f: Failure) => m.mode === 'counts'
    ? `${f.code} (${f.status}): ${f.action} ${f.kind}, ${plural(f.times, 'time')}`
    : `${f.action} ${f.kind} ${f.who}: ${f.code} (${f.status}) ${f.message}`.trimEnd();

  const text: string[] = [intro, ''];
  text.push(['kind', 'done', 'skipped', 'failed', 'not run'].join('\t'));
  for (const k of kinds) { const t = tallies.get(k)!; text.push([k, t.done, t.skipped, t.failed, t.notRun].map(String).join('\t')); }
  const listed = failures.reduce((n, f) => n + f.times, 0);
  const more = total.failed > listed ? `… and ${thousands(total.failed - listed)} more (the run's log names each by key)` : '';
  if (failures.length) {
    text.push('', `Failures (${thousands(total.failed)}):`);
    for (const f of failures) text.push(`- ${failureLine(f)}`);
    if (more) text.push(more);
  }
  for (const [heading, lines] of sections) text.push('', `${heading}:`, ...lines.map((l) => (l.startsWith('  ') ? `  - ${l.trimStart()}` : `- ${l}`)));
  if (plan.notes.length && m.mode !== 'counts') {
    text.push('', 'To do:');
    for (const n of plan.notes) text.push(`- ${m.text(n)}`);
  }

  const cell = (v: string | number, tag = 'td') => `<${tag} style="padding:2px 8px;text-align:${typeof v === 'number' ? 'right' : 'left'}">${esc(String(v))}</${tag}>`;
  const html: string[] = [`<p>${esc(intro)}</p>`, '<table style="border-collapse:collapse">'];
  html.push(`<tr>${['kind', 'done', 'skipped', 'failed', 'not run'].map((h) => cell(h, 'th')).join('')}</tr>`);
  for (const k of kinds) { const t = tallies.get(k)!; html.push(`<tr>${[k, t.done, t.skipped, t.failed, t.notRun].map((v) => cell(v)).join('')}</tr>`); }
  html.push('</table>');
  if (failures.length) {
    html.push(`<h3>Failures (${thousands(total.failed)})</h3>`, '<ul>');
    for (const f of failures) html.push(`<li>${esc(failureLine(f))}</li>`);
    html.push('</ul>');
    if (more) html.push(`<p>${esc(more)}</p>`);
  }
  for (const [heading, lines] of sections) {
    html.push(`<h3>${esc(heading)}</h3>`, '<ul>', ...lines.map((l) => `<li${l.startsWith('  ') ? ' style="margin-left:1.5em"' : ''}>${esc(l.trimStart())}</li>`), '</ul>');
  }
  if (plan.notes.length && m.mode !== 'counts') {
    html.push('<h3>To do</h3>', '<ul>', ...plan.notes.map((n) => `<li>${esc(m.text(n))}</li>`), '</ul>');
  }
  return { subject, html: html.join('\n') + '\n', text: text.join('\n') + '\n' };
}

function rankKind(kind: string): number {
  const i = (KINDS as string[]).indexOf(kind);
  return i < 0 ? KINDS.length : i;
}

function sum(ts: Tally[]): Tally {
  return ts.reduce((a, t) => ({ done: a.done + t.done, skipped: a.skipped + t.skipped, failed: a.failed + t.failed, notRun: a.notRun + t.notRun }),
    { done: 0, skipped: 0, failed: 0, notRun: 0 });
}
