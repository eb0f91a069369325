/**
 * One probe = one TCP connection, one ClientHello, and the server's answer read until it is
 * decided: a ServerHello (plus, for TLS <= 1.2, the rest of the server's first flight up to
 * ServerHelloDone), a HelloRetryRequest, an alert, an SSLv2 SERVER-HELLO, or a failure
 * (close, reset, timeout, garbage). The sweep steps build HelloSpecs and reduce outcomes;
 * this module turns one spec into one outcome and never throws for what a server does.
 */
import { randomFillSync } from 'node:crypto';
import { DecodeError } from '../wire/bytes.js';
import { buildClientHello, buildClientHelloMessage, buildSslv2ClientHello, type ClientHelloOptions, type KeyShareEntry } from '../wire/clientHello.js';
import { FirstFlightReader, type FirstAnswer, type HelloAnswer } from '../wire/firstFlight.js';
import type { Sslv2ServerHello } from '../wire/serverMessages.js';
import { signatureSchemeId, OFFERED_SIGNATURE_SCHEMES } from '../registry/signatureSchemes.js';
import { WireVersion, wireVersion } from '../registry/versions.js';
import type { ProtocolName } from '../model/scan.js';
import { exchange, ProbeError, type ExchangeEnd } from './transport.js';
import { makeKeyShare } from './keyShares.js';
import type { Preamble } from './preamble.js';
import type { Flight13 } from './flight13.js';

/** Bytes read per probe at most: a full first flight with a long chain fits well inside. */
const MAX_BYTES_PER_PROBE = 256 * 1024;

/** Signature schemes offered when a hello must stay small (<= 255 bytes, intolerant servers). */
const SMALL_SIGNATURE_SCHEMES: readonly number[] = [
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
  'ed25519',
  'rsa_pkcs1_sha1',
  'ecdsa_sha1',
].map(signatureSchemeId);

export interface HelloSpec {
  protocol: ProtocolName;
  /** Cipher suites (SSLv2: 24-bit cipher kinds), in offer order. */
  suites: readonly number[];
  /** supported_groups, in offer order (TLS 1.0+). */
  groups?: readonly number[];
  /** TLS 1.3 key shares: 'empty' asks for a HelloRetryRequest; a list sends real shares for those groups. */
  keyShares?: 'empty' | readonly number[];
  /** Offer extended_master_secret (default true, TLS 1.0-1.2). */
  extendedMasterSecret?: boolean;
  /** Drop every optional extension (a rung of the intolerance ladder). */
  minimal?: boolean;
  /** Keep the hello small: short signature_algorithms list and no padding. */
  small?: boolean;
  /** Pad the hello to at least this many bytes (a control hello as long as the hello it checks). */
  padTo?: number;
  /** Send the SRP extension with this user name (RFC 5054), which SRP suites need; an optional extension all the same. */
  srpIdentity?: string;
  /** signature_algorithms to offer instead of every known scheme (the signature-scheme step). */
  signatureSchemes?: readonly number[];
}

export interface EndpointContext {
  address: string;
  port: number;
  sni: string | null;
  alpn: readonly string[];
  timeoutMs: number;
  signal: AbortSignal;
  /** Connections opened so far (every attempt counts, failed ones too). */
  probes: number;
  /** Runs a connection under the endpoint's concurrency limit. */
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The TCP peer when it is not the endpoint itself: an HTTP proxy (the first preamble step then opens the tunnel). */
  via?: { address: string; port: number };
  /** Steps every connection runs before its hello (HTTP CONNECT, STARTTLS); each probe replays them. */
  preamble?: readonly Preamble[];
  /** ScanOptions.skipSignatureSchemes. */
  skipSignatureSchemes?: boolean;
}

/** Where a connection of this endpoint goes, and what it says before the hello. */
export function connection(ctx: EndpointContext): { address: string; port: number; preamble: readonly Preamble[] } {
  return { address: ctx.via?.address ?? ctx.address, port: ctx.via?.port ?? ctx.port, preamble: ctx.preamble ?? [] };
}

export type ProbeOutcome =
  /** TLS 1.3 hellos read by probeFlight13 carry what the encrypted flight showed. */
  | (HelloAnswer & { flight13?: Flight13 })
  | { kind: 'sslv2'; hello: Sslv2ServerHello }
  | { kind: 'sslv2-error'; errorCode: number }
  | { kind: 'alert'; level: number; description: number }
  /**
   * `received`: bytes the server sent before the end (0 for a connection that never opened);
   * `head`: the first of them (transport.ts HEAD_BYTES).
   */
  | { kind: 'failed'; how: Exclude<ExchangeEnd['how'], 'decided'> | 'connect'; error: ProbeError; received: number; head: Uint8Array };

/** CSPRNG bytes drawn for hellos' random and session id fields, filled 4 KiB at a time: one call per hundred hellos, not two per hello. */
const RANDOM_POOL = new Uint8Array(4096);
let randomUsed = RANDOM_POOL.length;

/** `n` fresh random bytes (n <= 4096), never handed out twice. */
function helloRandom(n: number): Uint8Array {
  if (randomUsed + n > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomUsed = 0;
  }
  const out = RANDOM_POOL.slice(randomUsed, randomUsed + n);
  randomUsed += n;
  return out;
}

