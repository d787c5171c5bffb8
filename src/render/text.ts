// The plan for a terminal or a CI log: the summary first, then what a reviewer must judge (blocks, destructive
// changes, people held or not synced, numbered addresses, likely duplicates, warnings, notes), then the detail
// folded into totals, so a first sync of 15,000 changes fits on a screen before the detail. `detail` lists every
// change. Colour only when asked (the CLI asks on a TTY): escape codes in a log file or a pipe are noise.
import type { Change, Plan } from '../plan/types.js';
import { changeDiff, changeTarget, sigil, unsyncedWho } from './describe.js';
import { likelyDuplicates, membershipTotals, numberedCreates } from './exceptions.js';
import type { Masker } from './mask.js';
import { blockedFigures, groupChanges, heldLine, noWorkEmailLine, plural, shortChecksum, summaryTable, thousands, unsyncedByReason } from './summary.js';

type Paint = (s: string) => string;

/** Rows of one exception list before "… and N more": enough to judge, few enough to keep the screen. */
export const EXCEPTION_ROWS = 10;

function palette(color: boolean) {
  const sgr = (open: number, close: number): Paint => (color ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

export interface TextOptions {
  color: boolean;
  title?: string;
  /** Every change one by one, with its properties; otherwise the exceptions, then totals. */
  detail?: boolean;
}

export function renderText(plan: Plan, m: Masker, opts: TextOptions): string {
  const p = palette(opts.color);
  const out: string[] = [];
  const all = opts.detail === true;
  const title = opts.title ?? `rollcall plan for ${plan.school.name}`;
  out.push(p.bold(`${title} (${plan.school.key}) · checksum ${shortChecksum(plan.checksum)} · as of ${plan.asOf} · mode ${plan.mode}`));

  // Matching by e-mail with no e-mail from the MIS links nobody: said above everything, even the summary (issue 14.5).
  const noEmail = noWorkEmailLine(plan);
  if (noEmail) out.push('', p.yellow(p.bold(`⚠ ${m.text(noEmail)}`)));

  const table = summaryTable(plan);
  out.push('', p.bold(table.total ? `Summary: ${plural(table.total, 'change')}${plan.blocked.length ? ' (blocked)' : ''}` : 'Summary: no changes'));
  const width = Math.max(0, ...table.rows.map((r) => r.kind.length));
  for (const r of table.rows) {
    const cells = table.actions.filter((a) => r.counts[a]).map((a) => `${a} ${thousands(r.counts[a]!)}`);
    out.push(`  ${r.kind.padEnd(width)}  ${cells.join('  ')}`);
  }

  if (plan.blocked.length) {
    out.push('', p.red(p.bold(`BLOCKED: this plan will not be applied (${plural(plan.blocked.length, 'reason')})`)));
    for (const b of plan.blocked) {
      const figures = blockedFigures(b);
      out.push(p.red(`  ✖ ${b.rule}: ${m.text(b.message)}${figures ? ` [${figures}]` : ''}`));
    }
  }
  const held = heldLine(plan);
  if (held) out.push('', p.yellow(p.bold(`HELD: ${held}`)));

  if (m.mode === 'counts') {
    if (plan.unsynced.length) {
      out.push('', p.bold(`Unsynced: ${thousands(plan.unsynced.length)}`));
      for (const [reason, list] of unsyncedByReason(plan.unsynced)) out.push(`  ${reason}: ${thousands(list.length)}`);
    }
    const hidden = [plan.warnings.length && plural(plan.warnings.length, 'warning'), plan.notes.length && plural(plan.notes.length, 'note')].filter(Boolean);
    out.push('', p.dim(`Per-person detail${hidden.length ? `, ${hidden.join(' and ')},` : ''} not shown (report.personalData: counts).`));
    return out.join('\n') + '\n';
  }

  /** At most EXCEPTION_ROWS items unless everything is asked for; then how many more and how to see them. */
  const capped = <T>(items: readonly T[], row: (item: T) => string[], more: string, indent = '  '): string[] => {
    const shown = all ? items : items.slice(0, EXCEPTION_ROWS);
    const lines = shown.flatMap(row);
    if (shown.length < items.length) lines.push(p.dim(`${indent}… and ${thousands(items.length - shown.length)} more (${more})`));
    return lines;
  };
  const line = (c: Change, withDiff: boolean): string[] => {
    const head = `${sigil(c)} ${c.action} ${c.kind} ${changeTarget(c, m)}`;
    const paint = c.destructive ? p.red : c.action === 'update' ? p.yellow : p.green;
    return [`  ${paint(head)}${p.dim(` (${m.text(c.reason)})`)}`, ...(withDiff ? changeDiff(c, m).map((d) => `      ${d}`) : [])];
  };

  const { destructive, byKind } = groupChanges(plan.changes);
  if (destructive.length) {
    out.push('', p.red(p.bold(`! Destructive changes: ${thousands(destructive.length)}`)));
    out.push(...capped(destructive, (c) => line(c, all), '--detail lists them all, --kind or --person picks some'));
  }
  if (plan.unsynced.length) {
    out.push('', p.bold(`Not synced: ${plural(plan.unsynced.length, 'person', 'people')}, by reason`));
    for (const [reason, list] of unsyncedByReason(plan.unsynced)) {
      out.push(p.cyan(`  ${reason} (${thousands(list.length)})`));
      out.push(...capped(list, (u) => [`    ${unsyncedWho(u, m)}: ${m.text(u.detail)}`], '--detail lists them all', '    '));
    }
  }
  const numbered = numberedCreates(plan);
  if (numbered.length) {
    out.push('', p.bold(`Addresses with a number: ${thousands(numbered.length)} (the template's address was taken)`));
    out.push(...capped(numbered, ({ change: c, base }) => [`  ${m.label({ ...c.subject, name: undefined }, c.kind)}: ${m.address(String(c.after?.userPrincipalName ?? ''))} (${m.address(base)} is taken)`], '--detail lists them all'));
  }
  const twins = likelyDuplicates(plan);
  if (twins.length) {
    out.push('', p.yellow(p.bold(`Likely duplicates: ${plural(twins.length, 'name')} with more than one new account (same name and year group: one person listed twice in the MIS, or twins?)`)));
    out.push(...capped(twins, (list) => [`  ${list.map((c) => m.label(c.subject, c.kind)).join(', ')}`], '--detail lists them all'));
  }
  if (plan.warnings.length) {
    out.push('', p.yellow(p.bold(`Warnings: ${thousands(plan.warnings.length)}`)));
    out.push(...capped(plan.warnings, (w) => [p.yellow(`  ⚠ ${m.text(w)}`)], '--detail lists them all'));
  }
  if (plan.notes.length) {
    out.push('', p.bold(`Notes: ${thousands(plan.notes.length)}`));
    for (const n of plan.notes) out.push(`  • ${m.text(n)}`);
  }

  if (all) {
    for (const [kind, list] of byKind) {
      out.push('', p.bold(`${kind}: ${plural(list.length, 'change')}`));
      for (const c of list) out.push(...line(c, true));
    }
    return out.join('\n') + '\n';
  }

  const others = byKind.filter(([kind]) => kind !== 'membership');
  const memberships = membershipTotals(plan.changes);
  if (!others.length && !memberships.length) return out.join('\n') + '\n';
  out.push('', p.bold('Detail, folded') + p.dim(' (--detail lists every change; --kind K or --person ID|name lists some)'));
  for (const [kind, list] of others) {
    const counts = new Map<string, number>();
    for (const c of list) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
    out.push(`  ${kind}: ${[...counts].map(([a, n]) => `${a} ${thousands(n)}`).join(', ')}`);
  }
  if (memberships.length) {
    out.push(`  memberships of ${plural(memberships.length, 'group')} (+ joining / − leaving):`);
    const w = Math.max(...memberships.map((t) => m.text(t.group).length));
    for (const t of memberships) {
      const figures = [t.added && p.green(`+${thousands(t.added)}`), t.removed && p.red(`−${thousands(t.removed)}`)].filter(Boolean).join(' ');
      out.push(`    ${m.text(t.group).padEnd(w)}  ${figures}`);
    }
  }
  return out.join('\n') + '\n';
}
