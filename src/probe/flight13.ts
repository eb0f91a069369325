/**
 * A TLS 1.3 probe that reads past the ServerHello: real key shares whose private halves are kept
 * for the one connection (keyPair.ts), a HelloRetryRequest answered once with a share for the
 * group it names (and its cookie, RFC 8446 §4.1.2), and the encrypted flight opened up to the
 * CertificateVerify (tls13Flight.ts): the server's certificate chain and the scheme it signed
 * with. The TLS 1.3 signature-scheme step asks with it; the sweep's other probes stop at the
 * ServerHello (probe.ts). The outcome is a ProbeOutcome whose hello carries `flight13`.
 */
import { ALERT_LEVEL_WARNING, REFUSAL_ALERTS } from '../registry/alerts.js';
import { DecodeError } from '../wire/bytes.js';
import { buildClientHelloMessage, buildRecords, helloRecordVersion, type ClientHelloOptions } from '../wire/clientHello.js';
import { ServerStream, type ServerEvent } from '../wire/records.js';
import { decodeServerHello } from '../wire/serverMessages.js';
import { ContentType, HandshakeType } from '../registry/handshake.js';
import { WireVersion } from '../registry/versions.js';
import { decodeServerKeyShare } from '../wire/tls13Messages.js';
import { makeKeyPair, type KeyPair } from './keyPair.js';
import { converse, helloOptions, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import { ServerFlightReader } from './tls13Flight.js';
import { ProbeError } from './transport.js';

/** What a TLS 1.3 server's encrypted flight showed. */
export interface Flight13 {
  /** DER certificates, leaf first. */
  certificates: Uint8Array[];
  /** The CertificateVerify's SignatureScheme; null for a flight without one. */
  scheme: number | null;
  /** The signature checked against the leaf; null when node:crypto cannot check the scheme. */
  signatureValid: boolean | null;
  /** The server sent a CertificateRequest (RFC 8446 §4.3.2). */
  certificateRequested: boolean;
}

type Hello = Extract<ProbeOutcome, { kind: 'hello' }>;

/** A handshake message with its 4-byte header put back (what the transcript hashes). */
function handshakeMessage(msgType: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set([msgType, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]);
  out.set(body, 4);
  return out;
}

/** The state of one connection: our hellos, the server's, the encrypted records read so far. */
class Conversation13 {
  private pairs: KeyPair[];
  private clientHello: Uint8Array;
  private retry: { clientHello: Uint8Array; helloRetryRequest: Uint8Array } | null = null;
  private serverHello: Uint8Array | null = null;
  private readonly stream = new ServerStream(false, { keepApplicationData: true });
  /** The encrypted flight, from its first record on: keys derived once, each record opened as it comes. */
  private flight: ServerFlightReader | null = null;
  hello: Hello | null = null;
  outcome: ProbeOutcome | null = null;

  constructor(
    private readonly options: ClientHelloOptions,
    shareGroups: readonly number[],
  ) {
    this.pairs = shareGroups.flatMap((g) => makeKeyPair(g) ?? []);
    this.clientHello = buildClientHelloMessage({ ...options, keyShares: this.pairs.map((p) => p.share) });
  }

  /** The first ClientHello record. */
  firstRecord(): Uint8Array {
    return buildRecords(ContentType.handshake, helloRecordVersion(this.options.clientVersion), this.clientHello);
  }

  /** Takes bytes from the server; true once the flight (or an answer that ends it) is read. */
  take(chunk: Uint8Array, reply: (bytes: Uint8Array) => void): boolean {
    this.stream.feed(chunk);
    for (let e = this.stream.next(); e; e = this.stream.next()) {
      if (this.event(e, reply)) return true;
    }
    return false;
  }

  private event(e: ServerEvent, reply: (bytes: Uint8Array) => void): boolean {
    if (e.kind === 'alert') {
      // A warning that is not a refusal is not an answer (probe.ts reads alerts the same way).
      if (e.level === ALERT_LEVEL_WARNING && !REFUSAL_ALERTS.has(e.description)) return false;
      if (this.hello) this.hello.alertAfterHello = e.description;
      this.outcome = this.hello ?? { kind: 'alert', level: e.level, description: e.description };
      return true;
    }
    if (e.kind === 'handshake') return this.handshake(e.msgType, e.body, reply);
    if (e.kind === 'applicationData' && e.payload !== undefined && this.serverHello !== null) return this.tryFlight(e.payload);
    return false;
  }

  private handshake(msgType: number, body: Uint8Array, reply: (bytes: Uint8Array) => void): boolean {
    if (msgType !== HandshakeType.serverHello || this.serverHello !== null) throw new DecodeError('malformed', `unexpected handshake message ${msgType} in the clear`);
    const sh = decodeServerHello(body);
    this.hello = { kind: 'hello', serverHello: sh, certificates: null, keyExchange: null, certificateRequest: null, flightComplete: false, alertAfterHello: null };
    if (sh.version < WireVersion['TLSv1.3']) return this.done();
    if (!sh.isHelloRetryRequest) {
      this.serverHello = handshakeMessage(msgType, body);
      return false;
    }
    // One HelloRetryRequest is answered, when a share can be made for the group it names.
    const pair = this.retry === null && sh.keyShareGroup !== null ? makeKeyPair(sh.keyShareGroup) : null;
    if (pair === null) return this.done();
    this.retry = { clientHello: this.clientHello, helloRetryRequest: handshakeMessage(msgType, body) };
    this.pairs = [pair];
    this.clientHello = buildClientHelloMessage({ ...this.options, keyShares: [pair.share], ...(sh.cookie ? { cookie: sh.cookie } : {}) });
    reply(buildRecords(ContentType.handshake, helloRecordVersion(this.options.clientVersion), this.clientHello));
    this.hello = null;
    return false;
  }

  /** Reads one more encrypted record of the flight; true once the flight (or an alert inside it) is read. */
  private tryFlight(record: Uint8Array): boolean {
    this.flight ??= this.openFlight();
    const flight = this.flight.push(record);
    if (flight === null) return false;
    if (flight.kind === 'alert') {
      this.hello!.alertAfterHello = flight.description;
    } else {
      this.hello!.flight13 = {
        certificates: flight.certificates,
        scheme: flight.certificateVerify?.scheme ?? null,
        signatureValid: flight.signatureValid,
        certificateRequested: flight.certificateRequest !== null,
      };
    }
    return this.done();
  }

  /** The flight's reader, with the (EC)DHE secret of the share the server chose. */
  private openFlight(): ServerFlightReader {
    const share = decodeServerKeyShare(this.serverHello!.subarray(4));
    const pair = this.pairs.find((p) => p.share.group === share.group);
    if (!pair) throw new ProbeError('EBAD_KEY_SHARE', `the server chose group 0x${share.group.toString(16)}, which no share was sent for`);
    return new ServerFlightReader({ clientHello: this.clientHello, serverHello: this.serverHello!, sharedSecret: pair.secret(share), ...(this.retry ? { helloRetry: this.retry } : {}) });
  }

  private done(): boolean {
    this.outcome = this.hello;
    return true;
  }
}

/**
 * Sends a TLS 1.3 hello with real shares for `shareGroups` and reads the server's flight. Never
 * throws for what a server does: a failure to decrypt or decode is a `failed` outcome.
 */
export function probeFlight13(ctx: EndpointContext, spec: HelloSpec, shareGroups: readonly number[]): Promise<ProbeOutcome> {
  const options: ClientHelloOptions = helloOptions(ctx, spec);
  const conversation = new Conversation13(options, shareGroups);
  const take = (chunk: Uint8Array, reply: (bytes: Uint8Array) => void): boolean => conversation.take(chunk, reply);
  return converse(ctx, conversation.firstRecord(), take, () => conversation.outcome ?? conversation.hello);
}
