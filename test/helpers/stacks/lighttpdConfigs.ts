/**
 * The lighttpd fixture configurations for Mbed TLS, wolfSSL and NSS, each with what a correct
 * scan must find (a ShapeExpectation, as in shapes.ts) and the fips-strict verdict it must get.
 * The expectations were written from the configuration and then checked handshake by handshake
 * against the running servers with `openssl s_client`, and with raw hellos from fipscan's own
 * builder where s_client cannot offer a group (verify-lighttpd.ts re-runs that check). What the
 * three modules turned out to do, as lighttpd 1.4.69 configures them on Debian 12 (Mbed TLS
 * 2.28.3, wolfSSL 5.5.4, NSS 3.87.1), is listed after the imports.
 */

import type { CertName } from '../servers.js';
import { groups as g, suites as s, type ShapeExpectation, type VersionExpectation } from '../shapes.js';
import type { LighttpdServerOptions, LighttpdStack } from './lighttpd.js';

/*
 * - Cipher names differ per module in `CipherString`: Mbed TLS takes its own names
 *   (TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384); wolfSSL and NSS take OpenSSL's
 *   (ECDHE-RSA-AES256-GCM-SHA384), NSS spells TLS 1.3 suites TLS-AES-256-GCM-SHA384. Curves: Mbed
 *   TLS secp256r1, wolfSSL prime256v1 (one curve only: it becomes SSL_CTX_set_tmp_ecdh).
 * - Without ssl-conf-cmd every module starts from lighttpd's own cipher list
 *   "EECDH+AESGCM:AES256+EECDH:CHACHA20:!SHA1:!SHA256:!SHA384" and MinProtocol TLSv1.2.
 * - TLS 1.3: Mbed TLS 2.28 has no TLS 1.3 at all (a TLS 1.3 hello is read as TLS 1.2 and its
 *   TLS 1.3-only suite list refused with handshake_failure, 40). wolfSSL and NSS do TLS 1.3.
 * - Groups the modules cannot restrict: mod_nss ignores Curves/Groups ("NSS: ignoring
 *   Curves/Groups; not implemented" in the error log), so NSS always takes x25519, P-256, P-384,
 *   P-521 (TLS 1.2) and those plus ffdhe2048-8192 (TLS 1.3). wolfSSL's single curve limits TLS 1.2
 *   ECDHE only; TLS 1.3 keeps wolfSSL's groups (P-256, P-384, P-521, x25519, x448, ffdhe2048,
 *   ffdhe3072). Neither can therefore be made to pass fips-strict with TLS 1.3 on: the wolfSSL
 *   `strict` below is TLS 1.2 only, and NSS `strict` fails on groups alone.
 * - wolfSSL CipherString and TLS 1.3: a list with any TLS 1.2 suite leaves the TLS 1.3 suites at
 *   wolfSSL's defaults (1301-1304, as OpenSSL's SSL_CTX_set_cipher_list would); a list of TLS 1.3
 *   suites alone (OpenSSL names) restricts TLS 1.3 and leaves TLS 1.2 with no suite; wolfSSL's own
 *   names (TLS13-AES128-GCM-SHA256) restrict TLS 1.3 but also switch on TLS_AES_128_CCM_8_SHA256.
 * - Default groups: Mbed TLS takes every curve it implements in TLS 1.2, in the order secp521r1,
 *   brainpoolP512r1, secp384r1, brainpoolP384r1, secp256r1, secp256k1, brainpoolP256r1,
 *   secp224r1, secp224k1, secp192r1, secp192k1, x25519, x448 (server order). wolfSSL takes
 *   secp256k1, P-256, P-384, P-521, the three brainpool curves, x25519 and x448 in TLS 1.2 in the
 *   client's order (secp224k1 and secp224r1 refused with 40), and in TLS 1.3 P-256, x25519, x448,
 *   P-384, P-521, ffdhe2048, ffdhe3072 in that server order. NSS takes x25519, P-256, P-384, P-521
 *   (TLS 1.2) and those plus ffdhe2048-8192 (TLS 1.3), in that server order.
 * - DHE (TLS 1.2, a client listing no ffdhe group): Mbed TLS sends the 2048-bit RFC 3526 group 14
 *   prime, wolfSSL and NSS RFC 7919 ffdhe2048; NSS takes a larger ffdhe group when the client
 *   lists one (ffdhe4096 listed alone: a 4096-bit prime).
 * - Refusals: NSS answers every refusal with a fatal alert (40 for suites and groups, 70 for
 *   versions, 10 unexpected_message for an SSLv2 CLIENT-HELLO) and nothing else; the odd answers
 *   of Mbed TLS and wolfSSL are pinned in test/stacks/lighttpd.test.ts.
 */

/** A fips-strict violation as [rule, protocol, item], the way profiles-real-servers.test.ts names them. */
export type NamedViolation = [rule: string, protocol: string | null, item: string | null];

