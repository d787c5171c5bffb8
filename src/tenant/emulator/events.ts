// Calendar events in users' mailboxes, with single-value extended properties (not echoed; $expand and
// $filter .../Any(ep: ...) find them), transactionId idempotency, calendarView, and sendMail's outbox.
import { randomBytes } from 'node:crypto';
import type { Ctx, EmuRequest, Route } from './context.js';
import { json } from './context.js';
import { GraphError, odataError } from './errors.js';
import { evaluate, paginate, parseFilter, parseQuery, project, type Expr } from './odata.js';
import type { EventRecord, Props, UserRecord } from './state.js';
import { validateBody } from './validate.js';
import { checkSelect, requireObject } from './views.js';

const EXT = 'singleValueExtendedProperties';

const itemNotFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

function mailbox(ctx: Ctx, idOrUpn: string): UserRecord {
  const u = ctx.state.liveUser(idOrUpn);
  if (!u) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
  return u;
}

/** Outlook ids are long base64url strings; immutable ids (Prefer: IdType="ImmutableId") look alike. */
const newId = () => `AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${randomBytes(24).toString('base64url')}AAA=`;

/** Outlook's zero time: what an organiser's own responseStatus and a new attendee's status carry. */
const NEVER = '0001-01-01T00:00:00Z';

/** A place as Outlook returns it: typed, and (when named) with the name as its private unique id. */
function place(p: Props | undefined, uniqueIdType: 'private' | 'unknown'): Props {
  const name = typeof p?.displayName === 'string' ? p.displayName : '';
  return { displayName: name, locationType: 'default', ...(name && uniqueIdType === 'private' ? { uniqueId: name } : {}), uniqueIdType: name ? uniqueIdType : 'unknown', ...p };
}

/**
 * An event as Graph returns it: the stored properties over the defaults Outlook gives every event it creates
 * (isDraft, responseRequested, webLink, responseStatus, onlineMeeting…), with locations, attendees and recurrence
 * filled in as Outlook fills them.
 */
