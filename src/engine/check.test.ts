// `rollcall check`'s core: the permissions a configuration's features need, against a token's roles.
import { describe, expect, it } from 'vitest';
import type { GraphFeatures } from '../tenant/needs.js';
import { permissionChecks } from './check.js';

const base: GraphFeatures = { usersMode: 'create', deletesUsers: false, groups: false, education: false, classes: false, teams: false, archivesTeams: false, calendar: false, summaryMail: false, licences: false };
const names = (lines: ReturnType<typeof permissionChecks>, ok: boolean) => lines.filter((l) => l.ok === ok).map((l) => l.permission).sort();

describe('permissionChecks', () => {
  it('asks a token with nothing for the write permissions, whose reads are covered by them, named once; groups only read', () => {
    const lines = permissionChecks(base, []);
    expect(names(lines, false)).toEqual(['GroupMember.Read.All', 'User-LifeCycleInfo.ReadWrite.All', 'User.ReadWrite.All']);
    expect(names(permissionChecks({ ...base, groups: true }, []), false)).toEqual(['Group.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'User.ReadWrite.All']);
    expect(lines.find((l) => l.permission === 'User.ReadWrite.All')?.neededFor).toContain('reading accounts, leave dates included');
  });

  it('names the permission the token has when it covers a need, and only what the features need', () => {
    const lines = permissionChecks({ ...base, usersMode: 'link' }, ['Directory.ReadWrite.All', 'User-LifeCycleInfo.Read.All']);
    expect(names(lines, true)).toEqual(['Directory.ReadWrite.All', 'User-LifeCycleInfo.Read.All']);
    expect(names(lines, false)).toEqual([]);
    const mail = permissionChecks({ ...base, summaryMail: true, calendar: true }, ['User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'Group.ReadWrite.All']);
    expect(names(mail, false)).toEqual(['Calendars.ReadWrite', 'Mail.Send']);
  });

  it('guardians on an Education tenant need EduRoster.ReadWrite.All, for reading and writing relatedContacts', () => {
    const granted = ['User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'GroupMember.Read.All', 'Team.ReadBasic.All'];
    const lines = permissionChecks({ ...base, education: true, guardians: true }, granted);
    expect(names(lines, false)).toEqual(['EduRoster.ReadWrite.All']);
    expect(lines.find((l) => l.permission === 'EduRoster.ReadWrite.All')?.neededFor).toContain("writing students' guardians (guardians)");
    expect(names(permissionChecks({ ...base, education: true }, granted), false)).not.toContain('EduRoster.ReadWrite.All');
  });

  it('a read-only app for pull requests: the leave date needs its own permission even beside Directory.ReadWrite.All', () => {
    const lines = permissionChecks(base, ['Directory.ReadWrite.All']);
    expect(names(lines, false)).toEqual(['User-LifeCycleInfo.ReadWrite.All']);
  });

  it('licences assigned directly: the write app also reads the tenant\'s SKUs, which User.ReadWrite.All does not cover', () => {
    const write = ['User.ReadWrite.All', 'User-LifeCycleInfo.ReadWrite.All', 'GroupMember.Read.All'];
    expect(names(permissionChecks(base, write), false)).toEqual([]);
    const lines = permissionChecks({ ...base, licences: true }, write);
    expect(names(lines, false)).toEqual(['LicenseAssignment.Read.All']);
    expect(lines.find((l) => l.permission === 'LicenseAssignment.Read.All')?.neededFor).toEqual(["reading the tenant's licences and free units (users.*.licences)"]);
    // assignLicense is a user write: the permission that creates accounts assigns their licences.
    expect(lines.find((l) => l.permission === 'User.ReadWrite.All')?.neededFor).toContain('assigning and removing licences (users.*.licences)');
  });
});
