import { addressPart } from '../policy/ascii.js';
import { pointerToPath, type Origin, type Problem } from './problems.js';

// rollcall finds each of its groups by the nickname this template makes (and recognises it as its own by the mark
// in its description). A template that leaves the school key out, or the MIS id, or starts like a class's
// (`{schoolKey}-class-`) or a security group's (`{schoolKey}-sg-`) nickname makes nicknames that collide with
// another school's, with each other, or with rollcall's other groups. Tokens that can never begin with `class` or
// `sg` may come first after the key; a free text token ({name}, {subject}, {misId}) could.
const SAFE_FIRST = new Set(['kind', 'academicYear']);
const RESERVED = ['class', 'sg'];
const EXAMPLE = '{schoolKey}-{kind}-{misId}';

/** What is wrong with a groups.mailNickname template, in words for the school ([] when nothing is). */
export function groupNicknameProblems(template: string): string[] {
  const out: string[] = [];
  if (!template.startsWith('{schoolKey}-')) {
    out.push(`must start with {schoolKey}- (e.g. "${EXAMPLE}"): the key keeps each school's groups apart in a trust's tenant`);
  } else {
    const rest = template.slice('{schoolKey}-'.length);
    const token = /^\{([A-Za-z]+)(?::-?\d+)?\}/.exec(rest);
    if (token && !SAFE_FIRST.has(token[1])) {
      out.push(`after {schoolKey}- comes {${token[1]}}, which could begin with "class" or "sg" like the nicknames of rollcall's classes and security groups: put {kind}, {academicYear} or fixed text first (e.g. "${EXAMPLE}")`);
    } else if (!token) {
      const literal = addressPart(rest.split('{')[0]);
      const clash = RESERVED.find((r) => literal.startsWith(r));
      if (clash) out.push(`"{schoolKey}-${clash}…" is how rollcall's ${clash === 'class' ? 'classes' : 'security groups'} are named: choose other fixed text (e.g. "${EXAMPLE}")`);
    }
  }
  if (!template.includes('{misId}')) out.push(`must contain {misId} (whole, not cut): it is what makes each group's nickname its own (e.g. "${EXAMPLE}")`);
  return out;
}

/** The template's problems as configuration problems at the line that wrote it. */
export function groupNicknameChecks(template: string | undefined, origins: Map<string, Origin>, file: string): Problem[] {
  if (template === undefined) return [];
  const pointer = '/groups/mailNickname';
  const at = origins.get(pointer) ?? { file, line: 1, col: 1 };
  return groupNicknameProblems(template).map((message) => ({ file: at.file, line: at.line, col: at.col, path: pointerToPath(pointer), message, severity: 'error' as const }));
}
