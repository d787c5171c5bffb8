// Education classes as they should be ("Classroom Provisioning"): one per current MIS group of the kinds
// classes.from names, linked to it by externalId, named by the class templates.
import type { Config } from '../config/load.js';
import type { Roster } from '../roster/types.js';
import type { DesiredClasses } from './desired.js';
import { currentGroups, groupNickname, groupTokens, membersByGroup, type GroupMembers } from './groups.js';
import { nickname } from './nickname.js';
import { renderText } from './template.js';

export function desiredClasses(config: Config, roster: Roster, asOf: string, membersOf: () => GroupMembers = () => membersByGroup(roster.memberships, asOf)): DesiredClasses {
  const cc = config.classes;
  const key = config.school.key;
  const out: DesiredClasses = { enabled: !!cc?.from.length, prefix: `${nickname(key, 'class')}-`, team: !!cc?.team, classes: [] };
  if (!cc || !out.enabled) return out;
  const yearStart = config.school.academicYearStart;
  const members = membersOf();
  for (const g of currentGroups(roster, cc.from, cc.exclude, asOf)) {
    const tokens = groupTokens(g, key, asOf, yearStart);
    const e = members.get(g.id);
    out.classes.push({
      group: g.id, name: g.name, kind: g.kind,
      displayName: renderText(cc.displayName, tokens),
      mailNickname: groupNickname(renderText(cc.mailNickname, tokens)),
      description: g.subject ?? g.name,
      externalId: g.misId, externalName: g.name, externalSource: 'sis',
      teachers: e ? [...e.staff] : [],
      students: e ? [...e.students] : [],
    });
  }
  return out;
}
