/**
 * The built-in policy profiles, as data. Each list follows /work/shared/reference/fips-policies.md
 * §7 (cited as "§n" below), which gives the sources for every item; anything a list leaves out
 * is denied. A profile's `version` is bumped whenever one of its lists changes, so a verdict can
 * always be traced to the exact rules it was judged by.
 */
import { groupId, signatureSchemeId, suiteId } from '../registry/index.js';
import { deepFreeze } from './freeze.js';
import { FIPS_140_3_SSH, FIPS_140_3_SSH_SOURCES, FIPS_SSH, FIPS_SSH_SOURCES } from './sshPolicy.js';
import type { Policy } from './types.js';

/** Data version of the built-in profiles. */
export const BUILTIN_VERSION = '2026.12';

/*
 * The lists name their items by IANA name, looked up in the registry (an unknown name is a
 * programming error there): they read like the documents they follow, and a misspelt name stops
 * the module from loading instead of quietly denying an item.
 */
const suiteIds = (...names: string[]): number[] => names.map(suiteId);
const groupIds = (...names: string[]): number[] => names.map(groupId);
const schemeIds = (...names: string[]): number[] => names.map(signatureSchemeId);

/*
 * Where the rules come from. Sections of NIST documents are cited as the documents number them;
 * fips-policies.md is the project's reference of facts with their sources (its §n), and code is
 * cited as owner/repo:path@commit as read.
 */
const SP800_52R2_DOC = 'NIST SP 800-52 Rev. 2 (August 2019)';
const SP800_131A = 'NIST SP 800-131A Rev. 2 (March 2019)';
const SP800_56A = 'NIST SP 800-56A Rev. 3 (April 2018)';
const FIPS186_5 = 'FIPS 186-5 (February 2023)';
const GO_FIPSONLY = 'Go+BoringCrypto crypto/tls fipsonly, Go 1.19-1.23 (golang/go:src/crypto/tls/boring.go@09b5de48; fips-policies.md §4.1.1)';
const BORINGSSL_202205 = 'BoringSSL ssl_compliance_policy_fips_202205 (google/boringssl:ssl/ssl_lib.cc@a0689af2, 2022-05-18; fips-policies.md §4.2)';
const ISTIO_FIPS = 'Istio COMPLIANCE_POLICY (istio/istio:pkg/model/fips.go@127beb25, Istio 1.21+, backported to 1.20.4 and 1.19.8; fips-policies.md §4.5)';

/** Rules every FIPS profile reads the same way. */
const SHARED_SOURCES = {
  'protocol-violation': 'RFC 8446 §4.1.3 and RFC 5246 §7.4.1.3 (August 2018, August 2008): the server selects from what the client offered; a server that breaks the protocol is not judged compliant',
  inconclusive: 'fipscan: what a scan cannot prove is never passed; an unproven item the policy cares about makes the verdict error (as sslyze\'s mozilla_config_checker refuses an incomplete scan)',
  'dh-group': `${SP800_56A} Appendix D: the approved finite-field groups are the safe-prime groups ffdhe2048-8192 (RFC 7919) and MODP-2048-8192 (RFC 3526); a server's own prime, safe or not, is not one of them`,
  'dh-size': `${SP800_131A} §5 (key agreement using Diffie-Hellman): finite-field DH below 2048 bits (112-bit security) is disallowed`,
  renegotiation: `${SP800_52R2_DOC} §3.4.1: the server shall support the renegotiation_info extension (RFC 5746)`,
  plaintext:
    'Istio PeerAuthentication.MutualTLS.Mode (istio/api security/v1beta1/peer_authentication.proto@05a21bac): STRICT, the connection is an mTLS tunnel; ' +
    'PERMISSIVE (also what UNSET means without a parent), it can be either plaintext or an mTLS tunnel: a port that also answers plaintext is reported (a warning), ' +
    'and with --require-tls (an audit of a STRICT mesh) it fails, as does a port that answers plaintext only',
  // One SSH rule set for every profile (sshPolicy.ts), read a little wider by fips-140-3.
  ...FIPS_SSH_SOURCES,
} as const;

const TLS12_13_ONLY = { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'allow', 'TLSv1.3': 'allow' } as const;

/** The four ECDHE AES-GCM suites every FIPS stack agrees on (§1.2, §4.2, §4.4). */
const ECDHE_AES_GCM = suiteIds(
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
);

