/**
 * Reads a fipscan/v1 JSON report back (for `fipscan merge` and `fipscan diff`). The file may
 * come from another machine, another version or a hand edit, so every field the type declares
 * is checked and a fresh object is built from exactly those fields: what comes out is a
 * JsonDocument in fact, not by cast, and unknown fields are dropped rather than passed on. A
 * bad document is one ReportFormatError naming the first bad path. Pure: the CLI reads the file.
 */
import type { ProtocolName, Tri } from '../model/scan.js';
import type { Verdict } from '../model/verdict.js';
import { JSON_SCHEMA_ID, type JsonDocument, type JsonWorkload } from './json.js';
import { PROTOCOL_NAMES } from './describe.js';
import { sanitize } from './sanitize.js';

/** The text is not JSON, or not a fipscan/v1 report; the message names the first bad path. */
export class ReportFormatError extends Error {
  readonly code = 'EBADREPORT';
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

type Parser<T> = (value: unknown, path: string) => T;

/** A short, terminal-safe picture of an unexpected value for the error message. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return sanitize(text.length > 40 ? `${text.slice(0, 39)}…` : text);
}

function fail(path: string, expected: string, value: unknown): never {
  throw new ReportFormatError(`${path}: expected ${expected}, got ${shown(value)}`);
}

const str: Parser<string> = (v, path) => (typeof v === 'string' ? v : fail(path, 'a string', v));

const count: Parser<number> = (v, path) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(path, 'a whole number', v));

const tri: Parser<Tri> = (v, path) => (v === null || typeof v === 'boolean' ? v : fail(path, 'true, false or null', v));

const bool: Parser<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'true or false', v));

/** A flag written only when set. */
const yes: Parser<true> = (v, path) => (v === true ? v : fail(path, 'true', v));

function nullable<T>(parse: Parser<T>): Parser<T | null> {
  return (v, path) => (v === null ? null : parse(v, path));
}

/** A field only some fipscan/v1 writers add: kept when present, left out (by `object`) when absent. */
function omittable<T>(parse: Parser<T>): Parser<T | undefined> {
  return (v, path) => (v === undefined ? undefined : parse(v, path));
}

/** A field newer fipscan/v1 writers add: absent in older reports, read as `fallback`. */
function optional<T>(parse: Parser<T>, fallback: () => T): Parser<T> {
  return (v, path) => (v === undefined ? fallback() : parse(v, path));
}

function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(path, `one of ${values.join(', ')}`, v));
}

function matching(pattern: RegExp, what: string): Parser<string> {
  return (v, path) => (typeof v === 'string' && pattern.test(v) ? v : fail(path, what, v));
}

function constant<T extends string>(expected: T): Parser<T> {
  return (v, path) => (v === expected ? expected : fail(path, JSON.stringify(expected), v));
}

function array<T>(parse: Parser<T>): Parser<T[]> {
  return (v, path) => (Array.isArray(v) ? v.map((item, i) => parse(item, `${path}[${i}]`)) : fail(path, 'an array', v));
}

type Shape = Record<string, Parser<unknown>>;
type Parsed<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** An object with exactly the shape's fields, in the shape's order; other fields (and absent omittable ones) are dropped. */
function object<S extends Shape>(shape: S): Parser<Parsed<S>> {
  return (v, path) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'an object', v);
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, parse] of Object.entries(shape)) {
      const value = parse(Object.hasOwn(source, key) ? source[key] : undefined, `${path}.${key}`);
      if (value !== undefined) out[key] = value;
    }
    return out as Parsed<S>;
  };
}

const protocolName = oneOf<ProtocolName>(PROTOCOL_NAMES);
const verdict = oneOf<Verdict>(['pass', 'fail', 'error', 'not-tls']);

const plaintext = object({ accepted: tri, sent: oneOf(['HTTP/1.1', 'HTTP/2'] as const), protocol: nullable(str), evidence: str });
const suiteId = matching(/^0x([0-9a-f]{4}|[0-9a-f]{6})$/, 'a suite id like 0xc02f');
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const timestamp: Parser<string> = (v, path) => (typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v)) ? v : fail(path, 'an ISO 8601 time', v));
const port: Parser<number> = (v, path) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : fail(path, 'a port number', v));

const schemeId = matching(/^0x[0-9a-f]{4}$/, 'a signature scheme id like 0x0804');

/** A catalogue code (model/errors.ts): `ENO_ANSWER`, `REFUSED_ALERT`. */
const catalogueCode = matching(/^[A-Z][A-Z0-9_]*$/, 'a code like ENO_ANSWER');

const violation = object({ rule: str, protocol: nullable(protocolName), item: nullable(str), message: str, source: omittable(str), code: omittable(catalogueCode) });

const sshAlgorithm = object({ name: str, allowed: omittable(bool), warned: omittable(yes), marker: omittable(yes) });

const sshDirections = object({ symmetric: bool, clientToServer: array(sshAlgorithm), serverToClient: array(sshAlgorithm) });

/** An SSH endpoint's offer (json.ts JsonSsh). */
const ssh = object({
  identification: str,
  protoVersion: str,
  software: str,
  comments: nullable(str),
  preamble: array(str),
  kex: array(sshAlgorithm),
  hostKey: array(sshAlgorithm),
  cipher: sshDirections,
  mac: sshDirections,
  compression: sshDirections,
  firstKexPacketFollows: bool,
  kexinitHex: matching(/^(?:[0-9a-f]{2})*$/, 'lowercase hex digits'),
});

const errorFields = object({ code: matching(/^E[A-Z0-9_]+$/, 'an error code like ECONNREFUSED'), message: str, protocol: optional(nullable(str), () => null) });

