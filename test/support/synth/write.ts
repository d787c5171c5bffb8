import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toBromcomData } from './bromcom-data.js';
import type { SynthSchool } from './school.js';
import { writePlainCsv } from './write-csv.js';
import { writeOneRoster12 } from './write-oneroster.js';
import { writeSdsV21 } from './write-sds.js';

export type SynthFormat = 'oneroster' | 'sds' | 'csv' | 'bromcom';
export const SYNTH_FORMATS: SynthFormat[] = ['oneroster', 'sds', 'csv', 'bromcom'];

/** The files of one format, by name. Bromcom's is the emulator's data as JSON (entity → columns and rows). */
export function renderSchool(school: SynthSchool, format: SynthFormat): Map<string, string> {
  switch (format) {
    case 'oneroster': return writeOneRoster12(school);
    case 'sds': return writeSdsV21(school);
    case 'csv': return writePlainCsv(school);
    case 'bromcom': return new Map([['bromcom.json', JSON.stringify(toBromcomData(school))]]);
  }
}

export async function writeSchool(school: SynthSchool, format: SynthFormat, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of renderSchool(school, format)) {
    await writeFile(path.join(dir, name), text);
    written.push(path.join(dir, name));
  }
  return written;
}