/** The ClientHello a spec asks for, as options for the wire builder. */
export function helloOptions(ctx: EndpointContext, spec: HelloSpec): ClientHelloOptions {
  const v = wireVersion(spec.protocol);
  const tls13 = spec.protocol === 'TLSv1.3';
  const minimal = spec.minimal === true;
  const o: ClientHelloOptions = {
    clientVersion: tls13 ? WireVersion['TLSv1.2'] : v,
    cipherSuites: spec.suites,
    random: helloRandom(32),
    // A 32-byte legacy_session_id for TLS 1.3 (middlebox compatibility, RFC 8446 §D.4).
    sessionId: tls13 ? helloRandom(32) : new Uint8Array(0),
    noExtensions: spec.protocol === 'SSLv3',
    serverName: ctx.sni,
    padding: !spec.small && !minimal,
    padTo: spec.padTo,
  };
  if (spec.protocol === 'SSLv3') return o;
  o.supportedGroups = spec.groups;
  o.alpn = ctx.alpn;
  if (v >= WireVersion['TLSv1.2']) o.signatureAlgorithms = spec.signatureSchemes ?? (spec.small ? SMALL_SIGNATURE_SCHEMES : OFFERED_SIGNATURE_SCHEMES.map((s) => s.id));
  if (tls13) {
    o.supportedVersions = [WireVersion['TLSv1.3']];
    o.keyShares = spec.keyShares === 'empty' || spec.keyShares === undefined ? [] : spec.keyShares.map((g) => makeKeyShare(g)).filter((k): k is KeyShareEntry => k !== null);
    if (!minimal) o.pskKeyExchangeModes = true;
    return o;
  }
  o.ecPointFormats = true;
  if (!minimal) {
    o.srpIdentity = spec.srpIdentity;
    o.extendedMasterSecret = spec.extendedMasterSecret !== false;
    o.renegotiationInfo = true;
    o.sessionTicket = true;
    o.statusRequest = true;
    o.encryptThenMac = true;
  }
  return o;
}

/** Length of the handshake message `spec` produces (for keeping hellos under a size). */
export function helloLength(ctx: EndpointContext, spec: HelloSpec): number {
  if (spec.protocol === 'SSLv2') return 9 + spec.suites.length * 3 + 16;
  return buildClientHelloMessage(helloOptions(ctx, spec)).length;
}

/**
 * Runs one connection of a probe under the endpoint's limit: counts it, sends `payload`, hands
 * each chunk to `take` until it has decided, and turns how the connection ended into an outcome.
 * `decided` is the answer read (or the ServerHello read before the connection ended), if any.
 */
export function converse(
  ctx: EndpointContext,
  payload: Uint8Array,
  take: (chunk: Uint8Array, reply: (bytes: Uint8Array) => void) => boolean,
  decided: () => ProbeOutcome | null,
): Promise<ProbeOutcome> {
  return ctx.limit(async () => {
    ctx.probes++;
    let end: ExchangeEnd;
    try {
      end = await exchange({ ...connection(ctx), timeoutMs: ctx.timeoutMs, maxBytes: MAX_BYTES_PER_PROBE, signal: ctx.signal }, payload, take);
    } catch (err) {
      const error = err instanceof ProbeError ? err : new ProbeError('ESOCKET', String(err), { cause: err });
      return { kind: 'failed', how: error.code === 'EABORTED' ? 'aborted' : 'connect', error, received: 0, head: new Uint8Array(0) };
    }
    const outcome = decided();
    if (outcome) return outcome;
    if (end.how === 'decided') throw new Error('unreachable: decided without an outcome');
    return { kind: 'failed', how: end.how, error: end.error, received: end.received, head: end.head };
  });
}

/** Reads the next chunk of a first flight; what no server may send becomes the probe's error. */
function readFirstFlight(reader: FirstFlightReader, chunk: Uint8Array): FirstAnswer | null {
  let answer: FirstAnswer | null;
  try {
    answer = reader.feed(chunk);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw new ProbeError(err.code === 'EMALFORMED' ? 'EMALFORMED_RECORD' : err.code, err.message, { cause: err });
  }
  if (answer?.kind === 'close-notify') throw new ProbeError('ECLOSE_NOTIFY', 'server sent close_notify without an answer');
  return answer;
}

/** Sends one hello and reads the answer. Never throws for server behaviour. */
export async function probe(ctx: EndpointContext, spec: HelloSpec): Promise<ProbeOutcome> {
  const sslv2 = spec.protocol === 'SSLv2';
  const payload = sslv2 ? buildSslv2ClientHello(spec.suites, helloRandom(16)) : buildClientHello(helloOptions(ctx, spec));
  const reader = new FirstFlightReader(sslv2);
  let answer: Exclude<FirstAnswer, { kind: 'close-notify' }> | null = null;
  const take = (chunk: Uint8Array): boolean => {
    answer = readFirstFlight(reader, chunk) as typeof answer;
    return answer !== null;
  };
  // The connection ended before a decision: a partial TLS <= 1.2 flight after a ServerHello still answers.
  return converse(ctx, payload, take, () => answer ?? reader.partial);
}
