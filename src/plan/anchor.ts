import type { TenantUser } from '../tenant/types.js';

export type AnchorAttribute = 'employeeId' | `extensionAttribute${number}`;

/** The MIS anchor stored on an account (`bts:s1001`), wherever the school keeps it (users.anchor). */
export function storedAnchor(user: TenantUser, attribute: AnchorAttribute): string | undefined {
  const v = attribute === 'employeeId' ? user.employeeId : user.extensionAttributes?.[attribute];
  return v ? v : undefined;
}

/** The property (and value) that writes an anchor onto an account in a Graph request body. */
export function anchorPatch(attribute: AnchorAttribute, value: string | null): Record<string, unknown> {
  return attribute === 'employeeId' ? { employeeId: value } : { onPremisesExtensionAttributes: { [attribute]: value } };
}

/** Accounts rollcall manages for this school carry an anchor with the school's key. */
export function isManagedBy(user: TenantUser, attribute: AnchorAttribute, schoolKey: string): boolean {
  const anchor = storedAnchor(user, attribute);
  // `${schoolKey}:` without making that string: planning asks this of every account of a trust, several times.
  return anchor !== undefined && anchor.charCodeAt(schoolKey.length) === 58 && anchor.startsWith(schoolKey);
}
