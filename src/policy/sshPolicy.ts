/**
 * The SSH part of fipscan's FIPS profiles, as data, and the judging of a server's KEXINIT
 * against it. Every key exchange, host-key, cipher and MAC algorithm the server offers (both
 * directions) is allowed, warned about or a violation naming it; anything a list leaves out is
 * denied. Markers in the key-exchange list (strict KEX, ext-info) are signals, not algorithms,
 * and compression is no FIPS matter: neither is ever judged. The lists follow RHEL's
 * crypto-policies FIPS policy for OpenSSH, SP 800-131A Rev. 2 for SHA-1 and FIPS 186-5 for
 * EdDSA (fips-policies.md §9). Pure.
 */
import type { RuleId, Violation } from '../model/verdict.js';
import type { Disposition, Policy, SshPolicy } from './types.js';

/** The four judged categories; an item is named `<category> <algorithm>`. */
export type SshCategory = 'kex' | 'host-key' | 'cipher' | 'mac';

/** Rule ids of SSH findings (model/verdict.ts RULE_IDS). */
export type SshRuleId = Extract<RuleId, 'ssh-kex' | 'ssh-host-key' | 'ssh-cipher' | 'ssh-mac'>;

/** The KEXINIT name-lists judged. */
export interface SshAlgorithmLists {
  kexAlgorithms: readonly string[];
  serverHostKeyAlgorithms: readonly string[];
  encryptionClientToServer: readonly string[];
  encryptionServerToClient: readonly string[];
  macClientToServer: readonly string[];
  macServerToClient: readonly string[];
}

const CRYPTO_POLICIES =
  'RHEL/Fedora crypto-policies FIPS policy (gitlab.com/redhat-crypto/fedora-crypto-policies as mirrored in ' +
  'codacy-open-source-projects-scans/fedora-crypto-policies@c89742e0, snapshot 2026-02-17: policies/FIPS.pol, ' +
  'python/policygenerators/openssh.py, tests/outputs/FIPS-opensshserver.txt)';
const SP800_131A = 'NIST SP 800-131A Rev. 2 (March 2019)';
const SP800_56A = 'NIST SP 800-56A Rev. 3 (April 2018)';
const FIPS186_5 = 'FIPS 186-5 (February 2023)';
const FLATCAR = 'Flatcar Container Linux FIPS guide (flatcar.org/docs/latest/setup/security/fips, "SSH login does not work with OpenSSL FIPS provider")';

const CERT = '-cert-v01@openssh.com';
const withCerts = (names: readonly string[]): string[] => names.flatMap((n) => [n, `${n}${CERT}`]);

const X25519 = `X25519 key agreement: no ${SP800_56A} scheme`;
const SHA1_KEX = 'SHA-1 exchange hash: RHEL\'s FIPS policy allows no SHA-1 key exchange';
const SHA1_SIGNATURE = `RSA signatures with SHA-1: ${SP800_131A} §9 disallows SHA-1 for digital signature generation`;
const ED25519 = `EdDSA: ${FIPS186_5} approves it, but RHEL's FIPS policy does not offer it for SSH, and OpenSSH signed Ed25519 with its bundled code, outside any FIPS module, until ed25519-openssl.c (October 2025)`;
const CBC = 'CBC mode: AES-CBC itself is approved (SP 800-38A), but RHEL\'s FIPS policy removes CBC from SSH (cipher@SSH = -*-CBC, plaintext-recovery attacks on SSH\'s CBC mode)';
const HMAC_SHA1 = `HMAC-SHA-1: acceptable for HMAC under ${SP800_131A} §9 and §10, and kept by RHEL's FIPS policy`;

