/**
 * One probe = one TCP connection, one ClientHello, and the server's answer read until it is
 * decided: a ServerHello (plus, for TLS <= 1.2, the rest of the server's first flight up to
 * ServerHelloDone), a HelloRetryRequest, an alert, an SSLv2 SERVER-HELLO, or a failure
 * (close, reset, timeout, garbage). The sweep steps build HelloSpecs and reduce outcomes;
 * this module turns one spec into one outcome and never throws for what a server does.
 */
import { randomBytes } from 'node:crypto';
import { DecodeError } from '../wire/bytes.js';
import { buildClientHello, buildClientHelloMessage, buildSslv2ClientHello, type ClientHelloOptions, type KeyShareEntry } from '../wire/clientHello.js';
import { ServerStream } from '../wire/records.js';
import {
  HandshakeType,
  decodeCertificateList,
  decodeCertificateRequest12,
  decodeServerHello,
  decodeServerKeyExchange,
  decodeSslv2ServerHello,
  type ServerHello,
  type ServerKeyExchange,
  type Sslv2ServerHello,
} from '../wire/serverMessages.js';
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { OFFERED_SIGNATURE_SCHEMES } from '../registry/signatureSchemes.js';
import { wireVersion } from '../registry/versions.js';
import type { ProtocolName } from '../model/scan.js';
import { exchange, ProbeError, type ExchangeEnd } from './transport.js';
import { makeKeyShare } from './keyShares.js';
import type { Preamble } from './preamble.js';
import type { Flight13 } from './flight13.js';

/** Bytes read per probe at most: a full first flight with a long chain fits well inside. */
export const MAX_BYTES_PER_PROBE = 256 * 1024;

/** Warning-level alerts still read as refusals: handshake_failure, protocol_version, insufficient_security. */
const REFUSAL_WARNINGS: ReadonlySet<number> = new Set([40, 70, 71]);

/** Signature schemes offered when a hello must stay small (<= 255 bytes, intolerant servers). */
const SMALL_SIGNATURE_SCHEMES = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0201, 0x0203];

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
  | {
      kind: 'hello';
      serverHello: ServerHello;
      /** DER certificates of a TLS <= 1.2 flight, leaf first. */
      certificates: Uint8Array[] | null;
      keyExchange: ServerKeyExchange | null;
      certificateRequest: { caNames: Uint8Array[] } | null;
      /** The flight reached ServerHelloDone (TLS <= 1.2). */
      flightComplete: boolean;
      /** An alert that followed the ServerHello, if any. */
      alertAfterHello: number | null;
      /** TLS 1.3, from probeFlight13: what the encrypted flight showed. */
      flight13?: Flight13;
    }
  | { kind: 'sslv2'; hello: Sslv2ServerHello }
  | { kind: 'sslv2-error'; errorCode: number }
  | { kind: 'alert'; level: number; description: number }
  /**
   * `received`: bytes the server sent before the end (0 for a connection that never opened);
   * `head`: the first of them (transport.ts HEAD_BYTES).
   */
  | { kind: 'failed'; how: Exclude<ExchangeEnd['how'], 'decided'> | 'connect'; error: ProbeError; received: number; head: Uint8Array };

