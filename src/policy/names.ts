/**
 * Names for the items a policy lists, both ways: codepoint -> the words a verdict prints
 * ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)"), and the names a policy file may use -> a
 * codepoint. IANA names come first, OpenSSL suite names and group aliases (P-256, prime256v1,
 * X25519) are accepted too, all case-insensitively; the registry guarantees they do not collide.
 */
import {
  CIPHER_SUITES,
  NAMED_GROUPS,
  PROTOCOLS,
  SIGNATURE_SCHEMES,
  cipherSuiteById,
  groupById,
  signatureSchemeById,
  sslv2CipherById,
  type ProtocolName,
} from '../registry/index.js';

/** Every protocol version by name, oldest first (the registry's order): the order policies and reports list them in. */
export const PROTOCOL_NAMES: readonly ProtocolName[] = PROTOCOLS.map((p) => p.name);

/** The three kinds of codepoint lists in a policy. */
export type ItemKind = 'suite' | 'group' | 'scheme';

/** '0x' and four lower-case hex digits (six for SSLv2 cipher kinds). */
export function hex(id: number, digits = 4): string {
  return `0x${id.toString(16).padStart(digits, '0')}`;
}

/** The registry name of a codepoint, or null when the registry does not know it. */
function itemName(kind: ItemKind, id: number): string | null {
  switch (kind) {
    case 'suite':
      return cipherSuiteById(id)?.iana ?? null;
    case 'group':
      return groupById(id)?.name ?? null;
    case 'scheme':
      return signatureSchemeById(id)?.name ?? null;
  }
}

/** "NAME (0xhhhh)", or "0xhhhh" alone for a codepoint the registry does not know. */
export function describeItem(kind: ItemKind, id: number): string {
  const name = itemName(kind, id);
  return name === null ? hex(id) : `${name} (${hex(id)})`;
}

/** An SSLv2 cipher kind in words: "SSL_CK_RC4_128_WITH_MD5 (0x010080)". */
export function describeSslv2Kind(id: number): string {
  const name = sslv2CipherById(id)?.name;
  return name === undefined ? hex(id, 6) : `${name} (${hex(id, 6)})`;
}

function index(entries: Iterable<readonly [string | null, number]>): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const [name, id] of entries) if (name !== null) map.set(name.toLowerCase(), id);
  return map;
}

const BY_NAME: Readonly<Record<ItemKind, ReadonlyMap<string, number>>> = {
  suite: index(CIPHER_SUITES.flatMap((s) => [[s.iana, s.id] as const, [s.openssl, s.id] as const])),
  group: index(NAMED_GROUPS.flatMap((g) => [g.name, ...g.aliases].map((n) => [n, g.id] as const))),
  scheme: index(SIGNATURE_SCHEMES.map((s) => [s.name, s.id] as const)),
};

/** The codepoint a name stands for (IANA name, OpenSSL name, group alias), or undefined. */
export function itemByName(kind: ItemKind, name: string): number | undefined {
  return BY_NAME[kind].get(name.toLowerCase());
}

/**
 * The curve name the probe reports for an EC certificate key ('P-256', or the OpenSSL name for
 * curves without a NIST name), from any name or alias of an EC group; undefined otherwise.
 */
export function certificateCurveName(name: string): string | undefined {
  const id = itemByName('group', name);
  const group = id === undefined ? undefined : groupById(id);
  if (group === undefined || (group.kind !== 'ec' && group.kind !== 'brainpool')) return undefined;
  return group.aliases.find((a) => /^P-\d+$/.test(a)) ?? group.name.replace(/tls13$/, '');
}

/** Certificate key types as the probe reports them (CertificateInfo.keyType). */
export const KEY_TYPES: readonly string[] = ['RSA', 'RSA-PSS', 'EC', 'DSA', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];

/** Certificate signature hashes as the probe reports them (CertificateInfo.signatureHash). */
export const SIGNATURE_HASHES: readonly string[] = ['MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'];

/** The canonical spelling of a key type ('ed25519', 'ml-dsa-44' from newer Node -> 'Ed25519', 'ML-DSA-44'). */
export function canonicalKeyType(name: string): string | undefined {
  return KEY_TYPES.find((k) => k.toLowerCase() === name.toLowerCase());
}

/** The canonical spelling of a hash ('sha256', 'SHA256', 'sha-256' -> 'SHA-256'). */
export function canonicalHash(name: string): string | undefined {
  const squeezed = name.toLowerCase().replace(/-/g, '');
  return SIGNATURE_HASHES.find((h) => h.toLowerCase().replace(/-/g, '') === squeezed);
}
