// The bad-input corpus (issue 8): each case runs the built CLI (`rollcall apply`) on one defect in an otherwise
// valid school, against a live Graph emulator over HTTPS (tenant.graph, client secret), and asserts (1) an error
// that says what is wrong and where (file and line, the record, or the request), never an unexpected crash, and
// (2) that the tenant saw no write: no POST, PATCH, PUT or DELETE, inside a $batch or not. Areas: configuration,
// CSV-based exports (plain CSV, OneRoster, SDS), Bromcom SOAP, and Graph's own answers. Fixtures are made from one
// synthetic school (test/fixtures/bad-input/ holds the hand-written files); each case changes one thing.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, writeSchool, type SynthFormat } from '../support/synth/index.js';
import { startEmulator, type RunningEmulator } from '../../src/tenant/emulator/index.js';
import { startTestEmulator, TEST_CREDENTIALS, TEST_SCHOOL_ID } from '../emulators/bromcom/index.js';
import type { BromcomEmulator, BromcomEmulatorOptions } from '../support/synth/bromcom-emulator.js';
import { graphError, startGraphProxy, type GraphProxy, type ProxyRule } from './graph-proxy.js';
import { AS_OF, cliEnv, rollcall, SECRET_ENV, tempDir, writesIn } from './harness.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/bad-input');
const DOMAIN = 'bad.example';
const school = generateSchool({ seed: 41, students: 30, asOf: AS_OF });

