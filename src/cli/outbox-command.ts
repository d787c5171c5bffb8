import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { DEFAULT_CONFIG } from '../engine/options.js';
import { RollcallError } from '../errors.js';
import { printable } from '../roster/clean-text.js';
import { parseCommandArgs, UsageError } from './args.js';
import { EXIT } from './exit-codes.js';

/** A sent mail as the local tenant keeps it (the emulator's state file, `outbox`). */
interface SentMail {
  from: string;
  sentAt: string;
  message: {
    subject?: string;
    body?: { contentType?: string; content?: string };
    toRecipients?: { emailAddress?: { address?: string } }[];
  };
}

const usage = (what: string) => new UsageError(`rollcall outbox: ${what} (see rollcall outbox --help)`);

/**
 * `rollcall outbox [config] [--state FILE] [--last N] [--format text|json]`: the mail the local tenant sent (the
 * summary mail of a rehearsal), read from its state file. Microsoft 365 keeps a real tenant's in Sent Items.
 */
export async function outboxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('outbox', argv, {
    state: { type: 'string' }, last: { type: 'string' }, format: { type: 'string', default: 'text' },
  });
  if (!['text', 'json'].includes(values.format!)) throw usage(`--format must be text or json, not ${values.format}`);
  let last: number | undefined;
  if (values.last !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(values.last)) throw usage(`--last must be a whole number from 1, not ${values.last}`);
    last = Number(values.last);
  }
  const stateFile = values.state ?? await localStateOf(positionals[0] ?? DEFAULT_CONFIG);
  const text = await readFile(stateFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new RollcallError(`cannot read the local tenant ${stateFile} (${err.code ?? err.message})`);
  });
  let mails: SentMail[] = [];
  if (text !== undefined) {
    try {
      const state = JSON.parse(text) as { outbox?: unknown };
      mails = Array.isArray(state.outbox) ? (state.outbox as SentMail[]) : [];
    } catch {
      throw new RollcallError(`${stateFile} is not a local tenant's state file (not JSON)`);
    }
  }
  const shown = last ? mails.slice(-last) : mails;
  if (values.format === 'json') {
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  } else {
    for (const m of shown) process.stdout.write(`${printable(mailText(m))}\n`);
  }
  if (!shown.length) process.stderr.write(`rollcall outbox: no mail sent from the local tenant ${stateFile}\n`);
  return EXIT.ok;
}

/** The state file of the config's tenant.local, resolved as the tenant resolves it (beside the config). */
async function localStateOf(configPath: string): Promise<string> {
  const loaded = await loadConfig(configPath);
  const local = loaded.config.tenant.local;
  if (!local) throw new RollcallError(`${configPath}: tenant.local is not set; a real tenant's mail is in the sender's Sent Items (or use --state with an emulator's state file)`);
  return path.resolve(path.dirname(loaded.file), local.state);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The summary mail is HTML; a terminal gets its text: headings and list items on lines of their own. */
export function htmlToText(html: string): string {
  return html
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<\/(td|th)>/gi, '\t')
    .replace(/<\/(p|h\d|li|tr|ul|table)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e])
    .replace(/\t\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function mailText(m: SentMail): string {
  const to = (m.message.toRecipients ?? []).map((r) => r.emailAddress?.address).filter(Boolean).join(', ');
  const body = m.message.body?.content ?? '';
  const shown = m.message.body?.contentType?.toLowerCase() === 'html' ? htmlToText(body) : body.trim();
  return [`Sent:    ${m.sentAt}`, `From:    ${m.from}`, `To:      ${to}`, `Subject: ${m.message.subject ?? ''}`, '', shown, '', '─'.repeat(40)].join('\n');
}
