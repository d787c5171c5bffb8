// The Bromcom client swaps the body of soap's internal axios response (client.ts, BodyTakingHttpClient): that is
// no public contract, so soap is pinned to one exact version and this test fails when anything else is installed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { version?: string; dependencies?: Record<string, string> };

describe('soap pin', () => {
  it('package.json pins soap to an exact version, and that version is the one installed', () => {
    const wanted = json(path.join(root, 'package.json')).dependencies?.soap;
    expect(wanted, 'soap in dependencies').toMatch(/^\d+\.\d+\.\d+$/);
    // Resolved the way the client's own import resolves it, not by a guessed path.
    const installed = json(createRequire(path.join(root, 'src/sources/bromcom/client.ts')).resolve('soap/package.json')).version;
    expect(installed).toBe(wanted);
  });
});
