/**
 * Drift of SSH endpoints (`fipscan diff`): an algorithm added or removed is seen per category,
 * once for both directions when both changed alike, else per direction; an order change is no
 * drift; a new denied algorithm is a new violation, so newly violating; a port that answered
 * in TLS and now in SSH is a change of its own.
 */
import t from 'tap';
import { diffReports, renderDiffJson, renderDiffText, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import type { EndpointReport } from '../../src/report/model.js';
import { judged, run, strictEndpoint } from './factories.js';
import { matchGolden } from './golden.js';
import { RHEL_FIPS_OFFER, SSH_POLICY, sshFindings, sshFipsEndpoint, sshGoldenRun, sshResult } from './sshFactories.js';

const OPENSSH = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10';

function doc(endpoints: EndpointReport[], startedAt = '2025-06-01T12:00:00.000Z'): JsonDocument {
  return { ...toJsonDocument(run(endpoints, SSH_POLICY)), startedAt };
}

/** The RHEL FIPS bastion a week later: ChaCha20 added, the strict-KEX marker gone, HMAC-SHA-1 dropped server to client only. */
function driftedBastion(): EndpointReport {
  const mac = RHEL_FIPS_OFFER.mac as string[];
  const ssh = sshFindings(OPENSSH, {
    ...RHEL_FIPS_OFFER,
    kex: RHEL_FIPS_OFFER.kex.filter((k) => !k.startsWith('kex-strict')),
    cipher: ['chacha20-poly1305@openssh.com', ...(RHEL_FIPS_OFFER.cipher as string[])],
    mac: { clientToServer: mac, serverToClient: mac.filter((m) => m !== 'hmac-sha1') },
  });
  const before = sshFipsEndpoint().result;
  return judged({ ...before, ssh }, SSH_POLICY);
}

t.test('a report with SSH endpoints compared with itself has no drift', async (t) => {
  const d = doc(sshGoldenRun().endpoints);
  const diff = diffReports(d, structuredClone(d));
  t.same(diff.endpoints, []);
  t.equal(diff.summary.unchanged, 5);
});

t.test('algorithms added and removed per category, per direction only where the directions differ: newly violating', async (t) => {
  const diff = diffReports(doc([sshFipsEndpoint()]), doc([driftedBastion()], '2025-06-08T12:00:00.000Z'));
  const [e] = diff.endpoints;
  t.equal(e!.change, 'changed');
  t.same(e!.sshAlgorithms, [
    { category: 'kex', direction: null, added: [], removed: ['kex-strict-s-v00@openssh.com'] },
    { category: 'cipher', direction: null, added: ['chacha20-poly1305@openssh.com'], removed: [] },
    { category: 'mac', direction: 'serverToClient', added: [], removed: ['hmac-sha1'] },
  ]);
  t.equal(e!.service, null);
  t.same(e!.newViolations.map((v) => [v.rule, v.item]), [['ssh-cipher', 'cipher chacha20-poly1305@openssh.com']]);
  t.same(e!.verdict, { before: 'pass', after: 'fail' });
  t.equal(diff.newlyViolating, true);
  const text = renderDiffText(diff, { beforeName: 'monday.json', afterName: 'next-monday.json' });
  matchGolden(t, 'diff-ssh.txt', text);
  t.match(text, /\n! ssh:\/\/bastion\.example  PASS -> FAIL\n  SSH key exchange\n    - kex-strict-s-v00@openssh\.com\n  SSH ciphers\n    \+ chacha20-poly1305@openssh\.com\n  SSH MACs, server to client\n    - hmac-sha1\n/);
  t.match(JSON.parse(renderDiffJson(diff)).endpoints[0], { service: null, sshAlgorithms: [{ category: 'kex', direction: null }, {}, {}] });
});

t.test('the same names in another order are no drift', async (t) => {
  const reordered = sshFipsEndpoint();
  reordered.result.ssh!.kex.reverse();
  reordered.result.ssh!.cipher.clientToServer.reverse();
  t.same(diffReports(doc([sshFipsEndpoint()]), doc([reordered])).endpoints, []);
});

t.test('a port that answered in TLS and now answers in SSH is a change, its algorithms not compared with nothing', async (t) => {
  const tls = judged(strictEndpoint().result, SSH_POLICY);
  const ssh = judged(sshResult({ target: tls.result.target, host: tls.result.host, port: tls.result.port, ssh: sshFindings(OPENSSH, RHEL_FIPS_OFFER) }), SSH_POLICY);
  const diff = diffReports(doc([tls]), doc([ssh]));
  const [e] = diff.endpoints;
  t.same(e!.service, { before: 'tls', after: 'ssh' });
  t.same(e!.sshAlgorithms, []);
  t.same(e!.verdict, { before: 'pass', after: 'pass' });
  t.equal(diff.newlyViolating, false);
  t.match(renderDiffText(diff, { beforeName: 'a', afterName: 'b' }), /\napi\.internal\.example:443  PASS\n  now answers in SSH, was TLS\n/);
});

t.test('a TLS endpoint diff carries no service change and no SSH algorithms', async (t) => {
  const diff = diffReports(doc([strictEndpoint()]), doc([sshFipsEndpoint(), strictEndpoint()]));
  t.match(diff.endpoints[0], { change: 'appeared', service: null, sshAlgorithms: [] });
});
