#!/usr/bin/env node
// Writes a deterministic synthetic school (invented names only) in one or more MIS formats.
//   node scripts/synth-school.mjs --seed 1 --students 1200 [--staff 90] [--as-of 2026-01-12] [--lesson-days 14] --format oneroster|sds|csv|bromcom|all --out DIR
// Runs the test kit's build: `npm run build:kit` first. With --format all, each format goes to DIR/<format>.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSchool, SYNTH_FORMATS, writeSchool } from '../.kit/test/support/synth/index.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    students: { type: 'string', default: '1200' },
    staff: { type: 'string' },
    'as-of': { type: 'string', default: '2026-01-12' },
    'lesson-days': { type: 'string' },
    format: { type: 'string', default: 'oneroster' },
    out: { type: 'string' },
  },
});
if (!values.out) {
  process.stderr.write('synth-school: --out DIR is required\n');
  process.exit(1);
}
const formats = values.format === 'all' ? SYNTH_FORMATS : [values.format];
for (const f of formats) {
  if (!SYNTH_FORMATS.includes(f)) {
    process.stderr.write(`synth-school: unknown format ${f} (one of ${SYNTH_FORMATS.join(', ')}, all)\n`);
    process.exit(1);
  }
}
const school = generateSchool({
  seed: Number(values.seed), students: Number(values.students), staff: values.staff ? Number(values.staff) : undefined, asOf: values['as-of'],
  ...(values['lesson-days'] ? { lessonDays: Number(values['lesson-days']) } : {}),
});
for (const f of formats) {
  const dir = values.format === 'all' ? path.join(values.out, f) : values.out;
  const files = await writeSchool(school, f, dir);
  process.stderr.write(`synth-school: ${f}: ${files.length} file(s) in ${dir}\n`);
}
const students = school.people.filter((p) => p.kind === 'student').length;
process.stderr.write(`synth-school: ${students} students, ${school.people.length - students} staff, ${school.groups.length} groups, ${school.memberships.length} memberships, ${school.lessons.length} lessons\n`);
