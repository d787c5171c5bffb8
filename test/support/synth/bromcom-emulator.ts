import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import soap from 'soap';
import type { BromcomData } from './bromcom-data.js';
import { compileFilter, FilterSyntaxError } from './bromcom-filter-eval.js';
import { renderDataSet, renderDataSetYielding } from './dataset-xml.js';
import { seededRandom } from './random.js';

// A Bromcom Third Party read-only service for tests and the benchmark: the `soap` package's own server, the WSDL
// rollcall bundles, DataSet responses built from synthetic data, and switches for the ways a real one fails.
// Test kit, never in the product: the benchmark runs it from the kit build (tsconfig.kit.json, `npm run build:kit`).

export interface BromcomEmulatorOptions {
  data: BromcomData;
  schoolId: number;
  username: string;
  password: string;
  /** Refuse every login with HTTP 401, as after a password change or a removed Third Party role. */
  badCredentials?: boolean;
  /** Entities the account may read (default: every entity in data). */
  permitted?: string[];
  /** Answer this many of the next calls with a soap:Server fault (transient). */
  faultNext?: number;
  /** Answer calls with a soap:Server fault at this rate (0..1), seeded. */
  faultRate?: number;
  seed?: number;
  /** Wait this long before answering each call. */
  delayMs?: number;
  /**
   * Wait this long before answering calls for these entities (by name, any case), after `delayMs`; a wait still
   * running when the emulator closes ends then, unanswered (a service stuck on one table).
   */
  entityDelayMs?: Record<string, number>;
  /** Reset the connection (no answer) on this many of the next calls. */
  resetNext?: number;
  /** Send half of the next entity response, then drop the connection, this many times. */
  truncateNext?: number;
  /** Answer getEntityData* for this entity with something that is not a DataSet. */
  notDataSet?: string;
}

export interface EmulatorCall {
  operation: string;
  /** Parameter names in the order the request carried them (ASMX binds by the WSDL's sequence). */
  params?: string[];
  entity?: string;
  filter?: string;
}

export interface BromcomEmulator {
  url: string;
  options: BromcomEmulatorOptions;
  calls: EmulatorCall[];
  /** The most entity calls the emulator was answering at once (from arrival to the rendered answer). */
  peakInFlight: number;
  close(): Promise<void>;
}

export const EMULATOR_PATH = '/Nucleus/WebServices/ThirdParty/TPReadOnlyDataService.asmx';
const WSDL = new URL('../../../src/sources/bromcom/TPReadOnlyDataService.wsdl', import.meta.url);

type Args = Record<string, string | number | undefined>;
interface Fault { Fault: { faultcode: string; faultstring: string; statusCode: number } }
const fault = (faultcode: string, faultstring: string, statusCode = 500): Fault => ({ Fault: { faultcode, faultstring, statusCode } });

