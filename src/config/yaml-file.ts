import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { joinPointer, type Origin, type Problem } from './problems.js';

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
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`;
    return { file, data: undefined, origins: new Map(), problems: [{ file, line: 1, col: 1, path: '', message: why, severity: 'error' }] };
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) turns a repeated key into an error with its position rather than "last one wins".
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true });
  const problems: Problem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    const message = e.code === 'DUPLICATE_KEY' ? `duplicate key: ${duplicateKeyName(text, e.pos[0])}` : `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
    problems.push({ file, line: pos.line, col: pos.col, path: '', message, severity: e.name === 'YAMLWarning' ? 'warning' : 'error' });
  }
  const origins = new Map<string, Origin>();
  const at = (offset: number | undefined) => lineCounter.linePos(offset ?? 0);
  const walk = (node: Node | null | undefined, pointer: string, key?: Node | null) => {
    if (!node) return;
    const v = at(node.range?.[0]);
    const k = key?.range ? at(key.range[0]) : undefined;
    origins.set(pointer, { file, line: v.line, col: v.col, keyLine: k?.line, keyCol: k?.col });
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const child = joinPointer(pointer, name);
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
  const data = problems.some((p) => p.severity === 'error') ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { file, data, origins, problems };
}

function duplicateKeyName(text: string, offset: number): string {
  const m = /^[ \t]*["']?([^"':\n]+)/.exec(text.slice(offset));
  return m ? `"${m[1].trim()}" appears more than once in this mapping` : 'a key appears more than once';
}
