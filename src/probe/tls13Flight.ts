/**
 * Opens a TLS 1.3 server's encrypted flight: from our ClientHello, the ServerHello, the (EC)DHE
 * shared secret and the encrypted records that followed, to the server's EncryptedExtensions,
 * CertificateRequest, certificate chain and CertificateVerify (RFC 8446 §4.3-4.4), with the
 * signature checked against the leaf. Reading stops at CertificateVerify (or at Finished, for a
 * flight without certificates): a probe needs no more, and never answers with its own Finished.
 *
 * Failures: DecodeError('truncated') when the records end before the flight does (read more and
 * call again); ProbeError EMALFORMED_RECORD for bytes that decrypt to nonsense, EDECRYPT for a tag
 * that does not verify, EUNSUPPORTED_SUITE for a suite that cannot be opened here. An alert the
 * server sends inside the flight is an outcome, not an error. A probe reading records as they
 * come pushes each into one ServerFlightReader instead: the keys are derived once and every record
 * is opened once.
 */
import { wireVersion } from '../registry/versions.js';
import { DecodeError } from '../wire/bytes.js';
import { ContentType } from '../registry/handshake.js';
import { decodeServerHello } from '../wire/serverMessages.js';
import { HandshakeType } from '../registry/handshake.js';
import {
  HandshakeSplitter,
  decodeCertificate13,
  decodeCertificateRequest13,
  decodeCertificateVerify,
  decodeEncryptedExtensions,
  decodeFinished,
  type CertificateRequest13,
  type CertificateVerify,
  type EncryptedExtensions,
  type HandshakeMessage,
} from '../wire/tls13Messages.js';
import { verifyServerSignature } from './certificateVerify.js';
import { ProbeError } from './errors.js';
import { RecordOpener, Transcript, handshakeSecrets, tls13Suite, type Tls13Suite } from './tls13Keys.js';

export interface ServerFlightInput {
  /** Our ClientHello as a handshake message (4-byte header included); the second one after a HelloRetryRequest. */
  clientHello: Uint8Array;
  /** The ServerHello as a handshake message; it names the suite. */
  serverHello: Uint8Array;
  /** The (EC)DHE shared secret (keyPair.ts `secret`). */
  sharedSecret: Uint8Array;
  /** The encrypted_record of each application_data record after the ServerHello, in order; ChangeCipherSpec excluded. */
  records: readonly Uint8Array[];
  /** When the server first answered with a HelloRetryRequest: the first ClientHello and the HRR, as handshake messages. */
  helloRetry?: { clientHello: Uint8Array; helloRetryRequest: Uint8Array };
}

export type ServerFlight =
  | {
      kind: 'flight';
      encryptedExtensions: EncryptedExtensions;
      certificateRequest: CertificateRequest13 | null;
      /** DER certificates, leaf first. */
      certificates: Uint8Array[];
      certificateVerify: CertificateVerify | null;
      /** The CertificateVerify signature checked against the leaf; null when node:crypto cannot check the scheme. */
      signatureValid: boolean | null;
      /** A Finished ended the flight without a CertificateVerify (a PSK handshake); its MAC is not checked. */
      finished: boolean;
    }
  /** The server sent an alert inside the flight; `messages`: the handshake types read before it. */
  | { kind: 'alert'; level: number; description: number; messages: number[] };

/** Decrypts and decodes the server's flight; see the module comment for what it throws. */
export function openServerFlight(input: ServerFlightInput): ServerFlight {
  const reader = new ServerFlightReader(input);
  for (const record of input.records) {
    const flight = reader.push(record);
    if (flight) return flight;
  }
  return asProbeError(() => reader.end(input.records.length));
}

