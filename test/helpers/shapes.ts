/**
 * Named server configurations ("shapes") shared by the scan tests, each written once per stack
 * (Node, OpenSSL s_server, gnutls-serv) together with what a correct scan must find: the versions
 * offered, per version the accepted suites (in the server's order when it enforces one), the
 * key-exchange groups and the DH prime sizes, all as IANA codepoints. The expectations are
 * written from the configuration and were then checked handshake by handshake with
 * `openssl s_client` and `gnutls-cli` (test/helpers/verify-shapes.ts re-runs that check). GnuTLS
 * cannot name single suites, only key exchanges x ciphers x MACs, so every suite set below is such
 * a product and the other stacks list the same product explicitly; the GnuTLS priority strings
 * are working examples of that syntax. What surprised us is listed after the imports.
 */

import {
  startGnuTLSServer,
  startNodeServer,
  startOpenSSLServer,
  type CertName,
  type GnuTLSServerOptions,
  type NodeServerOptions,
  type OpenSSLServerOptions,
  type RunningServer,
  type Stack,
  type TlsVersionName,
} from './servers.js';

/*
 * What the three stacks turned out to do (OpenSSL 3.0.19 s_server, Node 20.20 with its bundled
 * OpenSSL 3.0.19, GnuTLS 3.7.9 gnutls-serv; each checked with s_client / gnutls-cli). Scan tests
 * that assert alerts or probe counts should expect these differences:
 *
 * - A suite or group the server does not share: handshake_failure (40) on all three, any version.
 * - A version the server does not enable: OpenSSL and Node send protocol_version (70). GnuTLS sends
 *   70 for TLS 1.0/1.1 below its minimum, but handshake_failure (40) both for a TLS 1.3-only hello
 *   to a TLS 1.2 server and for a TLS 1.2 hello to a TLS 1.3-only server.
 * - OpenSSL 3 at its default @SECLEVEL=1 with TLS 1.0/1.1 switched on still refuses them, and with
 *   internal_error (80), not protocol_version: their MD5/SHA-1 signatures are below level 1. Every
 *   shape offering TLS 1.0/1.1 therefore sets security level 0 on OpenSSL and Node.
 * - This OpenSSL and Node's have no 3DES suites at all; only GnuTLS can serve the legacy 3DES ones.
 * - Node's tls.Server enforces its own suite order unless honorCipherOrder: false is passed.
 * - GnuTLS orders suites key exchange first, then cipher, then MAC, each as the priority string
 *   lists them (lib/priority.c set_ciphersuite_list); TLS 1.3 suites by cipher.
 * - TLS 1.2 curve choice follows the suite-order setting on all three: server order picks the
 *   server's first shared curve, client order the client's.
 * - TLS 1.3 key shares: OpenSSL and Node take the client's share when its group is allowed, else
 *   answer HelloRetryRequest with the server's first group the client lists (even without
 *   -serverpref). GnuTLS with %SERVER_PRECEDENCE sends HelloRetryRequest for its own first group
 *   even when the client's share is acceptable (meshSidecar: share P-256 -> HRR to X25519).
 * - TLS 1.2 ECDHE-ECDSA with a P-256 certificate when the client's supported_groups lacks P-256:
 *   OpenSSL and Node refuse (40), applying the RFC 4492 rule that the client's curves also bind
 *   the certificate; GnuTLS goes ahead (ECDHE over X25519) and the OpenSSL client then aborts with
 *   "wrong curve". A scanner offering one TLS 1.2 group at a time to an OpenSSL ECDSA server must
 *   also list the certificate's curve or it will find no groups but that one.
 * - RFC 7919 in TLS <= 1.2: GnuTLS refuses every DHE suite (40, or picks a non-DHE suite) when the
 *   client lists any ffdhe group in supported_groups and none of them is enabled on the server,
 *   even with --dhparams. OpenSSL and Node ignore ffdhe groups below TLS 1.3 and use their
 *   dhparam. (s_client itself only sends ffdhe groups in TLS 1.3; gnutls-cli showed this.) The
 *   DH expectations below are for a client that lists no ffdhe group.
 * - Missing client certificate: TLS 1.2 fails after the client's empty Certificate with
 *   handshake_failure (40) on OpenSSL and Node but decode_error (50) on GnuTLS; TLS 1.3 gets
 *   certificate_required (116) on all three, after the server's Finished, so a client that
 *   closes straight after its own Finished may never see it. All three send the CertificateRequest
 *   first, so suites and groups stay enumerable without a certificate.
 * - gnutls-serv asks every client for a certificate unless given --disable-client-cert.
 * - OpenSSL s_server's default groups (no -groups) are X25519, P-256, X448, P-521, P-384, plus
 *   ffdhe2048-8192 in TLS 1.3 only; in TLS 1.2 secp256k1, secp224r1 and brainpoolP256r1 are refused.
 * - Node warns "SecurityWarning: DH parameter is less than 2048 bits" for dh1024 (harmless).
 */