export async function startBromcomEmulator(options: BromcomEmulatorOptions): Promise<BromcomEmulator> {
  const wsdl = await readFile(WSDL, 'utf8');
  const calls: EmulatorCall[] = [];
  const rnd = seededRandom(options.seed ?? 7);
  const emulator = { options, calls, peakInFlight: 0 } as BromcomEmulator;
  let inFlight = 0;

  const findTable = (name: string | undefined) => Object.keys(emulator.options.data).find((k) => k.toLowerCase() === String(name ?? '').toLowerCase());

  async function gate(args: Args, req: http.IncomingMessage, schoolId: unknown): Promise<void> {
    const o = emulator.options;
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    if (o.resetNext && o.resetNext > 0) {
      o.resetNext--;
      req.socket.destroy();
      throw fault('soap:Server', 'connection reset');
    }
    // ASMX answers a wrong login with HTTP 401.
    if (o.badCredentials || args.username !== o.username || args.password !== o.password) throw fault('soap:Client', 'Unauthorised', 401);
    if (schoolId !== undefined && Number(schoolId) !== o.schoolId) throw fault('soap:Server', `School ${String(schoolId)} is not available to this user`);
    if (o.faultNext && o.faultNext > 0) {
      o.faultNext--;
      throw fault('soap:Server', 'Server was unable to process request. ---> Transaction (Process ID 61) was deadlocked on lock resources');
    }
    if (o.faultRate && rnd() < o.faultRate) throw fault('soap:Server', 'Server was unable to process request. ---> Timeout expired');
  }

  const permitted = () => emulator.options.permitted ?? Object.keys(emulator.options.data);

  const entities = async (args: Args, _cb: unknown, _h: unknown, req: http.IncomingMessage, schoolId?: unknown) => {
    await gate(args, req, schoolId);
    const rows = permitted().map((EntityName) => ({ EntityName }));
    return renderDataSet({ columns: [['EntityName', 'xs:string']], rows }, rows);
  };

  const entityData = async (args: Args, req: http.IncomingMessage, schoolId?: unknown, res?: http.ServerResponse) => {
    emulator.peakInFlight = Math.max(emulator.peakInFlight, ++inFlight);
    try {
      return await entityAnswer(args, req, schoolId, res);
    } finally {
      inFlight--;
    }
  };

  const waits = new Set<() => void>();
  const entityAnswer = async (args: Args, req: http.IncomingMessage, schoolId?: unknown, res?: http.ServerResponse) => {
    await gate(args, req, schoolId);
    const name = findTable(String(args.entityName ?? ''));
    const delay = Object.entries(emulator.options.entityDelayMs ?? {}).find(([e]) => e.toLowerCase() === String(args.entityName ?? '').toLowerCase())?.[1];
    if (delay) {
      const answered = await new Promise<boolean>((resolve) => {
        const stop = () => {
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(() => {
          waits.delete(stop);
          resolve(true);
        }, delay);
        waits.add(stop);
      });
      if (!answered) return new Promise<never>(() => {});
    }
    if (!name || !permitted().some((p) => p.toLowerCase() === name.toLowerCase())) {
      throw fault('soap:Server', `Server was unable to process request. ---> You do not have permission to access the entity '${String(args.entityName)}'. Enable it under Third Party Access Permissions.`);
    }
    if (emulator.options.notDataSet?.toLowerCase() === name.toLowerCase()) return '<Error><Message>Object reference not set to an instance of an object.</Message></Error>';
    const table = emulator.options.data[name];
    let pred;
    try {
      pred = compileFilter(String(args.entityFilter ?? ''), table.columns.map(([c]) => c));
    } catch (e) {
      if (e instanceof FilterSyntaxError) throw fault('soap:Server', `Server was unable to process request. ---> ${e.message}`);
      throw e;
    }
    const xml = await renderDataSetYielding(table, table.rows.filter(pred));
    if (res && emulator.options.truncateNext && emulator.options.truncateNext > 0) {
      emulator.options.truncateNext--;
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      res.write(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getEntityDataBySchoolIDResponse xmlns="http://tempuri.org/"><getEntityDataBySchoolIDResult>${xml.slice(0, xml.length / 2)}`);
      setTimeout(() => req.socket.destroy(), 20);
      return new Promise<never>(() => {}); // the answer never completes
    }
    return xml;
  };

  const port = {
    findEntities: async (args: Args, cb: unknown, h: unknown, req: http.IncomingMessage) => {
      calls.push({ operation: 'findEntities' });
      return { findEntitiesResult: { $xml: await entities(args, cb, h, req) } };
    },
    findEntitiesBySchoolID: async (args: Args, cb: unknown, h: unknown, req: http.IncomingMessage) => {
      calls.push({ operation: 'findEntitiesBySchoolID', params: Object.keys(args) });
      return { findEntitiesBySchoolIDResult: { $xml: await entities(args, cb, h, req, args.schoolID) } };
    },
    getEntityData: async (args: Args, _cb: unknown, _h: unknown, req: http.IncomingMessage) => {
      calls.push({ operation: 'getEntityData', entity: String(args.entityName), filter: String(args.entityFilter ?? '') });
      return { getEntityDataResult: { $xml: await entityData(args, req) } };
    },
    getEntityDataBySchoolID: async (args: Args, _cb: unknown, _h: unknown, req: http.IncomingMessage, res: http.ServerResponse) => {
      calls.push({ operation: 'getEntityDataBySchoolID', params: Object.keys(args), entity: String(args.entityName), filter: String(args.entityFilter ?? '') });
      return { getEntityDataBySchoolIDResult: { $xml: await entityData(args, req, args.schoolID, res) } };
    },
    getEntityDataBySchoolIDAsXml: async (args: Args, _cb: unknown, _h: unknown, req: http.IncomingMessage) => {
      calls.push({ operation: 'getEntityDataBySchoolIDAsXml', entity: String(args.entityName), filter: String(args.entityFilter ?? '') });
      return { getEntityDataBySchoolIDAsXmlResult: await entityData(args, req, args.schoolID) };
    },
  };

  const server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  soap.listen(server, { path: EMULATOR_PATH, services: { TPReadOnlyDataService: { TPReadOnlyDataServiceSoap: port, TPReadOnlyDataServiceSoap12: port } }, xml: wsdl });
  const { port: tcpPort } = server.address() as AddressInfo;
  emulator.url = `http://127.0.0.1:${tcpPort}${EMULATOR_PATH}`;
  emulator.close = () =>
    new Promise<void>((resolve) => {
      for (const stop of waits) stop();
      waits.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return emulator;
}
