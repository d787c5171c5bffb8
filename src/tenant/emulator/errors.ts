// Graph's error shapes and the exact messages rollcall's writer relies on (see shared/reference/graph.md).
// Handlers throw GraphError; the server turns it into Graph's JSON error body.

export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { details?: GraphErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const MSG = {
  upnConflict: 'Another object with the same value for property userPrincipalName already exists.',
  proxyConflict: 'Another object with the same value for property proxyAddresses already exists.',
  domainInvalid:
    'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
  passwordComplexity:
    'The specified password does not comply with password complexity requirements. Please provide a different password.',
  memberExists: (prop: string) =>
    `One or more added object references already exist for the following modified properties: '${prop}'.`,
  refMissing: 'The source resource object or one of the objects being referenced do not exist.',
  notFound: (id: string) =>
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  invalidValue: (prop: string, resource: string) => `Invalid value specified for property '${prop}' of resource '${resource}'.`,
  tooMany: 'Please retry again later.',
} as const;

export function badRequest(message: string, details?: GraphErrorDetail[]): GraphError {
  return new GraphError(400, 'Request_BadRequest', message, details ? { details } : {});
}

export function notFound(id: string): GraphError {
  return new GraphError(404, 'Request_ResourceNotFound', MSG.notFound(id));
}

export function conflict(prop: string, message: string): GraphError {
  return badRequest(message, [{ code: 'ObjectConflict', message, target: prop }]);
}

export function invalidValue(prop: string, resource: string): GraphError {
  return badRequest(MSG.invalidValue(prop, resource));
}

/** An OData-layer problem (bad segment, bad query option): Graph answers these with code BadRequest. */
export function odataError(message: string, status = 400): GraphError {
  return new GraphError(status, 'BadRequest', message);
}

export function unsupportedQuery(message: string): GraphError {
  return new GraphError(400, 'Request_UnsupportedQuery', message);
}

export function errorBody(err: GraphError, requestId: string, date: string): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.extra.details ? { details: err.extra.details } : {}),
      // A throttled answer's innerError also says what it is, as the throttling page's sample shows.
      innerError: { ...(err.code === 'TooManyRequests' ? { code: '429', message: 'Please retry after', status: '429' } : {}), date, 'request-id': requestId, 'client-request-id': requestId },
    },
  };
}
