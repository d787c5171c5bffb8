import { groupId } from './ids.js';
import type { Group, GroupKind, Membership, Person } from './types.js';

// Year groups and houses are attributes of a pupil in most MIS exports rather than groups of their own.
// They become groups here, once, so every source yields the same groups for the same school.

function attributeGroup(kind: GroupKind, value: string): Group {
  const misId = `${kind === 'registration' ? 'reg' : kind}:${value}`;
  const name = kind === 'year' && /^\d+$/.test(value) ? `Year ${value}` : value;
  return { id: groupId(misId), kind, misId, name };
}

export function deriveAttributeGroups(people: Person[], groups: Group[], memberships: Membership[]): { groups: Group[]; memberships: Membership[] } {
  const outGroups = [...groups];
  const outMemberships = [...memberships];
  const byKindName = new Map<string, Group>();
  for (const g of groups) if (g.kind !== 'teaching') byKindName.set(`${g.kind}\u0000${g.name}`, g);
  const memberOf = new Set(memberships.map((m) => `${m.group}\u0000${m.person}`));
  const groupById = new Map(groups.map((g) => [g.id, g]));

  // A registration group read as a group (with its tutor) also tells each member's registration group.
  const regOf = new Map<string, string[]>();
  for (const m of memberships) {
    const g = groupById.get(m.group);
    if (g?.kind === 'registration' && m.role === 'member') regOf.set(m.person, [...(regOf.get(m.person) ?? []), g.name]);
  }
  for (const p of people) {
    const regs = regOf.get(p.id);
    if (p.registrationGroup === undefined && regs?.length === 1) p.registrationGroup = regs[0];
  }

  for (const p of people) {
    if (p.kind !== 'student') continue;
    const wanted: [GroupKind, string | undefined][] = [
      ['year', p.yearGroup],
      ['registration', p.registrationGroup],
      ['house', p.house],
    ];
    for (const [kind, value] of wanted) {
      if (!value) continue;
      const probe = attributeGroup(kind, value);
      let g = byKindName.get(`${kind}\u0000${probe.name}`);
      if (!g) {
        g = probe;
        byKindName.set(`${kind}\u0000${probe.name}`, g);
        outGroups.push(g);
      }
      const key = `${g.id}\u0000${p.id}`;
      if (!memberOf.has(key)) {
        memberOf.add(key);
        outMemberships.push({ group: g.id, person: p.id, role: 'member' });
      }
    }
  }
  return { groups: outGroups, memberships: outMemberships };
}
