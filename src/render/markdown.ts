// The plan as a PR comment. GitHub refuses comments over 65,536 characters, so the document is built as
// sections of whole rows and cut between rows when over the cap, closing what is open and saying what is missing.
// What a reviewer must judge (blocks, destructive changes, warnings, notes) gets the room first; the detail
// (people not synced, every create and update) is what is dropped.
import { isDestructive } from '../plan/destructive.js';
import type { Change, ChangeKind, Plan } from '../plan/types.js';
import { changeDiff, changeTarget, unsyncedWho } from './describe.js';
import type { Masker } from './mask.js';
import { blockedFigures, groupChanges, heldLine, noWorkEmailLine, plural, shortChecksum, summaryTable, thousands, unsyncedByReason } from './summary.js';

export const MARKDOWN_MAX_CHARS = 60_000;

type RowKind = 'change' | 'unsynced' | 'warning' | 'note';
/** A section's rows are made on demand: a 100,000-change plan renders only the rows that fit in a comment. */
interface Section {
  open: string; size: number; row: (i: number) => string; close: string; counts: RowKind;
  /** Kept before any detail when the document is cut; `share` caps it so one long list cannot starve the rest. */
  essential?: { share?: number };
}

function lazy<T>(items: readonly T[], render: (item: T) => string): Pick<Section, 'size' | 'row'> {
  return { size: items.length, row: (i) => render(items[i]) };
}


/** Text from the plan inside markdown: no markup, no HTML, one line. */
export function md(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/** Where the truncation line sends a reader by default: a comment's run has both. */
export const FULL_PLAN_IN_RUN = 'the full plan is in the job summary and the plan artifact';

export function renderMarkdown(plan: Plan, m: Masker, opts: { maxChars?: number; title?: string; fullPlanAt?: string }): string {
  const max = opts.maxChars ?? MARKDOWN_MAX_CHARS;
  const head = headLines(plan, m, opts.title);
  const sections = m.mode === 'counts' ? [] : bodySections(plan, m);
  return fit(head, sections, max, opts.fullPlanAt ?? FULL_PLAN_IN_RUN);
}

function headLines(plan: Plan, m: Masker, title?: string): string[] {
  const lines: string[] = [];
  lines.push(`### ${md(title ?? `rollcall plan for ${plan.school.name}`)} · \`${shortChecksum(plan.checksum)}\``, '');
  lines.push(
    `<sub>school ${md(plan.school.key)} · mode ${plan.mode} · as of ${md(plan.asOf)} · source ${md(plan.source.kind)} ` +
    `\`${shortChecksum(plan.source.digest)}\` · tenant ${plural(plan.tenant.users, 'user')} (${thousands(plan.tenant.managedUsers)} managed)</sub>`,
    '',
  );
  if (plan.blocked.length) {
    lines.push('> [!CAUTION]', `> **Blocked: this plan will not be applied** (${plural(plan.blocked.length, 'reason')}).`);
    for (const b of plan.blocked) {
      const figures = blockedFigures(b);
      lines.push(`> - \`${b.rule.replace(/`/g, "'")}\`: ${md(m.text(b.message))}${figures ? ` (${figures})` : ''}`);
    }
    lines.push('');
  }
  const held = heldLine(plan);
  if (held) lines.push('> [!WARNING]', `> **Held:** ${md(held)}`, '');
  const noEmail = noWorkEmailLine(plan);
  if (noEmail) lines.push('> [!WARNING]', `> ${md(m.text(noEmail))}`, '');

  const table = summaryTable(plan);
  if (!table.total) lines.push('**No changes.**', '');
  else {
    // ⚠ on a column that holds a destructive change (plan/destructive.ts): deleting events alone is not one.
    const header = table.actions.map((a) => (table.rows.some((r) => r.counts[a] && isDestructive({ kind: r.kind as ChangeKind, action: a })) ? `${a} ⚠` : a));
    lines.push(`| kind | ${header.join(' | ')} | total |`, `| --- |${' --: |'.repeat(table.actions.length + 1)}`);
    for (const r of table.rows) {
      lines.push(`| ${md(r.kind)} | ${table.actions.map((a) => (r.counts[a] ? thousands(r.counts[a]!) : '')).join(' | ')} | ${thousands(r.total)} |`);
    }
    lines.push('');
  }

  if (m.mode === 'counts') {
    const reasons = unsyncedByReason(plan.unsynced);
    if (reasons.length) {
      lines.push(`| unsynced reason | people |`, `| --- | --: |`);
      for (const [reason, list] of reasons) lines.push(`| ${reason} | ${thousands(list.length)} |`);
      lines.push('');
    }
    const hidden = [plan.warnings.length && plural(plan.warnings.length, 'warning'), plan.notes.length && plural(plan.notes.length, 'note')].filter(Boolean);
    lines.push(`<sub>Per-person detail${hidden.length ? `, ${hidden.join(' and ')},` : ''} not shown here (\`report.personalData: counts\`).</sub>`, '');
  }
  return lines;
}

function changeRow(c: Change, m: Masker): string {
  const mark = c.destructive ? '⚠️ ' : '';
  const head = `- ${mark}**${c.action}** ${c.kind} ${md(changeTarget(c, m))}: ${md(m.text(c.reason))}`;
  return [head, ...changeDiff(c, m).map((d) => `  - ${md(d)}`)].join('\n') + '\n';
}

