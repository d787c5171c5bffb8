// plan/ diffs the desired state against a Snapshot; it reads the tenant only through the Snapshot's types. A runtime
// import from tenant/ would let the planner reach Graph (or the emulator) and pull the tenant's code into every
// plan. Type imports are free: they vanish when compiled.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PLAN = path.join(ROOT, 'src/plan');
const TENANT = path.join(ROOT, 'src/tenant');

/** Runtime imports (and re-exports) of `file` that resolve into src/tenant. */
function runtimeTenantImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(st)) {
      spec = st.moduleSpecifier;
      const clause = st.importClause;
      // `import type {…}`, or `import { type A, type B }` with nothing else, leaves no import behind.
      typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      spec = st.moduleSpecifier;
      typeOnly = st.isTypeOnly || (!!st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.every((e) => e.isTypeOnly));
    }
    if (!spec || !ts.isStringLiteral(spec) || typeOnly || !spec.text.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec.text);
    if (target === TENANT || target.startsWith(`${TENANT}${path.sep}`)) out.push(`${path.relative(ROOT, file)}: ${st.getText(sf)}`);
  }
  // Dynamic import('…/tenant/…') counts too.
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0])) {
      const target = path.resolve(path.dirname(file), n.arguments[0].text);
      if (target.startsWith(`${TENANT}${path.sep}`)) out.push(`${path.relative(ROOT, file)}: ${n.getText(sf)}`);
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}

describe('plan/ imports only types from tenant/', () => {
  const files = readdirSync(PLAN).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => path.join(PLAN, f));

  it('no planner file imports a runtime value from tenant/', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap((f) => runtimeTenantImports(f))).toEqual([]);
  });

  it('the rule sees a runtime import and lets a type import through', () => {
    const probe = path.join(PLAN, 'probe.ts');
    expect(runtimeTenantImports(probe, "import { ROLLCALL_EVENT_PROPERTY_ID } from '../tenant/graph/constants.js';")).toHaveLength(1);
    expect(runtimeTenantImports(probe, "export { openTenant } from '../tenant/index.js';")).toHaveLength(1);
    expect(runtimeTenantImports(probe, "const m = await import('../tenant/index.js');")).toHaveLength(1);
    expect(runtimeTenantImports(probe, "import type { Snapshot } from '../tenant/types.js';\nimport { type TenantUser } from '../tenant/types.js';")).toEqual([]);
    expect(runtimeTenantImports(probe, "import { nickname } from './keys.js';")).toEqual([]);
  });
});
