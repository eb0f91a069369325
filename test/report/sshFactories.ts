/**
 * SSH endpoints for the renderer tests, judged by the real evaluator against a test policy with
 * SSH rules of its own (so the goldens do not move when the built-in profiles' data does): a
 * bastion with RHEL's FIPS configuration (PASS, HMAC-SHA-1 warned about), a build host with
 * Debian's defaults found on a plain host:port (FAIL), an appliance whose directions differ and
 * whose banner carries terminal escapes (FAIL), and an ssh:// target that answers in TLS
 * (ERROR). The lists are those real sshd 9.2 sends for these configurations; each KEXINIT is
 * encoded for real, so its hex is evidence a reader could decode.
 */
import type { Policy, SshPolicy } from '../../src/policy/types.js';
import type { ScanResult, SshFindings } from '../../src/model/scan.js';
import type { EndpointReport, RunReport } from '../../src/report/model.js';
import { encodeKexinit } from '../../src/wire/ssh.js';
import { hex } from '../../src/wire/bytes.js';
import { HOSTILE, POLICY, STARTED_AT, judged, run, strictEndpoint } from './factories.js';

/** The test policy's SSH rules: NIST curves and safe-prime groups, AES-CTR/GCM, HMAC-SHA-2 (HMAC-SHA-1 warned). */
export const SSH_RULES: SshPolicy = {
  kex: {
    allow: ['ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512'],
    warn: [],
  },
  hostKey: { allow: ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'rsa-sha2-256', 'rsa-sha2-512'], warn: [] },
  cipher: { allow: ['aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'], warn: [] },
  mac: { allow: ['hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'], warn: ['hmac-sha1', 'hmac-sha1-etm@openssh.com'] },
  markers: ['kex-strict-s-v00@openssh.com', 'ext-info-s'],
  reasons: {
    'sntrup761x25519-sha512': 'test reason: sntrup761',
    'sntrup761x25519-sha512@openssh.com': 'test reason: sntrup761',
    'curve25519-sha256': 'test reason: X25519',
    'curve25519-sha256@libssh.org': 'test reason: X25519',
    'ssh-ed25519': 'test reason: Ed25519',
    'chacha20-poly1305@openssh.com': 'test reason: ChaCha20-Poly1305',
    '3des-cbc': 'test reason: 3DES',
    'umac-64-etm@openssh.com': 'test reason: UMAC',
    'umac-128-etm@openssh.com': 'test reason: UMAC',
    'umac-64@openssh.com': 'test reason: UMAC',
    'umac-128@openssh.com': 'test reason: UMAC',
    'hmac-md5': 'test reason: MD5',
    'hmac-sha1': 'test reason: HMAC-SHA-1',
    'hmac-sha1-etm@openssh.com': 'test reason: HMAC-SHA-1',
  },
  notes: { markers: 'test note on markers', compression: 'test note on compression' },
};

/** The report tests' policy with SSH rules. */
export const SSH_POLICY: Policy = { ...POLICY, id: 'test-fips-ssh', title: 'Test FIPS policy with SSH rules', ssh: SSH_RULES };

const COOKIE = new Uint8Array(16).fill(0x5a);

interface Offer {
  kex: string[];
  hostKey: string[];
  cipher: string[] | { clientToServer: string[]; serverToClient: string[] };
  mac: string[] | { clientToServer: string[]; serverToClient: string[] };
  compression?: string[] | { clientToServer: string[]; serverToClient: string[] };
}

function both(list: string[] | { clientToServer: string[]; serverToClient: string[] }): { clientToServer: string[]; serverToClient: string[] } {
  return Array.isArray(list) ? { clientToServer: [...list], serverToClient: [...list] } : { clientToServer: [...list.clientToServer], serverToClient: [...list.serverToClient] };
}

/** What a server with this identification and offer sends, as the result model holds it. */
export function sshFindings(identification: string, offer: Offer, preamble: string[] = []): SshFindings {
  const [, protoVersion = '', rest = ''] = /^SSH-([^-]+)-(.*)$/.exec(identification) ?? [];
  const space = rest.indexOf(' ');
  const [cipher, mac, compression] = [both(offer.cipher), both(offer.mac), both(offer.compression ?? ['none', 'zlib@openssh.com'])];
  const payload = encodeKexinit({
    cookie: COOKIE,
    lists: {
      kexAlgorithms: offer.kex,
      serverHostKeyAlgorithms: offer.hostKey,
      encryptionClientToServer: cipher.clientToServer,
      encryptionServerToClient: cipher.serverToClient,
      macClientToServer: mac.clientToServer,
      macServerToClient: mac.serverToClient,
      compressionClientToServer: compression.clientToServer,
      compressionServerToClient: compression.serverToClient,
      languagesClientToServer: [],
      languagesServerToClient: [],
    },
  });
  return {
    identification,
    protoVersion,
    software: space < 0 ? rest : rest.slice(0, space),
    comments: space < 0 ? null : rest.slice(space + 1),
    preamble,
    kex: [...offer.kex],
    hostKey: [...offer.hostKey],
    cipher,
    mac,
    compression,
    firstKexPacketFollows: false,
    kexinitHex: hex(payload),
  };
}