export interface LighttpdConfig {
  /** Unique per stack; used to pick configurations on the verify script's command line. */
  name: 'strict' | 'strictEcdsa' | 'strictWithTls13' | 'default';
  stack: LighttpdStack;
  /** One sentence for test names. */
  summary: string;
  options: LighttpdServerOptions;
  expected: ShapeExpectation;
  /** The fips-strict verdict: pass, or fail with exactly these violations (undefined: any). */
  fipsStrict: { verdict: 'pass' } | { verdict: 'fail'; violations?: NamedViolation[] };
}

const off = null;

function version(suiteList: number[], serverOrder: boolean | null, groupList: number[], dhPrimeBits: number[] = []): VersionExpectation {
  return { suites: suiteList, serverOrder, groups: groupList, dhPrimeBits };
}

function tls12Only(tls12: VersionExpectation): ShapeExpectation {
  return { versions: { 'TLSv1.0': off, 'TLSv1.1': off, 'TLSv1.2': tls12, 'TLSv1.3': off }, clientCertificate: 'none' };
}

function tls12And13(tls12: VersionExpectation, tls13: VersionExpectation): ShapeExpectation {
  return { versions: { 'TLSv1.0': off, 'TLSv1.1': off, 'TLSv1.2': tls12, 'TLSv1.3': tls13 }, clientCertificate: 'none' };
}

function options(stack: LighttpdStack, cert: CertName, sslConfCmd: LighttpdServerOptions['sslConfCmd'] = []): LighttpdServerOptions {
  return { stack, cert, sslConfCmd };
}

const ECDHE_RSA_GCM = [s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256];
const TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xccaa;
const TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xccab;
const TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xccac;
const TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 = 0xccad;
const TLS_AES_128_CCM_SHA256 = s.TLS_AES_128_CCM_SHA256;

/** Every curve Mbed TLS 2.28 implements, in its default (server) order. */
const MBEDTLS_CURVES = [25, 28, 24, 27, 23, 22, 26, 21, 20, 19, 18, 29, 30];
/** The curves wolfSSL 5.5 takes in TLS 1.2 without a Curves line; it follows the client's order among them. */
const WOLFSSL_TLS12_CURVES = [22, 23, 24, 25, 26, 27, 28, 29, 30];
/** wolfSSL 5.5's TLS 1.3 groups, in its order. */
const WOLFSSL_TLS13_GROUPS = [g.secp256r1, g.x25519, g.x448, g.secp384r1, g.secp521r1, g.ffdhe2048, g.ffdhe3072];
const NSS_EC_GROUPS = [g.x25519, g.secp256r1, g.secp384r1, g.secp521r1];
const NSS_TLS13_GROUPS = [...NSS_EC_GROUPS, g.ffdhe2048, g.ffdhe3072, g.ffdhe4096, g.ffdhe6144, g.ffdhe8192];

const groupName: Record<number, string> = { 23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 29: 'x25519', 256: 'ffdhe2048', 257: 'ffdhe3072', 258: 'ffdhe4096', 259: 'ffdhe6144', 260: 'ffdhe8192' };
function groupViolations(protocol: string, ids: number[]): NamedViolation[] {
  return ids.filter((id) => id !== g.secp256r1).map((id) => ['group', protocol, `${groupName[id] ?? id} (0x${id.toString(16).padStart(4, '0')})`]);
}