/** The ClientHello a spec asks for, as options for the wire builder. */
export function helloOptions(ctx: EndpointContext, spec: HelloSpec): ClientHelloOptions {
  const v = wireVersion(spec.protocol);
  const tls13 = spec.protocol === 'TLSv1.3';
  const minimal = spec.minimal === true;
  const o: ClientHelloOptions = {
    clientVersion: tls13 ? 0x0303 : v,
    cipherSuites: spec.suites,
    random: randomBytes(32),
    // A 32-byte legacy_session_id for TLS 1.3 (middlebox compatibility, RFC 8446 §D.4).
    sessionId: tls13 ? randomBytes(32) : new Uint8Array(0),
    noExtensions: spec.protocol === 'SSLv3',
    serverName: ctx.sni,
    padding: !spec.small && !minimal,
    padTo: spec.padTo,
  };
  if (spec.protocol === 'SSLv3') return o;
  o.supportedGroups = spec.groups;
  o.alpn = ctx.alpn;
  if (v >= 0x0303) o.signatureAlgorithms = spec.signatureSchemes ?? (spec.small ? SMALL_SIGNATURE_SCHEMES : OFFERED_SIGNATURE_SCHEMES.map((s) => s.id));
  if (tls13) {
    o.supportedVersions = [0x0304];
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

/** Which ServerKeyExchange format a suite's key exchange uses, if we read it. */
function keyExchangeFormat(suite: number): 'ecdhe' | 'dhe' | null {
  const s = cipherSuiteById(suite);
  if (!s) return null;
  if (s.kx === 'ECDHE' || (s.kx === 'ECDH' && s.auth === 'anon')) return 'ecdhe';
  if (s.kx === 'DHE' || (s.kx === 'DH' && s.auth === 'anon')) return 'dhe';
  return null;
}

/** Sends one hello and reads the answer. Never throws for server behaviour. */
export async function probe(ctx: EndpointContext, spec: HelloSpec): Promise<ProbeOutcome> {
  const sslv2 = spec.protocol === 'SSLv2';
  const payload = sslv2 ? buildSslv2ClientHello(spec.suites, randomBytes(16)) : buildClientHello(helloOptions(ctx, spec));
  const stream = new ServerStream(sslv2);
  let outcome: ProbeOutcome | null = null;
  let hello: Extract<ProbeOutcome, { kind: 'hello' }> | null = null;

  const decide = (chunk: Uint8Array): boolean => {
    try {
      stream.feed(chunk);
      for (let e = stream.next(); e; e = stream.next()) {
        if (e.kind === 'sslv2') {
          if (e.msgType === 4) outcome = { kind: 'sslv2', hello: decodeSslv2ServerHello(e.body) };
          else if (e.msgType === 0) outcome = { kind: 'sslv2-error', errorCode: ((e.body[0] ?? 0) << 8) | (e.body[1] ?? 0) };
          else throw new DecodeError('malformed', `unexpected SSLv2 message type ${e.msgType}`);
          return true;
        }
        if (e.kind === 'alert') {
          // A warning (level 1) that is not a refusal is not an answer: unrecognized_name before a
          // ServerHello is common. close_notify ends the connection like EOF.
          if (e.level === 1 && !REFUSAL_WARNINGS.has(e.description)) {
            if (e.description === 0) throw new ProbeError('ECLOSE_NOTIFY', 'server sent close_notify without an answer');
            continue;
          }
          if (hello) {
            hello.alertAfterHello = e.description;
            outcome = hello;
          } else outcome = { kind: 'alert', level: e.level, description: e.description };
          return true;
        }
        if (e.kind !== 'handshake') {
          if (hello) {
            outcome = hello;
            return true;
          }
          // A ChangeCipherSpec before any ServerHello is not an answer; anything else is garbage.
          if (e.kind === 'changeCipherSpec') continue;
          throw new DecodeError('malformed', 'application data before a ServerHello');
        }
        if (!hello) {
          if (e.msgType !== HandshakeType.serverHello) throw new DecodeError('malformed', `expected ServerHello, got handshake type ${e.msgType}`);
          const sh = decodeServerHello(e.body);
          hello = { kind: 'hello', serverHello: sh, certificates: null, keyExchange: null, certificateRequest: null, flightComplete: false, alertAfterHello: null };
          if (sh.isHelloRetryRequest || sh.version >= 0x0304) {
            outcome = hello;
            return true;
          }
          continue;
        }
        switch (e.msgType) {
          case HandshakeType.certificate:
            hello.certificates = decodeCertificateList(e.body);
            break;
          case HandshakeType.serverKeyExchange: {
            const fmt = keyExchangeFormat(hello.serverHello.cipherSuite);
            const signed = hello.serverHello.version === 0x0303 && cipherSuiteById(hello.serverHello.cipherSuite)?.auth !== 'anon';
            if (fmt) hello.keyExchange = decodeServerKeyExchange(e.body, fmt, signed);
            break;
          }
          case HandshakeType.certificateRequest:
            hello.certificateRequest = { caNames: hello.serverHello.version === 0x0303 ? decodeCertificateRequest12(e.body).caNames : [] };
            break;
          case HandshakeType.serverHelloDone:
            hello.flightComplete = true;
            outcome = hello;
            return true;
          default:
            break;
        }
      }
      return false;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      // A decodable ServerHello followed by garbage still answered the question we asked.
      if (hello && err.kind === 'malformed') {
        outcome = hello;
        return true;
      }
      throw new ProbeError(err.code === 'EMALFORMED' ? 'EMALFORMED_RECORD' : err.code, err.message, { cause: err });
    }
  };

  return ctx.limit(async () => {
    ctx.probes++;
    let end: ExchangeEnd;
    try {
      end = await exchange({ ...connection(ctx), timeoutMs: ctx.timeoutMs, maxBytes: MAX_BYTES_PER_PROBE, signal: ctx.signal }, payload, decide);
    } catch (err) {
      const error = err instanceof ProbeError ? err : new ProbeError('ESOCKET', String(err), { cause: err });
      return { kind: 'failed', how: error.code === 'EABORTED' ? 'aborted' : 'connect', error, received: 0, head: new Uint8Array(0) };
    }
    if (outcome) return outcome;
    // The connection ended before a decision: a partial TLS <= 1.2 flight after a ServerHello still answers.
    if (hello) return hello;
    if (end.how === 'decided') throw new Error('unreachable: decided without an outcome');
    return { kind: 'failed', how: end.how, error: end.error, received: end.received, head: end.head };
  });
}