/** Plain words for the algorithms the lists deny or warn about; an unknown name gets a generic reason. */
const REASONS: Readonly<Record<string, string>> = {
  'curve25519-sha256': X25519,
  'curve25519-sha256@libssh.org': X25519,
  'curve448-sha512': `X448 key agreement: no ${SP800_56A} scheme`,
  'sntrup761x25519-sha512': 'Streamlined NTRU Prime with X25519: neither is NIST-approved',
  'sntrup761x25519-sha512@openssh.com': 'Streamlined NTRU Prime with X25519: neither is NIST-approved',
  'mlkem768x25519-sha256': 'ML-KEM-768 (FIPS 203) with X25519, which is not approved; RHEL\'s FIPS policy leaves it out for OpenSSH',
  'diffie-hellman-group1-sha1': `1024-bit MODP group with SHA-1: ${SP800_131A} §5 disallows DH under 2048 bits`,
  'diffie-hellman-group14-sha1': SHA1_KEX,
  'diffie-hellman-group-exchange-sha1': SHA1_KEX,
  'ecdh-sha2-1.3.132.0.10': 'secp256k1: not a NIST curve',
  'ssh-rsa': SHA1_SIGNATURE,
  [`ssh-rsa${CERT}`]: SHA1_SIGNATURE,
  'ssh-dss': `DSA: ${FIPS186_5} no longer approves DSA signature generation`,
  [`ssh-dss${CERT}`]: `DSA: ${FIPS186_5} no longer approves DSA signature generation`,
  'ssh-ed25519': ED25519,
  [`ssh-ed25519${CERT}`]: ED25519,
  'ssh-ed448': 'EdDSA (Ed448): not in RHEL\'s FIPS policy for SSH',
  'sk-ssh-ed25519@openssh.com': 'FIDO security-key EdDSA: not in RHEL\'s FIPS policy',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'FIDO security-key ECDSA: not in RHEL\'s FIPS policy for host keys',
  'chacha20-poly1305@openssh.com': `ChaCha20-Poly1305: no NIST-approved cipher (${FLATCAR})`,
  'aes128-cbc': CBC,
  'aes192-cbc': CBC,
  'aes256-cbc': CBC,
  'rijndael-cbc@lysator.liu.se': CBC,
  '3des-cbc': `three-key TDEA: ${SP800_131A} §2 disallows it for encryption after 2023`,
  none: 'no protection at all',
  'hmac-sha1': HMAC_SHA1,
  'hmac-sha1-etm@openssh.com': HMAC_SHA1,
  'hmac-sha1-96': 'HMAC-SHA-1 truncated to 96 bits: not in RHEL\'s FIPS policy',
  'hmac-sha1-96-etm@openssh.com': 'HMAC-SHA-1 truncated to 96 bits: not in RHEL\'s FIPS policy',
  'hmac-md5': 'HMAC-MD5: MD5 is no approved hash',
  'hmac-md5-96': 'HMAC-MD5: MD5 is no approved hash',
  'hmac-md5-etm@openssh.com': 'HMAC-MD5: MD5 is no approved hash',
  'umac-64@openssh.com': 'UMAC: no NIST-approved MAC',
  'umac-128@openssh.com': 'UMAC: no NIST-approved MAC',
  'umac-64-etm@openssh.com': 'UMAC: no NIST-approved MAC',
  'umac-128-etm@openssh.com': 'UMAC: no NIST-approved MAC',
};