function eventObject(e: EventRecord, owner: UserRecord): Record<string, unknown> {
  const created = new Date(e.createdAt || Date.UTC(2024, 0, 1)).toISOString();
  const changeKey = Buffer.from(String(e.props.lastModifiedDateTime ?? created)).toString('base64').slice(0, 24);
  const p = e.props;
  const recurrence = p.recurrence as Props | null | undefined;
  const startZone = (p.start as Props | undefined)?.timeZone ?? 'UTC';
  const location = p.location as Props | undefined;
  return {
    '@odata.etag': `W/"${changeKey}"`,
    id: e.id,
    createdDateTime: created,
    lastModifiedDateTime: created,
    changeKey,
    categories: [],
    transactionId: null,
    originalStartTimeZone: startZone,
    originalEndTimeZone: (p.end as Props | undefined)?.timeZone ?? 'UTC',
    iCalUId: `040000008200E00074C5B7101A82E008${e.id.slice(-32)}`,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    hideAttendees: false,
    subject: null,
    bodyPreview: String((p.body as Props | undefined)?.content ?? '').slice(0, 255),
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isDraft: false,
    isOrganizer: true,
    responseRequested: true,
    seriesMasterId: null,
    showAs: 'busy',
    type: recurrence ? 'seriesMaster' : 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(e.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    responseStatus: { response: 'organizer', time: NEVER },
    body: { contentType: 'text', content: '' },
    start: null,
    end: null,
    recurrence: null,
    attendees: [],
    organizer: { emailAddress: { name: owner.props.displayName ?? null, address: owner.props.userPrincipalName ?? null } },
    onlineMeeting: null,
    ...p,
    location: place(location, 'private'),
    locations: Array.isArray(p.locations) ? (p.locations as Props[]).map((l) => place(l, 'unknown')) : location?.displayName ? [place({ displayName: location.displayName }, 'unknown')] : [],
    ...(Array.isArray(p.attendees) ? { attendees: (p.attendees as Props[]).map((a) => ({ type: 'required', status: { response: 'none', time: NEVER }, ...a })) } : {}),
    ...(recurrence
      ? {
          recurrence: {
            pattern: { month: 0, dayOfMonth: 0, firstDayOfWeek: 'sunday', index: 'first', ...(recurrence.pattern as Props) },
            range: { recurrenceTimeZone: startZone, numberOfOccurrences: 0, ...(recurrence.range as Props) },
          },
        }
      : {}),
  };
}

/** `singleValueExtendedProperties($filter=id eq '…')` → the inner filter (or all when there is none). */
function expandFilter(expand: string | undefined): { on: boolean; filter?: Expr } {
  if (!expand) return { on: false };
  const m = /^\s*singleValueExtendedProperties\s*(?:\(\s*\$filter\s*=\s*([\s\S]*)\))?\s*$/i.exec(expand);
  if (!m) throw odataError(`Parsing OData Select and Expand failed: Could not find a property named '${expand.split('(')[0]}' on type 'microsoft.graph.event'.`);
  return { on: true, filter: m[1] ? parseFilter(m[1]) : undefined };
}

function render(e: EventRecord, owner: UserRecord, select: string[] | undefined, exp: { on: boolean; filter?: Expr }): Record<string, unknown> {
  const obj = eventObject(e, owner);
  const out = select ? { '@odata.etag': obj['@odata.etag'], id: e.id, ...project(obj, select, []) } : obj;
  if (exp.on) out[EXT] = e.ext.filter((x) => !exp.filter || evaluate(exp.filter, x));
  return out;
}

function userEvents(ctx: Ctx, u: UserRecord): EventRecord[] {
  return [...ctx.state.events.values()].filter((e) => e.userId === u.id);
}

function storeEventProps(e: EventRecord, body: Props, now: number): void {
  for (const [k, v] of Object.entries(body)) {
    if (k === EXT) {
      for (const p of v as { id: string; value: string }[]) {
        const i = e.ext.findIndex((x) => x.id.toLowerCase() === p.id.toLowerCase());
        if (i >= 0) e.ext[i] = { id: p.id, value: p.value };
        else e.ext.push({ id: p.id, value: p.value });
      }
    } else if (!k.includes('@')) e.props[k] = v;
  }
  e.props.lastModifiedDateTime = new Date(now).toISOString();
}

function checkEvent(body: Props): void {
  validateBody('event', body, [EXT]);
  for (const p of (body[EXT] as Props[] | undefined) ?? []) {
    if (typeof p.id !== 'string' || !/^(String|Integer|Boolean|SystemTime|Binary|Guid|Double|Currency|Short|Long)\s/i.test(p.id)) {
      throw new GraphError(400, 'ErrorInvalidProperty', `The property id '${String(p.id)}' is not a valid extended property id.`);
    }
  }
  for (const k of ['start', 'end'] as const) {
    const v = body[k] as Props | undefined;
    if (v && (typeof v.dateTime !== 'string' || Number.isNaN(Date.parse(v.dateTime)))) throw new GraphError(400, 'ErrorInvalidRequest', `Invalid '${k}' time.`);
  }
}

function createEvent(req: EmuRequest, ctx: Ctx, [userId]: string[]) {
  const u = mailbox(ctx, userId);
  const body = requireObject(req.body);
  checkEvent(body);
  // A retried POST with the same transactionId gets the event the first one made, not a second one.
  if (typeof body.transactionId === 'string') {
    const existing = ctx.state.eventByTransaction(u.id, body.transactionId);
    if (existing) return json(201, render(existing, u, undefined, { on: false }));
  }
  const now = ctx.now();
  const e: EventRecord = { id: newId(), userId: u.id, createdAt: now, props: {}, ext: [] };
  storeEventProps(e, body, now);
  ctx.state.events.set(e.id, e);
  ctx.state.indexEvent(e);
  ctx.state.onChange();
  return json(201, { '@odata.context': `${ctx.graphBase}/$metadata#users('${u.id}')/events/$entity`, ...render(e, u, undefined, { on: false }) });
}

function listEvents(req: EmuRequest, ctx: Ctx, [userId]: string[], view?: { from: number; to: number }) {
  const u = mailbox(ctx, userId);
  const q = parseQuery(req.params);
  checkSelect('event', q.select);
  const exp = expandFilter(q.expand);
  let items = userEvents(ctx, u);
  if (view) {
    // dateTime values are compared as UTC; rollcall writes events in one zone per tenant.
    const t = (v: unknown) => utc(String((v as Props | undefined)?.dateTime ?? ''));
    items = items.filter((e) => t(e.props.start) < view.to && t(e.props.end) > view.from);
  }
  if (q.filter) items = items.filter((e) => evaluate(q.filter!, { ...eventObject(e, u), [EXT]: e.ext }));
  items.sort((a, b) => String((a.props.start as Props | undefined)?.dateTime ?? '').localeCompare(String((b.props.start as Props | undefined)?.dateTime ?? '')) || a.id.localeCompare(b.id));
  const path = view ? `users/${userId}/calendarView` : `users/${userId}/events`;
  const { page, nextLink } = paginate(items, q, `${ctx.graphBase}/${path}`, 10, 1000);
  return json(200, {
    '@odata.context': `${ctx.graphBase}/$metadata#users('${u.id}')/events`,
    ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    value: page.map((e) => render(e, u, q.select, exp)),
  });
}

/** An ISO date-time read as UTC when it carries no zone (Outlook's dateTime strings never do). */
export function utc(v: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(v) ? v : `${v}Z`);
}

