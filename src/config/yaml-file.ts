import { readFile, stat } from 'node:fs/promises';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { joinPointer, pointerToPath, type Origin, type Problem } from './problems.js';

/**
 * A rollcall file is a few kilobytes (the normative example is under 6 KB). Anything far bigger is a mistake or
 * hostile, and the YAML parser is not fast on huge mappings, so the size is checked before a byte is parsed.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Aliases: at most this many, expanding to at most MAX_ALIAS_NODES nodes in all (a "billion laughs" stops here). */
const MAX_ALIASES = 100;
const MAX_ALIAS_NODES = 1000;

export interface ParsedFile {
  file: string;
  data: unknown;
  /** JSON pointer → where that value (and its key) stands in the file. */
  origins: Map<string, Origin>;
  problems: Problem[];
}

/** Reads one YAML file keeping the position of every key and value, and every syntax problem at once. */
export async function parseYamlFile(file: string): Promise<ParsedFile> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) return { file, data: undefined, origins: new Map(), problems: [tooBig(file, size)] };
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`;
    return { file, data: undefined, origins: new Map(), problems: [{ file, line: 1, col: 1, path: '', message: why, severity: 'error' }] };
  }
  return parseYamlText(file, text);
}

function tooBig(file: string, size: number): Problem {
  return { file, line: 1, col: 1, path: '', message: `is ${size} bytes; a rollcall configuration may be at most ${MAX_CONFIG_BYTES} bytes`, severity: 'error' };
}

export function parseYamlText(file: string, text: string): ParsedFile {
  const size = Buffer.byteLength(text);
  if (size > MAX_CONFIG_BYTES) return { file, data: undefined, origins: new Map(), problems: [tooBig(file, size)] };
  const lineCounter = new LineCounter();
  // Repeated keys are found in the walk below rather than by the parser's uniqueKeys, which compares every key
  // with every other one in its mapping (minutes for a mapping of 100,000 keys).
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false, strict: true });
  const problems: Problem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    const message = `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
    problems.push({ file, line: pos.line, col: pos.col, path: '', message, severity: e.name === 'YAMLWarning' ? 'warning' : 'error' });
  }
  const origins = new Map<string, Origin>();
  const at = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  const problemAt = (node: Node | null | undefined, pointer: string, message: string) => {
    const p = at(node?.range?.[0]);
    problems.push({ file, line: p.line, col: p.col, path: pointerToPath(pointer), message, severity: 'error' });
  };
  const aliases = aliasChecker(doc, problemAt);
  const walk = (node: Node | null | undefined, pointer: string, key?: Node | null) => {
    if (!node) return;
    const v = at(node.range?.[0]);
    const k = key?.range ? at(key.range[0]) : undefined;
    origins.set(pointer, { file, line: v.line, col: v.col, keyLine: k?.line, keyCol: k?.col });
    aliases.see(node, pointer);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = joinPointer(pointer, name);
        if (keyNode) aliases.see(keyNode, child);
        // A repeated key is an error with its position rather than "last one wins".
        if (seen.has(name)) problemAt(keyNode, child, `duplicate key: "${name}" appears more than once in this mapping`);
        seen.add(name);
        if (pair.value) walk(pair.value as Node, child, keyNode);
        else if (keyNode?.range) {
          // `key:` with nothing after it: point at the key.
          const kp = at(keyNode.range[0]);
          origins.set(child, { file, line: kp.line, col: kp.col, keyLine: kp.line, keyCol: kp.col });
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, joinPointer(pointer, i)));
    }
  };
  walk(doc.contents as Node | null, '');
  let data: unknown;
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      // The parser's own alias limit stays as a second guard; the checks above name the alias, this cannot.
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      problems.push({ file, line: 1, col: 1, path: '', message: `YAML: ${(e as Error).message}`, severity: 'error' });
    }
  }
  return { file, data, origins, problems };
}

/**
 * Aliases are resolved by the parser only when the document is turned into data, where a bad one is a bare
 * ReferenceError; here each is checked in document order so the problem names its line: an alias must follow its
 * anchor, and all aliases together may stand for at most MAX_ALIAS_NODES nodes.
 */
function aliasChecker(doc: ReturnType<typeof parseDocument>, problemAt: (node: Node, pointer: string, message: string) => void) {
  const everywhere = new Set<string>();
  visit(doc, (_key, node) => {
    if (isNode(node) && node.anchor) everywhere.add(node.anchor);
  });
  const defined = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  let uses = 0;
  let expanded = 0;
  let refused = false;
  // The nodes an anchored node stands for, its own aliases expanded (a node inside its own anchor counts once).
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = defined.get(node.source);
      return target ? sizeOf(target) : 1;
    }
    if (!isNode(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1);
    let n = 1;
    if (isMap(node)) for (const pair of node.items) n += sizeOf(pair.key) + sizeOf(pair.value);
    else if (isSeq(node)) for (const item of node.items) n += sizeOf(item);
    sizes.set(node, n);
    return n;
  };
  return {
    see(node: Node, pointer: string): void {
      if (node.anchor) defined.set(node.anchor, node);
      if (!isAlias(node)) return;
      const target = defined.get(node.source);
      if (!target) {
        problemAt(node, pointer, everywhere.has(node.source)
          ? `YAML: the alias *${node.source} comes before its anchor &${node.source} (an anchor must be defined first)`
          : `YAML: the alias *${node.source} has no anchor &${node.source} in this file`);
        return;
      }
      uses++;
      expanded += sizeOf(target);
      if (!refused && (uses > MAX_ALIASES || expanded > MAX_ALIAS_NODES)) {
        refused = true;
        problemAt(node, pointer, `YAML: aliases expand to too much (more than ${MAX_ALIASES} aliases or ${MAX_ALIAS_NODES} nodes through aliases); write the values out or use fewer aliases`);
      }
    },
  };
}