/** RSA/ECDSA signatures with SHA-2 (Go 1.19 fipsonly list, §4.1.1). */
const SHA2_SCHEMES = schemeIds(
  'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
  'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
  'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512',
);

/**
 * rsa_pkcs1_sha224 and ecdsa_sha224: SHA-224 is acceptable for signatures (112 bits, SP 800-131A
 * Rev. 2), and nearly every OpenSSL server signs with it when a client asks, so a warning.
 */
const SHA224_SCHEMES = schemeIds('rsa_pkcs1_sha224', 'ecdsa_sha224');

const SHA2_HASHES = ['SHA-256', 'SHA-384', 'SHA-512'];

const FFDHE = groupIds('ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192');

/**
 * Mesh-strict: TLS 1.2+, AES-GCM only, P-256 (§1, §7.1). The default, because it is what FIPS
 * service meshes (Go+BoringCrypto, Envoy FIPS builds) negotiate with each other.
 */
const FIPS_STRICT: Policy = {
  id: 'fips-strict',
  version: BUILTIN_VERSION,
  title: 'FIPS strict: TLS 1.2/1.3, AES-GCM suites, P-256',
  basis:
    'Banzai Cloud Backyards FIPS 140-2 Istio: TLS 1.2 and 1.3, GCM-only suites, P-256 (fips-policies.md §1, §7.1); ' +
    'Go+BoringCrypto fipsonly suite, signature and certificate lists (§4.1.1); Envoy FIPS curve default (§4.4)',
  protocols: TLS12_13_ONLY,
  tls12Suites: {
    allow: ECDHE_AES_GCM,
    // In the strict list, but RSA key transport: no forward secrecy, and disallowed for FIPS 140-3 after 2023 (§1.2, §3.5).
    warn: suiteIds('TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'),
  },
  // "GCM only": ChaCha20-Poly1305 is not approved (§3.2); the CCM suites are approved but not GCM (§1.3).
  tls13Suites: { allow: suiteIds('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'), warn: [] },
  groups: { allow: groupIds('secp256r1'), warn: [] },
  signatureSchemes: { allow: SHA2_SCHEMES, warn: SHA224_SCHEMES },
  // Moot while no DHE suite is allowed; kept so that a policy extending this one inherits a safe floor.
  dhMinBits: 2048,
  dhNamedGroupsOnly: true,
  certificate: {
    rsaMinBits: 2048,
    ecCurves: ['P-256', 'P-384', 'P-521'],
    keyTypes: ['RSA', 'EC'],
    signatureHashes: SHA2_HASHES,
    signatureHashesWarn: [],
    scope: 'chain',
  },
  require: {
    // FIPS 140-2 era: the stacks this profile mirrors did not require EMS (§4.1.1, §7.1).
    extendedMasterSecret: 'off',
    // Not in §7.1, but SP 800-52r2 §3.4.1 makes renegotiation_info mandatory (§2.6), and Go and
    // BoringSSL/Envoy always send it: requiring it costs the mirrored stacks nothing and rules
    // out the RFC 5746 renegotiation attack.
    secureRenegotiation: true,
    tls13: false,
  },
  ssh: FIPS_SSH,
  sources: {
    ...SHARED_SOURCES,
    protocol: `Banzai Cloud Backyards "FIPS 140-2 compliant Istio": TLS 1.2 and 1.3 only (fips-policies.md §1.1); ${BORINGSSL_202205}: TLS 1.2-1.3`,
    suite:
      `Backyards' GCM-only list and ${GO_FIPSONLY}: 0xC02B, 0xC02C, 0xC02F, 0xC030, TLS 1.3 0x1301, 0x1302 (fips-policies.md §1.2, §1.3); ` +
      `RSA key transport 0x009C, 0x009D only with a warning: ${SP800_131A} §6 disallows PKCS#1 v1.5 key transport after 2023-12-31`,
    group: `P-256 only: Envoy FIPS builds' default curve (envoyproxy/envoy:source/common/tls/context_config_impl.cc@02045b5b DEFAULT_CURVES_FIPS; fips-policies.md §4.4) and ${ISTIO_FIPS}`,
    'signature-scheme': `${GO_FIPSONLY}: RSA-PSS, RSA PKCS#1 and ECDSA with SHA-256/384/512; ${SP800_131A} §3 and §9: SHA-1 disallowed for digital signature generation, SHA-224 acceptable (a warning)`,
    'cert-key': `${GO_FIPSONLY} (golang/go:src/crypto/x509/boring.go@460e1f3a): RSA of at least 2048 bits, ECDSA on P-256, P-384 or P-521, for every certificate of the chain`,
    'cert-signature': `${GO_FIPSONLY}; ${SP800_52R2_DOC} §3.2: certificates signed with SHA-256 or stronger`,
    ems: 'Not required in this profile: the FIPS 140-2 era stacks it mirrors did not require extended_master_secret (fips-policies.md §4.1.1, §7.1); FIPS 140-3 IG D.Q is judged by fips-140-3',
    'tls13-required': 'Not required in this profile (Backyards allows TLS 1.2 alone)',
  },
};

