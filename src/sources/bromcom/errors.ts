import { SourceError } from '../../errors.js';
import { withoutControls } from '../../roster/clean-text.js';
import { axiosTooLarge, responseTooLarge } from './dataset.js';
import { XmlTokenizer } from './xml-tokens.js';

interface HttpishError {
  message?: string;
  code?: string;
  body?: unknown;
  response?: { status?: number; data?: unknown };
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
}

interface Fault { code: string; text: string; detail: string }

/** How much of a fault's text a message quotes: enough to act on, never a whole document. */
const MAX_FAULT_CHARS = 500;

/**
 * The fault's code, text and detail as plain text, read from the response body with rollcall's own tokenizer:
 * soap's object form turns a faultstring with attributes or nested elements into objects (printed as
 * "[object Object]"), and gives up entirely on mixed content in the detail. SOAP 1.1 and 1.2 names both.
 */
function readFault(body: string): Fault | undefined {
  const parts: Record<string, string> = {};
  const stack: string[] = [];
  let fault = -1;
  const t = new XmlTokenizer({
    open(tag) {
      stack.push(tag.name.slice(tag.name.indexOf(':') + 1));
      if (fault < 0 && stack.at(-1) === 'Fault') fault = stack.length;
    },
    close() {
      if (stack.length === fault) fault = -2;
      stack.pop();
    },
    text(x) {
      if (fault < 0 || stack.length <= fault) return;
      const field = stack[fault];
      // SOAP 1.2's Code holds its Value and nested Subcodes: the first Value is the code.
      if (field === 'Code' && !(stack.length === fault + 2 && stack[fault + 1] === 'Value')) return;
      parts[field] = `${parts[field] ?? ''} ${x}`;
    },
  }, { forbiddenCharRefs: 'decode' });
  try {
    t.write(body);
    t.end();
  } catch {
    // A cut-off or odd fault still says what it said up to there.
  }
  if (fault === -1) return undefined;
  const clean = (v: string | undefined) => {
    const s = withoutControls((v ?? '').replace(/\s+/g, ' ').trim());
    return s.length > MAX_FAULT_CHARS ? `${s.slice(0, MAX_FAULT_CHARS)}…` : s;
  };
  return { code: clean(parts.faultcode ?? parts.Code), text: clean(parts.faultstring ?? parts.Reason), detail: clean(parts.detail ?? parts.Detail) };
}

/** soap's object form of a fault, when there is no body to read: the text of every string in it. */
function textOf(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(textOf).join(' ');
  if (v && typeof v === 'object') return Object.entries(v).filter(([k]) => k !== 'attributes').map(([, x]) => textOf(x)).join(' ');
  return '';
}

function faultOf(err: HttpishError): Fault | undefined {
  const body = typeof err.body === 'string' ? err.body : typeof err.response?.data === 'string' ? err.response.data : undefined;
  const read = body && /Fault/.test(body) ? readFault(body) : undefined;
  if (read) return read;
  const f = err.root?.Envelope?.Body?.Fault;
  if (!f) return undefined;
  const one = (v: unknown) => withoutControls(textOf(v).replace(/\s+/g, ' ').trim()).slice(0, MAX_FAULT_CHARS);
  return { code: one(f.faultcode ?? (f.Code as { Value?: unknown } | undefined)?.Value), text: one(f.faultstring ?? f.Reason), detail: one(f.detail ?? f.Detail) };
}

// Faults that say the account may not do this; trying again cannot help and may lock the account.
const PERMISSION = /permi|not (?:allowed|enabled|permitted)|access (?:is )?denied|unauthori[sz]ed|login|password|credential/i;

/** Maps whatever `soap`/axios threw to a SourceError that says what happened and whether a retry can help. */
export function classifyError(e: unknown, what: string, env: { username: string; password: string }): SourceError {
  if (e instanceof SourceError) return e;
  const err = (e ?? {}) as HttpishError;
  const status = err.response?.status;
  const fault = faultOf(err);
  const faultText = fault ? [fault.text || fault.code, fault.detail && `(detail: ${fault.detail})`].filter(Boolean).join(' ') : undefined;
  const where = { record: what };
  if (status === 401 || status === 403) {
    return new SourceError(
      `Bromcom refused the credentials for ${what} (HTTP ${status}). Check the username and password in $${env.username} and $${env.password}, and that the user has the Third Party role.`,
      where, { cause: e, retryable: false },
    );
  }
  if (faultText !== undefined) {
    const permission = PERMISSION.test(faultText);
    return new SourceError(
      `Bromcom answered ${what} with a SOAP fault${status ? ` (HTTP ${status})` : ''}: ${faultText}${permission ? ' (enable it under Setup > Third Party Access Permissions & Logs)' : ''}`,
      where, { cause: e, retryable: !permission && !/client|sender/i.test(fault?.code ?? '') },
    );
  }
  const tooLarge = axiosTooLarge(err.message);
  if (tooLarge !== undefined) return responseTooLarge(what, tooLarge, e);
  const code = err.code ?? '';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(err.message ?? '')) {
    return new SourceError(`Bromcom did not answer ${what} in time (${err.message})`, where, { cause: e, retryable: true });
  }
  if (['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code) || /socket hang up|aborted/i.test(err.message ?? '')) {
    return new SourceError(`the connection to Bromcom failed during ${what} (${code || err.message})`, where, { cause: e, retryable: true });
  }
  if (status && status >= 500) return new SourceError(`Bromcom answered ${what} with HTTP ${status}`, where, { cause: e, retryable: true });
  if (status) return new SourceError(`Bromcom answered ${what} with HTTP ${status}`, where, { cause: e, retryable: false });
  return new SourceError(`calling Bromcom for ${what} failed: ${err.message ?? String(e)}`, where, { cause: e, retryable: false });
}
