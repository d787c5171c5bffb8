// The trust's configuration for the 100k planning benchmark: users, their security groups, and MIS groups.
// Resolved as the loader resolves a school's file (every schema default applied), since planning expects that.
import { resolveConfig } from '../../.kit/src/config/load.js';

export const benchConfig = resolveConfig({
  version: 1,
  school: { name: 'Benchmark Trust', key: 'bt', timeZone: 'Europe/London', academicYearStart: '09-01' },
  source: { csv: { dir: '.' } },
  tenant: { local: { state: '.' }, domains: ['trust.example', 'students.trust.example'], education: false },
  users: {
    mode: 'create', anchor: 'employeeId', match: ['anchor', 'workEmail', 'manual'],
    students: { userPrincipalName: '{first}.{last}@students.trust.example', displayName: '{preferredFirst} {preferredLast}', usageLocation: 'GB', securityGroups: ['All Students', 'Students Y{yearGroup}'] },
    staff: { userPrincipalName: '{first:1}{last}@trust.example', displayName: '{preferredFirst} {preferredLast}', usageLocation: 'GB', securityGroups: ['All Staff'] },
    exclusions: { misIds: [], userPrincipalNames: [], addresses: ['admin@*'] },
    leavers: { action: 'suspend', graceDays: 7 },
  },
  groups: { from: ['registrationGroups', 'teachingGroups', 'yearGroups', 'houses'], type: 'security', displayName: '{name}', staffAs: 'owners' },
  safety: { maxSuspensions: { percent: 5 }, maxDeletions: { percent: 1 }, maxMembershipRemovals: { percent: 10 }, maxSourceDrop: { percent: 10 } },
});
