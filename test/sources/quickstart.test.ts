import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRoster } from '../../src/cli/roster.js';
import { memoryLogger } from '../../src/log.js';
import { countRoster } from '../../src/roster/counts.js';
import { rosterDigest } from '../../src/roster/digest.js';
import { readRoster } from '../../src/sources/index.js';
import { generateSchool } from '../../src/synth/school.js';
import { renderSchool } from '../../src/synth/write.js';
import { readFile } from 'node:fs/promises';

const QUICKSTART = path.resolve('examples/quickstart');

describe('examples/quickstart/mis', () => {
  it('is exactly what the generator writes for seed 1 (so it can be regenerated, and stays synthetic)', async () => {
    const files = renderSchool(generateSchool({ seed: 1, students: 1200, asOf: '2026-01-12' }), 'oneroster');
    for (const [name, text] of files) expect(await readFile(path.join(QUICKSTART, 'mis', name), 'utf8')).toBe(text);
  });

  it('reads as a 1,200-pupil school, and `rollcall roster` shows it as counts or JSON', async () => {
    const roster = await readRoster({ oneroster: { dir: 'mis' } }, { baseDir: QUICKSTART, asOf: '2026-01-12', log: memoryLogger() });
    const counts = countRoster(roster);
    expect(counts.students).toBe(1200);
    expect(counts.staff).toBe(90);
    const text = formatRoster(roster, 'text');
    expect(text).toContain('students     1200');
    expect(text).toContain(`digest       ${rosterDigest(roster)}`);
    const json = JSON.parse(formatRoster(roster, 'json'));
    expect(json.counts).toEqual(counts);
    expect(json.people).toHaveLength(1290);
    expect(json.source).toEqual({ kind: 'oneroster', asOf: '2026-01-12' });
  });
});
