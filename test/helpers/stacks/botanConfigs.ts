/**
 * The Botan 2.19 fixture configurations and what a correct scan must find on each, as IANA (and,
 * for CECPQ1, Botan's private) codepoints. Written from the policies, then verified handshake by
 * handshake (test/helpers/stacks/verify-botan.ts): `openssl s_client` for every suite and curve it
 * can offer, `gnutls-cli` for RFC 7919 groups in TLS 1.2, and raw hellos built by fipscan's own
 * wire builder for what neither client can send (CECPQ1 suites, one ffdhe group alone with the
 * ServerKeyExchange prime read back). What Botan turned out to do is listed after the imports.
 */

import { groups as g, suites as s, type ShapeExpectation, type VersionExpectation } from '../shapes.js';
import type { CertName, TlsVersionName } from '../servers.js';
import type { BotanServerOptions } from './botan.js';

/*
 * Botan 2.19.3 `botan tls_server` (Debian 2.19.3+dfsg-1+deb12u1), observed with s_client,
 * gnutls-cli and raw hellos; source references are to Botan 2.19.3 src/lib/tls/.
 *
 * - No TLS 1.3 at all. A TLS 1.3 hello whose supported_versions lists only 0x0304 gets
 *   protocol_version (70) ("No shared TLS version"); TLS 1.0, 1.1 and SSLv3 hellos get 70 too.
 *   An SSLv2 CLIENT-HELLO is dropped without an alert (EOF, "unexpected TLS record version").
 * - No common suite: handshake_failure (40) before any ServerHello.
 * - ECDHE suites are skipped unless the client's supported_groups holds a curve the policy
 *   allows (choose_ciphersuite, have_shared_ecc_curve): a hello with ECDHE suites and only
 *   foreign curves, or with no supported_groups at all, gets 40 before ServerHello, and one that
 *   also offers a DHE or RSA suite quietly gets that instead. The same holds for every ECDSA
 *   suite, CECPQ1_ECDSA included: it needs some shared curve even though CECPQ1 never uses one.
 * - Curves and ffdhe groups are both picked in the server's order (Policy::choose_key_exchange_group).
 * - Unlike OpenSSL (shapes.ts), an ECDSA P-256 certificate does not bind the client's curve list:
 *   a hello listing only x25519 gets ECDHE-ECDSA over x25519 (s_client then aborts, "wrong curve").
 * - DHE (TLS 1.2, msg_server_kex.cpp): a client listing no ffdhe group gets the first ffdhe group
 *   of the policy's key_exchange_groups (ffdhe2048 by default); one listing some gets the
 *   server's first shared one, any size up to ffdhe8192; one listing only groups the policy does
 *   not allow (or any codepoint 256-511 Botan does not know) gets ServerHello + Certificate and
 *   then handshake_failure (40) instead of a ServerKeyExchange: the suite is chosen before the
 *   group. A scanner that never lists ffdhe groups in TLS 1.2 sees only the first group.
 * - CECPQ1 (X25519 + NewHope, Kex_Algo::CECPQ1) is in Botan 2's DEFAULT policy, first in its
 *   order: 0x16B7 CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256 and 0x16B9
 *   CECPQ1_RSA_WITH_AES_256_GCM_SHA384 with an RSA certificate, 0x16B8 / 0x16BA (the ECDSA
 *   twins) with an ECDSA one. They are negotiated only when the client offers them, so a scanner
 *   that offers IANA codepoints only never sees them. The policy lists them only while x25519 is
 *   among its groups; the private OCB twins 0xFFCC / 0xFFCD need AES-256/OCB(12) in the ciphers
 *   (not in any configuration here).
 * - Suite order is the server's, by key exchange (policy order), then cipher, then key length,
 *   then signature, then MAC (tls_policy.cpp Ciphersuite_Preference_Ordering).
 * - Extended master secret and secure renegotiation are supported, not required; no client
 *   certificate is asked for (the CLI's credentials manager names no CA).
 */

/** The CECPQ1 codepoints of Botan 2's suite table (tls_suite_info.cpp); none is in IANA's registry. */
export const cecpq1Suites = {
  CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256: 0x16b7,
  CECPQ1_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0x16b8,
  CECPQ1_RSA_WITH_AES_256_GCM_SHA384: 0x16b9,
  CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384: 0x16ba,
  CECPQ1_RSA_WITH_AES_256_OCB_SHA256: 0xffcc,
  CECPQ1_ECDSA_WITH_AES_256_OCB_SHA256: 0xffcd,
} as const;

/** Suites of the shapes table plus the ones only Botan's configurations use. */
const more = {
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xccaa,
} as const;

const brainpool = { brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28 } as const;

