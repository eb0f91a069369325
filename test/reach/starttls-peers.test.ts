/**
 * Every --starttls protocol against a scripted peer that speaks the protocol's plaintext dialogue
 * and then hands the socket to a real node:tls server: the sweep through the upgrade must find
 * exactly what that TLS server is configured with, every probe replaying the dialogue, and a
 * peer that does not offer the upgrade must be an ESTARTTLS error, never a finding.
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import { STARTTLS_PROTOCOLS, type StarttlsProtocol } from '../../src/probe/starttls.js';
import type { ScanResult } from '../../src/model/scan.js';
import { startStarttlsPeer } from '../helpers/starttlsPeers.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const p = (r: ScanResult, name: string) => r.protocols.find((x) => x.protocol === name)!;

// One TLS configuration behind every peer: TLS 1.2 with two ECDHE-GCM suites, TLS 1.3 with two, P-256 and P-384.
const TLS = {
  minVersion: 'TLSv1.2',
  // node:tls takes the TLS 1.3 suites in the same list.
  ciphers: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
  ecdhCurve: 'P-256:P-384',
} as const;

for (const protocol of STARTTLS_PROTOCOLS) {
  t.test(`--starttls ${protocol}: the sweep through the upgrade finds the TLS server's configuration`, async (t) => {
    const peer = await startStarttlsPeer(protocol, { tls: TLS });
    t.teardown(() => peer.close());
    const r = await scan(peer.target, { starttls: protocol, timeoutMs: 3000, concurrency: 4 });
    t.comment(`${protocol}: ${r.probes} probes, ${peer.connections} connections, ${peer.upgraded} upgraded, ${r.durationMs} ms`);
    t.equal(r.error, null, 'no endpoint error');
    for (const name of ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1']) t.equal(p(r, name).offered, false, `${name} not offered`);
    t.same(hex([...p(r, 'TLSv1.2').suites].sort()), hex([0xc02f, 0xc030]), 'TLS 1.2 suites');
    t.same(hex([...p(r, 'TLSv1.3').suites].sort()), hex([0x1301, 0x1302]), 'TLS 1.3 suites');
    t.same(hex([...p(r, 'TLSv1.3').groups].sort()), hex([0x0017, 0x0018]), 'TLS 1.3 groups');
    t.equal(p(r, 'TLSv1.3').groupsComplete, true);
    t.ok(r.certificates.length > 0 && r.certificates[0]!.chain[0]!.keyBits === 2048, 'the certificate behind the upgrade');
    t.equal(r.negotiated?.protocol, 'TLSv1.3', 'the full handshake went through the upgrade too');
    t.equal(peer.connections, r.probes, 'every probe is one connection that replays the dialogue');
  });
}

const refusals: Record<StarttlsProtocol, RegExp> = {
  smtp: /SMTP STARTTLS: the server does not offer STARTTLS/,
  imap: /IMAP STARTTLS: STARTTLS refused: 'a1 BAD/,
  pop3: /POP3 STLS: STLS refused: '-ERR/,
  ftp: /FTP AUTH TLS: AUTH TLS: expected 234, got 502/,
  xmpp: /XMPP STARTTLS: the server does not offer STARTTLS/,
  ldap: /LDAP StartTLS: StartTLS refused: resultCode 2/,
  postgres: /PostgreSQL SSLRequest: the server does not accept SSL connections/,
  mysql: /MySQL SSL request: the server .* does not support SSL/,
};

t.test('a server that does not offer the upgrade is an ESTARTTLS endpoint error naming what it said', async (t) => {
  for (const protocol of STARTTLS_PROTOCOLS) {
    const peer = await startStarttlsPeer(protocol, { refuse: true });
    const r = await scan(peer.target, { starttls: protocol, timeoutMs: 2000 });
    await peer.close();
    t.equal(r.error?.code, 'ESTARTTLS', `${protocol}: ESTARTTLS`);
    t.match(r.error?.message ?? '', refusals[protocol], `${protocol}: the message says why`);
    t.ok(r.protocols.every((x) => x.offered === null), `${protocol}: nothing claimed offered or refused`);
    t.ok(r.probes <= 2, `${protocol}: a refused upgrade costs the two reachability probes only (${r.probes})`);
  }
});

t.test('a plain TLS server scanned with --starttls is an ESTARTTLS error, not a hang', async (t) => {
  const peer = await startStarttlsPeer('postgres', { tls: TLS });
  t.teardown(() => peer.close());
  // The SMTP dialogue waits for a 220 greeting that a PostgreSQL server never sends.
  const r = await scan(peer.target, { starttls: 'smtp', timeoutMs: 500 });
  t.equal(r.error?.code, 'ETIMEDOUT_STARTTLS');
  t.match(r.error?.message ?? '', /SMTP STARTTLS: not finished within 500 ms/);
});
