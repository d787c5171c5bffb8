import { describe, expect, it } from 'vitest';
import { groupNicknameProblems } from './group-nickname.js';

describe('groups.mailNickname at load time', () => {
  it.each([
    '{schoolKey}-{kind}-{misId}',
    '{schoolKey}-{academicYear}-{misId}',
    '{schoolKey}-{kind}-{academicYear}-{misId}',
    '{schoolKey}-grp-{misId}',
    '{schoolKey}-{kind}-{name}-{misId}',
  ])('accepts %s', (t) => expect(groupNicknameProblems(t)).toEqual([]));

  it.each([
    ['{name}-{schoolKey}', [/must start with \{schoolKey\}-/, /must contain \{misId\}/]],
    ['{schoolKey}-{name}', [/after \{schoolKey\}- comes \{name\}/, /must contain \{misId\}/]],
    ['{schoolKey}-{academicYear}-{name}', [/must contain \{misId\}/]],
    ['{schoolKey}-{misId}', [/after \{schoolKey\}- comes \{misId\}/]],
    ['{schoolKey}-class-{misId}', [/rollcall's classes/]],
    ['{schoolKey}-SG-{misId}', [/rollcall's security groups/]],
    ['{schoolKey:2}-{kind}-{misId}', [/must start with \{schoolKey\}-/]],
    ['{schoolKey}-{kind}-{misId:3}', [/must contain \{misId\}/]],
  ] as const)('refuses %s, saying why', (t, why) => {
    const problems = groupNicknameProblems(t);
    expect(problems).toHaveLength(why.length);
    why.forEach((w, i) => expect(problems[i]).toMatch(w));
  });
});