export interface BotanVersionExpectation extends VersionExpectation {
  /** The server picks among the client's curves by its own order (true) or the client's. */
  groupServerOrder: boolean | null;
  /**
   * TLS <= 1.2: the RFC 7919 groups a DHE suite is negotiated with when the client lists that
   * group alone in supported_groups, in the server's order ([] without DHE). `dhPrimeBits` stays
   * what a client listing no ffdhe group gets.
   */
  ffdheGroups: number[];
}

export interface BotanExpectation extends ShapeExpectation {
  versions: Record<TlsVersionName, BotanVersionExpectation | null>;
  /** The fips-strict verdict a correct scan leads to. */
  fipsStrict: 'pass' | 'fail';
}

export type BotanConfigName = 'strict' | 'default' | 'dhe' | 'cecpq1Rsa' | 'cecpq1Ecdsa';

export interface BotanConfig {
  name: BotanConfigName;
  /** One sentence for test names. */
  summary: string;
  server: BotanServerOptions & { cert: CertName };
  expected: BotanExpectation;
}

const off = null;

function tls12Only(version: BotanVersionExpectation, fipsStrict: 'pass' | 'fail'): BotanExpectation {
  return {
    versions: { 'TLSv1.0': off, 'TLSv1.1': off, 'TLSv1.2': version, 'TLSv1.3': off },
    clientCertificate: 'none',
    fipsStrict,
  };
}

const ffdheAll = [g.ffdhe2048, g.ffdhe3072, g.ffdhe4096, g.ffdhe6144, g.ffdhe8192];

export const botanConfigs: Record<BotanConfigName, BotanConfig> = {
  strict: {
    name: 'strict',
    summary: 'TLS 1.2 only (no TLS 1.3 in Botan 2), ECDHE-RSA AES-GCM, P-256 only',
    server: { cert: 'rsa2048', policy: 'strict' },
    expected: tls12Only(
      {
        suites: [s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        serverOrder: true,
        groups: [g.secp256r1],
        groupServerOrder: null,
        dhPrimeBits: [],
        ffdheGroups: [],
      },
      'pass',
    ),
  },
  default: {
    name: 'default',
    summary: "Botan::TLS::Policy as compiled in, RSA certificate: CECPQ1, ECDHE and DHE, ChaCha20 + AES-GCM, seven curves, five ffdhe groups",
    server: { cert: 'rsa2048', policy: 'default' },
    expected: tls12Only(
      {
        suites: [
          cecpq1Suites.CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256,
          cecpq1Suites.CECPQ1_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
          s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          more.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
          s.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        serverOrder: true,
        groups: [g.x25519, g.secp256r1, brainpool.brainpoolP256r1, g.secp384r1, brainpool.brainpoolP384r1, g.secp521r1, brainpool.brainpoolP512r1],
        groupServerOrder: true,
        dhPrimeBits: [2048],
        ffdheGroups: ffdheAll,
      },
      'fail',
    ),
  },
  dhe: {
    name: 'dhe',
    summary: 'DHE-RSA AES-GCM only with ffdhe4096, ffdhe3072, ffdhe8192 in that order',
    server: { cert: 'rsa2048', policy: 'dhe' },
    expected: tls12Only(
      {
        suites: [s.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, s.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256],
        serverOrder: true,
        groups: [],
        groupServerOrder: null,
        dhPrimeBits: [4096],
        ffdheGroups: [g.ffdhe4096, g.ffdhe3072, g.ffdhe8192],
      },
      'fail',
    ),
  },
  cecpq1Rsa: {
    name: 'cecpq1Rsa',
    summary: 'CECPQ1-RSA (AES-256-GCM, ChaCha20) next to static-RSA AES-GCM: every IANA suite it takes is FIPS-strict',
    server: { cert: 'rsa2048', policy: 'cecpq1-rsa' },
    expected: tls12Only(
      {
        suites: [
          cecpq1Suites.CECPQ1_RSA_WITH_AES_256_GCM_SHA384,
          cecpq1Suites.CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256,
          s.TLS_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ],
        serverOrder: true,
        groups: [],
        groupServerOrder: null,
        dhPrimeBits: [],
        ffdheGroups: [],
      },
      'fail',
    ),
  },
  cecpq1Ecdsa: {
    name: 'cecpq1Ecdsa',
    summary: 'CECPQ1-ECDSA next to ECDHE-ECDSA, AES-GCM + ChaCha20, x25519 + P-256, P-256 certificate',
    server: { cert: 'ecdsa-p256', policy: 'cecpq1-ecdsa' },
    expected: tls12Only(
      {
        suites: [
          cecpq1Suites.CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384,
          cecpq1Suites.CECPQ1_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
          s.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
          more.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        serverOrder: true,
        groups: [g.x25519, g.secp256r1],
        groupServerOrder: true,
        dhPrimeBits: [],
        ffdheGroups: [],
      },
      'fail',
    ),
  },
};
