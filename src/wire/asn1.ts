/**
 * Just enough DER (X.690) to read what node:crypto's X509Certificate does not expose on
 * Node 20: the certificate's outer signatureAlgorithm (RFC 5280 §4.1.1.2), and a bare
 * distinguished name (the CA names of a CertificateRequest). Bounds are checked on every
 * length, so a hostile certificate is a DecodeError, never an over-read.
 */
import { Reader, malformed } from './bytes.js';

export interface Tlv {
  tag: number;
  value: Uint8Array;
}

/** One tag-length-value (single-byte tag, definite length of at most 4 bytes). */
export function readTlv(r: Reader): Tlv {
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

/** Short names of the attribute types X.509 names use (RFC 4519, RFC 5280 §4.1.2.4), as OpenSSL prints them. */
const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** The text of a DirectoryString / IA5String / PrintableString value (X.520); hex for other types. */
function attributeText(v: Tlv): string {
  switch (v.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder('utf-8').decode(v.value);
    case 0x1e: { // BMPString: UCS-2 big-endian
      let s = '';
      for (let i = 0; i + 1 < v.value.length; i += 2) s += String.fromCharCode((v.value[i]! << 8) | v.value[i + 1]!);
      return s;
    }
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // TeletexString (read as Latin-1, as OpenSSL does)
    case 0x1a: // VisibleString
      return new TextDecoder('latin1').decode(v.value);
    default:
      return `#${[...v.value].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
}

/**
 * A DER Name (RFC 5280 §4.1.2.4) as one line, in DER order like node:crypto's `subject`:
 * `C=US, O=Example, CN=Example CA`. Multi-valued RDNs are joined with `+`.
 */
export function decodeDistinguishedName(der: Uint8Array): string {
  const outer = readTlv(new Reader(der, 'Name', true));
  if (outer.tag !== 0x30) malformed('Name: not a SEQUENCE');
  const rdns = new Reader(outer.value, 'Name', true);
  const parts: string[] = [];
  while (rdns.remaining > 0) {
    const set = readTlv(rdns);
    if (set.tag !== 0x31) malformed('Name: RelativeDistinguishedName is not a SET');
    const attributes = new Reader(set.value, 'RelativeDistinguishedName', true);
    const rdn: string[] = [];
    while (attributes.remaining > 0) {
      const atv = readTlv(attributes);
      if (atv.tag !== 0x30) malformed('Name: AttributeTypeAndValue is not a SEQUENCE');
      const r = new Reader(atv.value, 'AttributeTypeAndValue', true);
      const type = readTlv(r);
      if (type.tag !== 0x06) malformed('Name: attribute type is not an OID');
      const oid = decodeOid(type.value);
      rdn.push(`${NAME_ATTRIBUTES[oid] ?? oid}=${attributeText(readTlv(r))}`);
      r.done();
    }
    parts.push(rdn.join(' + '));
  }
  return parts.join(', ');
}
