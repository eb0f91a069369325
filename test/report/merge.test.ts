import t from 'tap';
import { policyDigest } from '../../src/policy/document.js';
import { MergeError, mergeDocuments, readJsonDocument, renderJsonDocument, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import { POLICY, inconclusiveEndpoint, legacyEndpoint, meshSidecarEndpoint, run, strictEndpoint, unreachableEndpoint } from './factories.js';
import { SSH_POLICY, sshApplianceEndpoint, sshDebianEndpoint, sshFipsEndpoint, sshNotSshEndpoint } from './sshFactories.js';

const TOOL = { name: 'fipscan', version: '9.9.9' } as const;

function doc(endpoints: Parameters<typeof run>[0], startedAt: string, durationMs: number): JsonDocument {
  return { ...toJsonDocument(run(endpoints)), startedAt, durationMs };
}

t.test('shards merge into one document: endpoints concatenated, summary recounted, timing spanned', async (t) => {
  const a = doc([strictEndpoint(), meshSidecarEndpoint()], '2025-06-01T12:00:05.000Z', 1000);
  const b = doc([unreachableEndpoint(), legacyEndpoint()], '2025-06-01T12:00:00.000Z', 3000);
  const { doc: merged, conflicts } = mergeDocuments([{ name: 'a.json', doc: a }, { name: 'b.json', doc: b }], TOOL);
  t.same(conflicts, []);
  t.same(merged.endpoints.map((e) => e.target), [...a.endpoints, ...b.endpoints].map((e) => e.target));
  t.same(merged.summary, { endpoints: 4, pass: 1, fail: 2, error: 1, 'not-tls': 0 });
  t.equal(merged.startedAt, '2025-06-01T12:00:00.000Z', 'the earliest start');
  t.equal(merged.durationMs, 6000, 'from the earliest start to the latest end');
  t.same(merged.tool, TOOL);
  t.same(merged.policy, { id: POLICY.id, version: POLICY.version, title: POLICY.title, sha256: policyDigest(POLICY) });
});

t.test('an endpoint in two reports keeps the later scan, and the conflict is reported', async (t) => {
  const older = doc([strictEndpoint(), unreachableEndpoint()], '2025-06-01T12:00:00.000Z', 100);
  const newer = doc([meshSidecarEndpoint(), unreachableEndpoint()], '2025-06-02T12:00:00.000Z', 100);
  newer.endpoints[1]!.verdict = 'pass';
  newer.endpoints[1]!.target = 'PAYMENTS.example:8443';
  newer.endpoints[1]!.host = 'PAYMENTS.example';
  for (const order of [['old.json', 'new.json'], ['new.json', 'old.json']] as const) {
    const inputs = order.map((name) => ({ name, doc: name === 'old.json' ? older : newer }));
    const { doc: merged, conflicts } = mergeDocuments(inputs, TOOL);
    t.equal(merged.endpoints.length, 3, `${order.join(', ')}: deduplicated by host (case-insensitive) and port`);
    t.equal(merged.endpoints.find((e) => e.port === 8443)!.verdict, 'pass', `${order.join(', ')}: the later scan wins`);
    t.same(conflicts, [{ key: 'payments.example:8443', target: 'PAYMENTS.example:8443', kept: 'new.json', dropped: 'old.json' }]);
  }
});

t.test('on equal start times the report given later wins', async (t) => {
  const first = doc([unreachableEndpoint()], '2025-06-01T12:00:00.000Z', 10);
  const second = doc([unreachableEndpoint()], '2025-06-01T12:00:00.000Z', 10);
  second.endpoints[0]!.probes = 99;
  const { doc: merged, conflicts } = mergeDocuments([{ name: '1', doc: first }, { name: '2', doc: second }], TOOL);
  t.equal(merged.endpoints[0]!.probes, 99);
  t.equal(conflicts[0]!.kept, '2');
});

t.test('reports of different policies (id or version) do not merge', async (t) => {
  const a = doc([strictEndpoint()], '2025-06-01T12:00:00.000Z', 10);
  const b = doc([inconclusiveEndpoint()], '2025-06-01T12:00:00.000Z', 10);
  b.policy = { ...b.policy, version: '2.0' };
  t.throws(() => mergeDocuments([{ name: 'a.json', doc: a }, { name: 'b.json', doc: b }], TOOL), new MergeError('b.json was judged against policy test-fips 2.0 but a.json against test-fips 1.0: only reports of the same policy merge'));
  b.policy = { ...a.policy, id: 'fips-strict' };
  t.throws(() => mergeDocuments([{ name: 'a.json', doc: a }, { name: 'b.json', doc: b }], TOOL), MergeError);
  t.throws(() => mergeDocuments([], TOOL), MergeError);
});

t.test('the command line is kept when every report has the same one (the shards of one job), else left out', async (t) => {
  const command = ['fipscan', 'scan', '-f', 'targets.txt', '--format', 'json'];
  const a = { ...doc([strictEndpoint()], '2025-06-01T12:00:00.000Z', 10), command };
  const b = { ...doc([legacyEndpoint()], '2025-06-01T12:00:01.000Z', 10), command: [...command] };
  const same = mergeDocuments([{ name: 'a', doc: a }, { name: 'b', doc: b }], TOOL).doc;
  t.same(same.command, command);
  t.same(Object.keys(same).slice(0, 7), ['schema', 'tool', 'policy', 'startedAt', 'durationMs', 'command', 'summary'], 'in the schema order');
  const other = { ...b, command: ['fipscan', 'scan', 'b.example'] };
  t.notOk('command' in mergeDocuments([{ name: 'a', doc: a }, { name: 'b', doc: other }], TOOL).doc);
  const { command: _, ...older } = b;
  t.notOk('command' in mergeDocuments([{ name: 'a', doc: a }, { name: 'b', doc: older }], TOOL).doc, 'one report without a command line');
});

t.test('SSH endpoints merge like any other: kept whole, matched by host:port, written back as read', async (t) => {
  const sshDoc = (endpoints: Parameters<typeof run>[0], startedAt: string): JsonDocument => ({ ...toJsonDocument(run(endpoints, SSH_POLICY)), startedAt, durationMs: 100 });
  const a = sshDoc([sshFipsEndpoint(), sshDebianEndpoint()], '2025-06-01T12:00:00.000Z');
  const b = sshDoc([sshApplianceEndpoint(), sshNotSshEndpoint()], '2025-06-01T12:00:01.000Z');
  const { doc: merged, conflicts } = mergeDocuments([{ name: 'a.json', doc: readJsonDocument(renderJsonDocument(a)) }, { name: 'b.json', doc: readJsonDocument(renderJsonDocument(b)) }], TOOL);
  t.same(conflicts, []);
  t.same(merged.endpoints, [...a.endpoints, ...b.endpoints], 'service and ssh kept as written');
  t.same(merged.summary, { endpoints: 4, pass: 1, fail: 2, error: 1, 'not-tls': 0 });
  // The same host:port scanned as ssh:// and found as SSH on a plain host:port is one endpoint: the later scan wins.
  const again = sshDoc([sshFipsEndpoint()], '2025-06-02T12:00:00.000Z');
  again.endpoints[0]!.target = 'bastion.example:22';
  const later = mergeDocuments([{ name: 'a.json', doc: a }, { name: 'again.json', doc: again }], TOOL);
  t.same(later.conflicts, [{ key: 'bastion.example:22', target: 'bastion.example:22', kept: 'again.json', dropped: 'a.json' }]);
  t.equal(later.doc.endpoints[0]!.ssh?.identification, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10');
});