export const lighttpdConfigs: readonly LighttpdConfig[] = [
  {
    name: 'strict',
    stack: 'mbedtls',
    summary: 'TLS 1.2 (Mbed TLS 2.28 has no 1.3), ECDHE-RSA AES-GCM, secp256r1 only',
    options: options('mbedtls', 'rsa2048', [
      ['MinProtocol', 'TLSv1.2'],
      ['CipherString', 'TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384:TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'],
      ['Curves', 'secp256r1'],
    ]),
    expected: tls12Only(version(ECDHE_RSA_GCM, true, [g.secp256r1])),
    fipsStrict: { verdict: 'pass' },
  },
  {
    name: 'strictEcdsa',
    stack: 'mbedtls',
    summary: 'TLS 1.2, ECDHE-ECDSA AES-GCM with a P-256 certificate, secp256r1 only',
    options: options('mbedtls', 'ecdsa-p256', [
      ['MinProtocol', 'TLSv1.2'],
      ['CipherString', 'TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384:TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256'],
      ['Curves', 'secp256r1'],
    ]),
    expected: tls12Only(version([s.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256], true, [g.secp256r1])),
    fipsStrict: { verdict: 'pass' },
  },
  {
    name: 'default',
    stack: 'mbedtls',
    summary: "lighttpd's defaults: TLS 1.2, ECDHE/DHE AES-GCM and ChaCha20, every Mbed TLS curve",
    options: options('mbedtls', 'rsa2048'),
    expected: tls12Only(
      version([...ECDHE_RSA_GCM, s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256], true, MBEDTLS_CURVES, [2048]),
    ),
    fipsStrict: { verdict: 'fail' },
  },
  {
    name: 'strict',
    stack: 'wolfssl',
    summary: 'TLS 1.2 only (lighttpd cannot restrict wolfSSL TLS 1.3 groups), ECDHE-RSA AES-GCM, prime256v1',
    options: options('wolfssl', 'rsa2048', [
      ['MinProtocol', 'TLSv1.2'],
      ['MaxProtocol', 'TLSv1.2'],
      ['CipherString', 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256'],
      ['Curves', 'prime256v1'],
    ]),
    expected: tls12Only(version(ECDHE_RSA_GCM, true, [g.secp256r1])),
    fipsStrict: { verdict: 'pass' },
  },
  {
    name: 'strictWithTls13',
    stack: 'wolfssl',
    summary: 'the strict lines with TLS 1.3 left on: TLS 1.3 keeps wolfSSL default suites and groups',
    options: options('wolfssl', 'rsa2048', [
      ['MinProtocol', 'TLSv1.2'],
      ['CipherString', 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256'],
      ['Curves', 'prime256v1'],
    ]),
    expected: tls12And13(
      version(ECDHE_RSA_GCM, true, [g.secp256r1]),
      version([s.TLS_AES_256_GCM_SHA384, s.TLS_CHACHA20_POLY1305_SHA256, s.TLS_AES_128_GCM_SHA256, TLS_AES_128_CCM_SHA256], true, WOLFSSL_TLS13_GROUPS),
    ),
    fipsStrict: { verdict: 'fail' },
  },
  {
    name: 'default',
    stack: 'wolfssl',
    summary: "lighttpd's defaults: TLS 1.2 + 1.3, AES-GCM, AES-CCM and ChaCha20, wolfSSL's groups",
    options: options('wolfssl', 'rsa2048'),
    expected: tls12And13(
      // The PSK ChaCha20 suites are taken with no PSK configured (ServerHello + ServerHelloDone, no
      // certificate: a raw hello offering one alone; s_client cannot offer them without -psk). DHE
      // negotiates ffdhe3072, then ffdhe2048 from supported_groups (RFC 7919, server order).
      version(
        [...ECDHE_RSA_GCM, s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256],
        true,
        [...WOLFSSL_TLS12_CURVES, g.ffdhe3072, g.ffdhe2048],
        [2048, 3072],
      ),
      version([s.TLS_AES_256_GCM_SHA384, s.TLS_CHACHA20_POLY1305_SHA256, s.TLS_AES_128_GCM_SHA256, TLS_AES_128_CCM_SHA256], true, WOLFSSL_TLS13_GROUPS),
    ),
    fipsStrict: { verdict: 'fail' },
  },
  {
    name: 'strict',
    stack: 'nss',
    summary: 'TLS 1.2 + 1.3, AES-GCM only; mod_nss ignores Curves, so x25519, P-384, P-521 and ffdhe stay on',
    options: options('nss', 'rsa2048', [
      ['MinProtocol', 'TLSv1.2'],
      ['CipherString', 'TLS-AES-256-GCM-SHA384:TLS-AES-128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256'],
      ['Curves', 'secp256r1'],
    ]),
    expected: tls12And13(
      version([s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384], true, NSS_EC_GROUPS),
      version([s.TLS_AES_128_GCM_SHA256, s.TLS_AES_256_GCM_SHA384], true, NSS_TLS13_GROUPS),
    ),
    fipsStrict: {
      verdict: 'fail',
      violations: [
        ...groupViolations('TLSv1.2', NSS_EC_GROUPS),
        ...groupViolations('TLSv1.3', NSS_TLS13_GROUPS),
        // NSS signs a TLS 1.2 ServerKeyExchange with SHA-1 when a client offers only that: Debian's
        // build has no crypto policy file and mod_nss no signature-algorithm setting.
        ['signature-scheme', 'TLSv1.2', 'rsa_pkcs1_sha1 (0x0201)'],
      ],
    },
  },
  {
    name: 'default',
    stack: 'nss',
    summary: "lighttpd's defaults: TLS 1.2 + 1.3 (1.3 with ChaCha20 only), NSS's groups",
    options: options('nss', 'rsa2048'),
    expected: tls12And13(
      // TLS 1.2 DHE negotiates every RFC 7919 group a client lists, ffdhe2048-8192 (the ServerKeyExchange primes).
      version([s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256], true, NSS_TLS13_GROUPS, [2048, 3072, 4096, 6144, 8192]),
      version([s.TLS_CHACHA20_POLY1305_SHA256], null, NSS_TLS13_GROUPS),
    ),
    fipsStrict: { verdict: 'fail' },
  },
];