/** IANA cipher suite codepoints used by the shapes (RFC 8446 B.4, 5246, 5288, 5289, 7905, 6655). */
export const suites = {
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 0x000a,
  TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA: 0x0016,
  TLS_RSA_WITH_AES_128_CBC_SHA: 0x002f,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA: 0x0033,
  TLS_RSA_WITH_AES_256_CBC_SHA: 0x0035,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA: 0x0039,
  TLS_RSA_WITH_AES_128_CBC_SHA256: 0x003c,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: 0x0067,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 0x009c,
  TLS_RSA_WITH_AES_256_GCM_SHA384: 0x009d,
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 0x009e,
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 0x009f,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 0xc013,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 0xc014,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 0xc027,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
} as const;

/** IANA supported_groups codepoints (RFC 8422, 7748, 7919). */
export const groups = {
  secp256r1: 23,
  secp384r1: 24,
  secp521r1: 25,
  x25519: 29,
  x448: 30,
  ffdhe2048: 256,
  ffdhe3072: 257,
  ffdhe4096: 258,
  ffdhe6144: 259,
  ffdhe8192: 260,
} as const;

export interface VersionExpectation {
  /** Accepted suites; in the server's preference order when `serverOrder` is true, else a set. */
  suites: number[];
  /** The server enforces its own order; null when fewer than two suites make order unknowable. */
  serverOrder: boolean | null;
  /**
   * TLS <= 1.2: curves usable with the ECDHE suites ([] without ECDHE), then the RFC 7919 groups
   * negotiated with the DHE suites when a client lists them; TLS 1.3: every group.
   */
  groups: number[];
  /**
   * Prime sizes of the DH parameters sent with DHE suites (TLS <= 1.2): to a client listing no
   * ffdhe group (the shapes' fixture primes, never RFC 7919 ones), and the RFC 7919 primes of the
   * groups negotiated when a client lists them.
   */
  dhPrimeBits: number[];
}

export interface ShapeExpectation {
  /** Every version, null when not offered. */
  versions: Record<TlsVersionName, VersionExpectation | null>;
  /**
   * 'required': the server sends a CertificateRequest and refuses a client without a certificate
   * (after ServerHello, so suites and groups stay enumerable); 'requested': asks but goes on
   * without one; 'none': never asks.
   */
  clientCertificate: 'none' | 'requested' | 'required';
}

export type ShapeName =
  | 'fipsStrictRsa'
  | 'fipsStrictEcdsa'
  | 'meshSidecar'
  | 'tls13Only'
  | 'tls12ClientOrder'
  | 'legacy'
  | 'mtlsRequired';

export interface Shape {
  name: ShapeName;
  /** One sentence for test names. */
  summary: string;
  certs: CertName[];
  config: { node: NodeServerOptions; openssl: OpenSSLServerOptions; gnutls: GnuTLSServerOptions };
  expected: Record<Stack, ShapeExpectation>;
}

export const allStacks: readonly Stack[] = ['node', 'openssl', 'gnutls'];

/** Starts `shape` on `stack`; the caller closes it (t.teardown(server.close)). */
export function startShape(shape: Shape, stack: Stack): Promise<RunningServer> {
  switch (stack) {
    case 'node':
      return startNodeServer(shape.config.node);
    case 'openssl':
      return startOpenSSLServer(shape.config.openssl);
    case 'gnutls':
      return startGnuTLSServer(shape.config.gnutls);
  }
}