/** NIST SP 800-52 Rev. 2, government-only servers (§2, §7.2). */
const SP800_52R2: Policy = {
  id: 'sp800-52r2',
  version: BUILTIN_VERSION,
  title: 'NIST SP 800-52 Rev. 2, government-only servers',
  basis:
    'NIST SP 800-52 Rev. 2 server requirements: versions §3.1, suites §3.3.1 and Appendix D, groups §3.4.2.2, ' +
    'certificates §3.2, extensions §3.4 (fips-policies.md §2, §7.2)',
  // TLS 1.1 "should not" (warn); TLS 1.0 and SSL "shall not" (§2.1).
  protocols: { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'warn', 'TLSv1.2': 'allow', 'TLSv1.3': 'allow' },
  tls12Suites: {
    // The 56 suites of §3.3.1.1 (§2.2).
    allow: suiteIds(
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_DHE_RSA_WITH_AES_128_CCM', 'TLS_DHE_RSA_WITH_AES_256_CCM',
      'TLS_DHE_RSA_WITH_AES_128_CCM_8', 'TLS_DHE_RSA_WITH_AES_256_CCM_8',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
      'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
      'TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
      'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
      'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256',
      'TLS_DHE_DSS_WITH_AES_128_CBC_SHA', 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA',
      'TLS_DH_DSS_WITH_AES_128_GCM_SHA256', 'TLS_DH_DSS_WITH_AES_256_GCM_SHA384',
      'TLS_DH_DSS_WITH_AES_128_CBC_SHA256', 'TLS_DH_DSS_WITH_AES_256_CBC_SHA256',
      'TLS_DH_DSS_WITH_AES_128_CBC_SHA', 'TLS_DH_DSS_WITH_AES_256_CBC_SHA',
      'TLS_DH_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DH_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_DH_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DH_RSA_WITH_AES_256_CBC_SHA256',
      'TLS_DH_RSA_WITH_AES_128_CBC_SHA', 'TLS_DH_RSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA',
      'TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDH_RSA_WITH_AES_256_CBC_SHA',
    ),
    // Appendix D: RSA key transport, "may be used if a transition period is needed" (§2.2).
    warn: suiteIds(
      'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_RSA_WITH_AES_128_CCM', 'TLS_RSA_WITH_AES_256_CCM',
      'TLS_RSA_WITH_AES_128_CCM_8', 'TLS_RSA_WITH_AES_256_CCM_8',
      'TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_RSA_WITH_AES_256_CBC_SHA256',
      'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA',
    ),
  },
  // §3.3.1.2: ChaCha20-Poly1305 is not listed (§2.3).
  tls13Suites: { allow: suiteIds('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'), warn: [] },
  // §3.4.2.2 as TLS-Scanner encodes it (§2.4); x25519/x448, brainpool and the ML-KEM groups are
  // outside SP 800-52r2, which predates FIPS 203.
  groups: {
    allow: [...groupIds(
      'secp224r1', 'secp256r1', 'secp384r1', 'secp521r1',
      'sect233k1', 'sect233r1', 'sect283k1', 'sect283r1',
      'sect409k1', 'sect409r1', 'sect571k1', 'sect571r1',
    ), ...FFDHE],
    warn: [],
  },
  signatureSchemes: {
    allow: schemeIds(
      'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
      'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512',
      'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
      'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512',
    ),
    warn: schemeIds(
      'rsa_pkcs1_sha224', 'ecdsa_sha224', 'dsa_sha256', 'dsa_sha384', 'dsa_sha512',
    ),
  },
  // Ephemeral keys of at least 112-bit strength (§2.4).
  dhMinBits: 2048,
  dhNamedGroupsOnly: true,
  certificate: {
    rsaMinBits: 2048,
    // "minimum 224-bit", "should be P-256 or P-384" (§2.5).
    ecCurves: ['P-224', 'P-256', 'P-384', 'P-521'],
    keyTypes: ['RSA', 'RSA-PSS', 'EC', 'DSA'],
    signatureHashes: SHA2_HASHES,
    // "SHA-224 or a stronger hashing algorithm" (§2.5); the profile table asks SHA-256 or stronger.
    signatureHashesWarn: ['SHA-224'],
    scope: 'chain',
  },
  require: {
    // §3.4.1: the server "shall support" EMS and renegotiation_info (§2.6); support is what is asked.
    extendedMasterSecret: 'supported',
    secureRenegotiation: true,
    // "servers shall support TLS 1.3" since 2024-01-01 (§2.1).
    tls13: true,
  },
  ssh: FIPS_SSH,
  sources: {
    ...SHARED_SOURCES,
    protocol: `${SP800_52R2_DOC} §3.1: servers shall support TLS 1.2, shall not support SSL 2.0, SSL 3.0 or TLS 1.0, should not support TLS 1.1`,
    suite: `${SP800_52R2_DOC} §3.3.1.1 (TLS 1.2 suites), Appendix D (RSA key transport, transition only: a warning) and §3.3.1.2 (TLS 1.3: no ChaCha20-Poly1305)`,
    group: `${SP800_52R2_DOC} §3.4.2.2 (supported_groups: NIST curves of at least 224 bits and ffdhe2048-8192); X25519, X448 and brainpool are outside it`,
    'signature-scheme': `${SP800_52R2_DOC} §3.4.1 (signature_algorithms) and ${SP800_131A} §3 and §9: SHA-2 signatures; SHA-224 and DSA with a warning; SHA-1 disallowed for digital signature generation`,
    'cert-key': `${SP800_52R2_DOC} §3.2 certificate profile: RSA and DSA of at least 2048 bits, ECDSA on a NIST curve of at least 224 bits`,
    'cert-signature': `${SP800_52R2_DOC} §3.2: certificates signed with SHA-224 or stronger (the profile table asks SHA-256 or stronger: SHA-224 is a warning)`,
    ems: `${SP800_52R2_DOC} §3.4.1: the server shall support the extended_master_secret extension (RFC 7627)`,
    'tls13-required': `${SP800_52R2_DOC} §3.1: servers shall support TLS 1.3 by January 1, 2024`,
  },
};

