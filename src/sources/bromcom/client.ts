import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import soap from 'soap';
import { transportProblem } from '../../config/endpoints.js';
import { ConfigError, SourceError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { classifyError } from './errors.js';
import { DataSetReader, MAX_RESPONSE_BYTES, type DataSet } from './dataset.js';
import { renderFilter, type Filter } from './filter.js';
import type { SaxEvents } from './xml-types.js';

export interface BromcomClientOptions {
  url: string;
  schoolId: number;
  username: string;
  password: string;
  /** Names of the environment variables the credentials came from, for messages (never the values). */
  secretNames: { username: string; password: string };
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  log: Logger;
  /** The largest response read, in bytes (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

type Callback = (err: unknown, result: { saxStream?: SaxEvents } | undefined) => void;
type Operation = (args: Record<string, unknown>, cb: Callback, options: Record<string, unknown>) => void;

const WSDL = fileURLToPath(new URL('./TPReadOnlyDataService.wsdl', import.meta.url));

/** The per-call options key carrying that call's body hook (taken out again before axios sees the options). */
const TAKE_BODY = 'rollcallTakeBody';
type BodyHook = (body: NodeJS.ReadableStream & { readableEnded?: boolean }) => void;

/**
 * `soap` builds the request, sends it and maps HTTP errors and faults; a successful (200) body is taken over here,
 * through soap's `httpClient` extension point, and read by rollcall's own DataSet reader. Two reasons: soap's sax
 * stream spent most of a 20,000-pupil read in per-character work, and it never ends when a connection drops
 * mid-body (soap does not pass that on). soap gets a stand-in document in its place. Each call brings its own hook
 * in its options (soap hands a call's options object to requestStream as it is), so one client serves several
 * calls at once: soap's Client keeps no per-call state but its informational `last*` fields.
 */
class BodyTakingHttpClient extends soap.HttpClient {
  override requestStream(...args: Parameters<soap.HttpClient['requestStream']>): ReturnType<soap.HttpClient['requestStream']> {
    const [rurl, data, exheaders, exoptions] = args;
    const { [TAKE_BODY]: onBody, ...options } = (exoptions ?? {}) as Record<string, unknown>;
    return super.requestStream(rurl, data, exheaders, options).then((res) => {
      // A redirect is not followed (maxRedirects 0) and not an answer either: it fails as an HTTP error.
      if (res.status >= 300 && res.status < 400) throw Object.assign(new Error(`HTTP ${res.status} redirect, not followed`), { response: { status: res.status } });
      // Anything but 200 (401, a fault's 500) stays with soap, which reads faults into errors.
      if (res.status !== 200) return res;
      const body = res.data as unknown as NodeJS.ReadableStream;
      // Swapping res.data relies on soap's internals (requestStream's axios response, read by its sax stream after
      // this promise resolves), not on a documented contract: that is why package.json pins soap to one exact
      // version, and soap-pin.test.ts fails when the installed soap is another one. Recheck this before any upgrade.
      res.data = Readable.from(['<taken/>']) as unknown as typeof res.data;
      (onBody as BodyHook | undefined)?.(body);
      return res;
    }) as ReturnType<soap.HttpClient['requestStream']>;
  }
}

/** The Third Party read-only service over SOAP 1.1, with responses streamed straight into DataSet rows. */
export class BromcomClient {
  private constructor(
    private readonly port: Record<string, Operation>,
    private readonly opts: BromcomClientOptions,
  ) {}

  static async connect(opts: BromcomClientOptions): Promise<BromcomClient> {
    // The credentials travel in every request body: checked here as well as in the schema, whoever built the config.
    const refused = transportProblem(opts.url);
    if (refused) throw new ConfigError(`source.bromcom.url: ${refused}`);
    // The bundled WSDL is read from disk; only the configured url is ever contacted.
    const http = new BodyTakingHttpClient();
    const client = await soap.createClientAsync(WSDL, { endpoint: opts.url, stream: true, returnSaxStream: true, httpClient: http });
    const port = (client as unknown as Record<string, Record<string, Record<string, Operation>>>).TPReadOnlyDataService.TPReadOnlyDataServiceSoap;
    return new BromcomClient(port, opts);
  }

  private get maxBytes(): number {
    return this.opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  /** Entities this account may read for the school (findEntitiesBySchoolID). */
  async findEntities(): Promise<string[]> {
    const ds = await this.call('findEntitiesBySchoolID', { schoolID: this.opts.schoolId }, 'findEntitiesBySchoolID');
    const col = ds.columns.has('entityname') ? 'entityname' : [...ds.columns.keys()][0];
    return ds.rows.map((r) => r[col]).filter((v): v is string => typeof v === 'string');
  }

  /** `signal`: stop this call (and its retries) because the read it belongs to has failed elsewhere. */
  async getEntity(entityName: string, filter: Filter, signal?: AbortSignal): Promise<DataSet> {
    const entityFilter = renderFilter(filter);
    return this.call('getEntityDataBySchoolID', { schoolID: this.opts.schoolId, entityName, entityFilter }, `getEntityDataBySchoolID(${entityName})`, signal);
  }

  private async call(operation: string, args: Record<string, unknown>, what: string, signal?: AbortSignal): Promise<DataSet> {
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      try {
        const ds = await this.once(operation, args, what, signal);
        this.opts.log.debug(`bromcom: ${what} → ${ds.rows.length} row(s) in ${Date.now() - started} ms`);
        return ds;
      } catch (e) {
        const err = e instanceof SourceError ? e : classifyError(e, what, this.opts.secretNames);
        if (!err.retryable || attempt >= this.opts.retries || signal?.aborted) {
          if (attempt > 0) err.message += ` (after ${attempt + 1} attempts)`;
          throw err;
        }
        const delay = this.opts.retryDelayMs * 2 ** attempt * (0.75 + Math.random() / 2);
        this.opts.log.warn(`bromcom: ${err.message}; retrying in ${Math.round(delay)} ms (${attempt + 1}/${this.opts.retries})`);
        await sleep(delay, undefined, { signal }).catch(() => {
          throw err;
        });
      }
    }
  }

  private once(operation: string, args: Record<string, unknown>, what: string, signal?: AbortSignal): Promise<DataSet> {
    const controller = new AbortController();
    // Argument order matters to ASMX, which binds by the WSDL's sequence (credentials last); soap writes the keys in
    // the object's order, not the sequence's, so the object is built in that order here.
    const request = { ...args, username: this.opts.username, password: this.opts.password };
    return new Promise<DataSet>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
        fn();
      };
      const stop = () => {
        controller.abort();
        settle(() => reject(new SourceError(`${what} was stopped: the read failed elsewhere`, { record: what })));
      };
      // One deadline for the whole exchange, body included: axios's own timeout stops at the headers.
      const timer = setTimeout(() => {
        controller.abort();
        settle(() => reject(new SourceError(`Bromcom did not answer ${what} within ${this.opts.timeoutMs / 1000} s`, { record: what }, { retryable: true })));
      }, this.opts.timeoutMs);
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop);
      let taken = false;
      const onBody: BodyHook = (body) => {
        taken = true;
        DataSetReader.fromReadable(body, what, this.maxBytes).then(
          (ds) => settle(() => resolve(ds)),
          (e) => settle(() => reject(e)),
        );
      };
      this.port[operation](request, (err, result) => {
        if (err) return settle(() => reject(classifyError(err, what, this.opts.secretNames)));
        // The body went to onBody; soap's stream only ever sees the stand-in document.
        result?.saxStream?.on('error', () => {});
        if (!taken) settle(() => reject(new SourceError(`Bromcom's response to ${what} is not a DataSet (no body was read)`, { record: what })));
        // No redirects: a 307/308 would send the body, credentials and all, to wherever the Location points.
      }, { timeout: this.opts.timeoutMs, signal: controller.signal, maxContentLength: this.maxBytes, maxBodyLength: Infinity, maxRedirects: 0, [TAKE_BODY]: onBody });
    });
  }
}
