// Graph's answers read at the border: each object rollcall reads is checked against a small schema of the fields
// it uses, so a wrong-typed field fails the read naming the field ("reading users (page 3): value[17].id:
// expected a string, not a number") instead of turning into "17" or "[object Object]" and planning changes from
// it. Fields Graph may leave out or send as null are nullish; unknown fields pass through untouched.
import { z } from 'zod';
import type { TenantError } from '../../errors.js';
import { tenantError } from './errors.js';

/** A string property Graph may leave out or answer null. */
const text = z.string().nullish();
const flag = z.boolean().nullish();
const ref = z.looseObject({ id: z.string() });

export const UserAnswer = z.looseObject({
  id: z.string(),
  userPrincipalName: z.string(),
  displayName: text, givenName: text, surname: text, mail: text, accountEnabled: flag,
  employeeId: text, employeeType: text, employeeLeaveDateTime: text, usageLocation: text,
  onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).nullish(),
  // Only in $select when the config assigns licences; a licence without its SKU cannot be compared, so it fails the read.
  assignedLicenses: z.array(z.looseObject({ skuId: z.string(), disabledPlans: z.array(z.string()).nullish() })).nullish(),
});

/** /subscribedSkus: what the tenant bought (prepaidUnits.enabled), what is assigned (consumedUnits), the service plans. */
export const SubscribedSkuAnswer = z.looseObject({
  skuId: z.string(),
  skuPartNumber: z.string(),
  consumedUnits: z.number(),
  prepaidUnits: z.looseObject({ enabled: z.number() }),
  servicePlans: z.array(z.looseObject({ servicePlanId: z.string(), servicePlanName: z.string() })).nullish(),
});

/** One entry of /groups/delta: a big group comes back several times with more members; a removed one with only its id. */
export const GroupDeltaAnswer = z.looseObject({
  id: z.string(),
  displayName: text, mailNickname: text, mail: text, description: text,
  groupTypes: z.array(z.string()).nullish(), securityEnabled: flag, mailEnabled: flag,
  'members@delta': z.array(ref).nullish(),
  'owners@delta': z.array(ref).nullish(),
});

export const ClassAnswer = z.looseObject({ id: z.string(), displayName: text, mailNickname: text, externalId: text });

/** /education/users: the role and the student and teacher data (each null on a user nobody gave them). */
export const EducationUserAnswer = z.looseObject({
  id: z.string(),
  primaryRole: text,
  student: z.looseObject({ externalId: text, studentNumber: text, grade: text, graduationYear: text }).nullish(),
  teacher: z.looseObject({ externalId: text, teacherNumber: text }).nullish(),
  // Only in the answer when $select names it (guardians on); Graph answers [] for a student with none.
  relatedContacts: z.array(z.looseObject({ displayName: text, emailAddress: text, mobilePhone: text, relationship: text, accessConsent: flag })).nullish(),
});

export const TeamAnswer = z.looseObject({ id: z.string(), isArchived: flag });

/** A page's links (its value array is checked first, with its own message, then item by item). */
export const PageLinks = z.looseObject({ '@odata.nextLink': text, '@odata.deltaLink': text });

/** An owner, a created object, a row found by $filter: all rollcall needs of them is the id. */
export const IdAnswer = ref;
/** A page of rows found by $filter. */
export const IdPage = z.looseObject({ value: z.array(ref) });

const time = z.looseObject({ dateTime: z.string(), timeZone: z.string() });
export const EventAnswer = z.looseObject({
  id: z.string(),
  subject: text,
  start: time.nullish(),
  end: time.nullish(),
  location: z.looseObject({ displayName: text }).nullish(),
  isReminderOn: flag,
  reminderMinutesBeforeStart: z.number().nullish(),
  singleValueExtendedProperties: z.array(z.looseObject({ id: z.string(), value: text })).nullish(),
});

/** An existing account read back to compare its anchor (a create that met a userPrincipalName conflict). */
export const AnchorAnswer = z.looseObject({
  id: z.string(),
  employeeId: text,
  onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).nullish(),
});

/** teamsAsyncOperation, polled after a 202. */
export const TeamsOperationAnswer = z.looseObject({
  status: z.string(),
  error: z.looseObject({ code: text, message: text }).nullish(),
});

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const kindOf = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v);

/** "value[17].id" from ['value', 17, 'id'], prefixed by where the object sat in its page. */
function pathText(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'the answer';
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/**
 * What is wrong with `value` as a `schema` answer (e.g. "value[17].id: expected a string, not a number"), or
 * undefined when nothing is. Only types are named, never the values: they may be personal data.
 */
export function answerProblem(schema: z.ZodType, value: unknown, where = ''): string | undefined {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  const field = pathText(where, issue.path);
  if (issue.code === 'invalid_type') {
    const got = at(value, issue.path);
    return `${field}: ${got === undefined ? `missing (expected ${article(issue.expected)})` : `expected ${article(issue.expected)}, not ${got === null ? 'null' : article(kindOf(got))}`}`;
  }
  return `${field}: ${issue.message}`;
}

/** `value` as a `schema` answer, or what is wrong with it: for the writer, which reports a failed change instead of throwing. */
export function checkAnswer<S extends z.ZodType>(schema: S, value: unknown, where = ''): { value: z.infer<S>; problem?: undefined } | { value?: undefined; problem: string } {
  const problem = answerProblem(schema, value, where);
  return problem === undefined ? { value: value as z.infer<S> } : { problem };
}

/** `value` as a `schema` answer, or a TenantError for `what` naming the field that is wrong. */
export function readAnswer<S extends z.ZodType>(schema: S, value: unknown, what: string, where = ''): z.infer<S> {
  const problem = answerProblem(schema, value, where);
  if (problem !== undefined) throw malformed(what, problem);
  return value as z.infer<S>;
}

export function malformed(what: string, problem: string): TenantError {
  return tenantError(what, { status: 200, code: 'MalformedAnswer', message: problem });
}
