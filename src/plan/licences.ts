// Licences assigned directly (users.*.licences), for tenants without group-based licensing: what each account
// rollcall manages should hold, against the accounts' assignedLicenses and the tenant's SKUs (/subscribedSkus).
import type { Config } from '../config/load.js';
import { assignsLicences, licencesOf } from '../policy/licences.js';
import { subjectOf, type Role } from '../policy/users.js';
import type { PersonId } from '../roster/types.js';
import type { Snapshot, TenantSku, TenantUser } from '../tenant/types.js';
import { isManagedBy, storedAnchor, type AnchorAttribute } from './anchor.js';
import { licenceChangeKey, personFromAnchor } from './keys.js';
import { removedMemberSubject } from './member-subject.js';
import type { Blocked, Change } from './types.js';
import type { UserPlan } from './users.js';

export interface LicencePlan {
  changes: Change[];
  blocked: Blocked[];
  warnings: string[];
}

/** A configured licence as Graph names it: the SKU's id and the ids of the plans switched off. */
interface Resolved {
  sku: TenantSku;
  disabledPlans: string[];
  disabledPlanIds: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/**
 * Assign on create (once the account exists and has its usage location), assign where a managed account lacks a
 * configured SKU, update where its disabled plans differ. Removal only from rollcall's own leavers whose accounts
 * are (or this plan makes them) suspended, only of SKUs the configuration lists, and not with `leavers.licences:
 * keep`; a deletion frees licences itself. Nothing is planned when the SKUs could not be read: the plan says why.
 */
export function planLicences(config: Config, snapshot: Snapshot, users: UserPlan): LicencePlan {
  const out: LicencePlan = { changes: [], blocked: [], warnings: [] };
  if (!assignsLicences(config)) return out;
  const read = snapshot.licences ?? { unread: 'not read' };
  if ('unread' in read) {
    const n = users.active.filter((p) => p.licences.length).length;
    out.warnings.push(`licences held: /subscribedSkus could not be read, so no licence is assigned or removed until it can; ${n} account${n === 1 ? '' : 's'} that should hold licences ${n === 1 ? 'is' : 'are'} created or kept without them meanwhile (${read.unread})`);
    return out;
  }

  const byPart = new Map(read.skus.map((s) => [s.skuPartNumber.toLowerCase(), s]));
  const tenantSkus = read.skus.map((s) => s.skuPartNumber).sort().join(', ') || 'none';
  const resolved = new Map<Role, Resolved[]>();
  for (const role of ['students', 'staff'] as const) {
    const rc = config.users[role];
    const list: Resolved[] = [];
    const wanted = rc?.enabled ? licencesOf(rc) : [];
    for (const l of wanted) {
      const sku = byPart.get(l.sku.toLowerCase());
      if (!sku) {
        out.blocked.push({ rule: `users.${role}.licences`, message: `SKU ${l.sku} is not one the tenant subscribes to (it has: ${tenantSkus})` });
        continue;
      }
      const plans = new Map(sku.servicePlans.map((p) => [p.servicePlanName.toLowerCase(), p]));
      const unknown = l.disabledPlans.filter((n) => !plans.has(n.toLowerCase()));
      if (unknown.length) {
        out.blocked.push({ rule: `users.${role}.licences`, message: `${sku.skuPartNumber} has no service plan ${unknown.join(', ')} (it has: ${sku.servicePlans.map((p) => p.servicePlanName).sort().join(', ')})` });
        continue;
      }
      const named = l.disabledPlans.map((n) => plans.get(n.toLowerCase())!);
      list.push({ sku, disabledPlans: named.map((p) => p.servicePlanName), disabledPlanIds: named.map((p) => p.servicePlanId) });
    }
    resolved.set(role, list);
  }

  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  const createdUpn = new Map(users.changes.filter((c) => c.kind === 'user' && c.action === 'create').map((c) => [c.key, String(c.after?.userPrincipalName ?? '')]));
  // Where this plan writes a usage location (create, or an update of the account), assignLicense comes after it.
  const locating = new Set(users.changes.filter((c) => c.after?.usageLocation).map((c) => c.target?.id ?? c.key));
  let unlocated = 0;
  for (const p of users.active) {
    const ref = users.accountOf.get(p.person.id);
    const want = resolved.get(p.role) ?? [];
    if (!ref || !want.length) continue;
    const u = ref.id ? byId.get(ref.id) : undefined;
    if (ref.id && (!u || !u.assignedLicenses)) continue; // not read: unknown, so nothing is planned
    if (u && !u.usageLocation && !locating.has(u.id)) { unlocated++; continue; }
    const subject = subjectOf(p.person, u?.userPrincipalName ?? createdUpn.get(ref.createdBy ?? ''));
    const held = new Map((u?.assignedLicenses ?? []).map((l) => [l.skuId.toLowerCase(), l]));
    for (const r of want) {
      const have = held.get(r.sku.skuId.toLowerCase());
      const after = { sku: r.sku.skuPartNumber, skuId: r.sku.skuId, disabledPlans: r.disabledPlans, disabledPlanIds: r.disabledPlanIds };
      const key = licenceChangeKey(p.person.id, r.sku.skuPartNumber);
      if (!have) {
        out.changes.push({
          action: 'assign', kind: 'licence', key, destructive: false,
          reason: ref.createdBy ? `licence for a new account (users.${p.role}.licences)` : `in scope for ${r.sku.skuPartNumber} (users.${p.role}.licences)`,
          subject, target: ref, after,
        });
      } else if (!sameSet(have.disabledPlans, r.disabledPlanIds)) {
        const names = new Map(r.sku.servicePlans.map((sp) => [sp.servicePlanId.toLowerCase(), sp.servicePlanName]));
        out.changes.push({
          action: 'update', kind: 'licence', key, destructive: false,
          reason: `the service plans switched off differ from users.${p.role}.licences`,
          subject, target: ref, before: { sku: r.sku.skuPartNumber, disabledPlans: have.disabledPlans.map((id) => names.get(id.toLowerCase()) ?? id) }, after,
        });
      }
    }
  }
  if (unlocated) out.warnings.push(`${unlocated} account${unlocated === 1 ? ' has' : 's have'} no usageLocation, which Graph needs before a licence: their licences wait until the account has one`);

  if (config.users.mode === 'create' && config.users.leavers.licences === 'remove') out.changes.push(...leaverRemovals(config, snapshot, users, resolved));
  return out;
}

/**
 * rollcall's own leavers: managed accounts no one in scope holds, that this plan suspends or that are suspended
 * already (and not deleted by this plan: a deletion frees its licences). Only the SKUs their role's config lists.
 */
function leaverRemovals(config: Config, snapshot: Snapshot, users: UserPlan, resolved: Map<Role, Resolved[]>): Change[] {
  const attribute: AnchorAttribute = config.users.anchor;
  const key = config.school.key;
  const activeIds = new Set([...users.accountOf.values()].flatMap((r) => (r.id ? [r.id] : [])));
  const userChange = new Map(users.changes.filter((c) => c.kind === 'user' && c.target?.id).map((c) => [c.target!.id!, c]));
  const out: Change[] = [];
  for (let i = 0; i < snapshot.users.length; i++) {
    const u = snapshot.users[i];
    // Untouchable accounts by position, as planUsers marked them (no address lower-cased again).
    if (!u.assignedLicenses?.length || !isManagedBy(u, attribute, key) || users.untouchableAt[i] === 1) continue;
    const change = userChange.get(u.id);
    const suspended = change ? change.action === 'suspend' : !u.accountEnabled && !activeIds.has(u.id);
    if (!suspended) continue;
    const person = personFromAnchor(storedAnchor(u, attribute)!);
    if (!person) continue;
    const role: Role = person.startsWith('student:') ? 'students' : 'staff';
    const listed = new Map((resolved.get(role) ?? []).map((r) => [r.sku.skuId.toLowerCase(), r.sku]));
    for (const l of u.assignedLicenses) {
      const sku = listed.get(l.skuId.toLowerCase());
      if (!sku) continue; // a SKU the config does not list is never rollcall's to remove
      out.push({
        action: 'unassign', kind: 'licence', key: licenceChangeKey(person, sku.skuPartNumber), destructive: true,
        reason: change ? `${change.reason}: the suspended account frees its licence (users.leavers.licences)` : 'suspended leaver: the account frees its licence (users.leavers.licences)',
        subject: leaverSubject(u, attribute, person), target: { id: u.id }, before: { sku: sku.skuPartNumber, skuId: sku.skuId },
      });
    }
  }
  return out;
}

function leaverSubject(u: TenantUser, attribute: AnchorAttribute, person: PersonId) {
  return removedMemberSubject(u, attribute, u.userPrincipalName, person);
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The units the changes need per SKU against what is free (`prepaidUnits.enabled - consumedUnits`), less what they
 * free themselves. Counted on the changes as they will be applied (a selection's alone), so a starter is not blocked
 * by a trust's first sync. Too few blocks the plan with the figures; no approval makes units that are not there.
 */
export function licenceUnits(changes: readonly Change[], snapshot: Snapshot): Blocked[] {
  const read = snapshot.licences;
  if (!read || 'unread' in read) return [];
  const need = new Map<string, { assigned: number; freed: number }>();
  for (const c of changes) {
    if (c.kind !== 'licence' || (c.action !== 'assign' && c.action !== 'unassign')) continue;
    const skuId = String((c.action === 'assign' ? c.after : c.before)?.skuId ?? '').toLowerCase();
    const n = need.get(skuId) ?? { assigned: 0, freed: 0 };
    if (c.action === 'assign') n.assigned++;
    else n.freed++;
    need.set(skuId, n);
  }
  const blocked: Blocked[] = [];
  for (const sku of [...read.skus].sort((a, b) => (a.skuPartNumber < b.skuPartNumber ? -1 : 1))) {
    const n = need.get(sku.skuId.toLowerCase());
    if (!n || !n.assigned) continue;
    const needs = n.assigned - n.freed;
    const available = sku.enabled - sku.consumed;
    if (needs <= available) continue;
    blocked.push({
      rule: 'users.licences',
      message: `${sku.skuPartNumber}: needs ${thousands(needs)}${n.freed ? ` (${thousands(n.assigned)} assigned, ${thousands(n.freed)} freed)` : ''}, available ${thousands(available)} (${thousands(sku.enabled)} enabled, ${thousands(sku.consumed)} consumed): buy more, or narrow the scope`,
      count: needs, total: available,
    });
  }
  return blocked;
}
