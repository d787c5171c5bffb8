// Generates src/tenant/emulator/csdl-subset.json from Microsoft's Graph v1.0 metadata.
// The emulator validates request bodies against it (unknown or wrongly typed property → 400), so the subset
// must keep every property of the types rollcall writes, their base types and the complex/enum types they use.
// The CSDL (3.4 MB) lives outside the repository (../shared/reference/graph/v1.0-Prod.csdl); the output is
// committed so builds and tests never need it. Run: node scripts/gen-csdl-subset.mjs [--check] [csdl-path]
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const csdlPath = args.find((a) => !a.startsWith('--')) ?? path.resolve(root, '../shared/reference/graph/v1.0-Prod.csdl');
const outPath = path.join(root, 'src/tenant/emulator/csdl-subset.json');

// Types whose bodies rollcall sends or whose shape the emulator returns; their closure is added below.
const ROOTS = [
  'user', 'group', 'educationClass', 'educationUser', 'event', 'team', 'teamsAsyncOperation', 'message',
  'passwordProfile', 'onPremisesExtensionAttributes', 'itemBody', 'dateTimeTimeZone', 'location',
  'singleValueLegacyExtendedProperty', 'multiValueLegacyExtendedProperty', 'domain', 'directoryObject',
  'teamMemberSettings', 'teamGuestSettings', 'teamMessagingSettings', 'teamFunSettings',
  // Inline on create: a message's file attachments (sendMail), a team's first channels and apps (POST /teams).
  'attachment', 'fileAttachment', 'channel', 'teamsAppInstallation',
];

const xml = await readFile(csdlPath, 'utf8');
// Only the main namespace: sub-namespaces (security, identityGovernance…) reuse names such as "user".
const start = xml.indexOf('<Schema Namespace="microsoft.graph"');
const end = xml.indexOf('<Schema Namespace=', start + 10);
const schema = xml.slice(start, end === -1 ? undefined : end);

const attr = (tag, name) => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? m[1] : undefined;
};
const local = (t) => t.replace(/^(graph|microsoft\.graph)\./, '');
const parseType = (raw) => {
  const m = /^Collection\((.*)\)$/.exec(raw);
  return { type: local(m ? m[1] : raw), collection: Boolean(m) };
};

const all = new Map();
const enums = new Map();
for (const m of schema.matchAll(/<EnumType Name="([^"]+)"[^>]*>([\s\S]*?)<\/EnumType>/g)) {
  enums.set(m[1], [...m[2].matchAll(/<Member Name="([^"]+)"/g)].map((x) => x[1]));
}
for (const m of schema.matchAll(/<(EntityType|ComplexType) (Name="[^"]+"[^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
  const head = m[2];
  const body = m[4] ?? '';
  const name = attr(head, 'Name');
  const base = attr(head, 'BaseType');
  const properties = {};
  for (const p of body.matchAll(/<Property ([^>]*?)\/?>/g)) {
    const t = parseType(attr(p[1], 'Type'));
    properties[attr(p[1], 'Name')] = { ...t, ...(attr(p[1], 'Nullable') === 'false' ? { nullable: false } : {}) };
  }
  const navigation = {};
  for (const p of body.matchAll(/<NavigationProperty ([^>]*?)\/?>/g)) {
    navigation[attr(p[1], 'Name')] = parseType(attr(p[1], 'Type'));
  }
  all.set(name, {
    kind: m[1] === 'EntityType' ? 'entity' : 'complex',
    ...(base ? { base: local(base) } : {}),
    ...(attr(head, 'Abstract') === 'true' ? { abstract: true } : {}),
    ...(attr(head, 'OpenType') === 'true' ? { open: true } : {}),
    properties,
    navigation,
  });
}

const types = {};
const usedEnums = {};
const queue = [...ROOTS];
while (queue.length) {
  const name = queue.shift();
  if (types[name] || !all.has(name)) continue;
  const t = all.get(name);
  types[name] = t;
  if (t.base) queue.push(t.base);
  for (const p of Object.values(t.properties)) {
    if (all.has(p.type)) queue.push(p.type);
    else if (enums.has(p.type)) usedEnums[p.type] = enums.get(p.type);
  }
  // Derived complex types can appear in place of their base (e.g. physicalAddress subtypes); include them.
  if (t.kind === 'complex') for (const [n, o] of all) if (o.base === name) queue.push(n);
}
for (const r of ROOTS) if (!types[r]) throw new Error(`root type ${r} not found in ${csdlPath}`);

const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const out = JSON.stringify({ source: 'v1.0-Prod.csdl (microsoft.graph namespace)', roots: ROOTS, types: sorted(types), enums: sorted(usedEnums) }) + '\n';
if (check) {
  const current = await readFile(outPath, 'utf8').catch(() => '');
  if (current !== out) {
    console.error(`${path.relative(root, outPath)} is out of date; run node scripts/gen-csdl-subset.mjs`);
    process.exit(1);
  }
} else {
  await writeFile(outPath, out);
  console.log(`wrote ${path.relative(root, outPath)}: ${Object.keys(types).length} types, ${Object.keys(usedEnums).length} enums, ${out.length} bytes`);
}