/** RHEL's FIPS policy for OpenSSH, with the few names it cannot list because OpenSSH lacks them. */
export const FIPS_SSH: SshPolicy = {
  kex: {
    allow: [
      'mlkem768nistp256-sha256',
      'mlkem1024nistp384-sha384',
      'ecdh-sha2-nistp256',
      'ecdh-sha2-nistp384',
      'ecdh-sha2-nistp521',
      'diffie-hellman-group-exchange-sha256',
      'diffie-hellman-group14-sha256',
      'diffie-hellman-group15-sha512',
      'diffie-hellman-group16-sha512',
      'diffie-hellman-group17-sha512',
      'diffie-hellman-group18-sha512',
    ],
    warn: [],
  },
  hostKey: { allow: withCerts(['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-256', 'rsa-sha2-512']), warn: [] },
  cipher: {
    allow: ['aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'AEAD_AES_128_GCM', 'AEAD_AES_256_GCM'],
    warn: [],
  },
  mac: {
    allow: ['hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'AEAD_AES_128_GCM', 'AEAD_AES_256_GCM'],
    warn: ['hmac-sha1', 'hmac-sha1-etm@openssh.com'],
  },
  markers: ['kex-strict-s-v00@openssh.com', 'kex-strict-c-v00@openssh.com', 'ext-info-s', 'ext-info-c'],
  reasons: REASONS,
  notes: {
    markers:
      'RFC 8308 §2.1 (ext-info-s, ext-info-c) and OpenSSH PROTOCOL §1.10 (kex-strict-s-v00@openssh.com, kex-strict-c-v00@openssh.com: strict key exchange, ' +
      'the Terrapin fix, OpenSSH 9.6, December 2023): signals in the key-exchange list, not algorithms',
    compression: 'No FIPS source regulates SSH compression (none, zlib, zlib@openssh.com): reported, never judged',
  },
};

/** Where each SSH rule of FIPS_SSH comes from (merged into a profile's `sources`). */
export const FIPS_SSH_SOURCES: Readonly<Record<SshRuleId, string>> = {
    'ssh-kex':
      `${CRYPTO_POLICIES} KexAlgorithms: mlkem768nistp256-sha256, mlkem1024nistp384-sha384, ecdh-sha2-nistp256/384/521, diffie-hellman-group-exchange-sha256, ` +
      `diffie-hellman-group14-sha256, -group16-sha512, -group18-sha512; ${SP800_56A} §5.5 and Appendix D: the NIST P-curves and the safe-prime MODP groups ` +
      '(so also RFC 8268 diffie-hellman-group15-sha512 and -group17-sha512, which OpenSSH does not implement); FIPS 203 (August 2024): ML-KEM; ' +
      'X25519, sntrup761 and SHA-1 exchange hashes are not in it',
    'ssh-host-key':
      `${CRYPTO_POLICIES} HostKeyAlgorithms: ecdsa-sha2-nistp256/384/521 and rsa-sha2-256/512, each also as -cert-v01@openssh.com, RequiredRSASize 2048; ` +
      `${SP800_131A} §9: SHA-1 disallowed for digital signature generation (ssh-rsa); ${FIPS186_5}: DSA no longer approved for signing (ssh-dss); ` +
      'EdDSA is approved by FIPS 186-5 but not in RHEL\'s FIPS sign list for SSH, so ssh-ed25519 is a violation in this profile',
    'ssh-cipher':
      `${CRYPTO_POLICIES} Ciphers: aes256-gcm@openssh.com, aes256-ctr, aes128-gcm@openssh.com, aes128-ctr, and cipher@SSH = -*-CBC; FIPS 197 with SP 800-38A (CTR) ` +
      `and SP 800-38D (GCM), so aes192-ctr too, which RHEL does not list; ${FLATCAR}: with the OpenSSL FIPS provider sshd fails on a non-FIPS cipher such as ` +
      `chacha20-poly1305; ${SP800_131A} §2: three-key TDEA encryption disallowed after 2023`,
    'ssh-mac':
      `${CRYPTO_POLICIES} MACs: hmac-sha2-256, hmac-sha2-512, hmac-sha1, each also as -etm@openssh.com; ${SP800_131A} §9 and §10: SHA-1 acceptable for HMAC ` +
      '(hmac-sha1 and hmac-sha1-etm@openssh.com pass with a warning); UMAC, MD5, RIPEMD-160 and the truncated -96 MACs are not in RHEL\'s FIPS policy',
};

/**
 * fips-140-3 reads FIPS 186-5 and IG D.S as its TLS rules do (EdDSA allowed, X25519MLKEM768 a
 * warning), but only as warnings: ssh-ed25519 is approved as an algorithm while the OpenSSH
 * releases in use compute it with their own code, outside the FIPS module, and
 * mlkem768x25519-sha256 pairs ML-KEM with unapproved X25519.
 */
export const FIPS_140_3_SSH: SshPolicy = {
  ...FIPS_SSH,
  kex: { allow: FIPS_SSH.kex.allow, warn: ['mlkem768x25519-sha256'] },
  hostKey: { allow: FIPS_SSH.hostKey.allow, warn: withCerts(['ssh-ed25519']) },
};

/** Where each SSH rule of FIPS_140_3_SSH comes from. */
export const FIPS_140_3_SSH_SOURCES: Readonly<Record<SshRuleId, string>> = {
  ...FIPS_SSH_SOURCES,
  'ssh-kex': `${FIPS_SSH_SOURCES['ssh-kex']}; mlkem768x25519-sha256 with a warning as fips-140-3 warns X25519MLKEM768 in TLS (FIPS 140-3 IG D.S: ML-KEM approved, X25519 not)`,
  'ssh-host-key': `${FIPS_SSH_SOURCES['ssh-host-key'].replace(/, so ssh-ed25519 is a violation in this profile$/, '')}; ssh-ed25519 with a warning: approved by ${FIPS186_5}, but outside RHEL's FIPS policy and, in OpenSSH before ed25519-openssl.c (October 2025), outside the FIPS module`,
};

const CATEGORY: Readonly<Record<SshCategory, { rule: SshRuleId; key: 'kex' | 'hostKey' | 'cipher' | 'mac'; noun: string }>> = {
  kex: { rule: 'ssh-kex', key: 'kex', noun: 'key exchange' },
  'host-key': { rule: 'ssh-host-key', key: 'hostKey', noun: 'host-key algorithm' },
  cipher: { rule: 'ssh-cipher', key: 'cipher', noun: 'cipher' },
  mac: { rule: 'ssh-mac', key: 'mac', noun: 'MAC' },
};

/** What the rules say of one offered name; 'marker' for a key-exchange signal that is no algorithm. */
export function sshDisposition(rules: SshPolicy, category: SshCategory, name: string): Disposition | 'marker' {
  if (category === 'kex' && rules.markers.includes(name)) return 'marker';
  const r = rules[CATEGORY[category].key];
  if (r.allow.includes(name)) return 'allow';
  if (r.warn.includes(name)) return 'warn';
  return 'deny';
}

/** The names of one category in the server's order, both directions merged, with the direction a name is offered in alone. */
function offered(lists: SshAlgorithmLists, category: SshCategory): { name: string; only: string | null }[] {
  if (category === 'kex') return lists.kexAlgorithms.map((name) => ({ name, only: null }));
  if (category === 'host-key') return lists.serverHostKeyAlgorithms.map((name) => ({ name, only: null }));
  const [c2s, s2c] = category === 'cipher' ? [lists.encryptionClientToServer, lists.encryptionServerToClient] : [lists.macClientToServer, lists.macServerToClient];
  const names = [...new Set([...c2s, ...s2c])];
  return names.map((name) => ({ name, only: !s2c.includes(name) ? 'client to server only' : !c2s.includes(name) ? 'server to client only' : null }));
}

/**
 * Judges a server's KEXINIT lists: every offered algorithm the rules deny is a violation, every
 * one they warn about a warning, each naming the algorithm, why, and where the rule comes from.
 */
export function judgeSsh(lists: SshAlgorithmLists, policy: Policy & { ssh: SshPolicy }): { violations: Violation[]; warnings: Violation[] } {
  const rules = policy.ssh;
  const policyId = policy.id;
  const violations: Violation[] = [];
  const warnings: Violation[] = [];
  for (const category of ['kex', 'host-key', 'cipher', 'mac'] as const) {
    const { rule, noun } = CATEGORY[category];
    for (const { name, only } of offered(lists, category)) {
      const disposition = sshDisposition(rules, category, name);
      if (disposition === 'allow' || disposition === 'marker') continue;
      const item = `${category} ${name}`;
      const why = rules.reasons[name] ?? 'not an algorithm fipscan knows; the policy allows only what it lists';
      const direction = only !== null ? ` (${only})` : '';
      const finding = { rule, protocol: null, item, source: policy.sources[rule] };
      if (disposition === 'deny') violations.push({ ...finding, message: `SSH offers ${item}${direction}: ${policyId} does not allow this ${noun} (${why}).` });
      else warnings.push({ ...finding, message: `SSH offers ${item}${direction}: ${policyId} allows this ${noun} only with a warning (${why}).` });
    }
  }
  return { violations, warnings };
}