function details(summary: string, rows: Pick<Section, 'size' | 'row'>, counts: RowKind): Section {
  return { open: `<details><summary>${summary}</summary>\n\n`, ...rows, close: '\n</details>\n\n', counts };
}

function bodySections(plan: Plan, m: Masker): Section[] {
  const sections: Section[] = [];
  const { destructive, byKind } = groupChanges(plan.changes);
  if (destructive.length) {
    sections.push({
      open: `#### ⚠ Destructive changes (${thousands(destructive.length)})\n\n`,
      ...lazy(destructive, (c) => changeRow(c, m)), close: '\n', counts: 'change', essential: {},
    });
  }
  if (plan.warnings.length) {
    sections.push({ open: `#### Warnings (${thousands(plan.warnings.length)})\n\n`, ...lazy(plan.warnings, (w) => `- ⚠ ${md(m.text(w))}\n`), close: '\n', counts: 'warning', essential: { share: 0.25 } });
  }
  if (plan.notes.length) {
    sections.push({ open: `#### Notes (${thousands(plan.notes.length)})\n\n`, ...lazy(plan.notes, (n) => `- ${md(m.text(n))}\n`), close: '\n', counts: 'note', essential: { share: 0.25 } });
  }
  for (const [reason, list] of unsyncedByReason(plan.unsynced)) {
    sections.push(details(`<b>unsynced</b>, ${reason}: ${plural(list.length, 'person', 'people')}`,
      lazy(list, (u) => `- ${md(unsyncedWho(u, m))}: ${md(m.text(u.detail))}\n`), 'unsynced'));
  }
  for (const [kind, list] of byKind) {
    sections.push(details(`<b>${kind}</b>: ${plural(list.length, 'change')}`, lazy(list, (c) => changeRow(c, m)), 'change'));
  }
  return sections;
}

function truncationLine(missing: Record<RowKind, number>, fullPlanAt: string): string {
  const parts = [
    missing.change && `${thousands(missing.change)} more ${missing.change === 1 ? 'change' : 'changes'}`,
    missing.unsynced && `${thousands(missing.unsynced)} unsynced`,
    missing.warning && plural(missing.warning, 'warning'),
    missing.note && plural(missing.note, 'note'),
  ].filter(Boolean) as string[];
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0] ?? 'some rows';
  return `**… truncated: ${what} not shown — ${md(fullPlanAt)}.**\n`;
}

/** The whole text if it fits in max, else undefined; stops rendering as soon as it is over. */
function whole(head: string[], sections: Section[], max: number): string | undefined {
  let out = head.join('\n') + '\n';
  for (const s of sections) {
    out += s.open;
    for (let i = 0; i < s.size && out.length <= max; i++) out += s.row(i);
    out += s.close;
    if (out.length > max) return undefined;
  }
  return out;
}

function fit(head: string[], sections: Section[], max: number, fullPlanAt: string): string {
  const all = whole(head, sections, max);
  if (all !== undefined) return all;

  const total: Record<RowKind, number> = { change: 0, unsynced: 0, warning: 0, note: 0 };
  for (const s of sections) total[s.counts] += s.size;
  // The line for "everything missing" is at least as long as the real one: reserving it keeps the cut honest.
  const reserve = truncationLine(total, fullPlanAt).length + 2;

  let top = '';
  for (const line of head) {
    if (top.length + line.length + 1 + reserve > max) break;
    top += line + '\n';
  }
  // Rows per section, essentials first, then the detail with what is left. Each section shows
  // a prefix of its rows; once a detail section is cut, later ones show nothing, so the cut reads as one cut.
  let room = max - top.length - reserve;
  const budget = room;
  const rows = new Map<Section, number>();
  const take = (s: Section, cap: number): boolean => {
    if (!s.size) return true;
    let used = s.open.length + s.close.length;
    let n = 0;
    while (n < s.size) {
      const len = s.row(n).length;
      if (used + len > Math.min(room, cap)) break;
      used += len;
      n++;
    }
    if (n) { rows.set(s, n); room -= used; }
    return n === s.size;
  };
  // Short lists with a share first (warnings, notes), so a long list of destructive changes cannot crowd them out.
  for (const s of sections) if (s.essential?.share) take(s, Math.floor(budget * s.essential.share));
  for (const s of sections) if (s.essential && !s.essential.share) take(s, Infinity);
  for (const s of sections) if (!s.essential && !take(s, Infinity)) break;

  let out = top;
  const shown: Record<RowKind, number> = { change: 0, unsynced: 0, warning: 0, note: 0 };
  for (const s of sections) {
    const n = rows.get(s);
    if (!n) continue;
    out += s.open;
    for (let i = 0; i < n; i++) out += s.row(i);
    out += s.close;
    shown[s.counts] += n;
  }
  const missing: Record<RowKind, number> = {
    change: total.change - shown.change, unsynced: total.unsynced - shown.unsynced,
    warning: total.warning - shown.warning, note: total.note - shown.note,
  };
  out += '\n' + truncationLine(missing, fullPlanAt);
  // Only a cap smaller than the truncation line itself gets here; even then the promise holds.
  if (out.length <= max) return out;
  return max > 0 ? out.slice(0, out.lastIndexOf('\n', max - 1) + 1) : '';
}
