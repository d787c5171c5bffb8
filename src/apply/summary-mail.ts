import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/types.js';
import { renderSummaryMail } from '../render/index.js';
import type { TenantWriter } from '../tenant/types.js';
import type { ApplyOutcome } from './apply.js';

/** What a run did, for its summary mail: an apply's outcome, or why the plan was not applied. */
export interface RunReport {
  plan: Plan;
  /** Undefined when nothing was applied: a quiet night, or a plan left for review. */
  outcome?: Pick<ApplyOutcome, 'counts' | 'byKind' | 'failures' | 'passwordsFile'>;
  /** Why a plan with changes was not applied (blocked by a safety limit, every change reviewed). */
  notApplied?: string;
  review?: { number: number; url?: string };
}

export type SummaryWhen = Config['report']['summaryWhen'];

/**
 * `always` (the default) mails every run, so a mail that does not come means a run that did not happen; `changes`
 * when something was applied or is waiting; `failures` when a change failed or a safety limit blocked the plan.
 */
export function summaryWanted(when: SummaryWhen, r: RunReport): boolean {
  switch (when) {
    case 'always': return true;
    case 'changes': return r.plan.changes.length > 0;
    case 'failures': return (r.outcome?.counts.failed ?? 0) > 0 || r.plan.blocked.length > 0;
  }
}

/** The mail to report.summaryTo after a run. A mail that cannot be sent is a warning: the changes stand. */
export async function sendSummaryMail(report: RunReport, config: Config, writer: TenantWriter, log: Logger): Promise<boolean> {
  const to = config.report.summaryTo;
  if (!to) return false;
  if (!summaryWanted(config.report.summaryWhen, report)) {
    log.debug(`summary mail not sent: report.summaryWhen is ${config.report.summaryWhen}`);
    return false;
  }
  const recipients = Array.isArray(to) ? to : [to];
  const from = config.report.summaryFrom ?? recipients[0];
  const { plan, outcome } = report;
  const mail = renderSummaryMail(plan, outcome, {
    personalData: config.report.personalData,
    ...(report.notApplied !== undefined ? { notApplied: report.notApplied } : {}),
    ...(report.review ? { review: report.review } : {}),
    ...(outcome?.passwordsFile ? { passwordsFile: outcome.passwordsFile } : {}),
  });
  const [result] = await writer.execute([{
    op: 'mail.send',
    key: 'mail:summary',
    from,
    message: {
      subject: mail.subject,
      body: { contentType: 'html', content: mail.html },
      toRecipients: recipients.map((address) => ({ emailAddress: { address } })),
    },
  }]);
  if (result?.status !== 'done') {
    log.warn(`summary mail to ${recipients.length} recipient(s) not sent: ${result?.error?.message ?? result?.detail ?? 'no answer'}`);
    return false;
  }
  log.info(`summary mail sent to ${recipients.length} recipient(s)`);
  return true;
}