/** SP 800-52r2 narrowed by FIPS 140-3 practice (IG D.Q, SP 800-131A r2, FIPS 186-5, FIPS 203) (§3, §7.3). */
const FIPS_140_3: Policy = {
  id: 'fips-140-3',
  version: BUILTIN_VERSION,
  title: 'FIPS 140-3 modern: TLS 1.2 with EMS, TLS 1.3, approved algorithms only',
  basis:
    'SP 800-52r2 (fips-policies.md §2) with FIPS 140-3: IG D.Q extended master secret (§3.1), no ChaCha20 (§3.2) ' +
    'or X25519/X448 (§3.3), EdDSA per FIPS 186-5 (§3.4), no RSA key transport (§3.5), ML-KEM per FIPS 203 (§3.6); ' +
    'Go native FIPS 140-3 and OpenSSL FIPS provider practice (§4.1.3, §4.3); profile §7.3',
  protocols: TLS12_13_ONLY,
  tls12Suites: {
    allow: ECDHE_AES_GCM,
    warn: [
      // AES-CCM and FFDHE AEAD
      ...suiteIds(
        'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
        'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_DHE_RSA_WITH_AES_128_CCM', 'TLS_DHE_RSA_WITH_AES_256_CCM',
      ),
      // CCM_8: 64-bit tag
      ...suiteIds(
        'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
        'TLS_DHE_RSA_WITH_AES_128_CCM_8', 'TLS_DHE_RSA_WITH_AES_256_CCM_8',
      ),
      // CBC with SHA-2: needs encrypt_then_mac
      ...suiteIds(
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
      ),
    ],
  },
  tls13Suites: { allow: suiteIds('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'), warn: suiteIds('TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256') },
  groups: {
    allow: groupIds(
      'secp256r1', 'secp384r1', 'secp521r1',
      'SecP256r1MLKEM768', 'SecP384r1MLKEM1024', 'MLKEM512',
      'MLKEM768', 'MLKEM1024',
    ),
    // X25519MLKEM768 is conditionally allowed (ML-KEM approved, X25519 not, §3.6); FFDHE is
    // approved (SP 800-56A App. D); P-224 is approved but only 112-bit.
    warn: [...groupIds('X25519MLKEM768'), ...FFDHE, ...groupIds('secp224r1')],
  },
  signatureSchemes: {
    allow: schemeIds(
      'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512',
      'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512',
      'rsa_pss_pss_sha256', 'rsa_pss_pss_sha384', 'rsa_pss_pss_sha512',
      'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
      'ed25519', 'ed448', 'mldsa44',
      'mldsa65', 'mldsa87',
    ),
    warn: SHA224_SCHEMES,
  },
  dhMinBits: 2048,
  dhNamedGroupsOnly: true,
  certificate: {
    rsaMinBits: 2048,
    ecCurves: ['P-256', 'P-384', 'P-521'],
    // DSA signing is gone from FIPS 186-5 (§7.3).
    keyTypes: ['RSA', 'RSA-PSS', 'EC', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'],
    signatureHashes: SHA2_HASHES,
    signatureHashesWarn: ['SHA-224'],
    scope: 'chain',
  },
  require: {
    // IG D.Q: the module "shall use" EMS in the TLS 1.2 KDF, so a compliant server never
    // completes a TLS 1.2 handshake without it (Go 1.25+ FIPS and RHEL 9.2+ abort, §3.1, §4.1.3).
    extendedMasterSecret: 'required',
    secureRenegotiation: true,
    tls13: false,
  },
  ssh: FIPS_140_3_SSH,
  sources: {
    ...SHARED_SOURCES,
    ...FIPS_140_3_SSH_SOURCES,
    protocol: `${SP800_52R2_DOC} §3.1, narrowed to TLS 1.2 and 1.3 as the FIPS 140-3 stacks do (Go native FIPS 140-3 mode, golang/go:src/crypto/tls/defaults_fips140.go; OpenSSL 3 FIPS provider; fips-policies.md §4.1.3, §4.3)`,
    suite:
      `${SP800_52R2_DOC} §3.3.1; ${SP800_131A} §6: RSA key transport (PKCS#1 v1.5) disallowed after 2023-12-31; ChaCha20-Poly1305 is no NIST-approved cipher ` +
      '(fips-policies.md §3.2, §3.5); CCM, CCM_8, FFDHE AEAD and SHA-2 CBC suites with a warning (CBC needs encrypt_then_mac, SP 800-52 Rev. 2 §3.4.2)',
    group:
      `${SP800_56A} (P-256, P-384, P-521, FFDHE) and FIPS 203 (August 2024, ML-KEM); X25519 and X448 are no SP 800-56A scheme; X25519MLKEM768 with a warning ` +
      '(ML-KEM approved, X25519 not; FIPS 140-3 IG D.S, updated 2026-04-09, as described in openssl/openssl PR #30856); fips-policies.md §3.3, §3.6',
    'signature-scheme': `${SP800_131A} §3 and §9: SHA-1 disallowed for digital signature generation, SHA-224 acceptable (a warning); ${FIPS186_5}: EdDSA approved, DSA for verification only; FIPS 204 (August 2024): ML-DSA`,
    'cert-key': `${SP800_131A} §3: RSA signatures of at least 2048 bits; ${FIPS186_5}: ECDSA on the NIST curves, EdDSA, DSA for verification only; FIPS 204 (August 2024): ML-DSA`,
    'cert-signature': `${SP800_131A} §3 and §9: SHA-1 disallowed for signatures; SHA-224 acceptable (a warning)`,
    ems: 'FIPS 140-3 Implementation Guidance D.Q (May 2022): the TLS 1.2 KDF shall use the extended master secret; a compliant server refuses handshakes without it (RHEL >= 9.2 FIPS, Go >= 1.25 FIPS 140-3 mode; fips-policies.md §3.1)',
    'tls13-required': 'Not required in this profile',
  },
};

/** What an Istio COMPLIANCE_POLICY preset sets: its case in Istio's code, versions, groups and their sources. */
interface IstioPreset extends Pick<Policy, 'id' | 'title' | 'protocols' | 'groups'> {
  istioCase: string;
  require?: Policy['require'];
  sources: Partial<Policy['sources']>;
}

/**
 * An Istio preset as a profile: Istio's four ECDHE AES-GCM TLS 1.2 suites, and fips-strict for
 * all Istio does not set: the TLS 1.3 suites (Istio's own two; kept where TLS 1.3 is denied as a
 * version, so that a TLS 1.3 server is named for the version, not for every suite), and the
 * signature and certificate rules, as the mesh's certificates are the same.
 */
function istioProfile(preset: IstioPreset): Policy {
  return {
    ...FIPS_STRICT,
    id: preset.id,
    title: preset.title,
    basis: `${ISTIO_FIPS}, case ${preset.istioCase} of EnforceGoCompliance and EnforceCompliance; signature and certificate rules of fips-strict`,
    protocols: preset.protocols,
    tls12Suites: { allow: ECDHE_AES_GCM, warn: [] },
    groups: preset.groups,
    require: preset.require ?? FIPS_STRICT.require,
    sources: { ...FIPS_STRICT.sources, ...preset.sources },
  };
}

/**
 * Istio's COMPLIANCE_POLICY=fips-140-2, exactly as Istio applies it to Go and Envoy: TLS 1.2 only
 * (the BoringCrypto module Istio shipped, CMVP #4407, covered TLS 1.2 alone: istio/istio #49081),
 * the four ECDHE AES-GCM suites, P-256 only; fips-strict's signature and certificate rules.
 */
const ISTIO_FIPS_140_2 = istioProfile({
  id: 'istio-fips-140-2',
  title: 'Istio COMPLIANCE_POLICY=fips-140-2: TLS 1.2 only, ECDHE AES-GCM, P-256',
  istioCase: 'FIPS_140_2',
  protocols: { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'allow', 'TLSv1.3': 'deny' },
  groups: { allow: groupIds('secp256r1'), warn: [] },
  sources: {
    protocol: `${ISTIO_FIPS}: MinVersion = MaxVersion = TLS 1.2 (Go), TlsMinimumProtocolVersion = TlsMaximumProtocolVersion = TLSv1_2 (Envoy)`,
    suite: `${ISTIO_FIPS}: fipsGoCiphers / fipsCiphers = ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384`,
    group: `${ISTIO_FIPS}: CurvePreferences = [CurveP256] (Go); EcdhCurves unset, P-256 in the FIPS Envoy build (Envoy)`,
  },
});

/**
 * Istio's COMPLIANCE_POLICY=pqc: TLS 1.3 only, AES-GCM, X25519MLKEM768 only. Istio sets nothing
 * else; the signature and certificate rules are fips-strict's, as the mesh's certificates are the same.
 */
const ISTIO_PQC = istioProfile({
  id: 'istio-pqc',
  title: 'Istio COMPLIANCE_POLICY=pqc: TLS 1.3 only, AES-GCM, X25519MLKEM768',
  istioCase: 'PQC',
  protocols: { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'deny', 'TLSv1.3': 'allow' },
  groups: { allow: groupIds('X25519MLKEM768'), warn: [] },
  require: { extendedMasterSecret: 'off', secureRenegotiation: false, tls13: true },
  sources: {
    protocol: `${ISTIO_FIPS}: MinVersion = TLS 1.3 (Go), TlsMinimumProtocolVersion = TLSv1_3 (Envoy)`,
    suite: `${ISTIO_FIPS}: CipherSuites = TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 (Go); Envoy's OpenSSL build is limited to the same two`,
    group: `${ISTIO_FIPS}: CurvePreferences = [X25519MLKEM768] (Go), EcdhCurves = ["X25519MLKEM768"] (Envoy)`,
    ems: 'Not applicable: TLS 1.2 is not allowed',
    renegotiation: 'Not applicable: TLS 1.2 is not allowed',
    'tls13-required': `${ISTIO_FIPS}: TLS 1.3 is the only version`,
  },
});

/** Every built-in profile, the default first. */
export const BUILTIN_POLICIES: readonly Policy[] = deepFreeze([FIPS_STRICT, SP800_52R2, FIPS_140_3, ISTIO_FIPS_140_2, ISTIO_PQC]);

/** The profile used when none is named. */
export const DEFAULT_POLICY_ID = 'fips-strict';

/** The built-in profile with this id, or undefined. */
export function builtinPolicy(id: string): Policy | undefined {
  return BUILTIN_POLICIES.find((p) => p.id === id);
}
