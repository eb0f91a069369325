/**
 * SSL 2.0 cipher kinds: the 24-bit values of the SSLv2 CLIENT-HELLO and SERVER-HELLO cipher
 * specs (draft-hickman-netscape-ssl-00, Appendix C). No registry holds them; the values and
 * OpenSSL names are those of OpenSSL's ssl2.h, which also lists three "v3" kinds that SSLv3
 * clients put in SSLv2-format hellos and two SSLeay private ones. Every kind uses RSA key
 * exchange and authentication, so only the bulk cipher and MAC are described.
 */

import type { CipherMode } from './cipherSuites.js';

export interface Sslv2CipherKind {
  /** 24-bit cipher kind. */
  readonly id: number;
  /** Conventional name (SSL_CK_...). */
  readonly name: string;
  readonly openssl: string | null;
  readonly encryption: string;
  readonly mode: CipherMode;
  /** Effective key bits (40 for the export kinds, 0 for NULL). */
  readonly bits: number;
  /** 'MD5', 'SHA' or 'NULL'. */
  readonly mac: string;
  readonly export: boolean;
}

function kind(id: number, name: string, openssl: string, encryption: string, mode: CipherMode, bits: number, mac: string, exported = false): Sslv2CipherKind {
  return Object.freeze({ id, name, openssl, encryption, mode, bits, mac, export: exported });
}

/** Every known SSLv2 cipher kind, sorted by value. */
export const SSLV2_CIPHER_KINDS: readonly Sslv2CipherKind[] = Object.freeze([
  kind(0x000000, 'SSL_CK_NULL_WITH_MD5', 'NULL-MD5', 'NULL', 'NULL', 0, 'MD5'), // "v3"
  kind(0x010080, 'SSL_CK_RC4_128_WITH_MD5', 'RC4-MD5', 'RC4', 'STREAM', 128, 'MD5'),
  kind(0x020080, 'SSL_CK_RC4_128_EXPORT40_WITH_MD5', 'EXP-RC4-MD5', 'RC4', 'STREAM', 40, 'MD5', true),
  kind(0x030080, 'SSL_CK_RC2_128_CBC_WITH_MD5', 'RC2-CBC-MD5', 'RC2', 'CBC', 128, 'MD5'),
  kind(0x040080, 'SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5', 'EXP-RC2-CBC-MD5', 'RC2', 'CBC', 40, 'MD5', true),
  kind(0x050080, 'SSL_CK_IDEA_128_CBC_WITH_MD5', 'IDEA-CBC-MD5', 'IDEA', 'CBC', 128, 'MD5'),
  kind(0x060040, 'SSL_CK_DES_64_CBC_WITH_MD5', 'DES-CBC-MD5', 'DES', 'CBC', 56, 'MD5'),
  kind(0x060140, 'SSL_CK_DES_64_CBC_WITH_SHA', 'DES-CBC-SHA', 'DES', 'CBC', 56, 'SHA'), // "v3"
  kind(0x0700c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5', 'DES-CBC3-MD5', '3DES', 'CBC', 168, 'MD5'),
  kind(0x0701c0, 'SSL_CK_DES_192_EDE3_CBC_WITH_SHA', 'DES-CBC3-SHA', '3DES', 'CBC', 168, 'SHA'), // "v3"
  kind(0x080080, 'SSL_CK_RC4_64_WITH_MD5', 'RC4-64-MD5', 'RC4', 'STREAM', 64, 'MD5'), // Microsoft
  kind(0xff0800, 'SSL_CK_DES_64_CFB64_WITH_MD5_1', 'DES-CFB-M1', 'DES', 'OTHER', 56, 'MD5'), // SSLeay
  kind(0xff0810, 'SSL_CK_NULL', 'NULL', 'NULL', 'NULL', 0, 'NULL'), // SSLeay
]);

const BY_ID: ReadonlyMap<number, Sslv2CipherKind> = new Map(SSLV2_CIPHER_KINDS.map((k) => [k.id, k]));

/** The SSLv2 cipher kind with this 24-bit value, or undefined. */
export function sslv2CipherById(id: number): Sslv2CipherKind | undefined {
  return BY_ID.get(id);
}
