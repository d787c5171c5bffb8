// Where rollcall may send a secret or a token. A configuration names its MIS and its tenant, and a changed
// address is the shortest way to send a school's credentials somewhere else, so the addresses are constrained
// here once: the schema's patterns (editor and loader) and the runtime checks (credential, Graph client, Bromcom
// client) all read these lists.

/** Microsoft's sign-in clouds (@azure/identity's AzureAuthorityHosts, less the closed German cloud, plus 21Vianet's). */
export const MICROSOFT_AUTHORITY_HOSTS = [
  'login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn',
] as const;

/** Microsoft Graph in the same clouds: global, US Government L4 and L5 (DoD), China (21Vianet). */
const MICROSOFT_GRAPH_HOSTS = [
  'graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn',
] as const;

/** This machine: emulators and tests listen here, and nothing on it is reachable from a pull request's author. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function parse(url: string): URL | undefined {
  try { return new URL(url); } catch { return undefined; }
}

/** `https:` anywhere, plain `http:` only to this machine. Returns why not, or undefined when the address is fine. */
export function transportProblem(url: string): string | undefined {
  const u = parse(url);
  if (!u) return `"${url}" is not an address`;
  if (u.username || u.password) return 'an address may not carry a user name or password';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  return `must be an https:// address (plain http:// only to this machine, for emulators), not ${u.protocol}//${u.host}`;
}

export type EndpointKind = 'authority' | 'graph';

const HOSTS: Record<EndpointKind, readonly string[]> = { authority: MICROSOFT_AUTHORITY_HOSTS, graph: MICROSOFT_GRAPH_HOSTS };
const KEY: Record<EndpointKind, string> = { authority: 'tenant.graph.authorityHost', graph: 'tenant.graph.graphUrl' };

/**
 * A sign-in authority or Graph address: one of Microsoft's clouds or this machine, unless the configuration
 * explicitly allows another (`tenant.graph.allowCustomEndpoints`, e.g. for a gateway). Even then it is https.
 */
export function endpointProblem(kind: EndpointKind, url: string, allowCustom: boolean): string | undefined {
  const transport = transportProblem(url);
  if (transport) return transport;
  const u = new URL(url);
  if (allowCustom || isLoopbackHost(u.hostname) || HOSTS[kind].includes(u.hostname.toLowerCase())) return undefined;
  return `${u.hostname} is not one of Microsoft's ${kind === 'authority' ? 'sign-in clouds' : 'Graph clouds'} (${HOSTS[kind].join(', ')}); set tenant.graph.allowCustomEndpoints: true to use another address for ${KEY[kind]}`;
}

// --- The same rules as regular expressions, for the JSON Schema (generated from these lists, never by hand).

const escape = (s: string) => s.replace(/[.]/g, '\\.');
const LOOPBACK = '(?:localhost|127(?:\\.[0-9]{1,3}){3}|\\[::1\\])';

/** https:// anything, or http:// to this machine; the host must end where the pattern says so (no `@`, no `\`). */
export const TRANSPORT_PATTERN = `^(?:https://[^\\s@\\\\]+|http://${LOOPBACK}(?::[0-9]+)?(?:[/?#][^\\s]*)?)$`;

/** One of the listed hosts (port 443 at most), or this machine; nothing after the host but an optional slash. */
export function endpointPattern(kind: EndpointKind): string {
  const hosts = HOSTS[kind].map(escape).join('|');
  return `^(?:https://(?:${hosts})(?::443)?/?|https?://${LOOPBACK}(?::[0-9]+)?/?)$`;
}
