// The schema's defaults are applied once, by the loader (src/config/defaults.ts). Code downstream that writes
// `config.users.anchor ?? 'employeeId'` repeats a default, and two copies drift apart. Both checks read their
// rules from the schema and the resolved type, not from a list kept here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RESOLVED_TYPE = path.join(ROOT, 'src/config/resolved.generated.ts');

function productFiles(dir = path.join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return productFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.generated.ts') ? [p] : [];
  });
}

const rel = (file: string) => path.relative(ROOT, file);

/**
 * Fallbacks in rooms other helpers of issue 13 are rebuilding at the same time (action/ and github/ move; sources/
 * takes its reader configs from hand-written types with optional defaults): fixed when those branches are
 * integrated. Each entry must still be found, so this list can only shrink.
 */
// Sources take their own hand-written config types (tests hand them partial configs without the resolver), so
// the SDS reader still says which format an unset one means. The list can only shrink: an entry that is no longer
// found fails the test.
const PENDING_AT_INTEGRATION = [
  "src/sources/sds/read.ts: cfg.format ?? 'v2.1'",
];
const pending = (found: string[]) => found.filter((f) => PENDING_AT_INTEGRATION.includes(f.replace(/:\d+:/, ':')));
const fresh = (found: string[]) => found.filter((f) => !PENDING_AT_INTEGRATION.includes(f.replace(/:\d+:/, ':')));

/** `a ?? b`, `a ??= b`, `a || b`: the ways code supplies a value the configuration might lack. */
const FALLBACKS = new Set([ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarToken]);

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** Every non-empty string the schema gives as a default (template, enum value, file name …). */
function stringDefaults(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => stringDefaults(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'default' && typeof v === 'string' && v !== '') out.add(v);
      else stringDefaults(v, out);
    }
  }
  return out;
}

describe('schema defaults are applied in one place', () => {
  const files = productFiles();
  const program = ts.createProgram(files, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, noEmit: true, types: ['node'], resolveJsonModule: true });
  const checker = program.getTypeChecker();
  const pendingSeen: string[] = [];

  const visit = (fn: (node: ts.BinaryExpression, sf: ts.SourceFile) => void) => {
    for (const file of files) {
      const sf = program.getSourceFile(file)!;
      const walk = (node: ts.Node): void => {
        if (ts.isBinaryExpression(node) && FALLBACKS.has(node.operatorToken.kind)) fn(node, sf);
        ts.forEachChild(node, walk);
      };
      walk(sf);
    }
  };
  const where = (node: ts.Node, sf: ts.SourceFile) => `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText(sf)}`;

  it('no code supplies a fallback for a configuration value the loader always fills in', () => {
    const found: string[] = [];
    let configReads = 0;
    visit((node, sf) => {
      const left = strip(node.left);
      if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return;
      const symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(left) ? left.name : left.argumentExpression);
      const decls = (symbol?.declarations ?? []).filter((d) => path.resolve(d.getSourceFile().fileName) === RESOLVED_TYPE);
      if (!decls.length) return;
      configReads++;
      // A property the resolved type declares without `?` is always there: a fallback for it repeats a default,
      // unless the object that holds it may itself be absent (`config.users[role]?.userPrincipalName ?? ''`).
      const holder = checker.getTypeAtLocation(ts.isPropertyAccessExpression(left) ? left.expression : left.expression);
      const holderMayBeAbsent = (holder.isUnion() ? holder.types : [holder]).some((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0);
      if (!holderMayBeAbsent && decls.every((d) => ts.isPropertySignature(d) && !d.questionToken)) found.push(where(node, sf));
    });
    // The check sees configuration reads at all (it would pass vacuously if the type's file moved).
    expect(configReads).toBeGreaterThan(0);
    pendingSeen.push(...pending(found));
    expect(fresh(found)).toEqual([]);
  });

  it('no code falls back to a string the schema gives as a default', () => {
    const defaults = stringDefaults(JSON.parse(readFileSync(path.join(ROOT, 'schema/rollcall.schema.json'), 'utf8')));
    const found: string[] = [];
    visit((node, sf) => {
      const right = strip(node.right);
      if ((ts.isStringLiteral(right) || ts.isNoSubstitutionTemplateLiteral(right)) && defaults.has(right.text)) found.push(where(node, sf));
    });
    pendingSeen.push(...pending(found));
    expect(fresh(found)).toEqual([]);
  });

  it('lists as pending only fallbacks that are still there', () => {
    const seen = new Set(pendingSeen.map((f) => f.replace(/:\d+:/, ':')));
    expect(PENDING_AT_INTEGRATION.filter((p) => !seen.has(p))).toEqual([]);
  });
});
