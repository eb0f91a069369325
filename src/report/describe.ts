/**
 * Names and labels both renderers print: codepoints as hex, a cipher suite (or SSLv2 cipher
 * kind) described from the registry, group names, yes/no/unknown. Kept in one place so the
 * table and the JSON document can never disagree about what 0xcca8 is called.
 */
import type { ProtocolName, Tri } from '../model/scan.js';
import { hex } from '../policy/names.js';
import { cipherSuiteById, type CipherMode } from '../registry/cipherSuites.js';
import { groupById } from '../registry/groups.js';
import { sslv2CipherById } from '../registry/sslv2.js';

// The order both reports list protocol versions in: the registry's, oldest first, as policies list them.
export { PROTOCOL_NAMES } from '../policy/names.js';

/** A suite codepoint in the form its protocol uses: 24-bit cipher kinds for SSLv2, else 16-bit. */
export function suiteHex(protocol: ProtocolName, id: number): string {
  return hex(id, protocol === 'SSLv2' ? 6 : 4);
}

/** A named group codepoint: 0x0017. */
export function groupHex(id: number): string {
  return hex(id, 4);
}

/** A signature scheme codepoint: 0x0804. */
export function schemeHex(id: number): string {
  return hex(id, 4);
}

/** A cipher suite as both reports show it; null fields for a codepoint the registry lacks. */
export interface SuiteDescription {
  hex: string;
  iana: string | null;
  openssl: string | null;
  kx: string | null;
  /** Bulk cipher with key size and mode: 'AES-128-GCM', 'CHACHA20-POLY1305', '3DES-CBC'. */
  encryption: string | null;
  bits: number | null;
}

/** Ciphers whose name carries no key size of its own (DES is 56, 3DES 168, SEED 128, ...). */
const SIZED = new Set(['AES', 'CAMELLIA', 'ARIA', 'RC4', 'RC2']);

const MODE_LABEL: Readonly<Partial<Record<CipherMode, string>>> = {
  GCM: 'GCM',
  CCM: 'CCM',
  CCM_8: 'CCM8',
  CBC: 'CBC',
  CTR: 'CTR',
  MGM: 'MGM',
  OCB: 'OCB',
};

/** 'AES-128-GCM', 'CHACHA20-POLY1305', '3DES-CBC', 'RC4-128', 'NULL', from registry fields. */
export function encryptionLabel(encryption: string, mode: CipherMode, bits: number): string {
  if (mode === 'CHACHA20_POLY1305') return 'CHACHA20-POLY1305';
  if (encryption === 'NULL') return 'NULL';
  if (encryption === 'AEGIS') return bits === 128 ? 'AEGIS-128L' : `AEGIS-${bits}`;
  if (encryption === 'ASCON') return 'ASCON-AEAD128';
  const parts = [encryption];
  if (SIZED.has(encryption)) parts.push(String(bits));
  const mode_ = MODE_LABEL[mode];
  if (mode_ !== undefined) parts.push(mode_);
  return parts.join('-');
}

/** The suite (SSLv2: cipher kind) with this codepoint, described for a report. */
export function describeSuite(protocol: ProtocolName, id: number): SuiteDescription {
  const hex = suiteHex(protocol, id);
  if (protocol === 'SSLv2') {
    const kind = sslv2CipherById(id);
    if (kind === undefined) return { hex, iana: null, openssl: null, kx: null, encryption: null, bits: null };
    // Every SSLv2 cipher kind uses RSA key exchange (draft-hickman-netscape-ssl-00 §2.6).
    const kx = kind.export ? 'RSA_EXPORT' : 'RSA';
    return { hex, iana: kind.name, openssl: kind.openssl, kx, encryption: encryptionLabel(kind.encryption, kind.mode, kind.bits), bits: kind.bits };
  }
  const suite = cipherSuiteById(id);
  if (suite === undefined) return { hex, iana: null, openssl: null, kx: null, encryption: null, bits: null };
  return {
    hex,
    iana: suite.iana,
    openssl: suite.openssl,
    kx: suite.kx,
    encryption: encryptionLabel(suite.encryption, suite.mode, suite.bits),
    bits: suite.bits,
  };
}

/** The IANA name of a group, or null when the registry lacks it. */
export function groupName(id: number): string | null {
  return groupById(id)?.name ?? null;
}

/** A Tri as a word. */
export function triWord(value: Tri): 'yes' | 'no' | 'unknown' {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

/**
 * ALPN protocols an Istio sidecar answers on its mTLS filter chain (what sidecar clients offer:
 * istio-peer-exchange, istio, istio-http/1.0, istio-http/1.1, istio-h2).
 */
const ISTIO_ALPN = /^istio(-peer-exchange|-http\/1\.[01]|-h2)?$/;

/**
 * What the handshake says about a service-mesh sidecar: an Istio ALPN answered, a client
 * certificate demanded (mTLS). null when it says nothing.
 */
export function sidecarWords(f: { alpn: string | null; clientCertificateRequired?: Tri | null }): string | null {
  const parts = [
    f.alpn !== null && ISTIO_ALPN.test(f.alpn) ? `Istio sidecar (ALPN ${f.alpn})` : '',
    f.clientCertificateRequired === true ? 'mTLS: a client certificate is required (suites still enumerated)' : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? null : parts.join(', ');
}

/** The plaintext check in a few words: what was sent and what came back. */
export function plaintextWords(p: { accepted: Tri; sent: string; protocol: string | null; evidence: string }): string {
  if (p.accepted === true) return `ACCEPTED: ${p.sent} request answered in ${p.protocol ?? 'plaintext'}: ${p.evidence}`;
  if (p.accepted === false) return `refused: ${p.sent} request, ${p.evidence}`;
  return `not determined: ${p.sent} request, ${p.evidence}`;
}
