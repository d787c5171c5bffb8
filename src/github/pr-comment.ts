// The pull request comment: what this pull request changes, apart from what is pending anyway, under one hidden
// marker, never over GitHub's limit. Each part is the render module's markdown of a slice of the plan.
import { summarize } from '../plan/build.js';
import type { Change, Plan } from '../plan/types.js';
import { Masker, renderPlan, type PersonalData } from '../render/index.js';
import { md } from '../render/markdown.js';
import { COMMENT_MAX_CHARS } from './comments.js';
import type { PlanDiff } from './plan-diff.js';

export interface CommentInput {
  marker: string;
  configRel: string;
  head: Plan;
  base?: Plan;
  diff: PlanDiff;
  personalData: PersonalData;
  /** Markdown paragraphs shown first (a fork, a base that reads elsewhere, a base that does not load). */
  notices: string[];
  runUrl?: string;
  /** Total length allowed; GitHub's limit by default. */
  maxChars?: number;
}

/** Room kept free under the limit: GitHub counts characters a little differently from UTF-16 length on some input. */
const MARGIN = 512;

function slice(plan: Plan, changes: Change[], keep: { blocked?: boolean; rest?: boolean }): Plan {
  return {
    ...plan,
    changes,
    summary: summarize(changes),
    blocked: keep.blocked ? plan.blocked : [],
    unsynced: keep.rest ? plan.unsynced : [],
    warnings: keep.rest ? plan.warnings : [],
    notes: keep.rest ? plan.notes : [],
  };
}

/**
 * Free text (warnings, notes, reasons for blocks) can name people whose changes sit in another slice, where that
 * slice's masker would not know their names; so it is masked against the whole plan before slicing.
 */
function premask(plan: Plan, mode: PersonalData): Plan {
  if (mode === 'full') return plan;
  const m = new Masker(mode, plan);
  return {
    ...plan,
    warnings: plan.warnings.map((w) => m.text(w)),
    notes: plan.notes.map((n) => m.text(n)),
    blocked: plan.blocked.map((b) => ({ ...b, message: m.text(b.message) })),
  };
}

/** Shares `budget` among parts by weight; a part that needs less than its share gives the rest to the others. */
export function share(lengths: number[], weights: number[], budget: number): number[] {
  const caps = lengths.map(() => 0);
  let open = lengths.map((_, i) => i).filter((i) => lengths[i] > 0);
  let left = budget;
  while (open.length && left > 0) {
    const total = open.reduce((s, i) => s + weights[i], 0);
    const settled = open.filter((i) => lengths[i] - caps[i] <= Math.floor((left * weights[i]) / total));
    if (!settled.length) {
      for (const i of open) caps[i] += Math.floor((left * weights[i]) / total);
      break;
    }
    for (const i of settled) { left -= lengths[i] - caps[i]; caps[i] = lengths[i]; }
    open = open.filter((i) => !settled.includes(i));
  }
  return caps;
}

export function prCommentBody(input: CommentInput): string {
  const { head, diff, personalData: pd } = input;
  const h = premask(head, pd);
  const b = input.base ? premask(input.base, pd) : undefined;
  const parts: { title: string; plan: Plan }[] = [];
  const own = new Set([...diff.introduced, ...diff.altered]);
  const mine = h.changes.filter((c) => own.has(c));
  parts.push({ title: 'What this pull request changes', plan: slice(h, mine, { blocked: true }) });
  if (b && diff.withdrawn.length) parts.push({ title: 'What this pull request stops (the base branch would do it)', plan: slice(b, diff.withdrawn, {}) });
  parts.push({ title: input.base ? 'Pending anyway (the base branch would do it too)' : 'Pending anyway', plan: slice(h, diff.pending, { rest: true }) });

  const top = [
    input.marker,
    `## rollcall plan · ${md(input.configRel)} · \`${head.checksum.slice(0, 12)}\``,
    '',
    ...input.notices.flatMap((n) => [n, '']),
    `${thisPrLine(diff)}${head.blocked.length ? ' **Blocked by a safety limit.**' : ''}`,
    '',
  ].join('\n');
  const foot = `\n<sub>The whole plan is in the job summary${input.runUrl ? ` of [this run](${input.runUrl})` : ''} and its plan artifact. Personal data: ${pd}.</sub>\n`;
  const render = (p: { title: string; plan: Plan }, maxChars: number) => renderPlan(p.plan, { format: 'markdown', personalData: pd, title: p.title, maxChars });

  const full = parts.map((p) => render(p, Number.MAX_SAFE_INTEGER));
  const budget = (input.maxChars ?? COMMENT_MAX_CHARS) - MARGIN - top.length - foot.length - parts.length;
  const fits = full.reduce((s, t) => s + t.length + 1, 0) <= budget;
  const caps = fits ? full.map((t) => t.length) : share(full.map((t) => t.length), parts.map((_, i) => (i === 0 ? 6 : 3)), budget);
  const bodies = parts.map((p, i) => (caps[i] >= full[i].length ? full[i] : render(p, caps[i])));
  return `${top}${bodies.filter(Boolean).join('\n')}${foot}`;
}

function thisPrLine(d: PlanDiff): string {
  const n = d.introduced.length + d.altered.length;
  const bits = [`**This pull request:** ${n ? `${n} change(s)` : 'no changes of its own'}`];
  if (d.withdrawn.length) bits.push(`stops ${d.withdrawn.length}`);
  bits.push(`${d.pending.length} pending anyway`);
  return `${bits.join(' · ')}.`;
}
