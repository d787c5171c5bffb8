// How rollcall knows a group is its own from the bulk group list alone (no call per group).
//
// A name prefix is not enough: a school may choose a mailNickname template whose prefix is also the start of
// every class's and security group's nickname (`{schoolKey}-{name}` makes every group "bts-…"), and the plan
// then claimed and deleted them all. So each group rollcall makes also carries a second mark: a tag in its
// `description`. Why `description`: it is returned by /groups/delta and /groups with $select, needs no
// extension registered in the tenant (a directory `extension_<app>_…` property needs an application object and
// a schema change per tenant; an open extension is not in the bulk list at all), and the local tenant stores it
// as Graph does. Education classes are recognised by `externalId` instead (Graph's own link to the MIS).
// An owner can edit a description in Outlook or Teams: a group whose mark is gone is then no longer rollcall's,
// which is the safe way to fail (left alone, said so), never a deletion.
import { ownershipMark, releasedMark, type OwnedRole } from '../policy/marks.js';
import type { TenantGroup } from '../tenant/types.js';

export type { OwnedRole };

// Descriptions rollcall wrote before it had a mark: recognised (with the nickname prefix) so a school that ran an
// earlier version keeps its groups; the next plan writes the mark onto them.
const LEGACY: Record<OwnedRole, (schoolName: string) => RegExp> = {
  group: () => /\((year|registration|house|teaching) group, managed by rollcall\)$/,
  sg: (schoolName) => new RegExp(`^Managed by rollcall for ${schoolName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
};

export type Ownership = 'ours' | 'legacy' | 'released' | 'foreign';

/** Whose a group is, by its mark (and, for a group made before marks, its old description and nickname prefix). */
export function ownershipOf(g: Pick<TenantGroup, 'description' | 'mailNickname'>, schoolKey: string, role: OwnedRole, schoolName: string, prefix: string): Ownership {
  const d = g.description ?? '';
  if (d.includes(ownershipMark(schoolKey, role))) return 'ours';
  if (d.includes(`[rollcall:${schoolKey}:released `)) return 'released';
  if (g.mailNickname?.toLowerCase().startsWith(prefix) && LEGACY[role](schoolName).test(d)) return 'legacy';
  return 'foreign';
}

/** The same description with the mark swapped for the released tag (or the tag added when none was there). */
export function releasedDescription(description: string | null | undefined, schoolKey: string, role: OwnedRole, academicYear: string): string {
  const d = (description ?? '').replace(ownershipMark(schoolKey, role), '').replace(/\s+$/, '');
  return `${d ? `${d} ` : ''}${releasedMark(schoolKey, academicYear)}`;
}
