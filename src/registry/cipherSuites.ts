/**
 * Cipher suites (RFC 8446 §B.4, RFC 5246 §A.5) with the properties a scanner and a policy need:
 * key exchange, authentication, bulk cipher and mode, key bits, MAC, export status and the
 * protocol versions to offer each suite in. The rows live in cipherSuiteData.ts; the properties
 * are derived here, once at module load, from the IANA name, whose grammar is regular enough
 * (TLS_<kx>_<auth>[_EXPORT]_WITH_<cipher>_<mac>, or TLS_<aead>_<hash> for TLS 1.3). A name the
 * grammar does not cover throws at load, so a new registry row cannot slip in half-described.
 */

import { idByName } from './lookup.js';
import { EXTRA_SUITE_ROWS, IANA_SUITE_ROWS, type ExtraSuiteRow, type SuiteRow } from './cipherSuiteData.js';
import type { ProtocolName } from './versions.js';

export type CipherMode =
  | 'GCM'
  | 'CCM'
  | 'CCM_8'
  | 'CBC'
  | 'STREAM'
  | 'CHACHA20_POLY1305'
  | 'NULL'
  | 'MGM'
  | 'OCB'
  | 'CTR'
  | 'OTHER';

export interface CipherSuite {
  /** 16-bit codepoint. */
  readonly id: number;
  /** IANA name, or the conventional name for a codepoint IANA does not assign. */
  readonly iana: string;
  /** OpenSSL name where OpenSSL has (or had) one. */
  readonly openssl: string | null;
  /**
   * Key exchange: 'RSA', 'RSA_EXPORT' (temporary 512/1024-bit RSA key, RFC 2246 §7.4.3), 'DH',
   * 'DHE', 'ECDH', 'ECDHE', 'PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK', 'SRP', 'KRB5', 'ECCPWD',
   * 'GOST', 'NULL', or 'ANY' for TLS 1.3. Anonymous suites keep the IANA 'DH'/'ECDH' with auth
   * 'anon', although their keys are ephemeral (RFC 5246 §7.4.3, RFC 8422 §2.3).
   */
  readonly kx: string;
  /** 'RSA', 'DSS', 'ECDSA', 'anon', 'PSK', 'SRP', 'KRB5', 'ECCPWD', 'GOST', 'NULL', 'ANY'. */
  readonly auth: string;
  /** 'AES', '3DES', 'DES', 'DES40', 'RC4', 'RC2', 'IDEA', 'SEED', 'CAMELLIA', 'ARIA', 'CHACHA20', 'SM4', 'GOST28147', 'KUZNYECHIK', 'MAGMA', 'AEGIS', 'ASCON', 'NULL'. */
  readonly encryption: string;
  readonly mode: CipherMode;
  /** Symmetric key bits: 0 for NULL, the effective bits for export ciphers (40, 56). */
  readonly bits: number;
  /** 'AEAD', 'SHA' (HMAC-SHA1), 'SHA256', 'SHA384', 'MD5', 'GOST', 'NULL'. */
  readonly mac: string;
  readonly export: boolean;
  /** Signalling value (RFC 5746 §3.3, RFC 7507 §2), never offered as a suite. */
  readonly scsv: boolean;
  /** The versions a scanner offers the suite in; over-inclusive on purpose, empty for SCSVs. */
  readonly versions: readonly ProtocolName[];
  /** false for the codepoints of EXTRA_SUITE_ROWS. */
  readonly iana_registered: boolean;
  /** Where a codepoint outside the IANA registry comes from (a draft, an implementation); null for registered ones. */
  readonly source: string | null;
}

export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
export const TLS_FALLBACK_SCSV = 0x5600;

