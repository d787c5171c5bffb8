import { groupId } from './ids.js';
import type { Group, GroupKind, Membership, Person } from './types.js';

// Year groups and houses are attributes of a pupil in most MIS exports rather than groups of their own.
// They become groups here, once, so every source yields the same groups for the same school.

function attributeGroup(kind: GroupKind, value: string): Group {
  const misId = `${kind === 'registration' ? 'reg' : kind}:${value}`;
  const name = kind === 'year' && /^\d+$/.test(value) ? `Year ${value}` : value;
  return { id: groupId(misId), kind, misId, name };
}

const ATTRIBUTE_KINDS = ['year', 'registration', 'house'] as const;

/**
 * `membersOf`: group id → its members' ids (any role), when the caller has it already for exactly `memberships`
 * (RosterBuilder does): it is not worked out again, and the derived memberships are added to it.
 */
export function deriveAttributeGroups(people: Person[], groups: Group[], memberships: Membership[], membersOf?: Map<string, Map<string, number>>): { groups: Group[]; memberships: Membership[] } {
  const outGroups = [...groups];
  const outMemberships = [...memberships];
  const byKindName = new Map<string, Group>();
  for (const g of groups) if (g.kind !== 'teaching') byKindName.set(`${g.kind}\u0000${g.name}`, g);
  // Group id → its members (any role). Nested rather than one set of joined "group person" keys: a school's
  // memberships are hundreds of thousands, and a fresh key string for each was most of this function's time.
  const memberOf = membersOf ?? new Map<string, Map<string, number>>();
  let lastGroup: string | undefined;
  let lastMembers: Map<string, number> | undefined;
  for (let i = 0; !membersOf && i < memberships.length; i++) {
    const m = memberships[i];
    // Memberships mostly come a group at a time: the last group's members are tried before the map.
    if (m.group !== lastGroup) {
      lastGroup = m.group;
      lastMembers = memberOf.get(m.group);
      if (!lastMembers) memberOf.set(m.group, (lastMembers = new Map()));
    }
    lastMembers!.set(m.person, 1);
  }
  const groupById = new Map(groups.map((g) => [g.id, g]));

  // A registration group read as a group (with its tutor) also tells each member's registration group.
  const regOf = new Map<string, string[]>();
  for (const m of memberships) {
    if (m.role !== 'member') continue;
    const g = groupById.get(m.group);
    if (g?.kind !== 'registration') continue;
    const regs = regOf.get(m.person);
    if (regs) regs.push(g.name);
    else regOf.set(m.person, [g.name]);
  }
  for (const p of people) {
    const regs = regOf.get(p.id);
    if (p.registrationGroup === undefined && regs?.length === 1) p.registrationGroup = regs[0];
  }

  // Each kind's value → its group, resolved once per value (a year's value repeats for a few hundred pupils).
  const resolved: Record<(typeof ATTRIBUTE_KINDS)[number], Map<string, Group>> = { year: new Map(), registration: new Map(), house: new Map() };
  const groupFor = (kind: (typeof ATTRIBUTE_KINDS)[number], value: string): Group => {
    let g = resolved[kind].get(value);
    if (g) return g;
    const probe = attributeGroup(kind, value);
    g = byKindName.get(`${kind}\u0000${probe.name}`);
    if (!g) {
      g = probe;
      byKindName.set(`${kind}\u0000${probe.name}`, g);
      outGroups.push(g);
    }
    resolved[kind].set(value, g);
    return g;
  };

  for (const p of people) {
    if (p.kind !== 'student') continue;
    for (const kind of ATTRIBUTE_KINDS) {
      const value = kind === 'year' ? p.yearGroup : kind === 'registration' ? p.registrationGroup : p.house;
      if (!value) continue;
      const g = groupFor(kind, value);
      let members = memberOf.get(g.id);
      if (!members) memberOf.set(g.id, (members = new Map()));
      if (!members.has(p.id)) {
        members.set(p.id, 1);
        outMemberships.push({ group: g.id, person: p.id, role: 'member' });
      }
    }
  }
  return { groups: outGroups, memberships: outMemberships };
}
