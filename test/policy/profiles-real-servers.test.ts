/**
 * Every built-in profile against real servers on loopback (Node, OpenSSL s_server, gnutls-serv):
 * each server is scanned once and judged by all three profiles. Compliant configurations pass,
 * and each kind of violation fails with exactly that violation, named by rule, protocol and item
 * and spelled out in its message: TLS 1.0 enabled, a CBC suite in TLS 1.2, ChaCha20 in TLS 1.3,
 * X25519, P-384 (fips-strict only), a 1024-bit RSA certificate, no extended master secret, and
 * no TLS 1.3 (sp800-52r2).
 *
 * A stack's default TLS 1.2 completes handshakes without EMS, and no stack here can be told to
 * refuse them (OpenSSL 3.0 s_server has no option for it, GnuTLS 3.7 no %FORCE_SESSION_HASH),
 * so every TLS 1.2 server fails fips-140-3 with `ems`; only a TLS 1.3-only server passes it.
 */
import { judgeCases, type Case, type Named } from './judgedServers.js';
import { startGnuTLSServer, startNodeServer, startOpenSSLServer } from '../helpers/servers.js';

const TLS13_GCM = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384';
const ECDHE_RSA_GCM = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384';
/** GnuTLS signs with SHA-1 and SHA-224 when a client asks, unless the priority string drops them. */
const GNUTLS_SHA2_SIGNATURES = '+SIGN-ALL:-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1:-SIGN-DSA-SHA1:-SIGN-RSA-SHA224:-SIGN-ECDSA-SHA224:-SIGN-DSA-SHA224';
const GNUTLS_STRICT = `NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-128-GCM:+AES-256-GCM:+AEAD:+ECDHE-RSA:${GNUTLS_SHA2_SIGNATURES}:+GROUP-SECP256R1:+COMP-NULL`;
/** OpenSSL below security level 1 also signs with SHA-1 and SHA-224 when asked: these cases test something else. */
const OPENSSL_SHA2_SIGNATURES = ['-sigalgs', 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512'];

/**
 * OpenSSL's SSL_OP_NO_EXTENDED_MASTER_SECRET (SSL_OP_BIT(0) in OpenSSL 3.0 ssl.h). Node does not
 * export it in crypto.constants but passes secureOptions to SSL_CTX_set_options unchanged; the
 * `setup` check below proves the bit did what it says.
 */
const SSL_OP_NO_EXTENDED_MASTER_SECRET = 1;

const EMS: Named = ['ems', 'TLSv1.2', 'extended_master_secret'];
const CBC_C013 = 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)';
const X25519 = 'x25519 (0x001d)';
const P384 = 'secp384r1 (0x0018)';
const LEAF = 'leaf certificate O=fipscan test, CN=localhost';

