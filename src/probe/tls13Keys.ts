/**
 * The TLS 1.3 key schedule up to the server's handshake traffic keys (RFC 8446 §7.1, §7.3), the
 * transcript hash (§4.4.1), and the record protection that opens the server's encrypted
 * handshake records (§5.2, §5.3), with node:crypto. Only what reading a server's flight needs:
 * no PSK (the early secret comes from zeros), no application traffic keys, no encryption.
 * The five TLS 1.3 suites are known; CCM is used when this Node's OpenSSL has it.
 */
import {
  createDecipheriv,
  createHash,
  createHmac,
  getCiphers,
  type DecipherCCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  type Hash,
} from 'node:crypto';
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { ContentType } from '../registry/handshake.js';
import { WireVersion } from '../registry/versions.js';
import { concat, malformed } from '../wire/bytes.js';
import { encodeHkdfLabel, encodeMessageHash, unpadInnerPlaintext } from '../wire/tls13Messages.js';
import { ProbeError } from './errors.js';

/** What a TLS 1.3 suite needs from node:crypto: its hash (HKDF, transcript) and its AEAD. */
export interface Tls13Suite {
  /** IANA name. */
  name: string;
  hash: 'sha256' | 'sha384';
  hashLength: number;
  /** node:crypto cipher name. */
  aead: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm';
  keyLength: number;
  tagLength: 16 | 8;
}

/** RFC 8446 §5.3: every TLS 1.3 AEAD takes a 12-byte nonce (iv_length = max(8, N_MIN) = 12). */
const IV_LENGTH = 12;
/** RFC 8446 §5.2: a TLSCiphertext's encrypted_record is at most 2^14 + 256 bytes. */
const MAX_CIPHERTEXT_LENGTH = 16384 + 256;

const SHA256 = { hash: 'sha256', hashLength: 32 } as const;
const SHA384 = { hash: 'sha384', hashLength: 48 } as const;

/** RFC 8446 §B.4 and RFC 8446 §5.3, keyed by IANA name so that codepoints stay in the registry. */
const SUITES: Readonly<Record<string, Omit<Tls13Suite, 'name'>>> = {
  TLS_AES_128_GCM_SHA256: { ...SHA256, aead: 'aes-128-gcm', keyLength: 16, tagLength: 16 },
  TLS_AES_256_GCM_SHA384: { ...SHA384, aead: 'aes-256-gcm', keyLength: 32, tagLength: 16 },
  TLS_CHACHA20_POLY1305_SHA256: { ...SHA256, aead: 'chacha20-poly1305', keyLength: 32, tagLength: 16 },
  TLS_AES_128_CCM_SHA256: { ...SHA256, aead: 'aes-128-ccm', keyLength: 16, tagLength: 16 },
  TLS_AES_128_CCM_8_SHA256: { ...SHA256, aead: 'aes-128-ccm', keyLength: 16, tagLength: 8 },
};

/** The suite's parameters; EUNSUPPORTED_SUITE for a codepoint that is not a TLS 1.3 suite this Node can open. */
export function tls13Suite(id: number): Tls13Suite {
  const name = cipherSuiteById(id)?.iana;
  const params = name === undefined ? undefined : SUITES[name];
  const hex = `0x${id.toString(16).padStart(4, '0')}`;
  if (!name || !params) throw new ProbeError('EUNSUPPORTED_SUITE', `cipher suite ${hex} is not a TLS 1.3 suite that can be decrypted here`);
  if (!getCiphers().includes(params.aead)) throw new ProbeError('EUNSUPPORTED_SUITE', `${name} (${hex}): this Node's OpenSSL has no ${params.aead}`);
  return { name, ...params };
}

/** HKDF-Extract (RFC 5869 §2.2). */
function hkdfExtract(suite: Tls13Suite, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(suite.hash, salt).update(ikm).digest());
}

