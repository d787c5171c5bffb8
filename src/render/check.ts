// `rollcall check`'s report as text: what the configuration needs, granted or missing, and what to do about it.
import type { CheckReport } from '../engine/check.js';

export function renderCheck(report: CheckReport, configName: string): string {
  const out: string[] = [`rollcall check ${configName}`, ''];
  const t = report.tenant;
  out.push(t.problem
    ? `Microsoft Graph (${t.where}): ${t.problem}`
    : `Microsoft Graph (${t.where}): signed in; the token grants ${t.granted.length ? t.granted.join(', ') : 'no application permissions'}`);
  for (const p of t.permissions) {
    out.push(`  ${p.ok ? 'ok     ' : 'MISSING'}  ${p.permission}  (${p.neededFor.join('; ')})`);
  }
  out.push('');
  const s = report.source;
  out.push(`source (${s.kind})${s.problem ? `: ${s.problem}` : ''}`);
  for (const i of s.items) out.push(`  ${i.ok ? 'ok     ' : 'MISSING'}  ${i.name}${i.problem ? `: ${i.problem}` : ''}`);
  out.push('');
  const permissions = t.permissions.filter((p) => !p.ok).map((p) => p.permission);
  const entities = s.items.filter((i) => !i.ok).map((i) => i.name);
  if (!report.missing) out.push('Nothing is missing.');
  else {
    out.push(`${report.missing} thing(s) missing:`);
    if (permissions.length) out.push(`  grant the application permission(s) ${permissions.join(', ')} to the app registration, with admin consent`);
    if (entities.length) out.push(`  let the Bromcom user read ${entities.join(', ')} (Setup > Third Party Access Permissions & Logs)`);
    if (t.problem) out.push('  fix signing in to Microsoft Graph (above)');
    if (s.problem) out.push('  fix reading the source (above)');
  }
  return `${out.join('\n')}\n`;
}
