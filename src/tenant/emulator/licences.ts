// /subscribedSkus and /users/{id}/assignLicense: the SKUs the local tenant bought (tenant.local.licences), the
// licences on its accounts and Graph's refusals when assigning them. Units consumed are counted from the accounts
// themselves, so they can never drift from what is assigned.
import { createHash } from 'node:crypto';
import type { Ctx, EmuRequest, Route } from './context.js';
import { json } from './context.js';
import { badRequest } from './errors.js';
import type { EmulatorState, Props, SkuRecord } from './state.js';
import { readableUser, requireObject, userObject } from './views.js';
import { project } from './odata.js';

/** Service plans every synthetic SKU carries (names as Microsoft's education SKUs have them). */
const SERVICE_PLANS = ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD_EDU', 'TEAMS1', 'YAMMER_EDU'];

/** A GUID that is the same for the same name on every machine and every run. */
function stableGuid(name: string): string {
  const h = createHash('sha256').update(`rollcall-emulator:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** SKU part number → units bought: the tenant's SKUs with synthetic, stable skuIds and service plan ids. */
export function skusFrom(licences: Readonly<Record<string, number | undefined>>): SkuRecord[] {
  return Object.entries(licences).map(([skuPartNumber, units]) => ({
    skuId: stableGuid(`sku:${skuPartNumber}`),
    skuPartNumber,
    enabled: units ?? 0,
    // A service plan has one id whatever SKU it comes in, as in Graph.
    servicePlans: SERVICE_PLANS.map((servicePlanName) => ({ servicePlanId: stableGuid(`plan:${servicePlanName}`), servicePlanName })),
  }));
}

interface Assigned { skuId: string; disabledPlans: string[] }

const assignedOf = (u: { props: Props }): Assigned[] => (Array.isArray(u.props.assignedLicenses) ? (u.props.assignedLicenses as Assigned[]) : []);

/** Units assigned per skuId, over live accounts (a deleted account frees its licences). */
export function consumedUnits(state: EmulatorState): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of state.users.values()) {
    if (u.deletedAt !== undefined) continue;
    for (const l of assignedOf(u)) out.set(l.skuId, (out.get(l.skuId) ?? 0) + 1);
  }
  return out;
}

function listSkus(_req: EmuRequest, ctx: Ctx) {
  const consumed = consumedUnits(ctx.state);
  const value = ctx.state.skus.map((s) => ({
    accountId: ctx.state.tenantId, accountName: 'rollcall-local', appliesTo: 'User', capabilityStatus: 'Enabled',
    consumedUnits: consumed.get(s.skuId) ?? 0,
    id: `${ctx.state.tenantId}_${s.skuId}`,
    prepaidUnits: { enabled: s.enabled, suspended: 0, warning: 0, lockedOut: 0 },
    servicePlans: s.servicePlans.map((p) => ({ ...p, provisioningStatus: 'Success', appliesTo: 'User' })),
    skuId: s.skuId, skuPartNumber: s.skuPartNumber, subscriptionIds: [],
  }));
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#subscribedSkus`, value });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function guid(v: unknown, what: string): string {
  if (typeof v !== 'string' || !GUID.test(v)) throw badRequest(`Invalid value specified for property '${what}' of resource 'AssignedLicense'.`);
  return v.toLowerCase();
}

/**
 * Graph's rules, in Graph's words: both lists are required; a SKU the tenant does not have, an account without a
 * usage location, a SKU with no unit left and the removal of a licence the account lacks are each refused whole.
 */
function assignLicense(req: EmuRequest, ctx: Ctx, [id]: string[]) {
  const body = requireObject(req.body);
  if (!Array.isArray(body.addLicenses) || !Array.isArray(body.removeLicenses)) {
    throw badRequest("Invalid request body: both 'addLicenses' and 'removeLicenses' are required (either may be empty).");
  }
  // 404 while the account replicates, as Graph answers a licence call on an account it cannot see yet.
  const u = readableUser(ctx, id);
  const skus = new Map(ctx.state.skus.map((s) => [s.skuId.toLowerCase(), s]));
  const add = body.addLicenses.map((l): Assigned => {
    const item = (l ?? {}) as Props;
    const skuId = guid(item.skuId, 'skuId');
    const sku = skus.get(skuId);
    if (!sku) throw badRequest(`License ${skuId} does not correspond to a valid company License.`);
    const plans = new Set(sku.servicePlans.map((p) => p.servicePlanId.toLowerCase()));
    const disabledPlans = (Array.isArray(item.disabledPlans) ? item.disabledPlans : []).map((p) => guid(p, 'disabledPlans'));
    const stray = disabledPlans.find((p) => !plans.has(p));
    if (stray) throw badRequest(`Service plan ${stray} is not part of license ${skuId}.`);
    return { skuId: sku.skuId, disabledPlans };
  });
  const remove = body.removeLicenses.map((r) => guid(r, 'removeLicenses'));
  const have = assignedOf(u);
  const holds = (skuId: string) => have.some((l) => l.skuId.toLowerCase() === skuId.toLowerCase());
  if (add.length && !(typeof u.props.usageLocation === 'string' && u.props.usageLocation)) {
    throw badRequest('License assignment cannot be done for user with invalid usage location.');
  }
  const missing = remove.find((r) => !holds(r));
  if (missing) throw badRequest('User does not have a corresponding license.');
  const consumed = consumedUnits(ctx.state);
  for (const l of add) {
    if (holds(l.skuId)) continue; // a licence the account already has only changes its disabled plans
    const sku = skus.get(l.skuId.toLowerCase())!;
    if ((consumed.get(sku.skuId) ?? 0) >= sku.enabled) throw badRequest(`Subscription with SKU ${sku.skuId} does not have any available licenses.`);
  }
  const next = have.filter((l) => !remove.includes(l.skuId.toLowerCase()) && !add.some((a) => a.skuId === l.skuId));
  u.props.assignedLicenses = [...next, ...add];
  ctx.state.touch(u);
  return json(200, { '@odata.context': `${ctx.graphBase}/$metadata#users/$entity`, ...project(userObject(u), undefined, ['id', 'displayName', 'userPrincipalName', 'assignedLicenses']) });
}

export const licenceRoutes: Route[] = [
  { method: 'GET', pattern: 'subscribedSkus', handler: listSkus, service: 'directory', ru: 1 },
  { method: 'POST', pattern: 'users/{id}/assignLicense', handler: assignLicense, service: 'directory' },
];