const s = suites;
const g = groups;
const off = null;

function sameOnAllStacks(expectation: ShapeExpectation): Record<Stack, ShapeExpectation> {
  return { node: expectation, openssl: expectation, gnutls: expectation };
}

function version(suiteList: number[], serverOrder: boolean | null, groupList: number[], dhPrimeBits: number[] = []): VersionExpectation {
  return { suites: suiteList, serverOrder, groups: groupList, dhPrimeBits };
}

// ---------------------------------------------------------------------------------------------

const fipsStrictRsa: Shape = {
  name: 'fipsStrictRsa',
  summary: 'TLS 1.2 + 1.3, AES-GCM only (ECDHE-RSA and static RSA), P-256 only, server order',
  certs: ['rsa2048'],
  config: {
    node: {
      cert: 'rsa2048',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers:
        'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:' +
        'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-GCM-SHA256',
      ecdhCurve: 'P-256',
      honorCipherOrder: true,
    },
    openssl: {
      cert: 'rsa2048',
      protocols: ['TLSv1.2', 'TLSv1.3'],
      cipher: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-GCM-SHA256',
      ciphersuites: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256',
      groups: 'P-256',
      serverPreference: true,
    },
    gnutls: {
      cert: 'rsa2048',
      priority:
        'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-256-GCM:+AES-128-GCM:+AEAD:+ECDHE-RSA:+RSA:' +
        '+SIGN-ALL:+GROUP-SECP256R1:+COMP-NULL:%SERVER_PRECEDENCE',
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': version(
        [
          s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ],
        true,
        [g.secp256r1],
      ),
      'TLSv1.3': version([s.TLS_AES_256_GCM_SHA384, s.TLS_AES_128_GCM_SHA256], true, [g.secp256r1]),
    },
    clientCertificate: 'none',
  }),
};

const fipsStrictEcdsa: Shape = {
  name: 'fipsStrictEcdsa',
  summary: 'TLS 1.2 + 1.3, ECDHE-ECDSA AES-GCM only, P-256 only, server order',
  certs: ['ecdsa-p256'],
  config: {
    node: {
      cert: 'ecdsa-p256',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
      ecdhCurve: 'P-256',
      honorCipherOrder: true,
    },
    openssl: {
      cert: 'ecdsa-p256',
      protocols: ['TLSv1.2', 'TLSv1.3'],
      cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
      ciphersuites: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256',
      groups: 'P-256',
      serverPreference: true,
    },
    gnutls: {
      cert: 'ecdsa-p256',
      priority:
        'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-256-GCM:+AES-128-GCM:+AEAD:+ECDHE-ECDSA:' +
        '+SIGN-ALL:+GROUP-SECP256R1:+COMP-NULL:%SERVER_PRECEDENCE',
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': version([s.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256], true, [g.secp256r1]),
      'TLSv1.3': version([s.TLS_AES_256_GCM_SHA384, s.TLS_AES_128_GCM_SHA256], true, [g.secp256r1]),
    },
    clientCertificate: 'none',
  }),
};

const meshCipher =
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:' +
  'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA:AES256-SHA';
const meshTls13 = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';
const meshCbc = [
  s.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
  s.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
  s.TLS_RSA_WITH_AES_128_CBC_SHA,
  s.TLS_RSA_WITH_AES_256_CBC_SHA,
];

