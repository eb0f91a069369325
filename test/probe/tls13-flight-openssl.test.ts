/**
 * The flight reader against `openssl s_server` on 127.0.0.1, TLS 1.3 only: for every TLS 1.3
 * suite (CCM included) and x25519, P-256 and ffdhe2048 shares, with RSA and ECDSA certificates
 * and `-sigalgs` allowing one scheme, the decrypted chain is the fixture certificate, the
 * CertificateVerify scheme is the one allowed, and its signature verifies. The other groups are
 * covered once each, a chain with its CA comes out leaf first, and shrinking the client's
 * signature_algorithms steers an unrestricted server's scheme (what issue 14's probe will do).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { Test } from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { certPath, startOpenSSLServer, unavailableReason, type CertName, type RunningServer } from '../helpers/servers.js';
import { readServerFlight, type Tls13ClientOptions } from '../helpers/tls13Client.js';

const ALL_SUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256';
const ALL_GROUPS = 'X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096:ffdhe6144:ffdhe8192';
const SUITES: [number, string][] = [
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0x1304, 'TLS_AES_128_CCM_SHA256'],
  [0x1305, 'TLS_AES_128_CCM_8_SHA256'],
];
const SHARES: [number, string][] = [
  [29, 'x25519'],
  [23, 'secp256r1'],
  [0x0100, 'ffdhe2048'],
];

/** The DER certificates of a PEM file, in file order. */
function pemCertificates(path: string): string[] {
  const pems = readFileSync(path, 'utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  return pems.map((pem) => hex(new X509Certificate(pem).raw));
}

interface Expectation {
  chain: string[];
  scheme: number;
}

async function expectFlight(t: Test, server: RunningServer, options: Omit<Tls13ClientOptions, 'port'>, expected: Expectation, what: string): Promise<void> {
  const { serverHello, flight } = await readServerFlight({ port: server.port, ...options });
  t.equal(serverHello.cipherSuite, options.suites[0], `${what}: suite`);
  t.equal(serverHello.keyShareGroup, options.groups[0], `${what}: group`);
  if (flight.kind !== 'flight') return void t.fail(`${what}: alert ${flight.description}`);
  t.strictSame(flight.certificates.map(hex), expected.chain, `${what}: the fixture chain`);
  t.equal(flight.certificateVerify?.scheme, expected.scheme, `${what}: scheme 0x${expected.scheme.toString(16)}`);
  t.equal(flight.signatureValid, true, `${what}: the signature verifies`);
}

async function withServer(t: Test, cert: CertName, extra: { sigalgs?: string; sendChain?: boolean }, run: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startOpenSSLServer({
    cert,
    protocols: ['TLSv1.3'],
    ciphersuites: ALL_SUITES,
    groups: ALL_GROUPS,
    sendChain: extra.sendChain,
    extraArgs: extra.sigalgs ? ['-sigalgs', extra.sigalgs] : [],
  });
  t.teardown(() => server.close());
  try {
    await run(server);
  } catch (err) {
    t.fail(`${(err as Error).message}\n${server.describe}\n${server.output()}`);
  }
}

const CONFIGS: { cert: CertName; sigalgs: string; scheme: number }[] = [
  { cert: 'rsa2048', sigalgs: 'rsa_pss_rsae_sha256', scheme: 0x0804 },
  { cert: 'rsa2048', sigalgs: 'rsa_pss_rsae_sha384', scheme: 0x0805 },
  { cert: 'rsa3072', sigalgs: 'rsa_pss_rsae_sha512', scheme: 0x0806 },
  { cert: 'ecdsa-p256', sigalgs: 'ecdsa_secp256r1_sha256', scheme: 0x0403 },
  { cert: 'ecdsa-p384', sigalgs: 'ecdsa_secp384r1_sha384', scheme: 0x0503 },
];

const skip = (await unavailableReason('openssl')) ?? false;

for (const { cert, sigalgs, scheme } of CONFIGS) {
  t.test(`${cert} with -sigalgs ${sigalgs}: every suite with x25519, P-256 and ffdhe2048`, { skip }, async (t) => {
    await withServer(t, cert, { sigalgs }, async (server) => {
      const expected = { chain: pemCertificates(certPath(cert)), scheme };
      for (const [suite, suiteName] of SUITES) {
        for (const [group, groupName] of SHARES) {
          await expectFlight(t, server, { suites: [suite], groups: [group] }, expected, `${suiteName} ${groupName}`);
        }
      }
    });
  });
}

t.test('the other groups: x448, P-384, P-521, ffdhe3072 to ffdhe8192', { skip }, async (t) => {
  await withServer(t, 'ecdsa-p256', { sigalgs: 'ecdsa_secp256r1_sha256' }, async (server) => {
    const expected = { chain: pemCertificates(certPath('ecdsa-p256')), scheme: 0x0403 };
    for (const group of [30, 24, 25, 0x0101, 0x0102, 0x0103, 0x0104]) {
      await expectFlight(t, server, { suites: [0x1302], groups: [group] }, expected, `group 0x${group.toString(16)}`);
    }
  });
});

t.test('a chain sent with its CA comes out leaf first, as the chain file has it', { skip }, async (t) => {
  await withServer(t, 'rsa2048', { sendChain: true }, async (server) => {
    const chain = pemCertificates(certPath('rsa2048', 'chain'));
    t.equal(chain.length, 2, 'leaf and CA in the fixture');
    await expectFlight(t, server, { suites: [0x1301], groups: [29] }, { chain, scheme: 0x0804 }, 'rsa2048 + CA');
  });
});

t.test('shrinking signature_algorithms steers an unrestricted RSA server\'s scheme', { skip }, async (t) => {
  await withServer(t, 'rsa2048', {}, async (server) => {
    const chain = pemCertificates(certPath('rsa2048'));
    for (const scheme of [0x0806, 0x0805, 0x0804]) {
      await expectFlight(t, server, { suites: [0x1301], groups: [29], signatureSchemes: [scheme] }, { chain, scheme }, `only 0x${scheme.toString(16)} offered`);
    }
    await t.rejects(readServerFlight({ port: server.port, suites: [0x1301], groups: [29], signatureSchemes: [0x0809] }), /alert 2\/40/, 'rsa_pss_pss_sha256 alone: no key for it, handshake_failure');
  });
});
