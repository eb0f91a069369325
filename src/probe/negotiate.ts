/**
 * The full node:tls handshakes of a scan, for what the raw hellos cannot show: the outcome a
 * real client gets (protocol, suite, group), the TLS 1.3 certificate chain (encrypted on the
 * wire), and the server's stance on client certificates. A client identity, when given, is
 * presented here and only here: enumeration never needs one, because the ServerHello comes
 * before any CertificateRequest. Whether a certificate is required is proven by a handshake
 * without one: refused after a CertificateRequest, or with TLS 1.3's certificate_required.
 */
import { CIPHER_SUITES } from '../registry/cipherSuites.js';
import { NAMED_GROUPS } from '../registry/groups.js';
import { connection, type EndpointContext } from './probe.js';
import { ProbeError, tlsHandshake, type TlsHandshakeResult } from './transport.js';
import type { ClientIdentity } from './types.js';
import type { Negotiated, ProtocolName, Tri } from '../model/scan.js';

/** How long a TLS 1.3 handshake waits for the server's verdict on the client (a ticket or an alert): a few round trips. */
const SETTLE_MS = 300;

/** Alerts that speak about the client's certificate (RFC 8446 §6.2), as OpenSSL names them in error codes. */
const CERTIFICATE_ALERTS: ReadonlySet<string> = new Set([
  'BAD_CERTIFICATE',
  'UNSUPPORTED_CERTIFICATE',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_UNKNOWN',
  'UNKNOWN_CA',
  'ACCESS_DENIED',
  'DECRYPT_ERROR',
  'CERTIFICATE_REQUIRED',
]);

type Attempt = { result: TlsHandshakeResult; error: null } | { result: null; error: ProbeError };

export interface HandshakeFindings {
  negotiated: Negotiated;
  /** DER chain the server sent in the negotiated handshake, leaf first. */
  chain: Uint8Array[];
  alpn: string | null;
  /** A TLS 1.3 server asked for a certificate (its certificate_required alert proves it asked). */
  requested: Tri;
  required: Tri;
}

/** The alert OpenSSL saw, from a node:tls error code (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED` -> `CERTIFICATE_REQUIRED`). */
function alertOf(error: ProbeError | null): string | null {
  return error ? (/_ALERT_([A-Z_]+)$/.exec(error.code)?.[1] ?? null) : null;
}

function groupId(name: string | null): number | null {
  if (name === null) return null;
  const n = name.toLowerCase();
  return NAMED_GROUPS.find((g) => g.name.toLowerCase() === n || g.aliases.some((a) => a.toLowerCase() === n))?.id ?? null;
}

function suiteId(name: string | null): number | null {
  return name === null ? null : (CIPHER_SUITES.find((s) => s.iana === name)?.id ?? null);
}

function protocolName(p: string | null): ProtocolName | null {
  const names: Record<string, ProtocolName> = { TLSv1: 'TLSv1.0', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };
  return p === null ? null : (names[p] ?? null);
}

async function attempt(ctx: EndpointContext, identity: ClientIdentity | undefined): Promise<Attempt> {
  ctx.probes++;
  try {
    const result = await ctx.limit(() =>
      tlsHandshake({
        ...connection(ctx),
        timeoutMs: ctx.timeoutMs,
        maxBytes: 0,
        signal: ctx.signal,
        servername: ctx.sni,
        alpn: ctx.alpn,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        identity,
        settleMs: Math.min(SETTLE_MS, ctx.timeoutMs),
      }),
    );
    return { result, error: null };
  } catch (err) {
    return { result: null, error: err instanceof ProbeError ? err : new ProbeError('ETLS', String(err), { cause: err }) };
  }
}

/** The refusal of an attempt: a failed handshake, or a TLS 1.3 alert after our side was done. */
function refusal(a: Attempt): ProbeError | null {
  return a.error ?? a.result.refused;
}

/** Whether a certificate is required, from a handshake made without one. */
function requiredFrom(bare: Attempt, requested: Tri): Tri {
  const refused = refusal(bare);
  if (!refused) return false;
  const alert = alertOf(refused);
  if (alert === 'CERTIFICATE_REQUIRED') return true;
  // OpenSSL refuses with handshake_failure, Go with bad_certificate: any alert after a CertificateRequest.
  if (alert !== null && requested === true) return true;
  return null;
}

function accepted(a: Attempt, requested: Tri): Tri {
  const refused = refusal(a);
  if (!refused) return true;
  // node:tls servers with rejectUnauthorized check the certificate after the handshake and just close.
  if (refused.code === 'ECLOSED_AFTER_HANDSHAKE') return false;
  const alert = alertOf(refused);
  if (alert !== null && (CERTIFICATE_ALERTS.has(alert) || (alert === 'HANDSHAKE_FAILURE' && requested === true))) return false;
  return null;
}

/**
 * The negotiated handshake, with `identity` when given, and the client-certificate findings.
 * `requested` is what the TLS <= 1.2 flights showed (null when no CertificateRequest could be seen).
 * Costs one connection, two when an identity is given and the server may ask for a certificate.
 */
export async function fullHandshakes(ctx: EndpointContext, identity: ClientIdentity | undefined, requested: Tri): Promise<HandshakeFindings> {
  const main = await attempt(ctx, identity);
  const bare = identity === undefined ? main : requested === false ? null : await attempt(ctx, undefined);
  const required = bare === null ? false : requiredFrom(bare, requested);
  const r = main.result;
  const error = refusal(main);
  const negotiated: Negotiated = {
    protocol: protocolName(r?.protocol ?? null),
    suite: suiteId(r?.cipher ?? null),
    group: groupId(r?.group ?? null),
    alpn: r?.alpn ?? null,
    identity: identity !== undefined,
    clientCertificateAccepted: identity === undefined ? null : accepted(main, requested),
    serverChainVerified: r?.verified ?? null,
    serverChainError: r?.verifyError ?? null,
    error: error ? { code: error.code, message: error.message } : null,
  };
  const certificateRequired = [main, bare].some((a) => a !== null && alertOf(refusal(a)) === 'CERTIFICATE_REQUIRED');
  return {
    negotiated,
    chain: r?.chain ?? [],
    alpn: r?.alpn ?? null,
    requested: requested === true || certificateRequired || required === true ? true : requested,
    required,
  };
}
