/**
 * Named groups for key exchange: the IANA "TLS Supported Groups" registry (RFC 8422 §5.1.1,
 * RFC 7919, RFC 8446 §4.2.7), reserved, unassigned and GREASE values (RFC 8701) left out.
 * Each group says which versions can negotiate it, how node:crypto can build a real key share
 * for it, and whether a scan should probe it. Codepoints share a number space with nothing: 23
 * is secp256r1 here and extended_master_secret among extensions.
 */

import { idByName } from './lookup.js';
import { FFDHE_PRIMES } from './ffdhe.js';
import type { ProtocolName } from './versions.js';

export { FFDHE_GENERATOR, FFDHE_PRIMES, FFDHE_PRIME_BITS, ffdheGroupForPrime } from './ffdhe.js';

/**
 * 'obsolete' is the IANA registry's "(OBSOLETE)" marker; 'private' a private-use codepoint that a
 * shipped stack implements (pre-standard post-quantum key exchanges), with its `source`.
 */
export type GroupKind = 'ec' | 'ecx' | 'brainpool' | 'ffdhe' | 'mlkem' | 'hybrid' | 'gost' | 'sm2' | 'explicit' | 'obsolete' | 'private';

/** How node:crypto makes a key share (TLS 1.3) or client key (TLS 1.2) for a group. */
export interface KeyShareRecipe {
  /** crypto.createECDH(curve): uncompressed point, RFC 8446 §4.2.8.2. */
  readonly curve?: string;
  /** crypto.generateKeyPairSync(okp): the raw 32/56-byte public key, RFC 8446 §4.2.8.2. */
  readonly okp?: 'x25519' | 'x448';
  /** The RFC 7919 prime (generator 2): Y = 2^x mod p left-padded to the prime's length, RFC 8446 §4.2.8.1. */
  readonly ffdhePrime?: string;
}

export interface NamedGroup {
  readonly id: number;
  /** IANA name; the registry's "(OBSOLETE)" marker becomes kind 'obsolete'. */
  readonly name: string;
  /** Other names: NIST (P-256), OpenSSL (prime256v1), FIPS 203 (ML-KEM-768), TC26 parameter sets. */
  readonly aliases: readonly string[];
  readonly kind: GroupKind;
  /** Curve bits, ffdhe prime bits, or the ML-KEM parameter (512/768/1024) for ML-KEM and hybrids. */
  readonly bits: number;
  /** The versions that can negotiate the group. */
  readonly versions: readonly ProtocolName[];
  /** null when node:crypto cannot make a real key share (ML-KEM, hybrids, GOST curves). */
  readonly keyShare: KeyShareRecipe | null;
  /** false for the arbitrary_explicit_* values, which name no group to ask for. */
  readonly probe: boolean;
  /** Where a codepoint outside the IANA registry comes from; null for registered ones. */
  readonly source: string | null;
}

