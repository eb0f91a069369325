/**
 * Named Erlang/OTP 25 `ssl` server configurations for the scan tests, each with what a correct
 * scan must find (a ShapeExpectation, as in ../shapes.ts): `strict`, the FIPS mesh configuration
 * in OTP's own options, which must pass fips-strict; `default`, OTP's defaults with an RSA
 * certificate, which must fail it; and `defaultEcdsa`, the same defaults with an ECDSA P-256
 * certificate, where OTP accepts static ECDH suites that OpenSSL no longer has; and `allSuites` /
 * `allSuitesServerOrder`, every suite OTP implements (SRP included), in client and server order,
 * which fipscan finds only because it offers SRP suites apart (see the SRP note below). The expectations
 * were written from the configuration and OTP's documented defaults, then checked handshake by
 * handshake with `openssl s_client` and, for what s_client cannot offer or read (static ECDH,
 * RSA-PSK and SRP suites; the curve after its "wrong curve" abort on the ECDSA server),
 * single-suite / single-group raw hellos from fipscan's wire builder (verify-erlang.ts).
 * What OTP does differently from OpenSSL is listed after the imports.
 */

import { groups, type ShapeExpectation } from '../shapes.js';
import type { ErlangServerOptions } from './erlang.js';

/*
 * What OTP 25.2.3's ssl 10.8.7 turned out to do (observed with raw hellos, pinned in
 * test/stacks/erlang.test.ts):
 *
 * - No common suite, TLS 1.2 or 1.3: insufficient_security (71), where OpenSSL sends
 *   handshake_failure (40).
 * - TLS 1.3, no common group (supported_groups lists none of the server's, with or without a key
 *   share): insufficient_security (71).
 * - TLS 1.2, an ECDHE-RSA suite with no common curve: handshake_failure (40). With an ECDSA
 *   certificate every EC suite (ECDHE-ECDSA, static ECDH-RSA) is instead dropped from the shared
 *   list, so the answer is 71, as for no common suite.
 * - A version the server does not enable, including a TLS 1.3-only hello to a TLS 1.2 server and a
 *   TLS 1.2 hello to a TLS 1.3-only server: protocol_version (70).
 * - TLS 1.3, empty key_share: HelloRetryRequest for the server's first group among the client's,
 *   whatever the client's order and honor_cipher_order. With shares for several acceptable
 *   groups it also picks by its own order (x25519 over secp256r1); with one acceptable share it
 *   takes that share, never retrying for a group it likes better.
 * - honor_cipher_order defaults to false: TLS 1.2 and 1.3 suites follow the client's order. With
 *   true they follow the `ciphers` list. TLS 1.2 curves follow the client's order either way
 *   (OTP's separate honor_ecc_order, default false).
 * - An SRP suite in the server's list (ssl:cipher_suites(all, _) has four: 0xc01e, 0xc01f,
 *   0xc021, 0xc022) is chosen before OTP notices that the hello has no SRP extension: the whole
 *   hello gets handshake_failure (40), although it lists suites the server would take after the
 *   SRP one (client order) or below it (server order). The SRP-DSS suites do it even with an RSA
 *   certificate. RSA-PSK suites get a ServerHello with no PSK configured at all.
 * - An SSLv2 CLIENT-HELLO is answered with a TLS alert record, unexpected_message (10).
 * - TLS 1.2 default curves (`eccs`): all 28 of RFC 8422's registry 1..28, binary sect* and 160-bit
 *   curves included, but not x25519 or x448, which OTP 25 only uses in TLS 1.3. A TLS 1.2 hello
 *   without supported_groups gets secp256r1.
 * - The ECDSA P-256 certificate is not held to the client's curves (RFC 4492 §4 would): a TLS 1.2
 *   ECDHE-ECDSA hello listing only secp384r1 gets ServerHello, Certificate and a secp384r1
 *   ServerKeyExchange, like GnuTLS, unlike OpenSSL (whose client then aborts: "wrong curve").
 * - DHE (TLS 1.2) uses RFC 3526's 2048-bit MODP group 14 prime, also when the client lists ffdhe
 *   groups: OTP 25 has no RFC 7919 in TLS 1.2.
 * - TLS 1.0 and 1.1 are off by default in OTP 25 (`versions` defaults to TLS 1.2 + 1.3).
 * - extended_master_secret is never echoed (s_client: "Extended master secret: no");
 *   renegotiation_info is.
 */

export type ErlangShapeName = 'strict' | 'default' | 'defaultEcdsa' | 'allSuites' | 'allSuitesServerOrder';

export interface ErlangShape {
  name: ErlangShapeName;
  /** One sentence for test names. */
  summary: string;
  options: ErlangServerOptions;
  expected: ShapeExpectation;
  /** The fips-strict verdict a scan must reach. */
  fipsStrict: 'pass' | 'fail';
}

const g = groups;
const off = null;

/** RFC 8422 curves 1..28 (sect163k1 .. brainpoolP512r1): OTP 25's default TLS 1.2 `eccs`. */
const allRfc8422Curves = Array.from({ length: 28 }, (_, i) => i + 1);
/** OTP 25's default TLS 1.3 supported_groups. */
const defaultTls13Groups = [g.x25519, g.x448, g.secp256r1, g.secp384r1];
/** Every TLS 1.3 suite OTP implements; all five are in its default list, CCM_8 included. */
const allTls13Suites = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

