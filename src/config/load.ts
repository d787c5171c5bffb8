import path from 'node:path';
import { ConfigError } from '../errors.js';
import { closest, distance } from 'fastest-levenshtein';
import { recipientProblem } from './age-recipient.js';
import { groupNicknameChecks } from './group-nickname.js';
import { mergeLayers, type Layer } from './merge.js';
import { pathProblems } from './paths.js';
import { formatProblem, pointerToPath, type Origin, type Problem } from './problems.js';
import { applyDefaults } from './defaults.js';
import type { ResolvedRollcallConfiguration } from './resolved.generated.js';
import { configValidator, loadSchema } from './schema.js';
import { schemaProblems } from './schema-problems.js';
import type { RollcallConfiguration } from './types.generated.js';
import { parseYamlFile } from './yaml-file.js';

/** A configuration as the school wrote it (after `extends`): anything with a default may be missing. */
export type RawConfig = RollcallConfiguration;
/** A configuration as rollcall uses it: every default applied, so code downstream never supplies one. */
export type Config = ResolvedRollcallConfiguration;

/** Fills a valid configuration with the schema's defaults (a copy; the argument is left as it was). */
export function resolveConfig(raw: RawConfig): Config {
  const data = structuredClone(raw) as unknown;
  applyDefaults(data, loadSchema());
  return data as Config;
}

export interface LoadedConfig {
  /** The effective configuration, defaults applied, paths absolute, secrets still as references. */
  config: Config;
  /** The file asked for. */
  file: string;
  /** Every file read, the one asked for last (trust → school). */
  files: string[];
  /** JSON pointer → where the value was written; a pointer with no origin holds a default. */
  origins: Map<string, Origin>;
  warnings: Problem[];
}

/** Values that name files: each is resolved against the file that wrote it, so a trust file can point at its own folder. */
const PATH_POINTERS = [
  '/source/oneroster/dir', '/source/sds/dir', '/source/csv/dir', '/tenant/local/state', '/tenant/graph/certificatePath',
  '/users/manualMatches', '/users/addressOverrides', '/users/passwords/out', '/classes/matches',
];

function getAt(data: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
}

function setAt(data: unknown, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  const parent = keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
  if (parent && typeof parent === 'object') (parent as Record<string, unknown>)[last] = value;
}

function resolvePaths(data: unknown, baseDir: string): void {
  for (const p of PATH_POINTERS) {
    const v = getAt(data, p);
    if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) setAt(data, p, path.resolve(baseDir, v));
  }
}

async function loadChain(file: string, stack: string[], problems: Problem[]): Promise<{ layer: Layer; files: string[] } | undefined> {
  const parsed = await parseYamlFile(file);
  problems.push(...parsed.problems);
  if (parsed.data === undefined || parsed.problems.some((p) => p.severity === 'error')) return undefined;
  if (typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) {
    problems.push({ file, line: 1, col: 1, path: '', message: 'a rollcall file is a mapping of keys (version, school, source, …)', severity: 'error' });
    return undefined;
  }
  const data = parsed.data as Record<string, unknown>;
  resolvePaths(data, path.dirname(file));
  const own: Layer = { data, origins: parsed.origins };
  if (typeof data.extends !== 'string') return { layer: own, files: [file] };

  const parentFile = path.resolve(path.dirname(file), data.extends);
  const at = parsed.origins.get('/extends') ?? { file, line: 1, col: 1 };
  if (stack.includes(parentFile)) {
    const cycle = [...stack.slice(stack.indexOf(parentFile)), parentFile].map((f) => path.relative(process.cwd(), f)).join(' → ');
    problems.push({ file, line: at.line, col: at.col, path: 'extends', message: `extends makes a cycle: ${cycle}`, severity: 'error' });
    return undefined;
  }
  const before = problems.length;
  const parent = await loadChain(parentFile, [...stack, parentFile], problems);
  if (!parent) {
    // Say at the `extends` line why the chain broke, as well as in the parent file itself.
    if (problems.slice(before).some((p) => p.file === parentFile && p.message === 'file not found')) {
      problems.splice(before, problems.length - before, { file, line: at.line, col: at.col, path: 'extends', message: `extends names ${data.extends}, which does not exist (${parentFile})`, severity: 'error' });
    }
    return undefined;
  }
  // The merged file's own `extends` is this file's, not its parent's.
  const parentData = { ...parent.layer.data };
  delete parentData.extends;
  return { layer: mergeLayers({ data: parentData, origins: parent.layer.origins }, own), files: [...parent.files, file] };
}