const meshSidecar: Shape = {
  name: 'meshSidecar',
  summary: 'TLS 1.0-1.3, CBC + GCM + ChaCha20, X25519 + P-256, server order (a permissive sidecar)',
  certs: ['rsa2048'],
  config: {
    node: {
      cert: 'rsa2048',
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.3',
      ciphers: `${meshTls13}:${meshCipher}:@SECLEVEL=0`,
      ecdhCurve: 'X25519:P-256',
      honorCipherOrder: true,
    },
    openssl: {
      cert: 'rsa2048',
      protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
      cipher: meshCipher,
      ciphersuites: meshTls13,
      groups: 'X25519:P-256',
      serverPreference: true,
      securityLevel: 0,
    },
    gnutls: {
      cert: 'rsa2048',
      priority:
        'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:' +
        '+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC:+AEAD:+SHA1:' +
        '+ECDHE-RSA:+RSA:+SIGN-ALL:+GROUP-X25519:+GROUP-SECP256R1:+COMP-NULL:%SERVER_PRECEDENCE',
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': version(meshCbc, true, [g.x25519, g.secp256r1]),
      'TLSv1.1': version(meshCbc, true, [g.x25519, g.secp256r1]),
      'TLSv1.2': version(
        [
          s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
          s.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
          s.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
          s.TLS_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_RSA_WITH_AES_128_CBC_SHA,
          s.TLS_RSA_WITH_AES_256_CBC_SHA,
        ],
        true,
        [g.x25519, g.secp256r1],
      ),
      'TLSv1.3': version(
        [s.TLS_AES_128_GCM_SHA256, s.TLS_AES_256_GCM_SHA384, s.TLS_CHACHA20_POLY1305_SHA256],
        true,
        [g.x25519, g.secp256r1],
      ),
    },
    clientCertificate: 'none',
  }),
};

const tls13Suites = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256';

const tls13Only: Shape = {
  name: 'tls13Only',
  summary: 'TLS 1.3 only, GCM + ChaCha20 + CCM, X25519 + P-256 + P-384 + ffdhe2048, client order',
  certs: ['ecdsa-p384'],
  config: {
    node: {
      cert: 'ecdsa-p384',
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ciphers: tls13Suites,
      ecdhCurve: 'X25519:P-256:P-384:ffdhe2048',
      // tls.Server defaults honorCipherOrder to true (createSecureContext alone defaults to false).
      honorCipherOrder: false,
    },
    openssl: {
      cert: 'ecdsa-p384',
      protocols: ['TLSv1.3'],
      ciphersuites: tls13Suites,
      groups: 'X25519:P-256:P-384:ffdhe2048',
    },
    gnutls: {
      cert: 'ecdsa-p384',
      priority:
        'NONE:+VERS-TLS1.3:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CCM:+AEAD:' +
        '+SIGN-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-FFDHE2048:+COMP-NULL',
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': off,
      'TLSv1.3': version(
        [s.TLS_AES_128_GCM_SHA256, s.TLS_AES_256_GCM_SHA384, s.TLS_CHACHA20_POLY1305_SHA256, s.TLS_AES_128_CCM_SHA256],
        false,
        [g.x25519, g.secp256r1, g.secp384r1, g.ffdhe2048],
      ),
    },
    clientCertificate: 'none',
  }),
};

const clientOrderCipher =
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA256:' +
  'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA256:' +
  'AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256';

const tls12ClientOrder: Shape = {
  name: 'tls12ClientOrder',
  summary: 'TLS 1.2 only, ECDHE/DHE/RSA x AES-GCM/AES-128-CBC-SHA256, DH 2048, client order',
  certs: ['rsa3072'],
  config: {
    node: {
      cert: 'rsa3072',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: clientOrderCipher,
      ecdhCurve: 'X25519:P-256:P-384',
      dhparam: 'dh2048',
      honorCipherOrder: false,
    },
    openssl: {
      cert: 'rsa3072',
      protocols: ['TLSv1.2'],
      cipher: clientOrderCipher,
      groups: 'X25519:P-256:P-384',
      dhparam: 'dh2048',
    },
    gnutls: {
      cert: 'rsa3072',
      priority:
        'NONE:+VERS-TLS1.2:+AES-128-GCM:+AES-256-GCM:+AES-128-CBC:+AEAD:+SHA256:' +
        '+ECDHE-RSA:+DHE-RSA:+RSA:+SIGN-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+COMP-NULL',
      dhparams: 'dh2048',
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': version(
        [
          s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
          s.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
          s.TLS_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_RSA_WITH_AES_128_CBC_SHA256,
        ],
        false,
        [g.x25519, g.secp256r1, g.secp384r1],
        [2048],
      ),
      'TLSv1.3': off,
    },
    clientCertificate: 'none',
  }),
};

