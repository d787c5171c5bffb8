import { access } from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../errors.js';
import type { Logger } from '../log.js';
import type { IsoDate } from '../roster/types.js';

export interface FileSourceOptions {
  baseDir: string;
  asOf: IsoDate;
  calendar: boolean;
  /** Read students' contacts (the config has `guardians:`). */
  contacts?: boolean;
  log: Logger;
}

export async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/** The export folder, resolved against the config file's folder; a missing folder is an error, not an empty MIS. */
export async function exportDir(baseDir: string, dir: string, what: string): Promise<string> {
  const full = path.resolve(baseDir, dir);
  if (!(await exists(full))) throw new SourceError(`the ${what} folder ${dir} does not exist (looked in ${full})`, { file: dir });
  return full;
}
