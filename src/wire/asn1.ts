/**
 * Just enough DER (X.690) to read what node:crypto's X509Certificate does not expose on
 * Node 20: the certificate's outer signatureAlgorithm (RFC 5280 §4.1.1.2). Bounds are checked
 * on every length, so a hostile certificate is a DecodeError, never an over-read.
 */
import { Reader, malformed } from './bytes.js';

interface Tlv {
  tag: number;
  value: Uint8Array;
}

function readTlv(r: Reader): Tlv {
  const tag = r.u8();
  if ((tag & 0x1f) === 0x1f) malformed('DER: multi-byte tags are not used in certificates');
  let length = r.u8();
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) malformed(`DER: length of ${n} bytes`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + r.u8();
  }
  return { tag, value: r.bytes(length) };
}

/** Dotted-decimal form of a DER OBJECT IDENTIFIER value. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) malformed('DER: empty OID');
  const parts: number[] = [];
  let n = 0;
  for (const b of value) {
    n = n * 128 + (b & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) malformed('DER: OID arc too large');
    if (!(b & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  // X.690 §8.19.2: an arc's last byte has bit 8 clear; otherwise the OID was cut short.
  if ((value[value.length - 1]! & 0x80) !== 0) malformed('DER: OID ends inside an arc');
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

function signatureAlgorithm(der: Uint8Array): Reader {
  const outer = readTlv(new Reader(der, 'Certificate', true));
  if (outer.tag !== 0x30) malformed('Certificate: not a SEQUENCE');
  const r = new Reader(outer.value, 'Certificate', true);
  readTlv(r); // tbsCertificate
  const algorithm = readTlv(r);
  if (algorithm.tag !== 0x30) malformed('Certificate: signatureAlgorithm is not a SEQUENCE');
  return new Reader(algorithm.value, 'AlgorithmIdentifier', true);
}

/** The OID of Certificate.signatureAlgorithm. */
export function certificateSignatureOid(der: Uint8Array): string {
  const oid = readTlv(signatureAlgorithm(der));
  if (oid.tag !== 0x06) malformed('Certificate: signatureAlgorithm has no OID');
  return decodeOid(oid.value);
}

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/**
 * The hash of an RSASSA-PSS signature: RSASSA-PSS-params.hashAlgorithm ([0], RFC 4055 §3.1),
 * SHA-1 when absent (its DEFAULT). Null when the hash OID is not one we know.
 */
export function certificatePssHash(der: Uint8Array): string | null {
  const r = signatureAlgorithm(der);
  readTlv(r); // the RSASSA-PSS OID
  if (r.remaining === 0) return 'SHA-1';
  const params = readTlv(r);
  if (params.tag !== 0x30) malformed('RSASSA-PSS-params is not a SEQUENCE');
  const p = new Reader(params.value, 'RSASSA-PSS-params', true);
  while (p.remaining > 0) {
    const field = readTlv(p);
    if (field.tag !== 0xa0) continue;
    const algorithm = readTlv(new Reader(field.value, 'hashAlgorithm', true));
    if (algorithm.tag !== 0x30) malformed('RSASSA-PSS-params: hashAlgorithm is not a SEQUENCE');
    const oid = readTlv(new Reader(algorithm.value, 'hashAlgorithm', true));
    if (oid.tag !== 0x06) malformed('RSASSA-PSS-params: hashAlgorithm has no OID');
    return HASH_OIDS[decodeOid(oid.value)] ?? null;
  }
  return 'SHA-1';
}

/** Well-known signature algorithm OIDs: name and hash. */
export const SIGNATURE_OIDS: Readonly<Record<string, { name: string; hash: string | null }>> = {
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.1': { name: 'dsa-with-SHA224', hash: 'SHA-224' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'SHA-256' },
  '1.3.101.112': { name: 'Ed25519', hash: null },
  '1.3.101.113': { name: 'Ed448', hash: null },
  '2.16.840.1.101.3.4.3.17': { name: 'ML-DSA-44', hash: null },
  '2.16.840.1.101.3.4.3.18': { name: 'ML-DSA-65', hash: null },
  '2.16.840.1.101.3.4.3.19': { name: 'ML-DSA-87', hash: null },
};