/** An endpoint error; `protocol` (EOTHER_PROTOCOL) only when the report has it. */
const errorObject: Parser<{ code: string; message: string; protocol?: string }> = (v, path) => {
  const { protocol, ...rest } = errorFields(v, path);
  return protocol === null ? rest : { ...rest, protocol };
};

const endpoint = object({
  target: str,
  pod: omittable(str),
  service: omittable(oneOf(['tls', 'ssh'] as const)),
  host: str,
  port,
  address: nullable(str),
  sni: nullable(str),
  verdict,
  error: nullable(errorObject),
  protocols: array(
    object({
      name: protocolName,
      offered: tri,
      reason: omittable(str),
      reasonCode: omittable(catalogueCode),
      serverOrder: tri,
      allowed: bool,
      ciphers: array(
        object({ id: suiteId, iana: nullable(str), openssl: nullable(str), kx: nullable(str), encryption: nullable(str), bits: nullable(count), allowed: bool }),
      ),
      inconclusiveCiphers: array(suiteId),
      signatureSchemes: omittable(array(object({ id: schemeId, name: nullable(str), allowed: bool, certificate: nullable(str) }))),
      signatureSchemesComplete: omittable(bool),
      inconclusiveSignatureSchemes: omittable(array(schemeId)),
      workarounds: array(str),
    }),
  ),
  groups: array(object({ id: matching(/^0x[0-9a-f]{4}$/, 'a group id like 0x0017'), name: nullable(str), protocols: array(protocolName), allowed: bool })),
  dhParameters: array(object({ protocol: protocolName, primeBits: count, group: nullable(str), modpGroup: omittable(nullable(count)), safePrime: omittable(tri) })),
  certificates: array(
    object({
      protocol: protocolName,
      protocols: omittable(array(protocolName)),
      source: oneOf(['wire', 'tls'] as const),
      chain: array(
        object({
          subject: str,
          issuer: str,
          subjectAltNames: array(str),
          notBefore: str,
          notAfter: str,
          keyType: str,
          keyBits: count,
          curve: nullable(str),
          signatureAlgorithm: str,
          signatureHash: nullable(str),
          fingerprintSha256: matching(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
        }),
      ),
    }),
  ),
  features: object({
    extendedMasterSecret: object({ supported: tri, required: tri }),
    secureRenegotiation: tri,
    alpn: nullable(str),
    clientCertificateRequested: tri,
    clientCertificateRequired: optional(tri, () => null),
    clientCertificateCAs: optional(array(str), () => []),
  }),
  negotiated: optional(
    nullable(
      object({
        protocol: nullable(protocolName),
        cipher: nullable(object({ id: suiteId, iana: nullable(str), allowed: bool })),
        group: nullable(object({ id: matching(/^0x[0-9a-f]{4}$/, 'a group id like 0x0017'), name: nullable(str), allowed: bool })),
        alpn: nullable(str),
        clientIdentity: bool,
        clientCertificateAccepted: tri,
        serverChainVerified: tri,
        serverChainError: nullable(str),
        error: nullable(errorObject),
      }),
    ),
    () => null,
  ),
  ssh: omittable(nullable(ssh)),
  plaintext: omittable(nullable(plaintext)),
  violations: array(violation),
  warnings: array(violation),
  inconclusive: optional(array(violation), () => []),
  probes: count,
  durationMs: count,
});

const subject = object({
  kind: oneOf(['host', 'binary', 'process'] as const),
  name: str,
  path: nullable(str),
  pid: nullable(count),
  verdict: oneOf(['pass', 'fail', 'error'] as const),
  error: nullable(object({ code: str, message: str })),
  facts: array(object({ name: str, value: str })),
  checks: array(
    object({
      id: str,
      subject: str,
      status: oneOf(['ok', 'fail', 'n/a'] as const),
      message: str,
      evidence: array(object({ source: str, detail: str })),
    }),
  ),
});

const workload: Parser<JsonWorkload> = object({
  pid: nullable(count),
  pod: omittable(str),
  verdict: oneOf(['pass', 'fail', 'error', 'n/a'] as const),
  error: nullable(str),
  endpoints: array(object({ target: str, verdict: oneOf(['pass', 'fail', 'error', 'not-tls'] as const), note: nullable(str) })),
  process: nullable(subject),
});

const documentFields = object({
  schema: constant(JSON_SCHEMA_ID),
  tool: object({ name: constant('fipscan'), version: str }),
  policy: object({ id: str, version: str, title: str, sha256: omittable(matching(/^[0-9a-f]{64}$/, '64 lowercase hex digits')) }),
  startedAt: timestamp,
  durationMs: count,
  command: omittable(array(str)),
  summary: object({ endpoints: count, pass: count, fail: count, error: count, 'not-tls': optional(count, () => 0) }),
  endpoints: array(endpoint),
  workloads: optional(nullable(array(workload)), () => null),
});

/** The document; `workloads` (scan --inspect-local) only when the report has them. */
const document: Parser<JsonDocument> = (v, path) => {
  const { workloads, ...rest } = documentFields(v, path);
  return workloads === null ? rest : { ...rest, workloads };
};

/**
 * Parses the text of a `--format json` report (a leading BOM is allowed). Throws
 * ReportFormatError: "not JSON: ..." or "not a fipscan/v1 report: endpoints[2].verdict: ...".
 */
export function readJsonDocument(text: string): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ReportFormatError(`not JSON: ${sanitize((err as Error).message)}`);
  }
  try {
    return document(value, '$');
  } catch (err) {
    if (err instanceof ReportFormatError) throw new ReportFormatError(`not a fipscan/v1 report: ${err.message}`);
    throw err;
  }
}