/** An SSH endpoint's result: no TLS versions, no server name. */
export function sshResult(fields: Partial<ScanResult> & Pick<ScanResult, 'target' | 'host' | 'port'>): ScanResult {
  return {
    service: 'ssh',
    address: null,
    sni: null,
    startedAt: STARTED_AT,
    durationMs: 0,
    probes: 1,
    error: null,
    protocols: [],
    certificates: [],
    features: { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null },
    protocolViolations: [],
    ssh: null,
    ...fields,
  };
}

const OPENSSH_92 = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10';

/** RHEL's FIPS crypto policy for OpenSSH (as sshd 9.2 sends it): PASS, HMAC-SHA-1 warned about. */
export const RHEL_FIPS_OFFER: Offer = {
  kex: ['ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'kex-strict-s-v00@openssh.com'],
  hostKey: ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'],
  cipher: ['aes256-gcm@openssh.com', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes128-ctr'],
  mac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha1', 'hmac-sha2-512'],
};

/** Debian 12's sshd defaults: FAIL on ChaCha20, X25519, sntrup761, UMAC and Ed25519. */
export const DEBIAN_OFFER: Offer = {
  kex: [
    'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256', 'kex-strict-s-v00@openssh.com',
  ],
  hostKey: ['rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519'],
  cipher: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'],
  mac: [
    'umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com',
    'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1',
  ],
};

/** A bastion scanned as ssh://, with RHEL's FIPS configuration: PASS with two warnings. */
export function sshFipsEndpoint(policy: Policy = SSH_POLICY): EndpointReport {
  return judged(sshResult({ target: 'ssh://bastion.example', host: 'bastion.example', port: 22, address: '10.0.0.22', durationMs: 38, ssh: sshFindings(OPENSSH_92, RHEL_FIPS_OFFER) }), policy);
}

/** A build host given as host:port whose server spoke first with SSH-, on Debian's defaults: FAIL. */
export function sshDebianEndpoint(policy: Policy = SSH_POLICY): EndpointReport {
  return judged(sshResult({ target: 'build-01.example:22', host: 'build-01.example', port: 22, address: '10.0.0.31', durationMs: 41, probes: 3, ssh: sshFindings(OPENSSH_92, DEBIAN_OFFER) }), policy);
}

/**
 * An appliance whose directions differ (a cipher and a MAC only one way, zlib only to the
 * client) and whose preamble and comments carry terminal escapes: FAIL on 3DES and HMAC-MD5.
 */
export function sshApplianceEndpoint(policy: Policy = SSH_POLICY): EndpointReport {
  const findings = sshFindings(
    `SSH-2.0-ApplianceSSH_4.1 ${HOSTILE.alpn}`,
    {
      kex: ['diffie-hellman-group14-sha256', 'ecdh-sha2-nistp384', 'ext-info-s'],
      hostKey: ['rsa-sha2-256'],
      cipher: { clientToServer: ['aes256-ctr', '3des-cbc'], serverToClient: ['aes256-ctr'] },
      mac: { clientToServer: ['hmac-sha2-256'], serverToClient: ['hmac-sha2-256', 'hmac-md5'] },
      compression: { clientToServer: ['none'], serverToClient: ['none', 'zlib'] },
    },
    ['Welcome to the appliance', HOSTILE.san],
  );
  return judged(sshResult({ target: 'ssh://[2001:db8::7]:2222', host: '2001:db8::7', port: 2222, address: '2001:db8::7', durationMs: 95, ssh: findings }), policy);
}

/** An ssh:// target whose port answers in TLS: ERROR, nothing read. */
export function sshNotSshEndpoint(policy: Policy = SSH_POLICY): EndpointReport {
  return judged(
    sshResult({
      target: 'ssh://web.example:443',
      host: 'web.example',
      port: 443,
      address: '10.0.0.80',
      durationMs: 12,
      error: { code: 'ENOTSSH', message: 'web.example:443 (10.0.0.80) answers in TLS, not SSH: scan it as web.example:443' },
    }),
    policy,
  );
}

/** The golden SSH run: the TLS strict endpoint, then the four SSH shapes, under SSH_POLICY. */
export function sshGoldenRun(): RunReport {
  const tls = judged(strictEndpoint().result, SSH_POLICY);
  return run([tls, sshFipsEndpoint(), sshDebianEndpoint(), sshApplianceEndpoint(), sshNotSshEndpoint()], SSH_POLICY);
}
