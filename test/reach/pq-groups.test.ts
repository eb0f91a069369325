/**
 * Post-quantum key exchange against a real server: Node 24 (OpenSSL 3.5) serving the ML-KEM
 * hybrids (X25519MLKEM768 0x11ec, SecP256r1MLKEM768 0x11eb, SecP384r1MLKEM1024 0x11ed) and pure
 * ML-KEM (0x0200-0x0202). The TLS 1.3 sweep (empty key_share, HelloRetryRequests) must list each
 * with the list proven complete, and every built-in policy must classify each group as its
 * profile says: fips-140-3 allows the NIST-curve hybrids and ML-KEM and warns on X25519MLKEM768;
 * fips-strict and sp800-52r2 deny them all.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import { makeKeyShare } from '../../src/probe/keyShares.js';
import { mlkemAvailable } from '../../src/probe/keyPair.js';
import { probe, type EndpointContext } from '../../src/probe/probe.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { groupDisposition } from '../../src/policy/evaluate.js';
import type { ScanResult } from '../../src/model/scan.js';
import { node24Path, node24Unavailable } from '../helpers/node24.js';
import { certPath, repoRoot } from '../helpers/servers.js';

// CI installs Node 24 (deploy/node24): there a missing binary fails the test instead of skipping it.
const skip = process.env.CI ? false : (node24Unavailable() ?? false);
const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const tls13 = (r: ScanResult) => r.protocols.find((x) => x.protocol === 'TLSv1.3')!;

/** Starts tlsServerMain.js under Node 24 with `ecdhCurve`, TLS 1.3 only. */
async function startNode24Server(t: Test, ecdhCurve: string): Promise<{ port: number; banner: string }> {
  const script = join(repoRoot, 'dist', 'test', 'helpers', 'tlsServerMain.js');
  const config = { cert: certPath('ecdsa-p256'), key: certPath('ecdsa-p256', 'key'), options: { minVersion: 'TLSv1.3', ecdhCurve } };
  const child = spawn(node24Path()!, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => {
    child.stdin.end();
    child.kill();
  });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      output += c;
      const m = /LISTENING (\d+) (.*)/.exec(output);
      if (m) resolve({ port: Number(m[1]), banner: m[2]! });
    });
    child.once('exit', (code) => reject(new Error(`Node 24 fixture server exited (${code}): ${output}`)));
  });
}

const POLICY_GROUPS: Record<string, Record<number, 'allow' | 'warn' | 'deny'>> = {
  'fips-strict': { 0x11ec: 'deny', 0x11eb: 'deny', 0x11ed: 'deny', 0x0200: 'deny', 0x0201: 'deny', 0x0202: 'deny', 0x0017: 'allow' },
  'sp800-52r2': { 0x11ec: 'deny', 0x11eb: 'deny', 0x11ed: 'deny', 0x0200: 'deny', 0x0201: 'deny', 0x0202: 'deny', 0x0017: 'allow' },
  'fips-140-3': { 0x11ec: 'warn', 0x11eb: 'allow', 0x11ed: 'allow', 0x0200: 'allow', 0x0201: 'allow', 0x0202: 'allow', 0x0017: 'allow' },
};

function checkPolicies(t: Test, r: ScanResult, groups: readonly number[]): void {
  for (const [id, expected] of Object.entries(POLICY_GROUPS)) {
    const policy = builtinPolicy(id)!;
    const evaluation = evaluate(r, policy);
    t.not(evaluation.verdict, 'error', `${id}: the complete scan is judged`);
    for (const group of groups) {
      const want = expected[group]!;
      t.equal(groupDisposition(policy, group), want, `${id}: ${hex([group])[0]} is ${want}`);
      const item = (v: { item: string | null }) => v.item?.includes(hex([group])[0]!) === true;
      t.equal(evaluation.violations.some(item), want === 'deny', `${id}: ${hex([group])[0]} ${want === 'deny' ? 'is' : 'is not'} a violation`);
      t.equal(evaluation.warnings.some(item), want === 'warn', `${id}: ${hex([group])[0]} ${want === 'warn' ? 'is' : 'is not'} a warning`);
    }
  }
}

