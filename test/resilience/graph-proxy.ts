// An HTTPS proxy in front of the Graph emulator that answers chosen requests itself: the ways a real Graph (or a
// gateway before it) answers badly that the emulator does not produce on its own. Everything else is passed on.
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { Agent, request } from 'undici';

export interface ProxyAnswer { status: number; headers?: Record<string, string>; body: string }

/** Decides one request: an answer of its own, or undefined to pass it on; `patch` may rewrite a passed answer. */
export interface ProxyRule {
  answer?(method: string, url: URL): ProxyAnswer | undefined;
  patch?(method: string, url: URL, body: string): string | undefined;
}

export interface GraphProxy {
  url: string;
  ca: string;
  rule: ProxyRule;
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ProxyAnswer =>
  ({ status, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
export const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message, innerError: { date: '2026-03-02T08:00:00', 'request-id': '00000000-0000-0000-0000-000000000000' } } }, headers);

// Its own subject name: OpenSSL finds a trusted certificate by subject, and the emulator's is also 127.0.0.1.
export async function startGraphProxy(target: string, targetCa: string): Promise<GraphProxy> {
  const pems = await generate([{ name: 'commonName', value: 'rollcall test Graph proxy' }], {
    keyType: 'ec', algorithm: 'sha256', notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const dispatcher = new Agent({ connect: { ca: targetCa } });
  const proxy: GraphProxy = { url: '', ca: pems.cert, rule: {}, close: async () => {} };
  const body = (req: IncomingMessage) => new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', proxy.url);
      const method = req.method ?? 'GET';
      const own = proxy.rule.answer?.(method, url);
      const sent = await body(req);
      if (own) {
        res.writeHead(own.status, { ...(own.headers ?? {}), 'Content-Length': Buffer.byteLength(own.body) }).end(own.body);
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length', 'accept-encoding'].includes(k))) as Record<string, string>;
      const r = await request(`${target}${url.pathname}${url.search}`, { method: method as 'GET', headers, body: sent.length ? sent : undefined, dispatcher });
      let text = await r.body.text();
      // nextLinks point at the emulator; through the proxy they must point back at it.
      text = text.split(target).join(proxy.url);
      text = proxy.rule.patch?.(method, url, text) ?? text;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string' && !['content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
      res.writeHead(r.statusCode, { ...out, 'Content-Length': Buffer.byteLength(text) }).end(text);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(599).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dispatcher.close();
  };
  return proxy;
}