/** Semantic checks the schema cannot express. */
function crossChecks(config: Config, origins: Map<string, Origin>, file: string): Problem[] {
  const out: Problem[] = [];
  const zone = config.school.timeZone;
  if (!isTimeZone(zone)) {
    const at = origins.get('/school/timeZone') ?? { file, line: 1, col: 1 };
    const near = closest(zone, Intl.supportedValuesOf('timeZone'));
    const hint = distance(zone.toLowerCase(), near.toLowerCase()) <= Math.max(2, Math.floor(zone.length / 4)) ? `; did you mean "${near}"?` : '';
    out.push({ file: at.file, line: at.line, col: at.col, path: 'school.timeZone', message: `"${zone}" is not a time zone: use an IANA name such as Europe/London${hint}`, severity: 'error' });
  }
  const domains = new Set(config.tenant.domains.map((d) => d.toLowerCase()));
  for (const role of ['students', 'staff'] as const) {
    const template = config.users[role]?.userPrincipalName;
    if (!template) continue;
    const domain = template.split('@')[1]?.toLowerCase();
    const pointer = `/users/${role}/userPrincipalName`;
    const at = origins.get(pointer) ?? { file, line: 1, col: 1 };
    if (!domain || template.split('@').length !== 2) {
      out.push({ file: at.file, line: at.line, col: at.col, path: pointerToPath(pointer), message: 'an address template needs exactly one @ followed by a domain', severity: 'error' });
    } else if (!domains.has(domain)) {
      out.push({ file: at.file, line: at.line, col: at.col, path: pointerToPath(pointer), message: `domain ${domain} is not in tenant.domains (${[...domains].join(', ')})`, severity: 'error' });
    }
  }
  const recipient = config.users.passwords.recipient;
  const bad = recipient === undefined ? undefined : recipientProblem(recipient);
  if (bad) {
    const at = origins.get('/users/passwords/recipient') ?? { file, line: 1, col: 1 };
    out.push({ file: at.file, line: at.line, col: at.col, path: 'users.passwords.recipient', message: bad, severity: 'error' });
  }
  out.push(...groupNicknameChecks(config.groups.mailNickname, origins, file));
  return out;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Loads a rollcall file and the files it extends; throws ConfigError listing every problem at once. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  const problems: Problem[] = [];
  const chain = await loadChain(abs, [abs], problems);
  const errors = () => problems.filter((p) => p.severity === 'error');
  if (!chain || errors().length) throw configError(problems);

  const validate = configValidator();
  if (!validate(chain.layer.data)) problems.push(...schemaProblems(validate.errors ?? [], chain.layer.origins, abs));
  if (errors().length) throw configError(problems);
  // Defaults have no origin, so `rollcall explain` still reports them as defaults.
  const config = resolveConfig(chain.layer.data as unknown as RawConfig);
  problems.push(...crossChecks(config, chain.layer.origins, abs));
  if (errors().length) throw configError(problems);

  // Defaults that name files are relative to the file asked for.
  resolvePaths(config, path.dirname(abs));
  problems.push(...(await pathProblems(config, chain.layer.origins, abs)));
  return { config, file: abs, files: chain.files, origins: chain.layer.origins, warnings: problems };
}

function configError(problems: Problem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  const lines = sorted.map((p) => formatProblem(p));
  return new ConfigError(`${sorted.filter((p) => p.severity === 'error').length} problem(s) in configuration:\n${lines.join('\n')}`, sorted);
}
