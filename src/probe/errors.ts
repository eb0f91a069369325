/**
 * The probe layer's one error type: a failure of a connection (or of what runs on it before the
 * hello), with a stable `code` callers branch on and a message naming the address. Kept apart
 * from transport.ts so the preamble modules can use it without importing the socket code.
 */

/** Typed failure of a connection, with a stable code and the original error as `cause`. */
export class ProbeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
  }
}

/**
 * An error code as reports carry it (`^E[A-Z0-9_]+$`): Node 24 names some OpenSSL alerts
 * `ERR_SSL_SSL/TLS_ALERT_...`, which is folded to `ERR_SSL_SSL_TLS_ALERT_...`.
 */
export function normalizeCode(code: string | undefined, fallback: string): string {
  const c = (code ?? '').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^E[A-Z0-9_]+$/.test(c) ? c : fallback;
}