const strict: ErlangShape = {
  name: 'strict',
  summary: 'TLS 1.2 + 1.3, ECDHE-RSA AES-GCM only, P-256 only (eccs and supported_groups), server order',
  options: {
    cert: 'rsa2048',
    versions: ['TLSv1.2', 'TLSv1.3'],
    ciphers: ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'],
    eccs: ['secp256r1'],
    supportedGroups: ['secp256r1'],
    honorCipherOrder: true,
    // OTP 25's default signature_algs keep {sha, rsa}: TLS 1.2 would sign with SHA-1 when asked.
    extraOptions: ['{signature_algs,[rsa_pss_rsae_sha512,rsa_pss_rsae_sha384,rsa_pss_rsae_sha256,{sha512,rsa},{sha384,rsa},{sha256,rsa}]}'],
  },
  expected: {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': { suites: [0xc030, 0xc02f], serverOrder: true, groups: [g.secp256r1], dhPrimeBits: [] },
      'TLSv1.3': { suites: [0x1302, 0x1301], serverOrder: true, groups: [g.secp256r1], dhPrimeBits: [] },
    },
    clientCertificate: 'none',
  },
  fipsStrict: 'pass',
};

const defaults: ErlangShape = {
  name: 'default',
  summary: "OTP's defaults with an RSA 2048 certificate (TLS 1.2 + 1.3, client order)",
  options: { cert: 'rsa2048' },
  expected: {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': {
        // ssl:cipher_suites(default, 'tlsv1.2') that an RSA certificate can serve.
        suites: [0xc030, 0xc028, 0xcca8, 0xc02f, 0xc027, 0x009f, 0x006b, 0x009e, 0xccaa, 0x0067, 0xc014, 0xc013, 0x0039, 0x0033],
        serverOrder: false,
        groups: allRfc8422Curves,
        dhPrimeBits: [2048],
      },
      'TLSv1.3': { suites: allTls13Suites, serverOrder: false, groups: defaultTls13Groups, dhPrimeBits: [] },
    },
    clientCertificate: 'none',
  },
  fipsStrict: 'fail',
};

const defaultEcdsa: ErlangShape = {
  name: 'defaultEcdsa',
  summary: "OTP's defaults with an ECDSA P-256 certificate signed by an RSA CA (static ECDH-RSA suites too)",
  options: { cert: 'ecdsa-p256' },
  expected: {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': {
        suites: [
          // ECDHE-ECDSA: AES-GCM, CBC-SHA384/256, CCM, CCM_8, ChaCha20, CBC-SHA.
          0xc02c, 0xc024, 0xc0ad, 0xc0af, 0xcca9, 0xc02b, 0xc023, 0xc0ac, 0xc0ae, 0xc00a, 0xc009,
          // Static ECDH with an EC key in a certificate signed with RSA (RFC 4492 ECDH_RSA, 5289).
          0xc032, 0xc02a, 0xc031, 0xc029, 0xc00f, 0xc00e,
        ],
        serverOrder: false,
        groups: allRfc8422Curves,
        dhPrimeBits: [],
      },
      'TLSv1.3': { suites: allTls13Suites, serverOrder: false, groups: defaultTls13Groups, dhPrimeBits: [] },
    },
    clientCertificate: 'none',
  },
  fipsStrict: 'fail',
};

/**
 * Every suite OTP implements, as a "let old clients in" configuration asks for it:
 * ssl:cipher_suites(all, 'tlsv1.3') holds the TLS 1.3 suites and all TLS 1.2 ones, SRP and
 * RSA-PSK included. The SRP suites are what matter: OTP chooses an SRP suite the client lists
 * and only then finds that the hello has no SRP extension, so the whole hello gets
 * handshake_failure (40) although it also lists suites the server would take.
 */
const allSuitesOption = "{ciphers, ssl:cipher_suites(all, 'tlsv1.3')}";

/** TLS 1.2 suites an RSA certificate can serve out of allSuitesOption (SRP ones never get a ServerHello). */
const allSuitesTls12 = [
  0xc030, 0xc028, 0xcca8, 0xc02f, 0xc027, 0x009f, 0x006b, 0x009e, 0xccaa, 0x0067, 0xc014, 0xc013, 0x0039, 0x0033,
  0x00ad, 0x00b7, 0x00ac, 0x00b6, 0x0095, 0x0094, 0x0092, 0x009d, 0x003d, 0x009c, 0x003c, 0x0035, 0x002f,
  0x000a, 0xc012, 0x0016, 0x0015, 0x0009, 0xc011, 0x0005, 0x0004,
];

const allSuites: ErlangShape = {
  name: 'allSuites',
  summary: "ciphers ssl:cipher_suites(all, 'tlsv1.3'), OTP's default client order (SRP suites get alert 40)",
  options: { cert: 'rsa2048', extraOptions: [allSuitesOption] },
  expected: {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': { suites: allSuitesTls12, serverOrder: false, groups: allRfc8422Curves, dhPrimeBits: [2048] },
      'TLSv1.3': { suites: allTls13Suites, serverOrder: false, groups: defaultTls13Groups, dhPrimeBits: [] },
    },
    clientCertificate: 'none',
  },
  fipsStrict: 'fail',
};

const allSuitesServerOrder: ErlangShape = {
  name: 'allSuitesServerOrder',
  summary: "ciphers ssl:cipher_suites(all, 'tlsv1.3') in server order (SRP suites rank above static RSA, 3DES, DES, RC4)",
  options: { cert: 'rsa2048', extraOptions: [allSuitesOption], honorCipherOrder: true },
  expected: {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': { suites: allSuitesTls12, serverOrder: true, groups: allRfc8422Curves, dhPrimeBits: [2048] },
      'TLSv1.3': { suites: [0x1302, 0x1301, 0x1303, 0x1304, 0x1305], serverOrder: true, groups: defaultTls13Groups, dhPrimeBits: [] },
    },
    clientCertificate: 'none',
  },
  fipsStrict: 'fail',
};

export const erlangShapes: Record<ErlangShapeName, ErlangShape> = { strict, default: defaults, defaultEcdsa, allSuites, allSuitesServerOrder };