/** HKDF-Expand (RFC 5869 §2.3); `length` is at most 255 hash lengths, and TLS asks for far less. */
function hkdfExpand(suite: Tls13Suite, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  let previous = new Uint8Array(0);
  for (let i = 1, have = 0; have < length; i++, have += suite.hashLength) {
    previous = new Uint8Array(createHmac(suite.hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest());
    blocks.push(previous);
  }
  return concat(blocks).slice(0, length);
}

/** HKDF-Expand-Label (RFC 8446 §7.1). */
export function hkdfExpandLabel(suite: Tls13Suite, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(suite, secret, encodeHkdfLabel(length, label, context), length);
}

/** Derive-Secret (RFC 8446 §7.1), with the transcript already hashed. */
function deriveSecret(suite: Tls13Suite, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(suite, secret, label, transcriptHash, suite.hashLength);
}

export interface HandshakeSecrets {
  earlySecret: Uint8Array;
  /** Derive-Secret(early_secret, "derived", ""): the salt of the handshake secret. */
  derivedSecret: Uint8Array;
  handshakeSecret: Uint8Array;
  clientHandshakeTrafficSecret: Uint8Array;
  serverHandshakeTrafficSecret: Uint8Array;
}

/**
 * The key schedule of RFC 8446 §7.1 from an (EC)DHE shared secret to the handshake traffic
 * secrets, without a PSK; `helloHash` is Transcript-Hash(ClientHello..ServerHello).
 */
export function handshakeSecrets(suite: Tls13Suite, sharedSecret: Uint8Array, helloHash: Uint8Array): HandshakeSecrets {
  const zeros = new Uint8Array(suite.hashLength);
  const earlySecret = hkdfExtract(suite, zeros, zeros);
  const derivedSecret = deriveSecret(suite, earlySecret, 'derived', new Transcript(suite).digest());
  const handshakeSecret = hkdfExtract(suite, derivedSecret, sharedSecret);
  return {
    earlySecret,
    derivedSecret,
    handshakeSecret,
    clientHandshakeTrafficSecret: deriveSecret(suite, handshakeSecret, 'c hs traffic', helloHash),
    serverHandshakeTrafficSecret: deriveSecret(suite, handshakeSecret, 's hs traffic', helloHash),
  };
}

/** The write key and IV of a traffic secret (RFC 8446 §7.3). */
export function trafficKeys(suite: Tls13Suite, secret: Uint8Array): { key: Uint8Array; iv: Uint8Array } {
  return {
    key: hkdfExpandLabel(suite, secret, 'key', new Uint8Array(0), suite.keyLength),
    iv: hkdfExpandLabel(suite, secret, 'iv', new Uint8Array(0), IV_LENGTH),
  };
}

/** The per-record nonce (RFC 8446 §5.3): the 64-bit sequence number, left-padded, XORed into the IV. */
export function recordNonce(iv: Uint8Array, sequence: number): Uint8Array {
  const nonce = iv.slice();
  let seq = BigInt(sequence);
  for (let i = nonce.length - 1; i >= nonce.length - 8; i--, seq >>= 8n) nonce[i]! ^= Number(seq & 0xffn);
  return nonce;
}

/** The running transcript hash (RFC 8446 §4.4.1) over whole handshake messages, headers included. */
export class Transcript {
  private readonly hash: Hash;
  constructor(suite: Tls13Suite) {
    this.hash = createHash(suite.hash);
  }

  /**
   * The transcript after a HelloRetryRequest: message_hash(ClientHello1), then the
   * HelloRetryRequest, as the start of what the second ClientHello continues.
   */
  static afterHelloRetry(suite: Tls13Suite, clientHello1: Uint8Array, helloRetryRequest: Uint8Array): Transcript {
    const first = new Uint8Array(createHash(suite.hash).update(clientHello1).digest());
    return new Transcript(suite).add(encodeMessageHash(first)).add(helloRetryRequest);
  }

  add(message: Uint8Array): this {
    this.hash.update(message);
    return this;
  }

  /** The hash so far; the transcript can go on. */
  digest(): Uint8Array {
    return new Uint8Array(this.hash.copy().digest());
  }
}

/**
 * Opens protected records in order (RFC 8446 §5.2): the sequence number starts at 0 and counts
 * every record; the additional data is the record header. A tag that does not verify is EDECRYPT
 * (wrong keys, or a tampered record); an impossible length or padding is a malformed DecodeError.
 */
export class RecordOpener {
  private sequence = 0;
  private readonly key: Uint8Array;
  private readonly iv: Uint8Array;

  constructor(
    private readonly suite: Tls13Suite,
    trafficSecret: Uint8Array,
  ) {
    ({ key: this.key, iv: this.iv } = trafficKeys(suite, trafficSecret));
  }

  /** Decrypts one encrypted_record (the record payload, header excluded) into its content type and content. */
  open(encryptedRecord: Uint8Array): { contentType: number; content: Uint8Array } {
    const { length } = encryptedRecord;
    if (length > MAX_CIPHERTEXT_LENGTH) malformed(`encrypted record of ${length} bytes exceeds 2^14 + 256 (record_overflow)`);
    if (length < this.suite.tagLength + 1) malformed(`encrypted record of ${length} bytes cannot hold a ${this.suite.tagLength}-byte tag and a content type`);
    const sequence = this.sequence++;
    // RFC 8446 §5.2: the record header is the additional data; every protected record is application_data, version 0x0303.
    const legacyVersion = WireVersion['TLSv1.2'];
    const additionalData = Uint8Array.of(ContentType.applicationData, legacyVersion >> 8, legacyVersion & 0xff, length >> 8, length & 0xff);
    const ciphertext = encryptedRecord.subarray(0, length - this.suite.tagLength);
    const tag = encryptedRecord.subarray(length - this.suite.tagLength);
    return unpadInnerPlaintext(this.decrypt(sequence, additionalData, ciphertext, tag));
  }

  private decrypt(sequence: number, additionalData: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array {
    const decipher = createAeadDecipher(this.suite, this.key, recordNonce(this.iv, sequence));
    decipher.setAuthTag(tag);
    // CCM must know the plaintext length before it sees any data; the other AEADs ignore it.
    decipher.setAAD(additionalData, { plaintextLength: ciphertext.length });
    try {
      return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    } catch (err) {
      throw new ProbeError('EDECRYPT', `record ${sequence}: the ${this.suite.name} tag does not verify (wrong keys or a tampered record)`, { cause: err });
    }
  }
}

/** createDecipheriv per AEAD family: node's typings pick the options type by the literal cipher name. */
function createAeadDecipher(suite: Tls13Suite, key: Uint8Array, nonce: Uint8Array): DecipherGCM | DecipherCCM | DecipherChaCha20Poly1305 {
  const options = { authTagLength: suite.tagLength };
  switch (suite.aead) {
    case 'aes-128-ccm':
      return createDecipheriv(suite.aead, key, nonce, options);
    case 'chacha20-poly1305':
      return createDecipheriv(suite.aead, key, nonce, options);
    default:
      return createDecipheriv(suite.aead, key, nonce, options);
  }
}