type Area = 'config' | 'csv' | 'oneroster' | 'sds' | 'soap' | 'graph';
interface Case {
  area: Area;
  name: string;
  /** Which export the school comes as (default: by area; config and graph cases use plain CSV). */
  format?: SynthFormat;
  /** Changes the otherwise valid rollcall.yaml. */
  config?: (yaml: string) => string;
  /** Extra files beside rollcall.yaml, or changes to the export in ./mis. */
  files?: (dir: string) => Promise<void>;
  /** Bromcom emulator switches for this case. */
  bromcom?: Partial<BromcomEmulatorOptions>;
  /** Graph answers of the proxy's own (the tenant is reached through it). */
  graph?: ProxyRule;
  /** A tenant other than the default Education one. */
  tenant?: 'non-education' | 'check-tokens';
  env?: Record<string, string | undefined>;
  /** Default 1 (error); 3 for a plan a safety rule blocks. */
  exit?: number;
  /** What the output must say: the problem and where it is. */
  says: RegExp;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers that make one defect.
const misFile = (dir: string, name: string) => path.join(dir, 'mis', name);
const edit = (name: string, f: (text: string) => string) => async (dir: string) => {
  await writeFile(misFile(dir, name), f(await readFile(misFile(dir, name), 'utf8')));
};
/** Replaces line n (1-based) of a file in the export (the synthetic exports end lines with CRLF, as Excel does). */
const editLine = (name: string, n: number, f: (line: string) => string) => edit(name, (t) => t.split('\n').map((l, i) => {
  if (i !== n - 1) return l;
  const cr = l.endsWith('\r');
  return f(cr ? l.slice(0, -1) : l) + (cr ? '\r' : '');
}).join('\n'));
/** Sets one column of line n, found by the header's name. */
const setField = (name: string, n: number, column: string, value: string) => async (dir: string) => {
  const header = (await readFile(misFile(dir, name), 'utf8')).split(/\r?\n/)[0].split(',');
  await editLine(name, n, (l) => field(l, header.indexOf(column), value))(dir);
};
const remove = (name: string) => async (dir: string) => { await rm(misFile(dir, name)); };
const fixture = (name: string, as: string) => async (dir: string) => { await cp(path.join(FIXTURES, name), path.join(dir, as)); };
const field = (line: string, i: number, value: string) => line.split(',').map((v, j) => (j === i ? value : v)).join(',');
const retryAfter0 = { 'Retry-After': '0' };
const isPath = (url: URL, re: RegExp) => re.test(decodeURIComponent(url.pathname).replace(/^\/v1\.0\//, ''));

const cases: Case[] = [
  // -- configuration ------------------------------------------------------------------------------------------
  { area: 'config', name: 'YAML syntax error', config: (y) => y.replace('users:\n', 'users:\n  students: [unclosed\n'), says: /rollcall\.yaml:\d+:\d+/ },
  { area: 'config', name: 'unknown key', config: (y) => y.replace('users:\n', 'users:\n  studnets: {}\n'), says: /rollcall\.yaml:\d+:\d+\s+\/?users.*studnets/ },
  { area: 'config', name: 'secret written literally', config: (y) => y.replace(`clientSecret: { env: ${SECRET_ENV} }`, 'clientSecret: "s3cr3t-value"'), says: /rollcall\.yaml:\d+:\d+.*clientSecret/ },
  { area: 'config', name: 'unknown template token', config: (y) => y.replace('{first}{last:1}@', '{nickname}{last:1}@'), says: /rollcall\.yaml:\d+:\d+.*nickname/ },
  { area: 'config', name: 'extends cycle', config: (y) => `extends: ./trust.yaml\n${y}`, files: fixture('trust-cycle.yaml', 'trust.yaml'), says: /cycle|circular/i },
  { area: 'config', name: 'extends a missing file', config: (y) => `extends: ./no-such-trust.yaml\n${y}`, says: /no-such-trust\.yaml/ },
  { area: 'config', name: 'wrong type', config: (y) => y.replace('school: {', 'safety: { maxSuspensions: lots }\nschool: {'), says: /rollcall\.yaml:\d+:\d+.*maxSuspensions/ },
  { area: 'config', name: 'missing required school.key', config: (y) => y.replace(/, key: \w+/, ''), says: /rollcall\.yaml:\d+:\d+.*key/ },
  { area: 'config', name: 'two sources', config: (y) => y.replace('source: { csv: { dir: ./mis } }', 'source: { csv: { dir: ./mis }, oneroster: { dir: ./mis } }'), says: /rollcall\.yaml:\d+:\d+.*source/ },
  { area: 'config', name: 'unsupported version', config: (y) => y.replace('version: 1', 'version: 7'), says: /rollcall\.yaml:1:\d+.*version/ },
  { area: 'config', name: 'duplicate key', config: (y) => y.replace('school: {', 'version: 1\nschool: {'), says: /rollcall\.yaml:\d+:\d+.*(duplicate|unique|twice)/i },
  { area: 'config', name: 'value outside the enum', config: (y) => y.replace('users:\n', 'users:\n  mode: sometimes\n'), says: /rollcall\.yaml:\d+:\d+.*mode/ },
  { area: 'config', name: 'client secret variable not set', env: { [SECRET_ENV]: undefined }, says: new RegExp(SECRET_ENV) },
  { area: 'config', name: 'manual matches file missing', config: (y) => y.replace('users:\n', 'users:\n  manualMatches: ./matches.csv\n'), says: /matches\.csv/ },
  { area: 'config', name: 'manual matches with a ragged row', config: (y) => y.replace('users:\n', 'users:\n  manualMatches: ./matches.csv\n'), files: fixture('matches-ragged.csv', 'matches.csv'), says: /matches\.csv:3/ },
  { area: 'config', name: 'an address template outside tenant.domains', config: (y) => y.replace(`@students.${DOMAIN}"`, '@elsewhere.example"'), says: /elsewhere\.example/ },
  { area: 'config', name: 'export folder missing', config: (y) => y.replace('dir: ./mis', 'dir: ./no-such-export'), says: /no-such-export does not exist/ },

  // -- plain CSV ----------------------------------------------------------------------------------------------
  { area: 'csv', name: 'missing required column', files: editLine('students.csv', 1, (l) => l.replace(',last,', ',surname,')), says: /students\.csv:1 lacks required column\(s\) "last"/ },
  { area: 'csv', name: 'duplicate person id', files: edit('students.csv', (t) => { const l = t.split('\n'); return [...l.slice(0, 3), l[1], ...l.slice(3)].join('\n'); }), says: /duplicate person id student:\S+ at students\.csv:4 \(first seen at students\.csv:2\)/ },
  { area: 'csv', name: 'a date that is not a date', files: setField('students.csv', 6, 'startDate', 'someday'), says: /students\.csv:6: startDate "someday" is not a date/ },
  { area: 'csv', name: 'an impossible date', files: setField('staff.csv', 3, 'endDate', '2026-02-30'), says: /staff\.csv:3: endDate "2026-02-30" is not a date/ },
  { area: 'csv', name: 'not UTF-8 (Windows-1252)', files: async (dir) => { const t = await readFile(misFile(dir, 'students.csv')); const at = t.indexOf('\n', t.indexOf('\n', t.indexOf('\n') + 1) + 1); await writeFile(misFile(dir, 'students.csv'), Buffer.concat([t.subarray(0, at), Buffer.from([0x5a, 0x6f, 0xeb]), t.subarray(at)])); }, says: /students\.csv:3 is not UTF-8 text/ },
  { area: 'csv', name: 'a row with too many fields', files: editLine('students.csv', 4, (l) => `${l},extra`), says: /students\.csv:4 has \d+ field\(s\) where the header has \d+/ },
  { area: 'csv', name: 'a row with too few fields', files: editLine('staff.csv', 3, (l) => l.split(',').slice(0, 2).join(',')), says: /staff\.csv:3 has 2 field\(s\) where the header has \d+/ },
  { area: 'csv', name: 'a stray quote', files: editLine('students.csv', 5, (l) => field(l, 1, 'Ann"e')), says: /students\.csv:5: .*quote/i },
  { area: 'csv', name: 'an empty students file', files: async (dir) => { await writeFile(misFile(dir, 'students.csv'), ''); }, says: /students\.csv is empty \(not even a header line\)/ },
  { area: 'csv', name: 'an export with nobody in it', files: async (dir) => { for (const f of ['students.csv', 'staff.csv']) await editLine(f, 2, () => '')(dir); for (const f of ['students.csv', 'staff.csv']) await edit(f, (t) => `${t.split('\n')[0]}\n`)(dir); }, says: /no students and no staff/ },
  { area: 'csv', name: 'a group of an unknown kind', files: editLine('groups.csv', 3, (l) => field(l, 2, 'club')), says: /groups\.csv:3: kind "club" is not one of year, registration, house, teaching/ },
  { area: 'csv', name: 'a membership role that is not one', files: editLine('memberships.csv', 2, (l) => field(l, 2, 'janitor')), says: /memberships\.csv:2: role "janitor" is not one of member, teacher, tutor/ },
  { area: 'csv', name: 'a lesson time without an offset', files: editLine('lessons.csv', 2, (l) => field(l, 4, '2026-03-02 08:50')), says: /lessons\.csv:2: start "2026-03-02 08:50" is not a date-time with an offset/ },
  { area: 'csv', name: 'a missing file the config names', config: (y) => y.replace('csv: { dir: ./mis }', 'csv: { dir: ./mis, files: { groups: classes.csv } }'), says: /classes\.csv \(files\.groups in the config\) does not exist/ },
  { area: 'csv', name: 'a column twice in the header', files: editLine('staff.csv', 1, (l) => l.replace(',last', ',first')), says: /staff\.csv:1 has the column "first" twice/ },

  // -- OneRoster and SDS exports ------------------------------------------------------------------------------
  { area: 'oneroster', name: 'no manifest.csv', format: 'oneroster', files: remove('manifest.csv'), says: /has no manifest\.csv, so it is not a OneRoster CSV export/ },
  { area: 'oneroster', name: 'manifest names a missing file', format: 'oneroster', files: remove('classes.csv'), says: /manifest\.csv:\d+ names classes\.csv \(bulk\), which is not in the export/ },
  { area: 'oneroster', name: 'a delta export', format: 'oneroster', files: edit('manifest.csv', (t) => t.replace('file.users,bulk', 'file.users,delta')), says: /manifest\.csv:\d+: users\.csv is a delta export/ },
  { area: 'oneroster', name: 'an unknown role', format: 'oneroster', files: edit('roles.csv', (t) => t.replace(',teacher,', ',wizard,')), says: /roles\.csv:\d+: role "wizard" of user \S+ is not a OneRoster role/ },
  { area: 'oneroster', name: 'an unsupported OneRoster version', format: 'oneroster', files: edit('manifest.csv', (t) => t.replace('oneroster.version,1.2', 'oneroster.version,1.0')), says: /manifest\.csv: oneroster\.version "1\.0" is not 1\.1 or 1\.2/ },
  { area: 'oneroster', name: 'a class of an unknown type', format: 'oneroster', files: editLine('classes.csv', 2, (l) => l.replace(/,(homeroom|scheduled),/, ',lecture,')), says: /classes\.csv:2: classType "lecture" is not homeroom or scheduled/ },
  { area: 'sds', name: 'no classes.csv', format: 'sds', files: remove('classes.csv'), says: /the SDS export has no classes\.csv/ },
  { area: 'sds', name: 'an unknown role', format: 'sds', files: edit('roles.csv', (t) => t.replace(',student,', ',alumnus,')), says: /roles\.csv:\d+: role "alumnus" is not an SDS role/ },
  { area: 'sds', name: 'bad headers (a column renamed)', format: 'sds', files: editLine('users.csv', 1, (l) => l.replace('familyName', 'lastName')), says: /users\.csv:1 lacks required column\(s\) "familyName"/ },
  { area: 'sds', name: 'an enrolment role that is not one', format: 'sds', files: editLine('enrollments.csv', 2, (l) => field(l, 2, 'observer')), says: /enrollments\.csv:2: role "observer" is not an SDS enrolment role/ },

  // -- Bromcom SOAP -------------------------------------------------------------------------------------------
  { area: 'soap', name: 'bad credentials (HTTP 401)', format: 'bromcom', bromcom: { badCredentials: true }, says: /Bromcom.*(401|credential|password|user name)/i },
  { area: 'soap', name: 'an entity the user may not read', format: 'bromcom', bromcom: { permitted: ['Students', 'Staff', 'Collections', 'CollectionAssociates'] }, says: /the Bromcom user may not read .*Third Party Access Permissions/ },
  { area: 'soap', name: 'a SOAP fault on every call', format: 'bromcom', bromcom: { faultRate: 1 }, says: /Bromcom answered \S+ with a SOAP fault.*Timeout expired/ },
  { area: 'soap', name: 'an answer that is not a DataSet', format: 'bromcom', bromcom: { notDataSet: 'Students' }, says: /Bromcom's response to .*Students.* is not a DataSet/ },
  { area: 'soap', name: 'too slow to answer', format: 'bromcom', bromcom: { delayMs: 7000 }, config: (y) => y.replace('retries: 0', 'retries: 0, timeoutSeconds: 5'), says: /Bromcom did not answer .* (within 5 s|in time)/ },
  { area: 'soap', name: 'the connection reset on every call', format: 'bromcom', bromcom: { resetNext: 1000 }, says: /the connection to Bromcom (failed|dropped)/ },
  // Emails is asked for first (its columns, then its rows): its answer is the first one cut.
  { area: 'soap', name: 'every answer cut off halfway', format: 'bromcom', bromcom: { truncateNext: 1000 }, says: /(connection to Bromcom dropped|not well-formed|did not answer).*Emails|Emails.*(connection|not well-formed)/ },
  { area: 'soap', name: 'a school the user may not read', format: 'bromcom', config: (y) => y.replace(`schoolId: ${TEST_SCHOOL_ID}`, 'schoolId: 999'), says: /School 999 is not available to this user/ },
  { area: 'soap', name: 'the wrong service URL (HTTP 404)', format: 'bromcom', config: (y) => y.replace('/TPReadOnlyDataService.asmx', '/NoSuchService.asmx'), says: /Bromcom answered .* with HTTP 404/ },
  { area: 'soap', name: 'password variable not set', format: 'bromcom', env: { BROMCOM_PASSWORD: undefined }, says: /BROMCOM_PASSWORD/ },

  // -- Graph's answers ----------------------------------------------------------------------------------------
  { area: 'graph', name: 'a users page that is not JSON', graph: { answer: (m, u) => (m === 'GET' && isPath(u, /^users$/) ? { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' } : undefined) }, says: /reading users.*(not a JSON object|Malformed)/ },
  { area: 'graph', name: 'a users page without a value array', graph: { answer: (m, u) => (m === 'GET' && isPath(u, /^users$/) ? { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"@odata.context":"x"}' } : undefined) }, says: /reading users \(page 1\).*page without a value array/ },
  { area: 'graph', name: 'a users page cut off mid-JSON', graph: { answer: (m, u) => (m === 'GET' && isPath(u, /^users$/) ? { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"value":[{"id":"1","userPrincipalName":' } : undefined) }, says: /reading users \(page 1\): 200 MalformedAnswer: the answer is not complete JSON/ },
  { area: 'graph', name: 'a 500 on the second page of users', graph: {
    answer: (m, u) => (m === 'GET' && u.searchParams.get('$skiptoken') === 'broken' ? graphError(500, 'InternalServerError', 'Something went wrong.', retryAfter0) : undefined),
    patch: (m, u, body) => (m === 'GET' && isPath(u, /^users$/) && !u.searchParams.has('$skiptoken') ? body.replace(/^\{/, `{"@odata.nextLink":"${u.origin}/v1.0/users?$skiptoken=broken",`) : undefined),
  }, says: /reading users \(page 2\).*500/ },
  { area: 'graph', name: 'a user whose id is not a string', graph: { patch: (m, u, body) => (m === 'GET' && isPath(u, /^users$/) ? JSON.stringify({ ...JSON.parse(body), value: [{ id: 17, userPrincipalName: `x@${DOMAIN}` }, ...(JSON.parse(body) as { value: unknown[] }).value] }) : undefined) }, says: /reading users \(page 1\): 200 MalformedAnswer: value\[0\]\.id: expected a string, not a number/ },
  { area: 'graph', name: 'a groups delta that ends without a deltaLink', graph: { patch: (m, u, body) => (m === 'GET' && isPath(u, /^groups\/delta$/) ? body.replace(/"@odata\.deltaLink":"[^"]*",?/, '') : undefined) }, says: /reading groups \(delta\).*neither a nextLink nor a deltaLink/ },
  { area: 'graph', name: 'permission missing on groups (403)', graph: { answer: (m, u) => (m === 'GET' && isPath(u, /^groups\/delta$/) ? graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') : undefined) }, says: /reading groups.*403 Authorization_RequestDenied.*lacks the application permission GroupMember\.Read\.All/ },
  { area: 'graph', name: 'a delta token answered 410 resyncRequired', graph: { answer: (m, u) => (m === 'GET' && isPath(u, /^groups\/delta$/) ? graphError(410, 'resyncRequired', 'Resync required. Replace any local cached copy with a new full enumeration.') : undefined) }, says: /reading groups.*410/ },
  { area: 'graph', name: 'a token from the wrong authority (401)', tenant: 'check-tokens', says: /401.*InvalidAuthenticationToken|InvalidAuthenticationToken.*401/ },
  { area: 'graph', name: 'a non-Education tenant with classes configured', tenant: 'non-education', exit: 3, says: /(education|Education).*class|class.*(education|Education)/ },
];

// ---------------------------------------------------------------------------------------------------------------
let work: string;
let emu: RunningEmulator;
let nonEdu: RunningEmulator;
let checking: RunningEmulator;
let proxy: GraphProxy;
let bromcom: BromcomEmulator;
let baseBromcom: BromcomEmulatorOptions;
let caFiles: Record<'main' | 'non-education' | 'check-tokens', string>;

beforeAll(async () => {
  work = await tempDir('bad-input');
  for (const f of ['csv', 'oneroster', 'sds'] as const) await writeSchool(school, f, path.join(work, `export-${f}`));
  const domains = [DOMAIN, `students.${DOMAIN}`];
  emu = await startEmulator({ domains, education: true });
  nonEdu = await startEmulator({ domains, education: false });
  checking = await startEmulator({ domains, education: true, checkTokens: true });
  proxy = await startGraphProxy(emu.url, emu.ca);
  bromcom = await startTestEmulator(school);
  baseBromcom = { ...bromcom.options };
  // OpenSSL picks a trusted certificate by subject and the emulators all name 127.0.0.1: one emulator per file.
  caFiles = { main: path.join(work, 'ca-main.pem'), 'non-education': path.join(work, 'ca-non-education.pem'), 'check-tokens': path.join(work, 'ca-check-tokens.pem') };
  await writeFile(caFiles.main, [emu.ca, proxy.ca].join('\n'));
  await writeFile(caFiles['non-education'], [nonEdu.ca, proxy.ca].join('\n'));
  await writeFile(caFiles['check-tokens'], [checking.ca, proxy.ca].join('\n'));
});

afterAll(async () => {
  await Promise.all([emu?.stop(), nonEdu?.stop(), checking?.stop(), proxy?.close(), bromcom?.close()]);
});

function configFor(c: Case): string {
  const graphUrl = c.graph ? proxy.url : c.tenant === 'non-education' ? nonEdu.url : c.tenant === 'check-tokens' ? checking.url : emu.url;
  const source = c.format === 'bromcom'
    ? `{ bromcom: { url: "${bromcom.url}", schoolId: ${TEST_SCHOOL_ID}, username: { env: BROMCOM_USERNAME }, password: { env: BROMCOM_PASSWORD }, retries: 0 } }`
    : `{ ${c.format ?? 'csv'}: { dir: ./mis } }`;
  return `version: 1
school: { name: Bad Input School, key: bi, timeZone: Europe/London }
source: ${source}
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-0000000000aa
    clientId: 11111111-1111-1111-1111-1111111111bb
    auth: client-secret
    clientSecret: { env: ${SECRET_ENV} }
    authorityHost: ${c.graph || c.tenant ? proxy.url : emu.url}
    graphUrl: ${graphUrl}
  domains: [${DOMAIN}, students.${DOMAIN}]
  education: true
users:
  students:
    userPrincipalName: "{first}{last:1}@students.${DOMAIN}"
    securityGroups: ["All Students"]
  staff:
    userPrincipalName: "{first:1}{last}@${DOMAIN}"
groups:
  from: [yearGroups]
  type: microsoft365
  displayName: "{name}"
classes:
  from: [teachingGroups]
  displayName: "{academicYear}-{name}"
  team: true
calendar:
  enabled: true
  windowDays: 3
  users: staff
`;
}

async function prepare(c: Case, n: number): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = path.join(work, `case-${n}`);
  if (c.format !== 'bromcom') await cp(path.join(work, `export-${c.format ?? 'csv'}`), path.join(dir, 'mis'), { recursive: true });
  const yaml = configFor(c);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'rollcall.yaml'), c.config ? c.config(yaml) : yaml);
  await c.files?.(dir);
  const env = cliEnv(caFiles[c.tenant ?? 'main'], { ...TEST_CREDENTIALS });
  for (const [k, v] of Object.entries(c.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return { dir, env };
}

const tenants = () => [emu, nonEdu, checking];
const written = () => Object.assign({}, ...tenants().map((t) => writesIn(t.counts()))) as Record<string, number>;

describe('the corpus', () => {
  it('has at least 40 cases over config, CSV, SOAP and Graph answers', () => {
    const by = (a: Area[]) => cases.filter((c) => a.includes(c.area)).length;
    console.log(`bad-input corpus: ${cases.length} cases: config ${by(['config'])}, CSV ${by(['csv', 'oneroster', 'sds'])} (plain ${by(['csv'])}, OneRoster ${by(['oneroster'])}, SDS ${by(['sds'])}), SOAP ${by(['soap'])}, Graph ${by(['graph'])}`);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const a of ['config', 'csv', 'soap', 'graph'] as Area[]) expect(by(a === 'csv' ? ['csv', 'oneroster', 'sds'] : [a]), a).toBeGreaterThanOrEqual(8);
    expect(new Set(cases.map((c) => `${c.area} ${c.name}`)).size).toBe(cases.length);
  });

  // Without its defect each kind of input plans changes (exit 2): the errors below come from the defect alone.
  it.each([['csv'], ['oneroster'], ['sds'], ['bromcom'], ['graph']] as const)('control: the %s school without a defect plans a first sync', async (kind) => {
    const c: Case = kind === 'graph' ? { area: 'graph', name: 'control', graph: {}, says: /./ } : { area: 'csv', name: 'control', format: kind, says: /./ };
    const { dir, env } = await prepare(c, 1000 + ['csv', 'oneroster', 'sds', 'bromcom', 'graph'].indexOf(kind));
    bromcom.options = { ...baseBromcom };
    proxy.rule = c.graph ?? {};
    const r = await rollcall(dir, env, ['plan', '--detailed-exitcode']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/user\s+create \d+/);
  }, 60_000);
});

describe.each(cases.map((c, i) => [`${c.area}: ${c.name}`, c, i] as const))('bad input, %s', (_title, c, i) => {
  it('fails with a clear error and the tenant sees no write', async () => {
    const { dir, env } = await prepare(c, i);
    bromcom.options = { ...baseBromcom, ...(c.bromcom ?? {}) };
    proxy.rule = c.graph ?? {};
    for (const t of tenants()) t.resetCounts();
    const r = await rollcall(dir, env, ['apply'], { timeoutMs: 60_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out, out).not.toMatch(/unexpected error|TypeError|ReferenceError|at .*\.js:\d+:\d+\)/);
    expect(out, out).toMatch(c.says);
    expect(r.status, out).toBe(c.exit ?? 1);
    if (c.exit === 3) expect(r.stderr).toMatch(/nothing was written/);
    expect(written(), out).toEqual({});
    // Reported and gone: a run must not linger in retries once it has failed (it once sat out a 95 s backoff).
    expect(r.ms).toBeLessThan(30_000);
  }, 120_000);
});
