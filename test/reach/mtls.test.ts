/**
 * Client certificates: the report says whether an endpoint asks for one, whether it refuses a
 * client without one, and which CAs its TLS 1.2 CertificateRequest names; with a client identity
 * (--cert/--key/--ca or an Istio workload directory with --spiffe) the full handshake presents it
 * and reports the server's verdict and the server chain's verification. The sweep itself never
 * needs the identity: a server that requires one still shows every version and suite.
 */
import { mkdtempSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { scan } from '../../src/index.js';
import type { ClientIdentity } from '../../src/probe/types.js';
import type { ScanResult } from '../../src/model/scan.js';
import { reportErrors, runCli, type Report } from '../helpers/cli.js';
import { certPath, startNodeServer, startOpenSSLServer, unavailableReason } from '../helpers/servers.js';

const TEST_CA = 'O=fipscan test, CN=fipscan test CA';
const identity: ClientIdentity = {
  cert: readFileSync(certPath('client', 'chain'), 'utf8'),
  key: readFileSync(certPath('client', 'key'), 'utf8'),
  ca: readFileSync(certPath('ca'), 'utf8'),
};
const offered = (r: ScanResult, name: string) => r.protocols.find((p) => p.protocol === name)?.offered;

for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
  t.test(`${maxVersion} server that requires a client certificate`, async (t) => {
    const server = await startNodeServer({ cert: 'rsa2048', requireClientCert: true, minVersion: 'TLSv1.2', maxVersion });
    t.teardown(() => server.close());

    const bare = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
    t.equal(bare.error, null, 'the sweep needs no client certificate');
    t.equal(offered(bare, 'TLSv1.2'), true);
    t.equal(offered(bare, 'TLSv1.3'), maxVersion === 'TLSv1.3');
    t.equal(bare.features.clientCertificateRequested, true, 'requested');
    t.equal(bare.features.clientCertificateRequired, true, 'required: a handshake without one is refused');
    t.same(bare.features.clientCertificateCAs, [TEST_CA], 'the CA names of the CertificateRequest, readable');
    t.equal(bare.negotiated?.identity, false);
    t.match(bare.negotiated?.error?.code ?? '', maxVersion === 'TLSv1.3' ? /ALERT_CERTIFICATE_REQUIRED$/ : /ALERT_HANDSHAKE_FAILURE$/, 'the refusal, alert named');
    t.equal(bare.negotiated?.clientCertificateAccepted, null, 'no identity: no verdict on one');

    const withId = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, clientIdentity: identity });
    t.equal(withId.error, null);
    t.equal(withId.features.clientCertificateRequired, true, 'still required: proven by an extra handshake without the identity');
    t.equal(withId.probes, bare.probes + 1, 'the proof costs one connection');
    t.same(
      { protocol: withId.negotiated?.protocol, error: withId.negotiated?.error, accepted: withId.negotiated?.clientCertificateAccepted, verified: withId.negotiated?.serverChainVerified },
      { protocol: maxVersion, error: null, accepted: true, verified: true },
      'the real client handshake with the identity: accepted, server chain verified against the CA',
    );
    t.ok(withId.negotiated?.suite !== null && withId.negotiated?.group !== null, 'suite and group of the negotiated handshake');
    if (maxVersion === 'TLSv1.3') t.ok(withId.certificates.some((c) => c.source === 'wire' && c.protocols?.includes('TLSv1.2') && c.protocols.includes('TLSv1.3')), 'chains from the wire, TLS 1.2 and TLS 1.3 alike');
  });
}

t.test('a server that asks for a certificate but takes a handshake without one: requested, not required', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048', requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  t.equal(r.features.clientCertificateRequested, true);
  t.equal(r.features.clientCertificateRequired, false);
  t.equal(r.negotiated?.error, null);
});

t.test('a server that never asks: neither requested nor required, no CA names, one full handshake', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2' });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, clientIdentity: identity });
  t.equal(r.features.clientCertificateRequested, false);
  t.equal(r.features.clientCertificateRequired, false);
  t.same(r.features.clientCertificateCAs, []);
  t.equal(r.negotiated?.clientCertificateAccepted, true, 'nothing refused it');
});

