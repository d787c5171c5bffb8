// What `rollcall --help` and `rollcall <command> --help` print. One place, so the usage and the option parsers
// can be read side by side; test/cli/usage.test.ts checks every command has an entry.

export const USAGE = `rollcall: MIS → Microsoft 365, declared in YAML, reviewed as a plan

Usage:
  rollcall validate [files…]            check configuration files (default ./rollcall.yaml)
  rollcall explain [config]             the effective configuration, with where each value came from
  rollcall check [config]               what the configuration needs (Graph permissions, MIS access) and lacks
  rollcall roster [config] [--format text|json] [--as-of YYYY-MM-DD]
  rollcall plan [config] [--format text|markdown|json|csv] [--detail] [--kind K] [--person ID|name] [--out file]
                [--only SELECTOR]… [--detailed-exitcode] [--full-read] [--as-of YYYY-MM-DD]
  rollcall apply [config] [--only SELECTOR]… [--plan file] [--approve <checksum>] [--yes] [--full-read] [--as-of YYYY-MM-DD]
  rollcall match [config] [--out file] [--review file] [--full-read] [--as-of YYYY-MM-DD]
  rollcall passwords open FILE --identity KEY-FILE [--out csv]
  rollcall history [config] [--person ID|name] [--since DATE] [--until DATE] [--kind K] [--status S] [--format text|json|csv]
  rollcall outbox [config] [--state file] [--last n] [--format text|json]
  rollcall emulator --state file [--port n] [--domain d]…
  rollcall --version

Run rollcall <command> --help for a command's options.
Exit codes: 0 ok or no changes, 1 error, 2 changes pending (--detailed-exitcode), 3 the plan is blocked (a safety limit, or a configuration problem to fix) and nothing was written.
`;

const AS_OF = '  --as-of YYYY-MM-DD     plan for this school date instead of today in school.timeZone (a rehearsal)';
const FULL_READ = `  --full-read            read the tenant's users and groups in full, not from .rollcall/delta-state.json and
                         Graph's changes since (a new state is kept)`;
const VERBOSE = '  -v, --verbose          debug lines on stderr';
const CONFIG = '  config                 the rollcall file (default ./rollcall.yaml)';
const ONLY = `  --only SELECTOR        only these people, groups or classes and what they need (repeat it, or separate with
                         commas): student:1042, a MIS id, a sign-in address, a group or class MIS id or name, kind:user`;