// No 3DES here: neither this OpenSSL 3.0.19 nor Node 20's bundled one has any 3DES suite
// (`openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'` lists none, DES-CBC3-SHA is "no cipher
// match"), and naming them anyway would make the result depend on how OpenSSL was built.
const legacyCipher = 'DHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA';
const legacyOpenSSLSuites = [
  s.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
  s.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
  s.TLS_RSA_WITH_AES_256_CBC_SHA,
  s.TLS_RSA_WITH_AES_128_CBC_SHA,
];
// GnuTLS ranks key exchange first, then cipher, then MAC, each in priority-string order
// (lib/priority.c set_ciphersuite_list), so 3DES lands after AES within each key exchange.
const legacyGnuTLSSuites = [
  s.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
  s.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
  s.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA,
  s.TLS_RSA_WITH_AES_256_CBC_SHA,
  s.TLS_RSA_WITH_AES_128_CBC_SHA,
  s.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
];

const legacy: Shape = {
  name: 'legacy',
  summary: 'TLS 1.0-1.2, static RSA + DHE-RSA with a 1024-bit prime (+ 3DES on GnuTLS), RSA 1024 certificate, server order',
  certs: ['rsa1024'],
  config: {
    node: {
      cert: 'rsa1024',
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.2',
      ciphers: `${legacyCipher}:@SECLEVEL=0`,
      dhparam: 'dh1024',
      honorCipherOrder: true,
    },
    openssl: {
      cert: 'rsa1024',
      protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
      cipher: legacyCipher,
      dhparam: 'dh1024',
      serverPreference: true,
      securityLevel: 0,
    },
    gnutls: {
      cert: 'rsa1024',
      priority:
        'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+AES-256-CBC:+AES-128-CBC:+3DES-CBC:+SHA1:' +
        '+DHE-RSA:+RSA:+SIGN-ALL:+COMP-NULL:%SERVER_PRECEDENCE',
      dhparams: 'dh1024',
    },
  },
  expected: {
    node: legacyExpectation(legacyOpenSSLSuites),
    openssl: legacyExpectation(legacyOpenSSLSuites),
    gnutls: legacyExpectation(legacyGnuTLSSuites),
  },
};

function legacyExpectation(suiteList: number[]): ShapeExpectation {
  return {
    versions: {
      'TLSv1.0': version(suiteList, true, [], [1024]),
      'TLSv1.1': version(suiteList, true, [], [1024]),
      'TLSv1.2': version(suiteList, true, [], [1024]),
      'TLSv1.3': off,
    },
    clientCertificate: 'none',
  };
}

const mtlsCipher = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305';
const mtlsTls13 = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256';

const mtlsRequired: Shape = {
  name: 'mtlsRequired',
  summary: 'TLS 1.2 + 1.3 requiring a client certificate from the test CA; suites still enumerable',
  certs: ['rsa2048'],
  config: {
    node: {
      cert: 'rsa2048',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: `${mtlsTls13}:${mtlsCipher}`,
      ecdhCurve: 'X25519:P-256',
      honorCipherOrder: true,
      requireClientCert: true,
    },
    openssl: {
      cert: 'rsa2048',
      protocols: ['TLSv1.2', 'TLSv1.3'],
      cipher: mtlsCipher,
      ciphersuites: mtlsTls13,
      groups: 'X25519:P-256',
      serverPreference: true,
      requireClientCert: true,
    },
    gnutls: {
      cert: 'rsa2048',
      priority:
        'NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:+AEAD:+ECDHE-RSA:' +
        '+SIGN-ALL:+GROUP-X25519:+GROUP-SECP256R1:+COMP-NULL:%SERVER_PRECEDENCE',
      requireClientCert: true,
    },
  },
  expected: sameOnAllStacks({
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      'TLSv1.2': version(
        [
          s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
          s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          s.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        true,
        [g.x25519, g.secp256r1],
      ),
      'TLSv1.3': version(
        [s.TLS_AES_256_GCM_SHA384, s.TLS_AES_128_GCM_SHA256, s.TLS_CHACHA20_POLY1305_SHA256],
        true,
        [g.x25519, g.secp256r1],
      ),
    },
    clientCertificate: 'required',
  }),
};

export const shapes: Record<ShapeName, Shape> = {
  fipsStrictRsa,
  fipsStrictEcdsa,
  meshSidecar,
  tls13Only,
  tls12ClientOrder,
  legacy,
  mtlsRequired,
};
