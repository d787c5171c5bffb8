// Builds the @azure/identity credential for `tenant.graph.auth`. Secrets are resolved here, when rollcall is
// about to authenticate, never when the config is loaded.
import { Agent as HttpsAgent } from 'node:https';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import {
  ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential,
  type TokenCredential, type TokenCredentialOptions,
} from '@azure/identity';
import { ConfigError } from '../../errors.js';
import { endpointProblem, MICROSOFT_AUTHORITY_HOSTS } from '../../config/endpoints.js';
import { resolveSecret, type SecretRef } from '../../config/secrets.js';

export interface GraphAuthConfig {
  tenantId: string;
  clientId: string;
  auth: 'github-oidc' | 'client-secret' | 'certificate' | 'azure-default';
  clientSecret?: SecretRef;
  certificatePath?: string;
  certificatePassword?: SecretRef;
  authorityHost?: string;
  /** tenant.graph.allowCustomEndpoints: an authorityHost outside Microsoft's sign-in clouds is allowed. */
  allowCustomEndpoints?: boolean;
}

export interface CredentialContext {
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  /** Trust exactly this CA for the token endpoint (tests against the local emulator); never set from config. */
  ca?: string | Buffer;
  /** Where GitHub's ID token comes from; defaults to @actions/core (tests pass their own). */
  getIdToken?: (audience: string) => Promise<string>;
}

/** The audience Entra expects in a GitHub Actions token exchanged through a federated credential. */
export const GITHUB_OIDC_AUDIENCE = 'api://AzureADTokenExchange';

export function credentialOptions(cfg: Pick<GraphAuthConfig, 'authorityHost' | 'allowCustomEndpoints'>, ctx: Pick<CredentialContext, 'ca'>): TokenCredentialOptions & { disableInstanceDiscovery?: boolean } {
  const options: TokenCredentialOptions & { disableInstanceDiscovery?: boolean } = {};
  if (cfg.authorityHost) {
    // The client secret, the certificate's assertion or GitHub's ID token go to this address: checked here too,
    // whoever built the configuration.
    const refused = endpointProblem('authority', cfg.authorityHost, cfg.allowCustomEndpoints === true);
    if (refused) throw new ConfigError(`tenant.graph.authorityHost: ${refused}`);
    options.authorityHost = cfg.authorityHost;
    // Microsoft's public and sovereign clouds answer instance discovery; any other authority (ADFS, an emulator) cannot.
    if (!(MICROSOFT_AUTHORITY_HOSTS as readonly string[]).includes(new URL(cfg.authorityHost).hostname.toLowerCase())) options.disableInstanceDiscovery = true;
  }
  if (ctx.ca !== undefined) {
    const agent = new HttpsAgent({ ca: ctx.ca, keepAlive: false });
    options.additionalPolicies = [{
      position: 'perCall',
      policy: { name: 'rollcallTrustedCa', sendRequest: (request, next) => { request.agent = agent; return next(request); } },
    }];
  }
  return options;
}

export function createCredential(cfg: GraphAuthConfig, ctx: CredentialContext): TokenCredential {
  const env = ctx.env ?? process.env;
  const options = credentialOptions(cfg, ctx);
  switch (cfg.auth) {
    case 'github-oidc': {
      const getIdToken = ctx.getIdToken ?? ((aud: string) => {
        // Without `permissions: id-token: write` the runner does not expose these, and core.getIDToken fails obscurely.
        if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
          throw new ConfigError('tenant.graph.auth is github-oidc but no GitHub OIDC token is available: give the job `permissions: id-token: write`');
        }
        return core.getIDToken(aud);
      });
      return new ClientAssertionCredential(cfg.tenantId, cfg.clientId, () => getIdToken(GITHUB_OIDC_AUDIENCE), options);
    }
    case 'client-secret': {
      if (!cfg.clientSecret) throw new ConfigError('tenant.graph.auth is client-secret but tenant.graph.clientSecret is missing');
      return new ClientSecretCredential(cfg.tenantId, cfg.clientId, resolveSecret(cfg.clientSecret, 'tenant.graph.clientSecret', env), options);
    }
    case 'certificate': {
      if (!cfg.certificatePath) throw new ConfigError('tenant.graph.auth is certificate but tenant.graph.certificatePath is missing');
      const certificatePath = resolve(ctx.baseDir, cfg.certificatePath);
      const certificatePassword = cfg.certificatePassword ? resolveSecret(cfg.certificatePassword, 'tenant.graph.certificatePassword', env) : undefined;
      return new ClientCertificateCredential(cfg.tenantId, cfg.clientId, { certificatePath, ...(certificatePassword ? { certificatePassword } : {}) }, options);
    }
    case 'azure-default':
      // Environment variables, workload identity, managed identity, Azure CLI … in DefaultAzureCredential's order.
      return new DefaultAzureCredential({ ...options, tenantId: cfg.tenantId });
    default:
      throw new ConfigError(`tenant.graph.auth: unknown method ${String((cfg as { auth: unknown }).auth)}`);
  }
}
