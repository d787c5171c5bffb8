// The identity platform's side, enough for @azure/identity / MSAL with `authorityHost` pointing here and
// `disableInstanceDiscovery`: OpenID configuration, instance discovery, and a client-credentials token endpoint.
// Tokens are HS256 JWTs signed with a per-run key, so with checkTokens only tokens this emulator issued pass.
// Their `roles` claim holds the application permissions granted (EmulatorOptions.permissions), as Entra's do.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmuResponse } from './context.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export class TokenIssuer {
  private key = randomBytes(32);
  constructor(private url: () => string, private tenantId: () => string, private granted: () => readonly string[]) {}

  issue(appId: string, tenant: string, lifetimeS = 3600, roles: readonly string[] = this.granted()): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenant}/`,
      iat: now,
      nbf: now,
      exp: now + lifetimeS,
      appid: appId,
      azp: appId,
      tid: tenant,
      oid: appId,
      roles: [...roles],
      uti: randomUUID(),
      ver: '1.0',
    };
    const head = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64(payload)}`;
    return `${head}.${createHmac('sha256', this.key).update(head).digest('base64url')}`;
  }

  /** The app id and roles of a valid token this emulator issued, or an error message Graph would give. */
  verify(authorization: string | undefined): { appId: string; roles: string[] } | { error: string } {
    if (!authorization || !/^Bearer\s+\S/i.test(authorization)) return { error: 'Access token is empty.' };
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const parts = token.split('.');
    if (parts.length !== 3) return { error: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    const sig = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== sig.length || !timingSafeEqual(given, sig)) return { error: 'Access token validation failure. Invalid audience.' };
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp: number; appid: string; roles?: unknown };
    if (payload.exp * 1000 < Date.now()) return { error: 'Lifetime validation failed, the token is expired.' };
    return { appId: payload.appid, roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [] };
  }

  /**
   * The permissions a request carries when tokens are not checked: those of a token this emulator issued, else
   * (any other bearer string, as tests send) the emulator's grant. A forged token never gets more than that.
   */
  rolesWithoutChecking(authorization: string | undefined): readonly string[] {
    const v = this.verify(authorization);
    return 'error' in v ? this.granted() : v.roles;
  }

  /** Reads a token's app id without verifying it (throttling is per app even when tokens are not checked). */
  static peekAppId(authorization: string | undefined): string {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim() ?? '';
    const parts = token.split('.');
    if (parts.length === 3) {
      try {
        const p = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { appid?: string; azp?: string };
        return p.appid ?? p.azp ?? 'default';
      } catch {
        /* not a JWT: fall through */
      }
    }
    return 'default';
  }

  openIdConfiguration(tenant: string): unknown {
    const base = `${this.url()}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.url()}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${this.url()}/${tenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.url()}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  /**
   * Handles the identity endpoints; undefined when the path is not one of them.
   * Paths: /{tenant}/v2.0/.well-known/openid-configuration, /common/discovery/instance,
   * /{tenant}/oauth2/v2.0/token, /{tenant}/discovery/v2.0/keys.
   */
  handle(method: string, path: string, query: URLSearchParams, rawBody: string): EmuResponse | undefined {
    const seg = path.split('/').filter(Boolean);
    if (method === 'GET' && seg.length === 4 && seg[1] === 'v2.0' && seg[2] === '.well-known' && seg[3] === 'openid-configuration') {
      return { status: 200, body: this.openIdConfiguration(seg[0]) };
    }
    if (method === 'GET' && seg.length === 3 && seg[1] === 'discovery' && seg[2] === 'instance') {
      const host = new URL(this.url()).host;
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${this.url()}/${seg[0]}/v2.0/.well-known/openid-configuration`,
          'api-version': query.get('api-version') ?? '1.1',
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        },
      };
    }
    if (method === 'GET' && seg.length === 4 && seg[1] === 'discovery' && seg[2] === 'v2.0' && seg[3] === 'keys') {
      return { status: 200, body: { keys: [] } };
    }
    if (method === 'POST' && seg.length === 4 && seg[1] === 'oauth2' && seg[2] === 'v2.0' && seg[3] === 'token') {
      return this.token(seg[0], new URLSearchParams(rawBody));
    }
    return undefined;
  }

  private token(tenant: string, form: URLSearchParams): EmuResponse {
    const fail = (error: string, code: string, description: string, status = 400): EmuResponse => ({
      status,
      body: { error, error_description: `${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`, error_codes: [Number(code.slice(5))], timestamp: new Date().toISOString() },
    });
    if (form.get('grant_type') !== 'client_credentials') return fail('unsupported_grant_type', 'AADSTS70003', 'The app requested an unsupported grant type.');
    const clientId = form.get('client_id');
    if (!clientId) return fail('invalid_request', 'AADSTS900144', "The request body must contain the following parameter: 'client_id'.");
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (!secret && !assertion) return fail('invalid_client', 'AADSTS7000218', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 401);
    if (assertion && form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return fail('invalid_request', 'AADSTS50027', 'Invalid client_assertion_type.');
    }
    const t = tenant === 'common' || tenant === 'organizations' ? this.tenantId() : tenant;
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.issue(clientId, t) } };
  }
}