t.test('a server that trusts another CA refuses our certificate: accepted false; a wrong --ca: chain not verified', async (t) => {
  // The server trusts only the rsa2048 leaf as a "CA", so the test client certificate is unknown to it.
  const server = await startNodeServer({ cert: 'rsa2048', requestCert: true, rejectUnauthorized: true, ca: [readFileSync(certPath('rsa2048'))], minVersion: 'TLSv1.2' });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, clientIdentity: { ...identity, ca: readFileSync(certPath('ecdsa-p256'), 'utf8') } });
  t.equal(r.error, null);
  t.equal(r.negotiated?.clientCertificateAccepted, false);
  // node:tls checks client certificates in application code: it completes the handshake, then closes.
  t.equal(r.negotiated?.error?.code, 'ECLOSED_AFTER_HANDSHAKE');
  t.equal(r.negotiated?.serverChainVerified, false);
  t.match(r.negotiated?.serverChainError ?? '', /UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)/);
  t.same(r.features.clientCertificateCAs, ['O=fipscan test, CN=localhost'], 'the CA name it asks for');
});

t.test('openssl s_server -Verify 1: TLS 1.3 and 1.2, required, CA names from -CAfile', { skip: (await unavailableReason('openssl')) ?? false }, async (t) => {
  const server = await startOpenSSLServer({ cert: 'ecdsa-p256', protocols: ['TLSv1.2', 'TLSv1.3'], requireClientCert: true });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, clientIdentity: identity });
  t.equal(r.error, null, server.output());
  t.equal(r.features.clientCertificateRequired, true);
  t.same(r.features.clientCertificateCAs, [TEST_CA]);
  t.equal(r.negotiated?.clientCertificateAccepted, true);
});

t.test('fipscan scan --spiffe <istio dir> --format json: identity used, findings in the report, schema-valid', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-spiffe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(certPath('client', 'chain'), join(dir, 'cert-chain.pem'));
  copyFileSync(certPath('client', 'key'), join(dir, 'key.pem'));
  copyFileSync(certPath('ca'), join(dir, 'root-cert.pem'));
  const server = await startNodeServer({ cert: 'rsa2048', requireClientCert: true, minVersion: 'TLSv1.2' });
  t.teardown(() => server.close());
  const run = await runCli(['scan', '--spiffe', dir, '--format', 'json', '-q', `127.0.0.1:${server.port}`]);
  t.equal(run.stderr, '');
  const doc = JSON.parse(run.stdout) as Report & { endpoints: Record<string, unknown>[] };
  t.same(reportErrors(doc), [], 'valid against fipscan-v1.schema.json');
  const e = doc.endpoints[0] as unknown as { features: Record<string, unknown>; negotiated: Record<string, unknown> };
  t.match(e.features, { clientCertificateRequested: true, clientCertificateRequired: true, clientCertificateCAs: [TEST_CA] });
  t.match(e.negotiated, { protocol: 'TLSv1.3', clientIdentity: true, clientCertificateAccepted: true, serverChainVerified: true, error: null });

  const table = await runCli(['scan', '--cert', certPath('client', 'chain'), '--key', certPath('client', 'key'), '--no-color', '-q', `127.0.0.1:${server.port}`]);
  t.match(table.stdout, /client certificate\s+requested: yes, required: yes/);
  t.match(table.stdout, /Negotiated \(default client, with the client certificate\)\n\s+handshake\s+TLSv1\.3, TLS_AES_256_GCM_SHA384/);
});

t.test('identity usage errors are one line and exit 64', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--cert', certPath('client')], /--cert: give the private key with --key too/],
    [['--key', certPath('client', 'key')], /--key: give the client certificate with --cert too/],
    [['--cert', certPath('client'), '--key', certPath('rsa2048', 'key')], /--key: the key does not belong to the certificate in --cert/],
    [['--cert', '/nonexistent.pem', '--key', certPath('client', 'key')], /--cert: cannot read \/nonexistent\.pem: ENOENT/],
    [['--spiffe', tmpdir() + '/fipscan-no-such-dir'], /--spiffe: .* holds neither cert-chain\.pem \+ key\.pem/],
    [['--spiffe', '/tmp', '--cert', certPath('client')], /--spiffe: give either/],
    [['--ca', certPath('ca')], /--ca: .* give --cert and --key/],
    [['--starttls', 'telnet'], /--starttls/],
    [['--proxy', 'socks5://127.0.0.1:1080'], /--proxy: .*only http:\/\/ proxies/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(['scan', ...args, '127.0.0.1:9']);
    t.equal(run.code, 64, `${args.join(' ')}: exit 64`);
    t.match(run.stderr, message);
    t.equal(run.stderr.trim().split('\n').length, 1, 'one line');
  }
});
