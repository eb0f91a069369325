/**
 * The flight reader on the shapes a TLS 1.3 server's flight can take beyond the plain one:
 * a HelloRetryRequest first (the transcript then starts with message_hash, RFC 8446 §4.4.1),
 * a CertificateRequest (mTLS) with ALPN in EncryptedExtensions, EdDSA and RSASSA-PSS-keyed
 * certificates (made for the test, as no fixture has them), and a second stack, gnutls-serv.
 */
import { X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import type { Test } from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { certPath, startChild, startGnuTLSServer, startOpenSSLServer, unavailableReason, type RunningServer } from '../helpers/servers.js';
import { readServerFlight, type Tls13ClientOptions, type Tls13Exchange } from '../helpers/tls13Client.js';

const execFileP = promisify(execFile);
const opensslSkip = (await unavailableReason('openssl')) ?? false;
const gnutlsSkip = (await unavailableReason('gnutls')) ?? false;

async function derChain(path: string): Promise<string[]> {
  const pems = (await readFile(path, 'utf8')).match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  return pems.map((pem) => hex(new X509Certificate(pem).raw));
}

/** Connects and reads the flight; a failure message carries what the server printed. */
async function exchange(t: Test, server: RunningServer, options: Omit<Tls13ClientOptions, 'port'>): Promise<Tls13Exchange | null> {
  try {
    return await readServerFlight({ port: server.port, ...options });
  } catch (err) {
    t.fail(`${(err as Error).message}\n${server.describe}\n${server.output()}`);
    return null;
  }
}

function expectSigned(t: Test, got: Tls13Exchange | null, chain: string[], scheme: number): void {
  if (!got || got.flight.kind !== 'flight') return void t.fail(`no flight: ${JSON.stringify(got?.flight)}`);
  t.strictSame(got.flight.certificates.map(hex), chain, 'the chain the server was given');
  t.equal(got.flight.certificateVerify?.scheme, scheme, `scheme 0x${scheme.toString(16)}`);
  t.equal(got.flight.signatureValid, true, 'the signature verifies');
}

t.test('after a HelloRetryRequest for P-256 or ffdhe2048, the flight opens and its signature verifies', { skip: opensslSkip }, async (t) => {
  for (const [groups, selected] of [['P-256', 23], ['ffdhe2048', 0x0100]] as const) {
    const server = await startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.3'], groups });
    t.teardown(() => server.close());
    const got = await exchange(t, server, { suites: [0x1302], groups: [29, selected], shareGroups: [29] });
    t.equal(got?.helloRetryRequest?.keyShareGroup, selected, `${groups}: the server asked for it`);
    expectSigned(t, got, await derChain(certPath('rsa2048')), 0x0804);
  }
});

t.test('a CertificateRequest and ALPN: both read from the encrypted flight', { skip: opensslSkip }, async (t) => {
  const server = await startOpenSSLServer({ cert: 'ecdsa-p256', protocols: ['TLSv1.3'], requireClientCert: true, extraArgs: ['-alpn', 'h2,http/1.1'] });
  t.teardown(() => server.close());
  const got = await exchange(t, server, { suites: [0x1301], groups: [29], alpn: ['http/1.1', 'h2'] });
  // With -CAfile (to check client certificates), s_server also builds its own chain from it.
  expectSigned(t, got, await derChain(certPath('ecdsa-p256', 'chain')), 0x0403);
  if (got?.flight.kind !== 'flight') return;
  t.equal(got.flight.encryptedExtensions.alpn, 'h2', 'the server\'s ALPN choice');
  const request = got.flight.certificateRequest;
  t.ok(request, 'CertificateRequest sent');
  t.ok(request?.extensionTypes.includes(13), 'with signature_algorithms');
  t.ok(request?.signatureAlgorithms?.includes(0x0804), `rsa_pss_rsae_sha256 among ${request?.signatureAlgorithms?.map((s) => s.toString(16)).join(' ')}`);
});

/** A self-signed certificate made by `openssl req` for a key type no fixture has. */
async function makeCertificate(dir: string, name: string, keyArgs: string[]): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  await execFileP('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}.fipscan.test`, '-days', '2'], {
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
    timeout: 30_000,
  });
  return { cert, key };
}

t.test('ed25519, ed448 and RSASSA-PSS keys sign with ed25519, ed448 and rsa_pss_pss_sha256', { skip: opensslSkip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'fipscan-tls13-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cases: [string, string[], number][] = [
    ['ed25519', ['-newkey', 'ed25519'], 0x0807],
    ['ed448', ['-newkey', 'ed448'], 0x0808],
    ['rsa-pss', ['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'], 0x0809],
  ];
  for (const [name, keyArgs, scheme] of cases) {
    const { cert, key } = await makeCertificate(dir, name, keyArgs);
    const args = ['s_server', '-accept', '127.0.0.1:0', '-www', '-cert', cert, '-key', key, '-no_tls1', '-no_tls1_1', '-no_tls1_2'];
    const server = await startChild('openssl', 'openssl', args, /^ACCEPT 127\.0\.0\.1:(\d+)$/m, false);
    t.teardown(() => server.close());
    t.test(name, async (t) => expectSigned(t, await exchange(t, server, { suites: [0x1303], groups: [29] }), await derChain(cert), scheme));
  }
});

t.test('gnutls-serv: RSA with a chain and ECDSA, ChaCha20 and AES-256-GCM, x25519 and ffdhe3072', { skip: gnutlsSkip }, async (t) => {
  const base = 'NONE:+VERS-TLS1.3:+CHACHA20-POLY1305:+AES-256-GCM:+AEAD:+GROUP-X25519:+GROUP-FFDHE3072:+COMP-NULL';
  const rsa = await startGnuTLSServer({ cert: 'rsa2048', sendChain: true, priority: `${base}:+SIGN-RSA-PSS-RSAE-SHA512` });
  t.teardown(() => rsa.close());
  const rsaChain = await derChain(certPath('rsa2048', 'chain'));
  expectSigned(t, await exchange(t, rsa, { suites: [0x1303], groups: [29] }), rsaChain, 0x0806);
  expectSigned(t, await exchange(t, rsa, { suites: [0x1302], groups: [0x0101] }), rsaChain, 0x0806);
  const ecdsa = await startGnuTLSServer({ cert: 'ecdsa-p256', priority: `${base}:+SIGN-ECDSA-SECP256R1-SHA256` });
  t.teardown(() => ecdsa.close());
  expectSigned(t, await exchange(t, ecdsa, { suites: [0x1302], groups: [29] }), await derChain(certPath('ecdsa-p256')), 0x0403);
});