export const COMMAND_HELP: Record<string, string> = {
  validate: `Usage: rollcall validate [files…]

Checks each configuration file (and the files it extends) and prints every problem as file:line:col.
  files                  rollcall files (default ./rollcall.yaml)
`,
  explain: `Usage: rollcall explain [config]

Prints the effective configuration, each value with the file and line it came from, or "default".
${CONFIG}
`,
  check: `Usage: rollcall check [config] [options]

Signs in and lists the Microsoft Graph application permissions the configuration needs against those its access
token has; reads a little of the source (Bromcom: each entity it needs, with no rows; file exports: the whole
export). Writes nothing. Exit 0 when nothing is missing, 1 when something is (each permission or entity named).
${CONFIG}
${AS_OF}
${VERBOSE}
`,
  roster: `Usage: rollcall roster [config] [options]

Reads the MIS and prints what rollcall read: counts and warnings, or the whole roster as JSON. Writes nothing.
${CONFIG}
  --format text|json     counts (default) or the roster itself
${AS_OF}
${VERBOSE}
`,
  plan: `Usage: rollcall plan [config] [options]

Reads the MIS and the tenant and prints what apply would change. Writes nothing to the tenant.
The text plan shows the summary, then what needs a reviewer (blocks, destructive changes, people not synced,
numbered addresses, likely duplicates, warnings, notes), then the rest as totals. Run locally (no CI variable)
it shows names unless report.personalData is counts; in CI and in --out files it follows report.personalData.
${CONFIG}
  --format text|markdown|json|csv   how the plan is printed (default text); csv: the new accounts (MIS id, name,
                         year, registration group, address) for a school office to check
  --detail               list every change (text)
  --kind K               only changes of one kind: user, educationUser, licence, group, class, team, event, membership, guardian
  --person ID|NAME       only one person's changes: student:1042, 1042, or part of a name or address
  --out FILE             write the whole plan (every change, unfiltered) to FILE in --format; with
                         text the screen still shows the folded plan
  --detailed-exitcode    exit 2 when the plan has changes
${ONLY}
${FULL_READ}
${AS_OF}
${VERBOSE}
`,
  apply: `Usage: rollcall apply [config] [options]

Plans again from live reads and makes the changes. On a terminal (CI not set) it shows the plan and asks
"Apply N changes? [y/N]" first.
${CONFIG}
${ONLY}
                         the selection's plan is shown first; its limits and checksum are its own
  --plan FILE            apply only if the fresh plan is this reviewed JSON plan (same checksum)
  --approve CHECKSUM     apply only this plan (its checksum, or the first 12+ digits the plan's header
                         prints), letting it through its safety limits; any other plan is refused
  -y, --yes              do not ask on a terminal
${FULL_READ}
${AS_OF}
${VERBOSE}
`,
  match: `Usage: rollcall match [config] [options]

Suggests links between MIS people and existing accounts, as a manual-match CSV to review. Writes nothing to the tenant.
${CONFIG}
  --out FILE             where the suggestions go (default matches/suggested-users.csv beside the config)
  --review FILE          the review sheet with names (default .rollcall/match-review.csv beside the config)
${FULL_READ}
${AS_OF}
${VERBOSE}
`,
  passwords: `Usage: rollcall passwords open FILE --identity KEY-FILE [--out CSV]

Decrypts a first-password file (.rollcall/passwords-<time>.age) and prints its CSV, or writes it to --out.
  FILE                   the .age file an apply wrote (its path is printed after apply, and is the action's
                         passwords-file output)
  --identity KEY-FILE    the age identity file (age-keygen -o KEY-FILE); or set ROLLCALL_AGE_IDENTITY to its
                         contents. The key itself is never taken on the command line (it would stay in history).
  --out CSV              write the CSV here (mode 0600, never over an existing file) instead of printing it
`,
  history: `Usage: rollcall history [config] [options]

What apply did, from the journal (.rollcall/journal/YYYY-MM.jsonl beside the config, one line per change).
Reads files only: nothing is read from the MIS or the tenant.
${CONFIG}
  --person ID|NAME       one person: a MIS id (student:1042, or 1042) or part of a name or address
                         (names are in the journal only when report.personalData is full)
  --since DATE           from this day (YYYY-MM-DD, UTC; or an ISO time with its zone)
  --until DATE           up to the end of this day
  --kind K               user, educationUser, licence, group, class, team, event, membership or guardian
  --status S             done, skipped or failed (--status failed: what failed last night)
  --format text|json|csv how the entries are printed (default text; json is one entry a line)
  --journal DIR          read this folder instead (e.g. a checkout of the rollcall/journal branch)
`,
  outbox: `Usage: rollcall outbox [config] [options]

Lists the mail the local tenant (tenant.local) sent, such as the summary mail, newest last.
${CONFIG}
  --state FILE           read this emulator state file instead (rollcall emulator --state FILE)
  --last N               only the last N mails
  --format text|json     the mails as text (default) or as the tenant keeps them
`,
  emulator: `Usage: rollcall emulator --state FILE [options]

Runs a local Microsoft Graph emulator until Ctrl-C, then saves its state to FILE (rollcall outbox --state FILE
lists the mail it sent).
  --state FILE           the tenant's state (created when missing)
  --port N               port to listen on (default: any free port)
  --domain D             a verified domain (repeatable)
  --education | --no-education   an Education tenant or not (default: the state's choice)
  --check-tokens         refuse calls without a token this emulator issued
  --time-scale N         throttle as Graph does, its quota clock running N times faster
  --replication-delay-ms N       new objects stay invisible to reads for N ms
  --faults SEED:RATE[:kinds]     inject 429, 429-no-retry-after, 503, reset, timeout answers
  --ca-out FILE          write the emulator's CA certificate to FILE
`,
};
