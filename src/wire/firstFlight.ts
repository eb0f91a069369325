/**
 * Reads a server's first answer to a ClientHello, chunk by chunk, until it decides what the
 * answer was: a ServerHello (for TLS <= 1.2 with the rest of the first flight up to
 * ServerHelloDone: Certificate, ServerKeyExchange, CertificateRequest; RFC 5246 §7.3), a
 * HelloRetryRequest or TLS 1.3 ServerHello (RFC 8446 §4.1.3-4), an alert, or an SSL 2.0
 * SERVER-HELLO or ERROR. Pure and synchronous: the probe layer feeds socket chunks and decides
 * what to send next from the answer. What no server may send before deciding is a DecodeError.
 */
import { DecodeError } from './bytes.js';
import { ServerStream, type ServerEvent } from './records.js';
import {
  decodeCertificateList,
  decodeCertificateRequest12,
  decodeServerHello,
  decodeServerKeyExchange,
  decodeSslv2ServerHello,
  type ServerHello,
  type ServerKeyExchange,
  type Sslv2ServerHello,
} from './serverMessages.js';
import { ALERT_LEVEL_WARNING, Alert, REFUSAL_ALERTS } from '../registry/alerts.js';
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { HandshakeType, Sslv2MessageType } from '../registry/handshake.js';
import { WireVersion } from '../registry/versions.js';

/** A ServerHello and what of its flight was read. */
export interface HelloAnswer {
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
}

export type FirstAnswer =
  | HelloAnswer
  | { kind: 'sslv2'; hello: Sslv2ServerHello }
  | { kind: 'sslv2-error'; errorCode: number }
  | { kind: 'alert'; level: number; description: number }
  /** A warning close_notify before any answer: the server hung up without one. */
  | { kind: 'close-notify' };

/**
 * A warning alert that answers nothing (RFC 5246 §7.2): unrecognized_name before a ServerHello
 * is common. Warnings that refuse (handshake_failure, protocol_version, insufficient_security)
 * still count as refusals, as some stacks send them at warning level.
 */
export function isIgnorableWarning(level: number, description: number): boolean {
  return level === ALERT_LEVEL_WARNING && !REFUSAL_ALERTS.has(description) && description !== Alert.closeNotify;
}

/** Which ServerKeyExchange format a suite's key exchange uses, if we read it (RFC 8422 §5.4, RFC 5246 §7.4.3). */
function keyExchangeFormat(suite: number): 'ecdhe' | 'dhe' | null {
  const s = cipherSuiteById(suite);
  if (!s) return null;
  if (s.kx === 'ECDHE' || (s.kx === 'ECDH' && s.auth === 'anon')) return 'ecdhe';
  if (s.kx === 'DHE' || (s.kx === 'DH' && s.auth === 'anon')) return 'dhe';
  return null;
}

/** Reads one connection's first answer. Feed chunks until `feed` returns the answer. */
export class FirstFlightReader {
  private readonly stream: ServerStream;
  private hello: HelloAnswer | null = null;

  /** `sslv2`: the hello was an SSL 2.0 CLIENT-HELLO, so the answer may come in SSL 2.0 framing. */
  constructor(sslv2: boolean) {
    this.stream = new ServerStream(sslv2);
  }

  /** The ServerHello read so far: what a connection that ended before the flight did still answered. */
  get partial(): HelloAnswer | null {
    return this.hello;
  }

  /** Takes the next bytes; the answer once it is decided, else null (more bytes needed). */
  feed(chunk: Uint8Array): FirstAnswer | null {
    try {
      this.stream.feed(chunk);
      for (let e = this.stream.next(); e; e = this.stream.next()) {
        const answer = this.event(e);
        if (answer) return answer;
      }
      return null;
    } catch (err) {
      // A decodable ServerHello followed by garbage still answered the question asked.
      if (err instanceof DecodeError && err.kind === 'malformed' && this.hello) return this.hello;
      throw err;
    }
  }

  private event(e: ServerEvent): FirstAnswer | null {
    switch (e.kind) {
      case 'sslv2':
        return sslv2Answer(e.msgType, e.body);
      case 'alert':
        return this.alert(e.level, e.description);
      case 'handshake':
        return this.hello ? this.flightMessage(e.msgType, e.body) : this.serverHello(e.msgType, e.body);
      case 'changeCipherSpec':
        // A ChangeCipherSpec before any ServerHello is not an answer.
        return this.hello;
      case 'applicationData':
        if (this.hello) return this.hello;
        throw new DecodeError('malformed', 'application data before a ServerHello');
    }
  }

  private alert(level: number, description: number): FirstAnswer | null {
    if (isIgnorableWarning(level, description)) return null;
    if (level === ALERT_LEVEL_WARNING && description === Alert.closeNotify) return this.hello ?? { kind: 'close-notify' };
    if (!this.hello) return { kind: 'alert', level, description };
    this.hello.alertAfterHello = description;
    return this.hello;
  }

  private serverHello(msgType: number, body: Uint8Array): FirstAnswer | null {
    if (msgType !== HandshakeType.serverHello) throw new DecodeError('malformed', `expected ServerHello, got handshake type ${msgType}`);
    const sh = decodeServerHello(body);
    this.hello = { kind: 'hello', serverHello: sh, certificates: null, keyExchange: null, certificateRequest: null, flightComplete: false, alertAfterHello: null };
    // TLS 1.3 encrypts the rest of its flight: the ServerHello (or HelloRetryRequest) is the answer.
    return sh.isHelloRetryRequest || sh.version >= WireVersion['TLSv1.3'] ? this.hello : null;
  }

  /** The TLS <= 1.2 flight after the ServerHello (RFC 5246 §7.3); decided at ServerHelloDone. */
  private flightMessage(msgType: number, body: Uint8Array): FirstAnswer | null {
    const hello = this.hello!;
    const sh = hello.serverHello;
    switch (msgType) {
      case HandshakeType.certificate:
        hello.certificates = decodeCertificateList(body);
        return null;
      case HandshakeType.serverKeyExchange: {
        const format = keyExchangeFormat(sh.cipherSuite);
        // TLS 1.2 puts the signature scheme before a signed key exchange (RFC 5246 §7.4.3).
        const signed = sh.version === WireVersion['TLSv1.2'] && cipherSuiteById(sh.cipherSuite)?.auth !== 'anon';
        if (format) hello.keyExchange = decodeServerKeyExchange(body, format, signed);
        return null;
      }
      case HandshakeType.certificateRequest:
        hello.certificateRequest = { caNames: sh.version === WireVersion['TLSv1.2'] ? decodeCertificateRequest12(body).caNames : [] };
        return null;
      case HandshakeType.serverHelloDone:
        hello.flightComplete = true;
        return hello;
      default:
        return null;
    }
  }
}

/** An SSL 2.0 answer: SERVER-HELLO, or ERROR with its two-byte code. */
function sslv2Answer(msgType: number, body: Uint8Array): FirstAnswer {
  if (msgType === Sslv2MessageType.serverHello) return { kind: 'sslv2', hello: decodeSslv2ServerHello(body) };
  if (msgType === Sslv2MessageType.error) return { kind: 'sslv2-error', errorCode: ((body[0] ?? 0) << 8) | (body[1] ?? 0) };
  throw new DecodeError('malformed', `unexpected SSLv2 message type ${msgType}`);
}
