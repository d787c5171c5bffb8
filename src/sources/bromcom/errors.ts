import { SourceError } from '../../errors.js';

interface HttpishError {
  message?: string;
  code?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: { faultcode?: string; faultstring?: string; Reason?: { Text?: string } } } } };
}

// Faults that say the account may not do this; trying again cannot help and may lock the account.
const PERMISSION = /permi|not (?:allowed|enabled|permitted)|access (?:is )?denied|unauthori[sz]ed|login|password|credential/i;

/** Maps whatever `soap`/axios threw to a SourceError that says what happened and whether a retry can help. */
export function classifyError(e: unknown, what: string, env: { username: string; password: string }): SourceError {
  if (e instanceof SourceError) return e;
  const err = (e ?? {}) as HttpishError;
  const status = err.response?.status;
  const fault = err.root?.Envelope?.Body?.Fault;
  const faultText = fault ? (fault.faultstring ?? fault.Reason?.Text ?? fault.faultcode ?? '') : undefined;
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
      where, { cause: e, retryable: !permission && !/client/i.test(fault?.faultcode ?? '') },
    );
  }
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
