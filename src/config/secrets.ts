import { ConfigError } from '../errors.js';

/** A secret is only ever written in config as a reference to an environment variable. */
export interface SecretRef { env: string }

/**
 * Variables a `{ env: NAME }` may never name. A reference is sent to the MIS or the sign-in service as a
 * credential, so naming one of these would hand it to whoever the address points at. Refused: the CI runner's own
 * tokens and settings (GitHub's GITHUB_/ACTIONS_/RUNNER_, action inputs and state, Azure Pipelines' SYSTEM_
 * with its access token, GitLab's CI_), variables that steer a program rather than hold a school's secret
 * (NODE_OPTIONS, npm_config_*, LD_PRELOAD, git's and ssh's settings) and proxy settings, which often carry a
 * password. Compared without regard to case: Windows runners ignore it.
 */
const RESERVED_ENV_PREFIXES = [
  'GITHUB_', 'ACTIONS_', 'RUNNER_', 'INPUT_', 'STATE_', 'SYSTEM_', 'CI_', 'NODE_', 'NPM_', 'YARN_', 'LD_', 'DYLD_', 'GIT_', 'SSH_',
] as const;
const RESERVED_ENV_NAMES = [
  'PATH', 'HOME', 'USER', 'SHELL', 'PWD', 'TMPDIR', 'TEMP', 'TMP', 'CI',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY',
] as const;

/** Why a variable may not hold a rollcall secret, or undefined when it may. */
export function envNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `"${name}" is not an environment variable name (letters, digits and _)`;
  const upper = name.toUpperCase();
  const prefix = RESERVED_ENV_PREFIXES.find((p) => upper.startsWith(p));
  if (prefix) return `${name} cannot hold a rollcall secret: variables starting ${name.slice(0, prefix.length)} belong to the CI runner or steer programs; use a name of your own such as BROMCOM_PASSWORD`;
  if ((RESERVED_ENV_NAMES as readonly string[]).includes(upper)) return `${name} cannot hold a rollcall secret: it is a setting of the machine, not a secret of yours; use a name of your own such as BROMCOM_PASSWORD`;
  return undefined;
}

/** The rule above as a JSON Schema pattern (generated, so the editor and the loader agree with envNameProblem). */
export function envNamePattern(): string {
  const caseless = (s: string) => [...s].map((c) => (/[A-Z]/.test(c) ? `[${c}${c.toLowerCase()}]` : c)).join('');
  const prefixes = RESERVED_ENV_PREFIXES.map(caseless).join('|');
  const names = RESERVED_ENV_NAMES.map(caseless).join('|');
  return `^(?!(?:${prefixes}))(?!(?:${names})$)[A-Za-z_][A-Za-z0-9_]*$`;
}

export function isSecretRef(v: unknown): v is SecretRef {
  return typeof v === 'object' && v !== null && typeof (v as SecretRef).env === 'string';
}

/** Resolved at the moment a source or tenant needs it, never at load time, so `validate` needs no secrets. */
export function resolveSecret(ref: SecretRef, what: string, env: NodeJS.ProcessEnv = process.env): string {
  // Checked again here: a configuration can reach a reader without passing the loader (tests, other callers).
  const refused = envNameProblem(ref.env);
  if (refused) throw new ConfigError(`${what}: ${refused}`);
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new ConfigError(`${what} refers to environment variable ${ref.env}, which is not set`);
  }
  return value;
}

/**
 * Every secret the run will need, with the ones that are not set: a school fixing its workflow sees all of them
 * at once instead of one per run. Only references the chosen source and sign-in method use are checked.
 */
function neededSecrets(config: {
  source: { bromcom?: { username: SecretRef; password: SecretRef } };
  tenant: { local?: unknown; graph?: { auth?: string; clientSecret?: SecretRef; certificatePassword?: SecretRef } };
}): { what: string; ref: SecretRef }[] {
  const out: { what: string; ref: SecretRef }[] = [];
  const b = config.source.bromcom;
  if (b) out.push({ what: 'source.bromcom.username', ref: b.username }, { what: 'source.bromcom.password', ref: b.password });
  const g = config.tenant.local ? undefined : config.tenant.graph;
  if (g?.auth === 'client-secret' && g.clientSecret) out.push({ what: 'tenant.graph.clientSecret', ref: g.clientSecret });
  if (g?.auth === 'certificate' && g.certificatePassword) out.push({ what: 'tenant.graph.certificatePassword', ref: g.certificatePassword });
  return out;
}

/** Throws one ConfigError naming every needed variable that is not set (or may not be used). */
export function checkSecretsSet(config: Parameters<typeof neededSecrets>[0], env: NodeJS.ProcessEnv = process.env): void {
  const problems = neededSecrets(config).flatMap(({ what, ref }) => {
    const refused = envNameProblem(ref.env);
    if (refused) return [`${what}: ${refused}`];
    const value = env[ref.env];
    return value === undefined || value === '' ? [`${what} refers to environment variable ${ref.env}, which is not set`] : [];
  });
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length) throw new ConfigError(`${problems.length} secrets cannot be read:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
