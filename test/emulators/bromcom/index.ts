// The Bromcom emulator for tests. Its core sits in test/support/synth (the benchmark runs it from the kit build);
// this adds a one-call start with a synthetic school and known credentials.
import { toBromcomData } from '../../support/synth/bromcom-data.js';
import { startBromcomEmulator, type BromcomEmulator, type BromcomEmulatorOptions } from '../../support/synth/bromcom-emulator.js';
import { generateSchool, type SynthOptions, type SynthSchool } from '../../support/synth/school.js';

export const TEST_CREDENTIALS = { BROMCOM_USERNAME: 'rollcall-test', BROMCOM_PASSWORD: 'not-a-real-password' };
export const TEST_SCHOOL_ID = 12345;
/** The large school of the benchmark; fine for a one-off check, too slow for the regular suite. */
export const SCHOOL_20K: SynthOptions = { seed: 20000, students: 20000, asOf: '2026-01-12' };

export async function startTestEmulator(
  school: SynthSchool | SynthOptions = {},
  options: Partial<BromcomEmulatorOptions> = {},
): Promise<BromcomEmulator & { school: SynthSchool }> {
  const s = 'people' in school ? school : generateSchool(school);
  const emulator = await startBromcomEmulator({
    data: toBromcomData(s), schoolId: TEST_SCHOOL_ID,
    username: TEST_CREDENTIALS.BROMCOM_USERNAME, password: TEST_CREDENTIALS.BROMCOM_PASSWORD, ...options,
  });
  return Object.assign(emulator, { school: s });
}

export function bromcomSource(url: string, extra: { timeoutSeconds?: number; retries?: number } = {}) {
  return {
    bromcom: { url, schoolId: TEST_SCHOOL_ID, username: { env: 'BROMCOM_USERNAME' }, password: { env: 'BROMCOM_PASSWORD' }, ...extra },
  };
}