const cases: Case[] = [
  {
    stack: 'node',
    summary: 'TLS 1.2 + 1.3, ECDHE-RSA AES-GCM, P-256',
    start: () => startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: `${TLS13_GCM}:${ECDHE_RSA_GCM}`, ecdhCurve: 'P-256' }),
    violations: { 'fips-strict': [], 'sp800-52r2': [], 'fips-140-3': [EMS] },
    says: { 'fips-140-3': ['completes handshakes without extended_master_secret'] },
  },
  {
    stack: 'openssl',
    summary: 'TLS 1.2 + 1.3, ECDHE-RSA AES-GCM, P-256',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2', 'TLSv1.3'], cipher: ECDHE_RSA_GCM, ciphersuites: TLS13_GCM, groups: 'P-256' }),
    violations: { 'fips-strict': [], 'sp800-52r2': [], 'fips-140-3': [EMS] },
  },
  {
    stack: 'gnutls',
    summary: 'TLS 1.2 + 1.3, ECDHE-RSA AES-GCM, P-256',
    start: () => startGnuTLSServer({ cert: 'rsa2048', priority: GNUTLS_STRICT }),
    violations: { 'fips-strict': [], 'sp800-52r2': [], 'fips-140-3': [EMS] },
  },
  {
    stack: 'gnutls',
    summary: 'TLS 1.2 + 1.3, ECDHE-ECDSA AES-GCM, P-256 certificate and group',
    start: () => startGnuTLSServer({ cert: 'ecdsa-p256', priority: GNUTLS_STRICT.replace('ECDHE-RSA', 'ECDHE-ECDSA') }),
    violations: { 'fips-strict': [], 'sp800-52r2': [], 'fips-140-3': [EMS] },
  },
  {
    stack: 'node',
    summary: 'TLS 1.3 only, AES-GCM, P-256 (nothing for EMS to apply to)',
    start: () => startNodeServer({ cert: 'ecdsa-p256', minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: TLS13_GCM, ecdhCurve: 'P-256' }),
    violations: { 'fips-strict': [], 'sp800-52r2': [], 'fips-140-3': [] },
  },
  {
    stack: 'openssl',
    summary: 'TLS 1.0 enabled next to 1.2 + 1.3 (its only suite is CBC)',
    start: () =>
      startOpenSSLServer({
        cert: 'rsa2048',
        protocols: ['TLSv1.0', 'TLSv1.2', 'TLSv1.3'],
        cipher: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA',
        ciphersuites: TLS13_GCM,
        groups: 'P-256',
        // TLS 1.0's MD5/SHA-1 signatures are below level 1 (shapes.ts).
        securityLevel: 0,
        extraArgs: OPENSSL_SHA2_SIGNATURES,
      }),
    violations: {
      'fips-strict': [['protocol', 'TLSv1.0', 'TLSv1.0'], ['suite', 'TLSv1.0', CBC_C013], ['suite', 'TLSv1.2', CBC_C013]],
      // SP 800-52r2 lists ECDHE-RSA-AES128-SHA, so only the version itself is wrong.
      'sp800-52r2': [['protocol', 'TLSv1.0', 'TLSv1.0']],
      'fips-140-3': [['protocol', 'TLSv1.0', 'TLSv1.0'], ['suite', 'TLSv1.0', CBC_C013], ['suite', 'TLSv1.2', CBC_C013], EMS],
    },
    says: { 'sp800-52r2': ['The server offers TLSv1.0'] },
  },
  {
    stack: 'gnutls',
    summary: 'TLS 1.2 accepts a CBC suite (ECDHE-RSA-AES128-SHA) next to AES-GCM',
    start: () => startGnuTLSServer({ cert: 'rsa2048', priority: `NONE:+VERS-TLS1.3:+VERS-TLS1.2:+AES-128-GCM:+AES-128-CBC:+AEAD:+SHA1:+ECDHE-RSA:${GNUTLS_SHA2_SIGNATURES}:+GROUP-SECP256R1:+COMP-NULL` }),
    violations: {
      'fips-strict': [['suite', 'TLSv1.2', CBC_C013]],
      'sp800-52r2': [],
      'fips-140-3': [['suite', 'TLSv1.2', CBC_C013], EMS],
    },
    says: { 'fips-strict': ['CBC mode'], 'fips-140-3': ['CBC mode'] },
  },
  {
    stack: 'node',
    summary: 'TLS 1.3 accepts ChaCha20-Poly1305',
    start: () =>
      startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'P-256' }),
    violations: {
      'fips-strict': [['suite', 'TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256 (0x1303)']],
      'sp800-52r2': [['suite', 'TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256 (0x1303)']],
      'fips-140-3': [['suite', 'TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256 (0x1303)'], EMS],
    },
    says: { 'fips-strict': ['ChaCha20-Poly1305'], 'sp800-52r2': ['ChaCha20-Poly1305'], 'fips-140-3': ['ChaCha20-Poly1305'] },
  },
  {
    stack: 'node',
    summary: 'X25519 next to P-256',
    start: () => startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: `${TLS13_GCM}:${ECDHE_RSA_GCM}`, ecdhCurve: 'P-256:X25519' }),
    violations: {
      'fips-strict': [['group', 'TLSv1.2', X25519], ['group', 'TLSv1.3', X25519]],
      'sp800-52r2': [['group', 'TLSv1.2', X25519], ['group', 'TLSv1.3', X25519]],
      'fips-140-3': [['group', 'TLSv1.2', X25519], ['group', 'TLSv1.3', X25519], EMS],
    },
  },
  {
    stack: 'openssl',
    summary: 'P-384 next to P-256 (only fips-strict is P-256 only)',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2', 'TLSv1.3'], cipher: ECDHE_RSA_GCM, ciphersuites: TLS13_GCM, groups: 'P-256:P-384' }),
    violations: {
      'fips-strict': [['group', 'TLSv1.2', P384], ['group', 'TLSv1.3', P384]],
      'sp800-52r2': [],
      'fips-140-3': [EMS],
    },
  },
  {
    stack: 'openssl',
    summary: 'a 1024-bit RSA certificate',
    // OpenSSL 3 refuses to load a 1024-bit key above level 1 and Debian-like builds default to 2.
    start: () => startOpenSSLServer({ cert: 'rsa1024', protocols: ['TLSv1.2', 'TLSv1.3'], cipher: ECDHE_RSA_GCM, ciphersuites: TLS13_GCM, groups: 'P-256', securityLevel: 0, extraArgs: OPENSSL_SHA2_SIGNATURES }),
    violations: {
      // The chain is named by the highest version that served it.
      'fips-strict': [['cert-key', 'TLSv1.3', LEAF]],
      'sp800-52r2': [['cert-key', 'TLSv1.3', LEAF]],
      'fips-140-3': [['cert-key', 'TLSv1.3', LEAF], EMS],
    },
    says: { 'fips-strict': ['1024-bit RSA key', 'at least 2048 bits'], 'sp800-52r2': ['1024-bit RSA key'], 'fips-140-3': ['1024-bit RSA key'] },
  },
  {
    stack: 'node',
    summary: 'TLS 1.2 without extended master secret (SSL_OP_NO_EXTENDED_MASTER_SECRET)',
    start: () =>
      startNodeServer({
        cert: 'rsa2048',
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        ciphers: `${TLS13_GCM}:${ECDHE_RSA_GCM}`,
        ecdhCurve: 'P-256',
        secureOptions: SSL_OP_NO_EXTENDED_MASTER_SECRET,
      }),
    violations: { 'fips-strict': [], 'sp800-52r2': [EMS], 'fips-140-3': [EMS] },
    says: { 'sp800-52r2': ['does not support extended_master_secret'], 'fips-140-3': ['does not support extended_master_secret'] },
    setup: { what: 'the server does not echo extended_master_secret', holds: (r) => r.features.extendedMasterSecret.supported === false },
  },
  {
    stack: 'gnutls',
    summary: 'TLS 1.2 without extended master secret (%NO_SESSION_HASH)',
    start: () => startGnuTLSServer({ cert: 'rsa2048', priority: `${GNUTLS_STRICT}:%NO_SESSION_HASH` }),
    violations: { 'fips-strict': [], 'sp800-52r2': [EMS], 'fips-140-3': [EMS] },
    says: { 'sp800-52r2': ['does not support extended_master_secret'], 'fips-140-3': ['does not support extended_master_secret'] },
    setup: { what: 'the server does not echo extended_master_secret', holds: (r) => r.features.extendedMasterSecret.supported === false },
  },
  {
    stack: 'gnutls',
    summary: 'TLS 1.2 only, ECDHE-RSA AES-GCM, P-256 (no TLS 1.3)',
    start: () => startGnuTLSServer({ cert: 'rsa2048', priority: GNUTLS_STRICT.replace('+VERS-TLS1.3:', '') }),
    violations: { 'fips-strict': [], 'sp800-52r2': [['tls13-required', 'TLSv1.3', 'TLSv1.3']], 'fips-140-3': [EMS] },
    says: { 'sp800-52r2': ['does not offer TLSv1.3'] },
  },
  {
    stack: 'openssl',
    summary: 'TLS 1.2 + 1.3 with suites and groups SP 800-52r2 allows but fips-strict does not (CBC-SHA384, DHE 2048, CCM, P-384)',
    start: () =>
      startOpenSSLServer({
        cert: 'rsa2048',
        protocols: ['TLSv1.2', 'TLSv1.3'],
        cipher: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-GCM-SHA256',
        ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256',
        groups: 'P-256:P-384',
        // An RFC 7919 group: DHE over a server's own prime fails every profile that allows DHE (audit-servers.test.ts).
        dhparam: 'ffdhe2048',
      }),
    violations: {
      'fips-strict': [
        ['suite', 'TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009e)'],
        ['suite', 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 (0xc028)'],
        ['group', 'TLSv1.2', P384],
        // Its DH parameters are the RFC 7919 group, whatever a client lists: the group DHE uses.
        ['group', 'TLSv1.2', 'ffdhe2048 (0x0100)'],
        ['suite', 'TLSv1.3', 'TLS_AES_128_CCM_SHA256 (0x1304)'],
        ['group', 'TLSv1.3', P384],
      ],
      'sp800-52r2': [],
      // The CBC-SHA384, DHE-GCM and CCM suites are warnings under fips-140-3, P-384 allowed.
      'fips-140-3': [EMS],
    },
  },
];

await judgeCases(cases);
