import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatRoster } from '../../src/cli/roster.js';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { rosterDigest } from '../../src/roster/digest.js';
import { readRoster, type SourceConfig } from '../../src/sources/index.js';
import { generateSchool } from '../support/synth/school.js';
import { renderSchool, type SynthFormat } from '../support/synth/write.js';

const MIS = path.resolve('examples/quickstart/mis');

// The folder's README carries the exact command that wrote it; the test runs the generator with the same arguments,
// so the example can only change by regenerating it (and stays synthetic).
async function regenerateCommand() {
  const readme = await readFile(path.join(MIS, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.includes('scripts/synth-school.mjs'));
  if (!line) throw new Error('examples/quickstart/mis/README.md lacks the synth-school command');
  const args = line.slice(line.indexOf('scripts/synth-school.mjs') + 'scripts/synth-school.mjs'.length).trim().split(/\s+/);
  const { values } = parseArgs({ args, options: { seed: { type: 'string' }, students: { type: 'string' }, staff: { type: 'string' }, 'as-of': { type: 'string' }, 'lesson-days': { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } });
  return {
    format: (values.format ?? 'oneroster') as SynthFormat,
    asOf: values['as-of'] ?? '2026-01-12',
    options: {
      seed: Number(values.seed ?? 1), students: Number(values.students ?? 1200), asOf: values['as-of'] ?? '2026-01-12',
      ...(values.staff ? { staff: Number(values.staff) } : {}), ...(values['lesson-days'] ? { lessonDays: Number(values['lesson-days']) } : {}),
    },
  };
}

describe('examples/quickstart/mis', () => {
  it('is exactly what the generator writes with the command in its README', async () => {
    const cmd = await regenerateCommand();
    const files = renderSchool(generateSchool(cmd.options), cmd.format);
    for (const [name, text] of files) expect(await readFile(path.join(MIS, name), 'utf8'), name).toBe(text);
  });

  it('reads as a 1,200-pupil school, and `rollcall roster` shows it as counts or JSON', async () => {
    const cmd = await regenerateCommand();
    const source = { [cmd.format]: { dir: 'mis' } } as SourceConfig;
    const roster = await readRoster(source, { baseDir: path.dirname(MIS), asOf: cmd.asOf, calendar: true, log: memoryLogger() });
    const counts = countRoster(roster);
    expect(counts.students).toBe(1200);
    expect(counts.staff).toBe(90);
    const text = formatRoster(roster, 'text');
    expect(text).toMatch(/^students {5}1200/m);
    expect(text).toContain(`digest       ${rosterDigest(roster)}`);
    const json = JSON.parse(formatRoster(roster, 'json'));
    expect(json.counts).toEqual(counts);
    expect(json.people).toHaveLength(1290);
    expect(json.source).toEqual({ kind: cmd.format, asOf: cmd.asOf });
  });
});
