/**
 * Go's crypto/tls (Debian golang-go) as a fourth stack: its findings must equal its
 * configuration. Go 1.19 decides the suite by its own preference list (AES-GCM before CBC),
 * follows the client's curve order in TLS 1.2 but its own in TLS 1.3, does not let TLS 1.3 suites be
 * configured (AES-128-GCM, AES-256-GCM, ChaCha20 always) and has no extended master secret.
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import type { ScanResult } from '../../src/model/scan.js';
import { goUnavailable, startGoServer } from '../helpers/goServer.js';

// CI installs golang-go (.ci/run): there a missing toolchain fails the test instead of skipping it.
const skip = process.env.CI ? false : ((await goUnavailable()) ?? false);
const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const p = (r: ScanResult, name: string) => r.protocols.find((x) => x.protocol === name)!;

t.test('Go TLS 1.2 + 1.3 server: versions, suites in its order, groups in its order', { skip }, async (t) => {
  const server = await startGoServer({ cert: 'rsa2048', minVersion: 0x0303, maxVersion: 0x0304, suites: [0xc02f, 0xc030, 0xc013], curves: [23, 29] });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  t.comment(`${r.probes} probes, ${r.durationMs} ms`);
  t.equal(r.error, null);
  t.same(r.protocolViolations, []);
  for (const name of ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']) t.equal(p(r, name).offered, false, `${name} not offered`);
  const tls12 = p(r, 'TLSv1.2');
  t.equal(tls12.offered, true);
  t.same(hex(tls12.suites), hex([0xc02f, 0xc030, 0xc013]), 'TLS 1.2 suites in Go order (GCM before CBC)');
  t.equal(tls12.serverOrder, true, 'Go enforces its order');
  t.same(hex([...tls12.groups].sort()), hex([23, 29]), 'TLS 1.2 groups');
  // Go 1.19 takes the client's first supported curve in TLS 1.2 (checked with s_client -curves).
  t.equal(tls12.groupServerOrder, false, 'TLS 1.2 curves follow the client');
  const tls13 = p(r, 'TLSv1.3');
  t.equal(tls13.offered, true);
  t.same(hex([...tls13.suites].sort()), hex([0x1301, 0x1302, 0x1303]), 'TLS 1.3: the three suites Go always enables');
  t.same(hex(tls13.groups), hex([23, 29]), 'TLS 1.3 groups in preference order');
  t.equal(tls13.groupsComplete, true);
  t.equal(r.features.extendedMasterSecret.supported, false, 'Go 1.19 has no extended master secret');
  t.equal(r.certificates[0]?.chain[0]?.keyBits, 2048);
});

t.test('Go TLS 1.0-1.2 server with an ECDSA certificate and P-384 first', { skip }, async (t) => {
  const server = await startGoServer({ cert: 'ecdsa-p256', minVersion: 0x0301, maxVersion: 0x0303, suites: [0xc02b, 0xc009, 0xc00a], curves: [24, 23] });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  t.equal(r.error, null);
  t.equal(p(r, 'TLSv1.3').offered, false, 'TLS 1.3 not offered');
  for (const name of ['TLSv1.0', 'TLSv1.1']) {
    t.equal(p(r, name).offered, true, `${name} offered`);
    t.same(hex([...p(r, name).suites].sort()), hex([0xc009, 0xc00a]), `${name}: the CBC-SHA suites (GCM is TLS 1.2 only)`);
  }
  t.same(hex([...p(r, 'TLSv1.2').suites].sort()), hex([0xc009, 0xc00a, 0xc02b]));
  for (const name of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']) t.same(hex([...p(r, name).groups].sort()), hex([23, 24]), `${name} groups: P-384 and the certificate's P-256`);
});
