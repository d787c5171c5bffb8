// policy/ decides what should be (names, nicknames, descriptions, members, event bodies); the group, security
// group, class and calendar planners only diff that Desired state against the Snapshot. If a planner imported template or naming
// code, names would again be computed in two places and drift apart, so the planners may take from policy/ only
// the Desired types, and the Desired values reach them through the plan builder (plan/build.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const POLICY = path.join(ROOT, 'src/policy');
const DESIRED = path.join(POLICY, 'desired.ts');
const PLANNERS = ['groups.ts', 'user-groups.ts', 'classes.ts', 'calendar.ts'].map((f) => path.join(ROOT, 'src/plan', f));
const BUILD = path.join(ROOT, 'src/plan/build.ts');

// Naming and template code, wherever it lives (a re-export through a plan/ file counts as much as policy/ itself).
const NAMING = new Set([
  'nickname', 'renderText', 'renderAddress', 'TOKEN_RE', 'groupTokens', 'tokenValues', 'academicYearLabel', 'academicYearOf',
  'markedDescription', 'localDateTime', 'currentGroups', 'membersByGroup', 'calendarScope', 'groupNicknameProblems',
]);
const NAMING_MODULES = ['src/config/tokens', 'src/config/group-nickname'].map((m) => path.join(ROOT, m));

const resolve = (file: string, spec: string) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '');
const sourceOf = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);

/** What `file` takes that only policy/ may use: any import from policy/ but the Desired types, and naming code from anywhere. */
function namingImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = sourceOf(file, text);
  const out: string[] = [];
  const say = (n: ts.Node) => out.push(`${path.relative(ROOT, file)}: ${n.getText(sf)}`);
  for (const st of sf.statements) {
    if (!(ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (!spec.startsWith('.')) continue;
    const target = resolve(file, spec);
    let names: { name: string; typeOnly: boolean }[] = [];
    let wholeModule = false;
    let typeOnly = false;
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      typeOnly = !!clause?.isTypeOnly;
      if (!clause || clause.name || (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings))) wholeModule = true;
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        names = clause.namedBindings.elements.map((e) => ({ name: (e.propertyName ?? e.name).text, typeOnly: typeOnly || e.isTypeOnly }));
      }
    } else {
      typeOnly = st.isTypeOnly;
      if (!st.exportClause || !ts.isNamedExports(st.exportClause)) wholeModule = true;
      else names = st.exportClause.elements.map((e) => ({ name: (e.propertyName ?? e.name).text, typeOnly: typeOnly || e.isTypeOnly }));
    }
    const intoPolicy = target === POLICY || target.startsWith(`${POLICY}${path.sep}`);
    if (intoPolicy && `${target}.ts` !== DESIRED) { say(st); continue; }
    // From desired.ts: types only (it has no values, and a value import would mean someone gave it some).
    if (intoPolicy && (wholeModule ? !typeOnly : names.some((n) => !n.typeOnly))) { say(st); continue; }
    if (NAMING_MODULES.includes(target) || names.some((n) => NAMING.has(n.name))) say(st);
  }
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      const target = resolve(file, n.arguments[0].text);
      if (target.startsWith(`${POLICY}${path.sep}`) || NAMING_MODULES.includes(target)) say(n);
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

/** The exported functions of `file` and the type names of their parameters. */
function parameterTypes(file: string): Map<string, string[]> {
  const sf = sourceOf(file, readFileSync(file, 'utf8'));
  const out = new Map<string, string[]>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      out.set(st.name.text, st.parameters.map((p) => p.type?.getText(sf) ?? ''));
    }
  }
  return out;
}

/** The names `file` calls as plain functions. */
function calls(file: string): Set<string> {
  const sf = sourceOf(file, readFileSync(file, 'utf8'));
  const out = new Set<string>();
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) out.add(n.expression.text);
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

describe('the group, class and calendar planners diff Desired; policy/ names', () => {
  it('plan/groups, user-groups, classes and calendar import no naming or template code, and from policy/ only the Desired types', () => {
    expect(PLANNERS.flatMap((f) => namingImports(f))).toEqual([]);
  });

  it('each planner takes its Desired state and not the roster', () => {
    const want: [string, string, string][] = [
      ['groups.ts', 'planMisGroups', 'DesiredGroups'], ['user-groups.ts', 'planUserGroups', 'DesiredSecurityGroups'],
      ['classes.ts', 'planClasses', 'DesiredClasses'], ['calendar.ts', 'planCalendar', 'DesiredEvents'],
    ];
    for (const [file, fn, desired] of want) {
      const params = parameterTypes(path.join(ROOT, 'src/plan', file)).get(fn);
      expect(params, `${file} exports ${fn}`).toBeDefined();
      expect(params, fn).toContain(desired);
      expect(params, fn).not.toContain('Roster');
    }
  });

  it('the plan builder computes the Desired state with policy/ and hands it to the planners', () => {
    const called = calls(BUILD);
    for (const fn of ['desiredGroups', 'desiredSecurityGroups', 'desiredClasses', 'desiredEvents', 'planMisGroups', 'planUserGroups', 'planClasses', 'planCalendar']) expect(called, fn).toContain(fn);
  });

  it('the rule sees naming code and lets the Desired types through', () => {
    const probe = path.join(ROOT, 'src/plan/probe.ts');
    for (const bad of [
      "import { renderText } from '../policy/template.js';",
      "import type { TokenValues } from '../policy/template.js';",
      "import { nickname } from '../policy/nickname.js';",
      "import * as policy from '../policy/groups.js';",
      "import { currentGroups as current } from '../policy/groups.js';",
      "import { groupNicknameProblems } from '../config/group-nickname.js';",
      "import { TOKEN_RE } from '../config/tokens.js';",
      "import { nickname } from './keys.js';",
      "export { renderText } from '../policy/template.js';",
      "import { DESIRED_VALUE } from '../policy/desired.js';",
      "const t = await import('../policy/template.js');",
    ]) expect(namingImports(probe, bad), bad).toHaveLength(1);
    expect(namingImports(probe, [
      "import type { DesiredGroups, DesiredGroup } from '../policy/desired.js';",
      "import { type DesiredEvents } from '../policy/desired.js';",
      "import { groupChangeKey } from './keys.js';",
      "import type { Snapshot } from '../tenant/types.js';",
    ].join('\n'))).toEqual([]);
  });
});