t.test('Node 24 serving X25519MLKEM768, SecP256r1MLKEM768 and P-256: the sweep lists them in its order, complete', { skip }, async (t) => {
  const server = await startNode24Server(t, 'X25519MLKEM768:SecP256r1MLKEM768:P-256');
  t.comment(`fixture server: Node ${server.banner}`);
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  t.equal(r.error, null);
  const p = tls13(r);
  t.equal(p.offered, true);
  t.same(hex(p.groups), hex([0x11ec, 0x11eb, 0x0017]), 'both hybrids and P-256, in the server order');
  t.equal(p.groupsComplete, true, 'the group list is proven complete');
  t.same(p.inconclusiveGroups, []);
  // A Node 20 client (OpenSSL 3.0) gets P-256; a Node 24 client gets the X25519 hybrid.
  const pq = Number(process.versions.openssl.split('.')[0]) * 100 + Number(process.versions.openssl.split('.')[1]) >= 305;
  t.equal(r.negotiated?.group, pq ? 0x11ec : 0x0017, `the negotiated group of this process's OpenSSL ${process.versions.openssl}`);
  checkPolicies(t, r, [0x11ec, 0x11eb, 0x0017]);
});

t.test('Node 24 serving every ML-KEM group and hybrid: all six found, none missed', { skip }, async (t) => {
  const server = await startNode24Server(t, 'MLKEM512:MLKEM768:MLKEM1024:SecP256r1MLKEM768:X25519MLKEM768:SecP384r1MLKEM1024');
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  t.equal(r.error, null);
  const p = tls13(r);
  t.same(hex(p.groups), hex([0x0200, 0x0201, 0x0202, 0x11eb, 0x11ec, 0x11ed]), 'every post-quantum group, in the server order');
  t.equal(p.groupsComplete, true);
  checkPolicies(t, r, [0x0200, 0x0201, 0x0202, 0x11eb, 0x11ec, 0x11ed]);
});

t.test('an X25519MLKEM768-only server: its TLS 1.3 signature scheme is read through the hybrid key exchange where this Node has ML-KEM, else left inconclusive', { skip }, async (t) => {
  const server = await startNode24Server(t, 'X25519MLKEM768');
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, skipTlsCertificate: true });
  const p = tls13(r);
  t.same(hex(p.groups), hex([0x11ec]));
  if (mlkemAvailable()) {
    t.same(p.signatureSchemes?.map((u) => u.scheme), [0x0403], `Node ${process.versions.node}: ecdsa_secp256r1_sha256, the only scheme of a P-256 key in TLS 1.3`);
    t.equal(p.signatureSchemesComplete, true);
    t.ok(r.certificates.some((c) => c.protocol === 'TLSv1.3' && c.chain[0]?.curve === 'P-256'), 'the chain read from the decrypted flight');
  } else {
    t.same(p.signatureSchemes, [], `Node ${process.versions.node} has no ML-KEM: no flight can be opened`);
    t.equal(p.signatureSchemesComplete, false, 'not claimed complete');
    t.ok(p.inconclusiveSignatureSchemes?.includes(0x0403), 'left inconclusive, never "not offered"');
  }
});

t.test('the ML-KEM key shares fipscan makes (for stacks that refuse an empty key_share) are taken by OpenSSL 3.5 as they are', { skip }, async (t) => {
  const server = await startNode24Server(t, 'MLKEM512:MLKEM768:MLKEM1024:SecP256r1MLKEM768:X25519MLKEM768:SecP384r1MLKEM1024');
  const ctx: EndpointContext = { address: '127.0.0.1', port: server.port, sni: null, alpn: [], timeoutMs: 3000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
  for (const group of [0x0200, 0x0201, 0x0202, 0x11eb, 0x11ec, 0x11ed]) {
    const share = makeKeyShare(group);
    t.ok(share, `${hex([group])[0]}: a share is made`);
    // Only this group is offered, with its share: a well-formed share gets a ServerHello, a bad one an alert.
    const o = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [group], keyShares: [group] });
    t.equal(o.kind, 'hello', `${hex([group])[0]}: answered with a ServerHello (${o.kind === 'alert' ? `alert ${o.description}` : o.kind})`);
    if (o.kind !== 'hello') continue;
    t.equal(o.serverHello.isHelloRetryRequest, false, `${hex([group])[0]}: the share was used, not asked for again`);
    t.equal(o.serverHello.keyShareGroup, group, `${hex([group])[0]}: in that group`);
  }
});
