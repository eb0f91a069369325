/**
 * What a FIPS module refuses and a verdict used to pass (issue 14), against real OpenSSL servers
 * judged by every built-in profile: a server that signs its ServerKeyExchange only with SHA-1, or
 * with SHA-1 among SHA-256 schemes; DHE over a DSA-style prime that is not safe, and over the
 * RFC 7919 ffdhe2048 group; a server configured exactly as Istio's COMPLIANCE_POLICY=fips-140-2;
 * TLS 1.3 with P-256 only. Every failure names its rule, its item and the rule's source.
 */
import { judgeCases, type Case, type Named } from './judgedServers.js';
import { startOpenSSLServer, type OpenSSLServerOptions } from '../helpers/servers.js';

const TLS13_GCM = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384';
const ECDHE_RSA_GCM = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384';
/** Signatures with SHA-256 or stronger only (OpenSSL signs with SHA-224 too when asked). */
const SHA2_SIGALGS = 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512';

const EMS: Named = ['ems', 'TLSv1.2', 'extended_master_secret'];
const SHA1: Named = ['signature-scheme', 'TLSv1.2', 'rsa_pkcs1_sha1 (0x0201)'];
const NO_TLS13: Named = ['tls13-required', 'TLSv1.3', 'TLSv1.3'];
const DHE_GCM: Named = ['suite', 'TLSv1.2', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009e)'];
const P256_12: Named = ['group', 'TLSv1.2', 'secp256r1 (0x0017)'];
/** What istio-pqc says of any server offering TLS 1.2 with P-256 but no TLS 1.3. */
const PQC_ON_TLS12: Named[] = [['protocol', 'TLSv1.2', 'TLSv1.2'], ['protocol', null, null], P256_12, NO_TLS13];

function tls12Server(sigalgs: string, extra: Partial<OpenSSLServerOptions> = {}) {
  return () =>
    startOpenSSLServer({
      cert: 'rsa2048',
      protocols: ['TLSv1.2'],
      cipher: ECDHE_RSA_GCM,
      groups: 'P-256',
      // SHA-1 signatures are below OpenSSL 3's level 1.
      securityLevel: sigalgs.includes('SHA1') ? 0 : 1,
      extraArgs: ['-sigalgs', sigalgs],
      ...extra,
    });
}

function dheServer(dhparam: 'dh2048-dsa' | 'ffdhe2048') {
  return () =>
    startOpenSSLServer({
      cert: 'rsa2048',
      protocols: ['TLSv1.2', 'TLSv1.3'],
      cipher: 'ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256',
      ciphersuites: TLS13_GCM,
      groups: 'P-256',
      dhparam,
      extraArgs: ['-sigalgs', SHA2_SIGALGS],
    });
}

const cases: Case[] = [
  {
    stack: 'openssl',
    summary: 'TLS 1.2 signing its ServerKeyExchange only with rsa_pkcs1_sha1',
    start: tls12Server('RSA+SHA1'),
    violations: {
      'fips-strict': [SHA1],
      'sp800-52r2': [SHA1, NO_TLS13],
      'fips-140-3': [SHA1, EMS],
      'istio-fips-140-2': [SHA1],
      'istio-pqc': [...PQC_ON_TLS12, SHA1],
    },
    says: { 'fips-strict': ['signs its handshake with rsa_pkcs1_sha1'] },
    setup: { what: 'rsa_pkcs1_sha1 is the only scheme', holds: (r) => JSON.stringify(r.protocols[4]!.signatureSchemes?.map((u) => u.scheme)) === '[513]' },
  },
  {
    stack: 'openssl',
    summary: 'TLS 1.2 signing with rsa_pkcs1_sha1 among SHA-256 schemes',
    start: tls12Server('RSA+SHA256:rsa_pss_rsae_sha256:RSA+SHA1'),
    violations: {
      'fips-strict': [SHA1],
      'sp800-52r2': [SHA1, NO_TLS13],
      'fips-140-3': [SHA1, EMS],
      'istio-fips-140-2': [SHA1],
      'istio-pqc': [...PQC_ON_TLS12, SHA1],
    },
    setup: { what: 'three schemes found, SHA-1 among them', holds: (r) => r.protocols[4]!.signatureSchemes?.length === 3 },
  },
  {
    stack: 'openssl',
    summary: 'DHE over a DSA-style 2048-bit prime that is not safe',
    start: dheServer('dh2048-dsa'),
    violations: {
      // fips-strict denies DHE itself: the suite is the violation.
      'fips-strict': [DHE_GCM],
      'sp800-52r2': [['dh-group', 'TLSv1.2', 'a custom 2048-bit prime (not a safe prime)']],
      'fips-140-3': [['dh-group', 'TLSv1.2', 'a custom 2048-bit prime (not a safe prime)'], EMS],
      'istio-fips-140-2': [DHE_GCM, ['protocol', 'TLSv1.3', 'TLSv1.3']],
      'istio-pqc': [['protocol', 'TLSv1.2', 'TLSv1.2'], DHE_GCM, P256_12, ['group', 'TLSv1.3', 'secp256r1 (0x0017)']],
    },
    says: { 'sp800-52r2': ['only the approved safe-prime groups'] },
    setup: { what: 'the prime is reported as not safe', holds: (r) => r.protocols[4]!.dhParameters.some((d) => d.safePrime === false) },
  },
  {
    stack: 'openssl',
    summary: 'DHE over the RFC 7919 ffdhe2048 group',
    start: dheServer('ffdhe2048'),
    violations: {
      'fips-strict': [DHE_GCM, ['group', 'TLSv1.2', 'ffdhe2048 (0x0100)']],
      'sp800-52r2': [],
      'fips-140-3': [EMS],
      'istio-fips-140-2': [DHE_GCM, ['group', 'TLSv1.2', 'ffdhe2048 (0x0100)'], ['protocol', 'TLSv1.3', 'TLSv1.3']],
      'istio-pqc': [['protocol', 'TLSv1.2', 'TLSv1.2'], DHE_GCM, P256_12, ['group', 'TLSv1.2', 'ffdhe2048 (0x0100)'], ['group', 'TLSv1.3', 'secp256r1 (0x0017)']],
    },
  },
  {
    stack: 'openssl',
    summary: "exactly Istio's COMPLIANCE_POLICY=fips-140-2: TLS 1.2 only, ECDHE-RSA AES-GCM, P-256",
    start: tls12Server(SHA2_SIGALGS),
    violations: {
      'istio-fips-140-2': [],
      'fips-strict': [],
      'sp800-52r2': [NO_TLS13],
      'fips-140-3': [EMS],
      'istio-pqc': PQC_ON_TLS12,
    },
  },
  {
    stack: 'openssl',
    summary: 'TLS 1.3 only, AES-GCM, P-256 only',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.3'], ciphersuites: TLS13_GCM, groups: 'P-256', extraArgs: ['-sigalgs', SHA2_SIGALGS] }),
    violations: {
      'fips-strict': [],
      'sp800-52r2': [],
      'fips-140-3': [],
      'istio-fips-140-2': [['protocol', 'TLSv1.3', 'TLSv1.3'], ['protocol', null, null]],
      'istio-pqc': [['group', 'TLSv1.3', 'secp256r1 (0x0017)']],
    },
    setup: { what: 'the TLS 1.3 chain comes from our own decrypted flight', holds: (r) => r.certificates.some((c) => c.protocol === 'TLSv1.3' && c.source === 'wire') },
  },
];

await judgeCases(cases);
