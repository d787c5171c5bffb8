import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import type { Plan } from '../plan/types.js';
import { renderSummaryMail } from '../render/index.js';
import type { TenantWriter } from '../tenant/types.js';
import type { ApplyOutcome } from './apply.js';

/** The mail to report.summaryTo after an apply. A mail that cannot be sent is a warning: the changes stand. */
export async function sendSummaryMail(plan: Plan, outcome: ApplyOutcome, config: Config, writer: TenantWriter, log: Logger): Promise<boolean> {
  const to = config.report.summaryTo;
  if (!to) return false;
  const recipients = Array.isArray(to) ? to : [to];
  const from = config.report.summaryFrom ?? recipients[0];
  const mail = renderSummaryMail(plan, outcome, { personalData: config.report.personalData });
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
