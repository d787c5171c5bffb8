import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { explainConfig } from './explain.js';
import { loadConfig } from './load.js';
import { endpointPattern, endpointProblem, TRANSPORT_PATTERN, transportProblem } from './endpoints.js';
import { envNamePattern, envNameProblem, resolveSecret } from './secrets.js';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/fixtures/config');

async function problemsOf(file: string) {
  try {
    await loadConfig(file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`${file} loaded without problems`);
}

/** Expected errors are marked in the fixtures themselves: `# <- error: text` on the line that is wrong. */
async function markers(file: string, seen = new Set<string>()): Promise<{ file: string; line: number; text: string }[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = await readFile(file, 'utf8');
  const out = text.split('\n').flatMap((l, i) => {
    const m = /# <- error: (.*)$/.exec(l);
    return m ? [{ file, line: i + 1, text: m[1].trim() }] : [];
  });
  const ext = /^extends: (\S+)/m.exec(text);
  if (ext) out.push(...(await markers(path.resolve(path.dirname(file), ext[1]), seen).catch(() => [])));
  return out;
}

async function tmpTree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rollcall-config-'));
  for (const [name, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), body);
  }
  return dir;
}

describe('valid configurations', () => {
  it('accepts the normative example once its password recipient is the school\'s own key', async () => {
    const example = path.join(fixtures, 'rollcall.example.yaml');
    // As it stands the example encrypts passwords to a key published in age's README: refused, on its line.
    const text = await readFile(example, 'utf8');
    const problems = (await problemsOf(example)).filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.line, p.path])).toEqual([[text.split('\n').findIndex((l) => l.includes('recipient:')) + 1, 'users.passwords.recipient']]);
    expect(problems[0].message).toContain('not your school\'s');
    const own = path.join(await tmpTree({}), 'rollcall.yaml');
    await writeFile(own, text.replace(/recipient: age1\w+/, `recipient: ${await identityToRecipient(await generateIdentity())}`));
    const loaded = await loadConfig(own);
    expect(loaded.config.source.bromcom?.schoolId).toBe(12345);
    expect(loaded.config.users?.students?.securityGroups).toEqual(['All Students', 'Students {yearGroup}']);
    // Secrets stay references: validating needs no secret.
    expect(loaded.config.source.bromcom?.password).toEqual({ env: 'BROMCOM_PASSWORD' });
  });

  const examples = ['bromcom-school', 'trust/schools/north', 'trust/schools/south', 'trust/staff', 'link-mode', 'quickstart'];
  it.each(examples)('accepts examples/%s', async (name) => {
    const file = path.join(root, 'examples', name, 'rollcall.yaml');
    const loaded = await loadConfig(file);
    expect(loaded.config.version).toBe(1);
    expect((await readFile(file, 'utf8')).startsWith('# yaml-language-server: $schema=')).toBe(true);
  });

  it('applies defaults and leaves them without an origin', async () => {
    const loaded = await loadConfig(path.join(root, 'examples/quickstart/rollcall.yaml'));
    expect(loaded.config.users?.anchor).toBe('employeeId');
    expect(loaded.config.users?.match).toEqual(['anchor', 'workEmail', 'manual']);
    expect(loaded.config.report?.personalData).toBe('masked');
    expect(loaded.origins.has('/users/anchor')).toBe(false);
    expect(loaded.origins.get('/users/mode')?.line).toBeGreaterThan(1);
  });
});

describe('broken configurations', async () => {
  const bad = (await readdir(fixtures)).filter((f) => f.startsWith('bad-') && f.endsWith('.yaml')).sort();
  it('has at least 15 named broken fixtures', () => expect(bad.length).toBeGreaterThanOrEqual(15));

  it.each(bad)('%s fails with its message on its line', async (name) => {
    const file = path.join(fixtures, name);
    const expected = await markers(file);
    expect(expected.length).toBeGreaterThan(0);
    const problems = (await problemsOf(file)).filter((p) => p.severity === 'error');
    for (const want of expected) {
      const hit = problems.find((p) => p.file === want.file && p.line === want.line && p.message.includes(want.text));
      expect(hit, `${name}: expected "${want.text}" at line ${want.line}; got ${JSON.stringify(problems)}`).toBeDefined();
    }
    // Every problem is reported once, and only the marked ones.
    expect(problems).toHaveLength(expected.length);
  });
});