function calendarView(req: EmuRequest, ctx: Ctx, ids: string[]) {
  const from = utc(req.params.get('startDateTime') ?? req.params.get('StartDateTime') ?? '');
  const to = utc(req.params.get('endDateTime') ?? req.params.get('EndDateTime') ?? '');
  if (Number.isNaN(from) || Number.isNaN(to)) {
    throw new GraphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const params = new URLSearchParams(req.params);
  return listEvents({ ...req, params }, ctx, ids, { from, to });
}

function findEvent(ctx: Ctx, u: UserRecord, id: string): EventRecord {
  const e = ctx.state.events.get(id);
  if (!e || e.userId !== u.id) throw itemNotFound();
  return e;
}

function getEvent(req: EmuRequest, ctx: Ctx, [userId, id]: string[]) {
  const u = mailbox(ctx, userId);
  const q = parseQuery(req.params);
  checkSelect('event', q.select);
  return json(200, render(findEvent(ctx, u, id), u, q.select, expandFilter(q.expand)));
}

function patchEvent(req: EmuRequest, ctx: Ctx, [userId, id]: string[]) {
  const u = mailbox(ctx, userId);
  const body = requireObject(req.body);
  checkEvent(body);
  const e = findEvent(ctx, u, id);
  storeEventProps(e, body, ctx.now());
  ctx.state.indexEvent(e);
  ctx.state.onChange();
  return json(200, render(e, u, undefined, { on: false }));
}

function deleteEvent(_req: EmuRequest, ctx: Ctx, [userId, id]: string[]) {
  const u = mailbox(ctx, userId);
  findEvent(ctx, u, id);
  ctx.state.events.delete(id);
  ctx.state.onChange();
  return json(204);
}

/**
 * An Edm.Boolean action parameter as Graph reads it: true/false, or the strings "true"/"false" (the sendMail page
 * sends `"saveToSentItems": "false"`, and Graph does not save the copy); absent or null is the default.
 */
function actionBoolean(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw odataError(`Cannot convert the literal '${String(v)}' to the expected type 'Edm.Boolean'.`);
}

function sendMail(req: EmuRequest, ctx: Ctx, [userId]: string[]) {
  const u = mailbox(ctx, userId);
  const body = requireObject(req.body);
  const { message, saveToSentItems, ...rest } = body;
  for (const k of Object.keys(rest)) throw odataError(`The parameter '${k}' in the request payload is not a valid parameter for the operation 'sendMail'.`);
  if (!message || typeof message !== 'object') throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  // File attachments come inline with the message (a deep insert), as the sendMail page shows.
  validateBody('message', message, ['attachments']);
  const m = message as Props;
  const recipients = ['toRecipients', 'ccRecipients', 'bccRecipients'].flatMap((k) => (m[k] as unknown[] | undefined) ?? []);
  if (!recipients.length) throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  ctx.state.outbox.push({ from: String(u.props.userPrincipalName), message: m, saveToSentItems: actionBoolean(saveToSentItems, true), sentAt: new Date(ctx.now()).toISOString() });
  ctx.state.onChange();
  return json(202);
}

export const eventRoutes: Route[] = [
  { method: 'POST', pattern: 'users/{id}/events', handler: createEvent, service: 'outlook' },
  { method: 'GET', pattern: 'users/{id}/events', handler: (r, c, i) => listEvents(r, c, i), service: 'outlook' },
  { method: 'POST', pattern: 'users/{id}/calendar/events', handler: createEvent, service: 'outlook' },
  { method: 'GET', pattern: 'users/{id}/calendar/events', handler: (r, c, i) => listEvents(r, c, i), service: 'outlook' },
  { method: 'GET', pattern: 'users/{id}/calendarView', handler: calendarView, service: 'outlook' },
  { method: 'GET', pattern: 'users/{id}/events/{id}', handler: getEvent, service: 'outlook' },
  { method: 'PATCH', pattern: 'users/{id}/events/{id}', handler: patchEvent, service: 'outlook' },
  { method: 'DELETE', pattern: 'users/{id}/events/{id}', handler: deleteEvent, service: 'outlook' },
  { method: 'POST', pattern: 'users/{id}/sendMail', handler: sendMail, service: 'outlook' },
];
