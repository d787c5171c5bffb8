// The base branch's configuration, read with git at the base commit and written to a temporary folder (the
// config, every file it extends and the match files planning reads), so it can be planned beside the head's.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { parse } from 'yaml';

export interface BaseTree {
  /** Root of the temporary copy; the config is at `root/<configRel>`. */
  root: string;
  configFile: string;
  /**
   * The config did not exist at the base commit: the copy holds the head's own file (as `headText`) over the
   * base's versions of the files it extends, so what it inherits is what the base branch says.
   */
  added?: boolean;
}

/** Files, besides `extends`, whose content changes a plan (sources and the tenant are read once, from the head). */
const PLAN_INPUTS: string[][] = [['users', 'manualMatches'], ['users', 'addressOverrides'], ['classes', 'matches']];

async function ensureCommit(git: SimpleGit, sha: string): Promise<void> {
  try {
    await git.raw(['cat-file', '-e', `${sha}^{commit}`]);
  } catch {
    // actions/checkout fetches one commit by default; the base needs fetching by its sha.
    await git.raw(['fetch', '--no-tags', '--depth=1', 'origin', sha]);
  }
}

async function show(git: SimpleGit, sha: string, file: string): Promise<string | undefined> {
  try {
    return await git.show([`${sha}:${file}`]);
  } catch {
    return undefined;
  }
}

/**
 * Copies the config at `configRel` (relative to the repository root) as it was at `sha`. When the file did not
 * exist there (a pull request that adds a school), returns undefined, or with `headText` the head's file over
 * the base's versions of what it extends.
 */
export async function checkoutBaseConfig(workspace: string, sha: string, configRel: string, tmpDir: string, opts: { headText?: string } = {}): Promise<BaseTree | undefined> {
  const git = simpleGit({ baseDir: workspace });
  await ensureCommit(git, sha);
  const root = await mkdtemp(path.join(tmpDir, 'rollcall-base-'));
  const seen = new Set<string>();
  const copy = async (rel: string): Promise<string | undefined> => {
    const text = await show(git, sha, rel);
    if (text === undefined) return undefined;
    const to = path.join(root, rel);
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, text);
    return text;
  };
  let rel: string | undefined = path.posix.normalize(configRel);
  let first = true;
  let added = false;
  while (rel && !seen.has(rel)) {
    seen.add(rel);
    let text = await copy(rel);
    if (text === undefined && first && opts.headText !== undefined) {
      text = opts.headText;
      added = true;
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    if (text === undefined) {
      if (first) return undefined;
      break; // a missing parent: the loader will say so, at the extends line
    }
    first = false;
    let data: Record<string, unknown> = {};
    try { data = (parse(text) ?? {}) as Record<string, unknown>; } catch { break; /* the loader reports it */ }
    const dir = path.posix.dirname(rel);
    for (const [section, key] of PLAN_INPUTS) {
      const v = (data[section] as Record<string, unknown> | undefined)?.[key];
      if (typeof v === 'string' && !path.isAbsolute(v)) await copy(path.posix.normalize(path.posix.join(dir, v)));
    }
    rel = typeof data.extends === 'string' && !path.isAbsolute(data.extends) ? path.posix.normalize(path.posix.join(dir, data.extends)) : undefined;
  }
  return { root, configFile: path.join(root, configRel), ...(added ? { added } : {}) };
}