describe('extends', () => {
  const trust = `version: 1
school: { name: Trust, key: trust, timeZone: Europe/London }
source: { oneroster: { dir: ./trust-export } }
tenant:
  local: { state: ./state/tenant.json }
  domains: [trust.example, students.trust.example]
users:
  manualMatches: ./matches.csv
  students:
    userPrincipalName: "{first}.{last}@students.trust.example"
    securityGroups: [All Students, Trust Students]
safety:
  maxSuspensions: { percent: 5, count: 50 }
`;
  it('lets the later file win, merges objects, replaces arrays and resolves paths against the file that set them', async () => {
    const dir = await tmpTree({
      'trust/trust.yaml': trust,
      'trust/schools/a/rollcall.yaml': `extends: ../../trust.yaml
school: { name: School A, key: sa }
source: { sds: { dir: ./sds } }
users:
  students:
    securityGroups: [A Students]
safety:
  maxSuspensions: { count: 10 }
`,
    });
    const loaded = await loadConfig(path.join(dir, 'trust/schools/a/rollcall.yaml'));
    const c = loaded.config;
    expect(c.school.name).toBe('School A');
    expect(c.school.timeZone).toBe('Europe/London');
    expect(c.users?.students?.securityGroups).toEqual(['A Students']);
    expect(c.safety?.maxSuspensions).toEqual({ percent: 5, count: 10 });
    // The school chose sds: the trust's oneroster is replaced, not merged into two sources.
    expect(c.source).toEqual({ sds: { dir: path.join(dir, 'trust/schools/a/sds'), format: 'v2.1' } });
    expect(c.users?.manualMatches).toBe(path.join(dir, 'trust/matches.csv'));
    expect(c.tenant.local?.state).toBe(path.join(dir, 'trust/state/tenant.json'));
    expect(loaded.files).toEqual([path.join(dir, 'trust/trust.yaml'), path.join(dir, 'trust/schools/a/rollcall.yaml')]);
    expect(loaded.origins.get('/school/timeZone')?.file).toBe(path.join(dir, 'trust/trust.yaml'));
    expect(loaded.origins.get('/school/name')?.file).toBe(path.join(dir, 'trust/schools/a/rollcall.yaml'));

    const text = explainConfig(c, loaded.origins, dir);
    expect(text).toMatch(/school\.timeZone\s+"Europe\/London"\s+# trust\/trust\.yaml:2/);
    expect(text).toMatch(/school\.name\s+"School A"\s+# trust\/schools\/a\/rollcall\.yaml:2/);
    expect(text).toMatch(/users\.anchor\s+"employeeId"\s+# default/);
  });

  it('reports problems in the file that holds the wrong value', async () => {
    const dir = await tmpTree({
      'trust.yaml': trust.replace('timeZone: Europe/London', 'timeZone: Europe/London, colour: blue'),
      'school.yaml': 'extends: ./trust.yaml\nschool: { name: S, key: s1 }\n',
    });
    const problems = await problemsOf(path.join(dir, 'school.yaml'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: path.join(dir, 'trust.yaml'), line: 2, path: 'school.colour' });
  });
});

describe('secrets', () => {
  it('resolves a reference only when asked, naming a missing variable', () => {
    expect(resolveSecret({ env: 'X_SECRET' }, 'Bromcom password', { X_SECRET: 's3' })).toBe('s3');
    expect(() => resolveSecret({ env: 'X_MISSING' }, 'Bromcom password', {})).toThrow(/Bromcom password refers to environment variable X_MISSING, which is not set/);
  });
});

describe('endpoints and secret names', () => {
  const graphConfig = (graph: string) => `version: 1
school: { name: S, key: s1 }
source: { bromcom: { url: "http://127.0.0.1:8443/x.asmx", schoolId: 1, username: { env: MIS_USER }, password: { env: MIS_PASSWORD } } }
tenant:
  graph:
    tenantId: 00000000-0000-0000-0000-000000000000
    clientId: 00000000-0000-0000-0000-000000000000
${graph}
  domains: [s.example]
`;
  it('accepts Microsoft\'s national clouds, this machine, and another address only when explicitly allowed', async () => {
    const dir = await tmpTree({
      'us.yaml': graphConfig('    authorityHost: https://login.microsoftonline.us\n    graphUrl: https://dod-graph.microsoft.us'),
      'cn.yaml': graphConfig('    authorityHost: https://login.partner.microsoftonline.cn/\n    graphUrl: https://microsoftgraph.chinacloudapi.cn'),
      'loopback.yaml': graphConfig('    authorityHost: https://127.0.0.1:9443\n    graphUrl: https://localhost:9443'),
      'custom.yaml': graphConfig('    allowCustomEndpoints: true\n    authorityHost: https://sts.gateway.example\n    graphUrl: https://graph.gateway.example'),
      'custom-off.yaml': graphConfig('    allowCustomEndpoints: false\n    graphUrl: https://graph.gateway.example'),
    });
    for (const f of ['us', 'cn', 'loopback', 'custom']) {
      const loaded = await loadConfig(path.join(dir, `${f}.yaml`));
      expect(loaded.config.tenant.graph?.clientId, f).toBeDefined();
    }
    const problems = await problemsOf(path.join(dir, 'custom-off.yaml'));
    expect(problems).toMatchObject([{ line: 9, path: 'tenant.graph.graphUrl', message: expect.stringContaining('graph.gateway.example is not one of Microsoft\'s Graph clouds') }]);
  });

  it('refuses reserved variable names whatever their case, and again when a secret is resolved', () => {
    expect(envNameProblem('BROMCOM_PASSWORD')).toBeUndefined();
    expect(envNameProblem('github_token')).toMatch(/starting github_/);
    expect(envNameProblem('Runner_Temp')).toMatch(/starting Runner_/);
    expect(envNameProblem('https_proxy')).toMatch(/setting of the machine/);
    expect(envNameProblem('PATHWAY_SECRET')).toBeUndefined();
    // The schema's pattern is generated from the same lists: it agrees with envNameProblem on every name.
    const pattern = new RegExp(envNamePattern());
    for (const name of ['BROMCOM_PASSWORD', 'github_token', 'INPUT_X', 'STATE_y', 'PATH', 'PATHWAY_SECRET', 'CI', 'CIPHER_KEY', 'LD_PRELOAD', 'no_proxy']) {
      expect(pattern.test(name), name).toBe(envNameProblem(name) === undefined);
    }
    expect(() => resolveSecret({ env: 'GITHUB_TOKEN' }, 'source.bromcom.password', { GITHUB_TOKEN: 'ghs_x' })).toThrow(/GITHUB_TOKEN cannot hold a rollcall secret/);
  });

  it('agrees between the schema\'s patterns and the runtime checks', () => {
    const transport = new RegExp(TRANSPORT_PATTERN);
    for (const url of ['https://cloudmis.bromcom.com/x.asmx', 'http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]:1/x', 'http://attacker.example/x', 'http://127.0.0.1@attacker.example/', 'http://localhost.attacker.example/', 'ftp://x/', 'https://user:pw@host/']) {
      expect(transport.test(url), url).toBe(transportProblem(url) === undefined);
    }
    const graph = new RegExp(endpointPattern('graph'));
    for (const url of ['https://graph.microsoft.com', 'https://graph.microsoft.us/', 'https://graph.microsoft.com.attacker.example', 'https://attacker.example/graph.microsoft.com', 'https://127.0.0.1:4443', 'http://graph.microsoft.com']) {
      expect(graph.test(url), url).toBe(endpointProblem('graph', url, false) === undefined);
    }
  });
});