const LEGACY: readonly ProtocolName[] = Object.freeze(['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
const TLS10_TO_12: readonly ProtocolName[] = Object.freeze(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
const TLS12: readonly ProtocolName[] = Object.freeze(['TLSv1.2']);
const TLS13: readonly ProtocolName[] = Object.freeze(['TLSv1.3']);
const NONE: readonly ProtocolName[] = Object.freeze([]);

/** RFC 9189 GOST suites for TLS 1.2; RFC 9367's MGM suites are TLS 1.3 only. */
const GOST_TLS12 = new Set([0xc100, 0xc101, 0xc102]);

/** The part before _WITH_, export marker removed: [kx, auth]. */
const KEY_EXCHANGES: Readonly<Record<string, readonly [string, string]>> = {
  NULL: ['NULL', 'NULL'],
  RSA: ['RSA', 'RSA'],
  RSA_FIPS: ['RSA', 'RSA'],
  RSA_OLDFIPS: ['RSA', 'RSA'],
  DH_DSS: ['DH', 'DSS'],
  DH_RSA: ['DH', 'RSA'],
  DHE_DSS: ['DHE', 'DSS'],
  DHE_RSA: ['DHE', 'RSA'],
  DH_anon: ['DH', 'anon'],
  ECDH_ECDSA: ['ECDH', 'ECDSA'],
  ECDH_RSA: ['ECDH', 'RSA'],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA'],
  ECDHE_RSA: ['ECDHE', 'RSA'],
  ECDH_anon: ['ECDH', 'anon'],
  KRB5: ['KRB5', 'KRB5'],
  PSK: ['PSK', 'PSK'],
  DHE_PSK: ['DHE_PSK', 'PSK'],
  PSK_DHE: ['DHE_PSK', 'PSK'], // 0xC0AA/0xC0AB: RFC 6655 spells DHE_PSK backwards
  RSA_PSK: ['RSA_PSK', 'RSA'],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK'],
  SRP_SHA: ['SRP', 'SRP'],
  SRP_SHA_RSA: ['SRP', 'RSA'],
  SRP_SHA_DSS: ['SRP', 'DSS'],
  ECCPWD: ['ECCPWD', 'ECCPWD'],
  GOSTR341094: ['GOST', 'GOST'],
  GOSTR341001: ['GOST', 'GOST'],
  GOSTR341112_256: ['GOST', 'GOST'],
  SRP_SHA_ECDSA: ['SRP', 'ECDSA'],
  CECPQ1_RSA: ['CECPQ1', 'RSA'],
  CECPQ1_ECDSA: ['CECPQ1', 'ECDSA'],
};

interface Bulk {
  readonly encryption: string;
  readonly mode: CipherMode;
  readonly bits: number;
}

const FIXED_BULK: Readonly<Record<string, Bulk>> = {
  NULL: { encryption: 'NULL', mode: 'NULL', bits: 0 },
  IDEA_CBC: { encryption: 'IDEA', mode: 'CBC', bits: 128 },
  SEED_CBC: { encryption: 'SEED', mode: 'CBC', bits: 128 },
  DES40_CBC: { encryption: 'DES40', mode: 'CBC', bits: 40 },
  DES_CBC_40: { encryption: 'DES40', mode: 'CBC', bits: 40 }, // RFC 2712 spelling
  DES_CBC: { encryption: 'DES', mode: 'CBC', bits: 56 },
  '3DES_EDE_CBC': { encryption: '3DES', mode: 'CBC', bits: 168 },
  CHACHA20_POLY1305: { encryption: 'CHACHA20', mode: 'CHACHA20_POLY1305', bits: 256 },
  '28147_CNT': { encryption: 'GOST28147', mode: 'CTR', bits: 256 },
  KUZNYECHIK_CTR: { encryption: 'KUZNYECHIK', mode: 'CTR', bits: 256 },
  MAGMA_CTR: { encryption: 'MAGMA', mode: 'CTR', bits: 256 },
  KUZNYECHIK_MGM_L: { encryption: 'KUZNYECHIK', mode: 'MGM', bits: 256 },
  KUZNYECHIK_MGM_S: { encryption: 'KUZNYECHIK', mode: 'MGM', bits: 256 },
  MAGMA_MGM_L: { encryption: 'MAGMA', mode: 'MGM', bits: 256 },
  MAGMA_MGM_S: { encryption: 'MAGMA', mode: 'MGM', bits: 256 },
  SM4_GCM: { encryption: 'SM4', mode: 'GCM', bits: 128 },
  SM4_CCM: { encryption: 'SM4', mode: 'CCM', bits: 128 },
  AEGIS_128L: { encryption: 'AEGIS', mode: 'OTHER', bits: 128 },
  AEGIS_256: { encryption: 'AEGIS', mode: 'OTHER', bits: 256 },
  ASCONAEAD128: { encryption: 'ASCON', mode: 'OTHER', bits: 128 },
};

function parseBulk(cipher: string): Bulk | undefined {
  const fixed = FIXED_BULK[cipher];
  if (fixed) return fixed;
  const block = /^(AES|CAMELLIA|ARIA)_(128|256)_(CBC|GCM|CCM|CCM_8|OCB)$/.exec(cipher);
  if (block) return { encryption: block[1]!, mode: block[3] as CipherMode, bits: Number(block[2]) };
  const rc4 = /^RC4_(40|56|128)$/.exec(cipher);
  if (rc4) return { encryption: 'RC4', mode: 'STREAM', bits: Number(rc4[1]) };
  const rc2 = /^RC2_CBC_(40|56)$/.exec(cipher);
  if (rc2) return { encryption: 'RC2', mode: 'CBC', bits: Number(rc2[1]) };
  return undefined;
}

/** Ciphers that carry their own integrity: the suite's trailing hash is then only the PRF's. */
const AEAD_MODES: ReadonlySet<CipherMode> = new Set(['GCM', 'CCM', 'CCM_8', 'CHACHA20_POLY1305', 'MGM', 'OCB', 'OTHER']);

const MACS: Readonly<Record<string, string>> = {
  SHA: 'SHA',
  SHA256: 'SHA256',
  SHA384: 'SHA384',
  MD5: 'MD5',
  NULL: 'NULL',
  IMIT: 'GOST', // GOST 28147-89 imitovstavka
  OMAC: 'GOST', // Kuznyechik/Magma OMAC (RFC 9189)
  GOSTR3411: 'GOST',
};

const PSK_KX = new Set(['PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK']);

type Derived = Omit<CipherSuite, 'id' | 'iana' | 'openssl' | 'iana_registered' | 'source'>;

/** TLS_<aead>_<hash> (RFC 8446 §B.4, RFC 8998, RFC 9150 integrity-only, AEGIS, Ascon). */
function parseTls13(body: string): Derived | undefined {
  const integrityOnly = /^SHA(256|384)_SHA\1$/.exec(body);
  if (integrityOnly) {
    return { kx: 'ANY', auth: 'ANY', ...FIXED_BULK.NULL!, mac: `SHA${integrityOnly[1]!}`, export: false, scsv: false, versions: TLS13 };
  }
  const cut = body.lastIndexOf('_');
  const bulk = cut > 0 ? parseBulk(body.slice(0, cut)) : undefined;
  if (!bulk || !AEAD_MODES.has(bulk.mode)) return undefined;
  return { kx: 'ANY', auth: 'ANY', ...bulk, mac: 'AEAD', export: false, scsv: false, versions: TLS13 };
}

/** Properties of a suite, from its name. Throws when the name does not follow the grammar. */
function derive(id: number, name: string): Derived {
  if (/_SCSV$/.test(name)) {
    return { kx: 'NULL', auth: 'NULL', ...FIXED_BULK.NULL!, mac: 'NULL', export: false, scsv: true, versions: NONE };
  }
  const body = name.replace(/^(TLS|SSL)_/, '').replace(/_(OLD|LEGACY)$/, '');
  const withAt = body.indexOf('_WITH_');
  if (withAt < 0) {
    const tls13 = parseTls13(body);
    if (tls13) return tls13;
    throw new Error(`cipher suite 0x${id.toString(16)} ${name}: name not understood`);
  }
  const exchange = body.slice(0, withAt);
  const exported = /_EXPORT(1024)?$/.test(exchange);
  const kxAuth = KEY_EXCHANGES[exchange.replace(/_EXPORT(1024)?$/, '')];
  const tail = /^(.*?)(?:_(SHA|SHA256|SHA384|MD5|NULL|IMIT|OMAC|GOSTR3411))?$/.exec(body.slice(withAt + 6));
  const bulk = tail ? parseBulk(tail[1]!) : undefined;
  if (!kxAuth || !tail || !bulk) throw new Error(`cipher suite 0x${id.toString(16)} ${name}: name not understood`);
  const aead = AEAD_MODES.has(bulk.mode);
  const mac = aead ? 'AEAD' : tail[2] === undefined ? undefined : MACS[tail[2]];
  if (mac === undefined) throw new Error(`cipher suite 0x${id.toString(16)} ${name}: no MAC`);
  let [kx, auth] = kxAuth;
  if (exported && kx === 'RSA') kx = 'RSA_EXPORT';
  let versions = LEGACY;
  if (bulk.mode === 'MGM') {
    // RFC 9367: TLS 1.3 suites that name the GOST signature family; key exchange is negotiated apart.
    return { kx: 'ANY', auth: 'ANY', ...bulk, mac, export: false, scsv: false, versions: TLS13 };
  } else if (aead || GOST_TLS12.has(id)) {
    versions = TLS12;
  } else if (mac === 'SHA256' || mac === 'SHA384') {
    // RFC 5487 and RFC 5489 define the PSK CBC and NULL SHA-2 suites for TLS 1.0 and 1.1 too.
    versions = PSK_KX.has(kx) ? TLS10_TO_12 : TLS12;
  }
  return { kx, auth, ...bulk, mac, export: exported, scsv: false, versions };
}

function build(row: SuiteRow | ExtraSuiteRow, registered: boolean): CipherSuite {
  const [id, iana, openssl] = row;
  return Object.freeze({ id, iana, openssl, ...derive(id, iana), iana_registered: registered, source: row[3] ?? null });
}

/** Every known cipher suite and SCSV, sorted by codepoint. */
export const CIPHER_SUITES: readonly CipherSuite[] = Object.freeze(
  [...IANA_SUITE_ROWS.map((r) => build(r, true)), ...EXTRA_SUITE_ROWS.map((r) => build(r, false))].sort((a, b) => a.id - b.id),
);

const BY_ID: ReadonlyMap<number, CipherSuite> = new Map(CIPHER_SUITES.map((s) => [s.id, s]));

const BY_VERSION: ReadonlyMap<ProtocolName, readonly CipherSuite[]> = new Map(
  (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((v) => [
    v,
    Object.freeze(CIPHER_SUITES.filter((s) => !s.scsv && s.versions.includes(v))),
  ]),
);

/** The suite with this codepoint, or undefined when fipscan does not know it. */
export function cipherSuiteById(id: number): CipherSuite | undefined {
  return BY_ID.get(id);
}

/** The codepoint of the suite with this IANA name; an unknown name is a programming error. */
export const suiteId: (name: string) => number = idByName(CIPHER_SUITES, (s) => s.iana, 'cipher suite');

/** The suites to offer when probing a version, by codepoint; no SCSVs. Empty for SSLv2 (see sslv2.ts). */
export function suitesForVersion(v: ProtocolName): readonly CipherSuite[] {
  return BY_VERSION.get(v) ?? [];
}