// RFC 8422 and RFC 7919 negotiate groups for TLS 1.0-1.2 alike; SSL 3.0 hellos carry no extensions.
const TLS10_12: readonly ProtocolName[] = Object.freeze(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
const TLS10_13: readonly ProtocolName[] = Object.freeze(['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
const TLS13: readonly ProtocolName[] = Object.freeze(['TLSv1.3']);

function group(
  id: number,
  name: string,
  kind: GroupKind,
  bits: number,
  versions: readonly ProtocolName[],
  keyShare: KeyShareRecipe | null,
  aliases: readonly string[] = [],
  source: string | null = null,
): NamedGroup {
  return Object.freeze({ id, name, aliases: Object.freeze([...aliases]), kind, bits, versions, keyShare, probe: kind !== 'explicit', source });
}

/** A private-use TLS 1.3 key exchange of a shipped stack; no key share can be made for it here. */
function privateGroup(id: number, name: string, bits: number, source: string): NamedGroup {
  return group(id, name, 'private', bits, TLS13, null, [], source);
}

const CLOUDFLARE = 'Cloudflare\'s Go fork and circl (tls: X25519Kyber512Draft00 0xfe30, X25519Kyber768Draft00Old 0xfe31, P256Kyber768Draft00 0xfe32), 2022-2024';
const OQS_KYBER = 'oqs-provider for OpenSSL 3 (ALGORITHMS.md, Kyber round-3 defaults), 2022-2024';
const OQS_MLKEM = 'oqs-provider for OpenSSL 3 (ALGORITHMS.md, ML-KEM defaults of the 0.6 releases), 2024';

/** An RFC 8422 curve for TLS 1.0-1.2 that OpenSSL (hence node:crypto) knows by the same name. */
function legacyCurve(id: number, name: string, bits: number, aliases: readonly string[] = []): NamedGroup {
  return group(id, name, 'ec', bits, TLS10_12, { curve: name }, aliases);
}

function ffdhe(id: number, bits: number): NamedGroup {
  return group(id, `ffdhe${bits}`, 'ffdhe', bits, TLS10_13, { ffdhePrime: FFDHE_PRIMES[id]! });
}

/** Every named group fipscan knows, sorted by codepoint. */
export const NAMED_GROUPS: readonly NamedGroup[] = Object.freeze([
  legacyCurve(1, 'sect163k1', 163, ['K-163']),
  legacyCurve(2, 'sect163r1', 163),
  legacyCurve(3, 'sect163r2', 163, ['B-163']),
  legacyCurve(4, 'sect193r1', 193),
  legacyCurve(5, 'sect193r2', 193),
  legacyCurve(6, 'sect233k1', 233, ['K-233']),
  legacyCurve(7, 'sect233r1', 233, ['B-233']),
  legacyCurve(8, 'sect239k1', 239),
  legacyCurve(9, 'sect283k1', 283, ['K-283']),
  legacyCurve(10, 'sect283r1', 283, ['B-283']),
  legacyCurve(11, 'sect409k1', 409, ['K-409']),
  legacyCurve(12, 'sect409r1', 409, ['B-409']),
  legacyCurve(13, 'sect571k1', 571, ['K-571']),
  legacyCurve(14, 'sect571r1', 571, ['B-571']),
  legacyCurve(15, 'secp160k1', 160),
  legacyCurve(16, 'secp160r1', 160),
  legacyCurve(17, 'secp160r2', 160),
  legacyCurve(18, 'secp192k1', 192),
  group(19, 'secp192r1', 'ec', 192, TLS10_12, { curve: 'prime192v1' }, ['P-192', 'prime192v1']),
  legacyCurve(20, 'secp224k1', 224),
  legacyCurve(21, 'secp224r1', 224, ['P-224']),
  legacyCurve(22, 'secp256k1', 256),
  group(23, 'secp256r1', 'ec', 256, TLS10_13, { curve: 'prime256v1' }, ['P-256', 'prime256v1']),
  group(24, 'secp384r1', 'ec', 384, TLS10_13, { curve: 'secp384r1' }, ['P-384']),
  group(25, 'secp521r1', 'ec', 521, TLS10_13, { curve: 'secp521r1' }, ['P-521']),
  // RFC 7027 curves for TLS 1.2 and earlier; RFC 8734 gives TLS 1.3 its own codepoints (31-33).
  group(26, 'brainpoolP256r1', 'brainpool', 256, TLS10_12, { curve: 'brainpoolP256r1' }),
  group(27, 'brainpoolP384r1', 'brainpool', 384, TLS10_12, { curve: 'brainpoolP384r1' }),
  group(28, 'brainpoolP512r1', 'brainpool', 512, TLS10_12, { curve: 'brainpoolP512r1' }),
  group(29, 'x25519', 'ecx', 255, TLS10_13, { okp: 'x25519' }, ['X25519']),
  group(30, 'x448', 'ecx', 448, TLS10_13, { okp: 'x448' }, ['X448']),
  group(31, 'brainpoolP256r1tls13', 'brainpool', 256, TLS13, { curve: 'brainpoolP256r1' }),
  group(32, 'brainpoolP384r1tls13', 'brainpool', 384, TLS13, { curve: 'brainpoolP384r1' }),
  group(33, 'brainpoolP512r1tls13', 'brainpool', 512, TLS13, { curve: 'brainpoolP512r1' }),
  // RFC 9189 registers the GOST curves; RFC 9367 uses them in TLS 1.3. OpenSSL needs the GOST engine.
  group(34, 'GC256A', 'gost', 256, TLS13, null, ['id-tc26-gost-3410-2012-256-paramSetA']),
  group(35, 'GC256B', 'gost', 256, TLS13, null, ['id-tc26-gost-3410-2012-256-paramSetB']),
  group(36, 'GC256C', 'gost', 256, TLS13, null, ['id-tc26-gost-3410-2012-256-paramSetC']),
  group(37, 'GC256D', 'gost', 256, TLS13, null, ['id-tc26-gost-3410-2012-256-paramSetD']),
  group(38, 'GC512A', 'gost', 512, TLS13, null, ['id-tc26-gost-3410-2012-512-paramSetA']),
  group(39, 'GC512B', 'gost', 512, TLS13, null, ['id-tc26-gost-3410-2012-512-paramSetB']),
  group(40, 'GC512C', 'gost', 512, TLS13, null, ['id-tc26-gost-3410-2012-512-paramSetC']),
  // RFC 8998: plain ECDHE over the SM2 curve, uncompressed points.
  group(41, 'curveSM2', 'sm2', 256, TLS13, { curve: 'SM2' }, ['SM2']),
  ffdhe(256, 2048),
  ffdhe(257, 3072),
  ffdhe(258, 4096),
  ffdhe(259, 6144),
  ffdhe(260, 8192),
  group(512, 'MLKEM512', 'mlkem', 512, TLS13, null, ['ML-KEM-512']),
  group(513, 'MLKEM768', 'mlkem', 768, TLS13, null, ['ML-KEM-768']),
  group(514, 'MLKEM1024', 'mlkem', 1024, TLS13, null, ['ML-KEM-1024']),
  group(4587, 'SecP256r1MLKEM768', 'hybrid', 768, TLS13, null),
  group(4588, 'X25519MLKEM768', 'hybrid', 768, TLS13, null),
  group(4589, 'SecP384r1MLKEM1024', 'hybrid', 1024, TLS13, null),
  // Pre-standard Kyber hybrids: obsolete, yet still answered by servers built in 2023-2024.
  group(25497, 'X25519Kyber768Draft00', 'obsolete', 768, TLS13, null),
  group(25498, 'SecP256r1Kyber768Draft00', 'obsolete', 768, TLS13, null),
  // Private-use codepoints of pre-standard post-quantum key exchanges that shipped stacks answer.
  privateGroup(0x023a, 'kyber512', 512, OQS_KYBER),
  privateGroup(0x023c, 'kyber768', 768, OQS_KYBER),
  privateGroup(0x023d, 'kyber1024', 1024, OQS_KYBER),
  privateGroup(0x0247, 'oqs_mlkem512', 512, OQS_MLKEM),
  privateGroup(0x0248, 'oqs_mlkem768', 768, OQS_MLKEM),
  privateGroup(0x0249, 'oqs_mlkem1024', 1024, OQS_MLKEM),
  privateGroup(0x2f39, 'x25519_kyber512', 512, OQS_KYBER),
  privateGroup(0x2f3a, 'p256_kyber512', 512, OQS_KYBER),
  privateGroup(0x2f3c, 'p384_kyber768', 768, OQS_KYBER),
  privateGroup(0x2f3d, 'p521_kyber1024', 1024, OQS_KYBER),
  privateGroup(0x2f47, 'p256_mlkem512', 512, OQS_MLKEM),
  privateGroup(0x2f48, 'p384_mlkem768', 768, OQS_MLKEM),
  privateGroup(0x2f49, 'p521_mlkem1024', 1024, OQS_MLKEM),
  privateGroup(0x2f4a, 'p384_mlkem1024', 1024, OQS_MLKEM),
  privateGroup(0x2f90, 'x448_kyber768', 768, OQS_KYBER),
  privateGroup(0x2fb2, 'x25519_mlkem512', 512, OQS_MLKEM),
  privateGroup(0x2fb3, 'x448_mlkem768', 768, OQS_MLKEM),
  privateGroup(0x2fb4, 'x25519_mlkem768', 768, OQS_MLKEM),
  privateGroup(0x2fb5, 'p256_mlkem768', 768, OQS_MLKEM),
  privateGroup(0x4138, 'CECPQ2', 0, 'BoringSSL SSL_CURVE_CECPQ2 (X25519 + NTRU-HRSS), Google\'s 2019 experiment, removed in 2023'),
  privateGroup(0xfe30, 'X25519Kyber512Draft00', 512, CLOUDFLARE),
  privateGroup(0xfe31, 'X25519Kyber768Draft00Old', 768, CLOUDFLARE),
  privateGroup(0xfe32, 'P256Kyber768Draft00', 768, CLOUDFLARE),
  // RFC 4492 §5.1.1 explicit curves, deprecated by RFC 8422 §5.1.1.
  group(65281, 'arbitrary_explicit_prime_curves', 'explicit', 0, TLS10_12, null),
  group(65282, 'arbitrary_explicit_char2_curves', 'explicit', 0, TLS10_12, null),
].sort((a, b) => a.id - b.id));

const BY_ID: ReadonlyMap<number, NamedGroup> = new Map(NAMED_GROUPS.map((g) => [g.id, g]));

const BY_VERSION: ReadonlyMap<ProtocolName, readonly NamedGroup[]> = new Map(
  (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((v) => [
    v,
    Object.freeze(NAMED_GROUPS.filter((g) => g.probe && g.versions.includes(v))),
  ]),
);

/** The group with this codepoint, or undefined. */
export function groupById(id: number): NamedGroup | undefined {
  return BY_ID.get(id);
}

/**
 * The codepoint of the group with this IANA name (`x25519`, `secp256r1`, `X25519MLKEM768`):
 * how code outside the registry names a group. An unknown name is a programming error.
 */
export const groupId: (name: string) => number = idByName(NAMED_GROUPS, (g) => g.name, 'group');

/** The groups worth probing in a version, by codepoint. */
export function groupsForVersion(v: ProtocolName): readonly NamedGroup[] {
  return BY_VERSION.get(v) ?? [];
}
