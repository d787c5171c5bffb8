// The plan for a terminal or a CI log. Colour only when asked (the CLI asks on a TTY): escape codes in a
// log file or a piped `rollcall plan > plan.txt` are noise.
import type { Change, Plan } from '../plan/types.js';
import { changeDiff, changeTarget, sigil, unsyncedWho } from './describe.js';
import type { Masker } from './mask.js';
import { blockedFigures, groupChanges, heldLine, noWorkEmailLine, plural, shortChecksum, summaryTable, thousands, unsyncedByReason } from './summary.js';

type Paint = (s: string) => string;

function palette(color: boolean) {
  const sgr = (open: number, close: number): Paint => (color ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

export function renderText(plan: Plan, m: Masker, opts: { color: boolean; title?: string }): string {
  const p = palette(opts.color);
  const out: string[] = [];
  const title = opts.title ?? `rollcall plan for ${plan.school.name}`;
  out.push(p.bold(`${title} (${plan.school.key}) · checksum ${shortChecksum(plan.checksum)} · as of ${plan.asOf} · mode ${plan.mode}`));

  if (plan.blocked.length) {
    out.push('', p.red(p.bold(`BLOCKED: this plan will not be applied (${plural(plan.blocked.length, 'reason')})`)));
    for (const b of plan.blocked) {
      const figures = blockedFigures(b);
      out.push(p.red(`  ✖ ${b.rule}: ${m.text(b.message)}${figures ? ` [${figures}]` : ''}`));
    }
  }

  const held = heldLine(plan);
  if (held) out.push('', p.yellow(p.bold(`HELD: ${held}`)));
  const noEmail = noWorkEmailLine(plan);
  if (noEmail) out.push('', p.yellow(p.bold(`⚠ ${m.text(noEmail)}`)));

  const table = summaryTable(plan);
  out.push('', p.bold(table.total ? `Summary: ${plural(table.total, 'change')}` : 'Summary: no changes'));
  const width = Math.max(0, ...table.rows.map((r) => r.kind.length));
  for (const r of table.rows) {
    const cells = table.actions.filter((a) => r.counts[a]).map((a) => `${a} ${thousands(r.counts[a]!)}`);
    out.push(`  ${r.kind.padEnd(width)}  ${cells.join('  ')}`);
  }

  if (m.mode === 'counts') {
    if (plan.unsynced.length) {
      out.push('', p.bold(`Unsynced: ${thousands(plan.unsynced.length)}`));
      for (const [reason, list] of unsyncedByReason(plan.unsynced)) out.push(`  ${reason}: ${thousands(list.length)}`);
    }
    const hidden = [plan.warnings.length && plural(plan.warnings.length, 'warning'), plan.notes.length && plural(plan.notes.length, 'note')].filter(Boolean);
    out.push('', p.dim(`Per-person detail${hidden.length ? `, ${hidden.join(' and ')},` : ''} not shown (report.personalData: counts).`));
    return out.join('\n') + '\n';
  }

  const line = (c: Change): string[] => {
    const head = `${sigil(c)} ${c.action} ${c.kind} ${changeTarget(c, m)}`;
    const paint = c.destructive ? p.red : c.action === 'update' ? p.yellow : p.green;
    return [`  ${paint(head)}${p.dim(` (${m.text(c.reason)})`)}`, ...changeDiff(c, m).map((d) => `      ${d}`)];
  };

  const { destructive, byKind } = groupChanges(plan.changes);
  if (destructive.length) {
    out.push('', p.red(p.bold(`! Destructive changes: ${thousands(destructive.length)}`)));
    for (const c of destructive) out.push(...line(c));
  }
  for (const [kind, list] of byKind) {
    out.push('', p.bold(`${kind}: ${plural(list.length, 'change')}`));
    for (const c of list) out.push(...line(c));
  }

  if (plan.unsynced.length) {
    out.push('', p.bold(`Unsynced: ${thousands(plan.unsynced.length)}`));
    for (const [reason, list] of unsyncedByReason(plan.unsynced)) {
      out.push(p.cyan(`  ${reason} (${thousands(list.length)})`));
      for (const u of list) out.push(`    ${unsyncedWho(u, m)}: ${m.text(u.detail)}`);
    }
  }
  if (plan.warnings.length) {
    out.push('', p.yellow(p.bold(`Warnings: ${thousands(plan.warnings.length)}`)));
    for (const w of plan.warnings) out.push(p.yellow(`  ⚠ ${m.text(w)}`));
  }
  if (plan.notes.length) {
    out.push('', p.bold(`Notes: ${thousands(plan.notes.length)}`));
    for (const n of plan.notes) out.push(`  • ${m.text(n)}`);
  }
  return out.join('\n') + '\n';
}