/** `read`, with a malformed flight turned into the probe's EMALFORMED_RECORD. */
function asProbeError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof DecodeError && err.kind === 'malformed') throw new ProbeError('EMALFORMED_RECORD', `server flight: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * The flight read record by record: `push` each encrypted record as it arrives; it returns the
 * flight (or the alert inside it) once read, null while more records are needed, and throws as
 * openServerFlight does for anything else.
 */
export class ServerFlightReader {
  readonly #flight: FlightReader;

  constructor(input: Omit<ServerFlightInput, 'records'>) {
    this.#flight = asProbeError(() => new FlightReader(input));
  }

  push(record: Uint8Array): ServerFlight | null {
    return asProbeError(() => this.#flight.read(record));
  }

  /** After the last record: throws truncated, the flight having ended before CertificateVerify or Finished. */
  end(records: number): never {
    return this.#flight.end(records);
  }
}

/** The flight's state: the messages read so far, in the order RFC 8446 §4 fixes. */
class FlightReader {
  private readonly suite: Tls13Suite;
  private readonly transcript: Transcript;
  private readonly opener: RecordOpener;
  private readonly splitter = new HandshakeSplitter();
  private readonly messages: number[] = [];
  private encryptedExtensions: EncryptedExtensions | null = null;
  private certificateRequest: CertificateRequest13 | null = null;
  private certificates: Uint8Array[] | null = null;
  private outcome: ServerFlight | null = null;

  constructor(input: Omit<ServerFlightInput, 'records'>) {
    const hello = decodeServerHello(input.serverHello.subarray(4));
    if (hello.version !== wireVersion('TLSv1.3') || hello.isHelloRetryRequest) throw new DecodeError('malformed', 'the ServerHello does not negotiate TLS 1.3');
    this.suite = tls13Suite(hello.cipherSuite);
    this.transcript = input.helloRetry
      ? Transcript.afterHelloRetry(this.suite, input.helloRetry.clientHello, input.helloRetry.helloRetryRequest)
      : new Transcript(this.suite);
    this.transcript.add(input.clientHello).add(input.serverHello);
    const secrets = handshakeSecrets(this.suite, input.sharedSecret, this.transcript.digest());
    this.opener = new RecordOpener(this.suite, secrets.serverHandshakeTrafficSecret);
  }

  /** Opens the next record: the flight once it is read, null while it goes on. */
  read(record: Uint8Array): ServerFlight | null {
    const { contentType, content } = this.opener.open(record);
    if (contentType === ContentType.alert) return this.alert(content);
    if (contentType !== ContentType.handshake) throw new DecodeError('malformed', `content type ${contentType} inside the handshake flight`);
    for (const message of this.splitter.push(content)) {
      this.onMessage(message);
      if (this.outcome) return this.outcome;
    }
    return null;
  }

  end(records: number): never {
    this.splitter.end();
    throw new DecodeError('truncated', `the flight ends after ${records} record(s), before CertificateVerify or Finished`);
  }

  private alert(content: Uint8Array): ServerFlight {
    if (content.length !== 2) throw new DecodeError('malformed', `alert of ${content.length} bytes`);
    return { kind: 'alert', level: content[0]!, description: content[1]!, messages: this.messages };
  }

  /** Takes one message in the order EncryptedExtensions, [CertificateRequest], Certificate, CertificateVerify (or Finished). */
  private onMessage(message: HandshakeMessage): void {
    const { msgType, body } = message;
    this.expect(msgType);
    this.messages.push(msgType);
    switch (msgType) {
      case HandshakeType.encryptedExtensions:
        this.encryptedExtensions = decodeEncryptedExtensions(body);
        break;
      case HandshakeType.certificateRequest:
        this.certificateRequest = decodeCertificateRequest13(body);
        break;
      case HandshakeType.certificate:
        this.certificates = decodeCertificate13(body);
        if (this.certificates.length === 0) throw new DecodeError('malformed', 'the server sent an empty certificate_list');
        break;
      case HandshakeType.certificateVerify:
        this.outcome = this.verified(decodeCertificateVerify(body));
        return; // the signature covers the transcript before this message
      case HandshakeType.finished:
        decodeFinished(body, this.suite.hashLength);
        this.outcome = this.flight(null, null, true);
        return;
    }
    this.transcript.add(message.raw);
  }

  /** Throws malformed when `msgType` cannot come next (RFC 8446 §4: unexpected_message). */
  private expect(msgType: number): void {
    const allowed = this.nextAllowed();
    if (!allowed.includes(msgType)) {
      throw new DecodeError('malformed', `handshake message ${msgType} after [${this.messages.join(', ')}]; expected one of ${allowed.join(', ')}`);
    }
  }

  /** RFC 8446 §2: EncryptedExtensions, then CertificateRequest if any, Certificate, CertificateVerify; Finished at once for a PSK. */
  private nextAllowed(): number[] {
    if (!this.encryptedExtensions) return [HandshakeType.encryptedExtensions];
    if (this.certificates) return [HandshakeType.certificateVerify];
    if (this.certificateRequest) return [HandshakeType.certificate];
    return [HandshakeType.certificateRequest, HandshakeType.certificate, HandshakeType.finished];
  }

  /** The CertificateVerify checked against the leaf; nextAllowed() let it in only after a non-empty Certificate. */
  private verified(certificateVerify: CertificateVerify): ServerFlight {
    const leaf = this.certificates![0]!;
    const valid = verifyServerSignature(leaf, certificateVerify.scheme, certificateVerify.signature, this.transcript.digest());
    return this.flight(certificateVerify, valid, false);
  }

  private flight(certificateVerify: CertificateVerify | null, signatureValid: boolean | null, finished: boolean): ServerFlight {
    return {
      kind: 'flight',
      encryptedExtensions: this.encryptedExtensions!,
      certificateRequest: this.certificateRequest,
      certificates: this.certificates ?? [],
      certificateVerify,
      signatureValid,
      finished,
    };
  }
}
