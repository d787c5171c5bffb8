import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planSession } from '../engine/run.js';
import type { AnchorAttribute } from '../plan/anchor.js';
import { matchAccounts } from '../plan/match.js';
import { suggestMatches } from '../plan/suggest.js';
import { manualMatchCsv, matchReviewCsv } from '../render/match-csv.js';
import { desiredUsers } from '../policy/users.js';
import { readManualMatches } from '../engine/manual-matches.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exit-codes.js';
import { consoleLogger } from './logger.js';
import { cliDeltaState, cliRunOptions, COMMON_OPTIONS, TENANT_READ_OPTIONS } from './plan-command.js';

/**
 * `rollcall match`: suggestions for people without a linked account, as a file in the manual-match format that can be
 * committed as `users.manualMatches` (likely links as rows, possible ones commented out), a review sheet with the
 * names beside it (kept under .rollcall/, out of git), and a table of counts. Writes nothing to the tenant.
 */
export async function matchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('match', argv, { ...COMMON_OPTIONS, ...TENANT_READ_OPTIONS, out: { type: 'string' }, review: { type: 'string' } });
  const opts = cliRunOptions(values, positionals);
  const log = consoleLogger({ verbose: opts.verbose });
  const session = await planSession({ configPath: opts.configPath, log, asOf: opts.asOf, ...cliDeltaState(opts) });
  await session.tenant.close();
  const { loaded, roster, snapshot, asOf } = session;
  const config = loaded.config;
  const attribute: AnchorAttribute = config.users.anchor;
  const policy = desiredUsers(config, roster, asOf);
  const match = matchAccounts(policy.users, snapshot.users, {
    order: config.users.match,
    anchor: attribute,
    manual: await readManualMatches(config.users.manualMatches),
    excludedAccounts: new Set(config.users.exclusions.userPrincipalNames.map((u) => u.toLowerCase())),
  });
  const suggestions = suggestMatches(policy.users, snapshot.users, match, attribute);
  const out = values.out ?? path.join(path.dirname(loaded.file), 'matches', 'suggested-users.csv');
  const review = values.review ?? path.join(path.dirname(loaded.file), '.rollcall', 'match-review.csv');
  for (const [file, text] of [[out, manualMatchCsv(suggestions)], [review, matchReviewCsv(suggestions)]]) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }

  const byMethod = { anchor: 0, workEmail: 0, manual: 0 };
  for (const m of match.matched.values()) byMethod[m.method]++;
  const count = (c: string) => suggestions.filter((s) => s.confidence === c).length;
  const linked = new Set([...match.matched.values()].map((m) => m.user.id));
  const rows: [string, number][] = [
    ['linked by anchor', byMethod.anchor],
    ['linked by work e-mail', byMethod.workEmail],
    ['linked by manual match', byMethod.manual],
    ['conflicts (see rollcall plan)', match.conflicted.size],
    ['suggested: likely', count('likely')],
    ['suggested: possible', count('possible')],
    ['no suggestion', count('none')],
    ['accounts not linked to anyone', snapshot.users.filter((u) => !linked.has(u.id)).length],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${String(v).padStart(6)}`).join('\n') + '\n');
  const rel = (f: string) => path.relative(process.cwd(), f);
  log.info(`suggestions written to ${rel(out)} in the manual-match format, names beside them in ${rel(review)} (personal data: keep it out of git); check them, then use the file as ${config.users?.manualMatches ? rel(config.users.manualMatches) : 'users.manualMatches'}`);
  return EXIT.ok;
}
