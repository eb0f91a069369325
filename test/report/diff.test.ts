import t from 'tap';
import { diffReports, renderDiffJson, renderDiffText, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import type { EndpointReport } from '../../src/report/model.js';
import { hostileEndpoint, hostileErrorEndpoint, judged, legacyEndpoint, meshSidecarEndpoint, offered, protocol, run, strictEndpoint, unreachableEndpoint } from './factories.js';
import { matchGolden } from './golden.js';

/** The strict endpoint a week later: TLS 1.0 back on with a CBC suite, a TLS 1.2 suite swapped, TLS 1.3 gone, X25519 added. */
function driftedStrict(): EndpointReport {
  const result = structuredClone(strictEndpoint().result);
  result.protocols = result.protocols.map((p) => {
    if (p.protocol === 'TLSv1.0') return offered('TLSv1.0', { suites: [0xc013], serverOrder: true, groupsComplete: false });
    if (p.protocol === 'TLSv1.2') return { ...p, suites: [0xc030, 0xc02f, 0xc02b], groups: [0x0018, 0x0017, 0x001d] };
    if (p.protocol === 'TLSv1.3') return protocol('TLSv1.3');
    return p;
  });
  result.certificates = result.certificates.filter((c) => c.protocol !== 'TLSv1.3');
  return judged(result);
}

function doc(endpoints: EndpointReport[], startedAt = '2025-06-01T12:00:00.000Z'): JsonDocument {
  return { ...toJsonDocument(run(endpoints)), startedAt };
}

t.test('a report compared with itself has no drift', async (t) => {
  const d = doc([strictEndpoint(), meshSidecarEndpoint(), unreachableEndpoint()]);
  const diff = diffReports(d, structuredClone(d));
  t.same(diff.endpoints, []);
  t.equal(diff.newlyViolating, false);
  t.same(diff.summary, { changed: 0, appeared: 0, vanished: 0, unchanged: 3, newViolations: 0, resolvedViolations: 0 });
});

t.test('protocols offered and withdrawn, suites and groups added and removed, new violations: newly violating', async (t) => {
  const diff = diffReports(doc([strictEndpoint()]), doc([driftedStrict()], '2025-06-08T12:00:00.000Z'));
  t.equal(diff.newlyViolating, true);
  const [e] = diff.endpoints;
  t.equal(e!.change, 'changed');
  t.same(e!.verdict, { before: 'pass', after: 'fail' });
  t.same(e!.protocols, { offered: ['TLSv1.0'], withdrawn: ['TLSv1.3'], inconclusive: [] });
  t.same(e!.suites, [
    { protocol: 'TLSv1.0', added: [{ id: '0xc013', name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' }], removed: [] },
    { protocol: 'TLSv1.2', added: [{ id: '0xc02b', name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' }], removed: [{ id: '0x009f', name: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384' }] },
  ]);
  t.same(e!.groups, { added: [{ id: '0x001d', name: 'x25519' }], removed: [] });
  t.same(
    e!.newViolations.map((v) => [v.rule, v.protocol, v.item]),
    [
      ['protocol', 'TLSv1.0', 'TLSv1.0'],
      ['suite', 'TLSv1.0', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)'],
      ['group', 'TLSv1.2', 'x25519 (0x001d)'],
    ],
  );
  t.same(e!.resolvedViolations, []);
});

t.test('the way back resolves the violations and newly violates nothing', async (t) => {
  const diff = diffReports(doc([driftedStrict()]), doc([strictEndpoint()]));
  t.equal(diff.newlyViolating, false);
  t.same(diff.endpoints[0]!.verdict, { before: 'fail', after: 'pass' });
  t.equal(diff.endpoints[0]!.resolvedViolations.length, 3);
  t.same(diff.endpoints[0]!.protocols, { offered: ['TLSv1.3'], withdrawn: ['TLSv1.0'], inconclusive: [] });
});

t.test('a reworded message is the same violation; a verdict that became fail is newly violating by itself', async (t) => {
  const before = doc([meshSidecarEndpoint()]);
  const after = structuredClone(before);
  after.endpoints[0]!.violations = after.endpoints[0]!.violations.map((v) => ({ ...v, message: `${v.message} (reworded)` }));
  t.same(diffReports(before, after).endpoints, []);
  before.endpoints[0]!.verdict = 'error';
  const diff = diffReports(before, after);
  t.equal(diff.endpoints[0]!.newViolations.length, 0);
  t.equal(diff.endpoints[0]!.newlyViolating, true);
});

t.test('appeared and vanished endpoints: a failing newcomer is newly violating, a passing one or a vanished one is not', async (t) => {
  const before = doc([strictEndpoint(), meshSidecarEndpoint()]);
  const passingNewcomer = diffReports(doc([strictEndpoint()]), doc([strictEndpoint(), unreachableEndpoint()]));
  t.same(passingNewcomer.endpoints.map((e) => [e.target, e.change, e.newlyViolating]), [['payments.example:8443', 'appeared', false]]);
  const diff = diffReports(before, doc([strictEndpoint(), legacyEndpoint()]));
  t.same(
    diff.endpoints.map((e) => [e.target, e.change, e.verdict.before, e.verdict.after, e.newlyViolating]),
    [
      ['old-appliance.example:443', 'appeared', null, 'fail', true],
      ['reviews.bookinfo.svc.cluster.local:9080', 'vanished', 'fail', null, false],
    ],
  );
  t.equal(diff.endpoints[0]!.newViolations.length, 6);
  t.same(diff.summary, { changed: 0, appeared: 1, vanished: 1, unchanged: 1, newViolations: 6, resolvedViolations: 0 });
});

t.test('an endpoint that became unreachable is an error, not drift in its findings', async (t) => {
  const unreachable = unreachableEndpoint();
  unreachable.result.target = 'api.internal.example:443';
  unreachable.result.host = 'api.internal.example';
  unreachable.result.port = 443;
  const diff = diffReports(doc([strictEndpoint()]), doc([unreachable]));
  const [e] = diff.endpoints;
  t.same(e!.verdict, { before: 'pass', after: 'error' });
  t.equal(e!.compared, false);
  t.same(e!.protocols, { offered: [], withdrawn: [], inconclusive: [] });
  t.same(e!.groups, { added: [], removed: [] });
  t.equal(e!.error!.code, 'ECONNREFUSED');
  t.equal(diff.newlyViolating, false);
});

t.test('the text diff matches its golden and fits 80 columns', async (t) => {
  const before = doc([strictEndpoint(), meshSidecarEndpoint(), unreachableEndpoint()]);
  const after = doc([driftedStrict(), unreachableEndpoint(), legacyEndpoint(), hostileErrorEndpoint()], '2025-06-08T12:00:00.000Z');
  const text = renderDiffText(diffReports(before, after), { beforeName: 'monday.json', afterName: 'next-monday.json' });
  matchGolden(t, 'diff.txt', text);
  for (const line of text.split('\n')) t.ok([...line].length <= 80, `fits: ${line}`);
  t.notOk(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), 'no control characters but newlines');
});

t.test('server text in the text diff is escaped', async (t) => {
  const text = renderDiffText(diffReports(doc([]), doc([hostileEndpoint(), hostileErrorEndpoint()])), { beforeName: 'a', afterName: 'b', width: 60 });
  t.notOk(text.includes('\u001b'));
  for (const line of text.split('\n')) t.ok([...line].length <= 60, `fits 60: ${line}`);
});

t.test('the JSON diff is the diff object, schema fipscan-diff/v1', async (t) => {
  const diff = diffReports(doc([strictEndpoint()]), doc([driftedStrict()]));
  const json = renderDiffJson(diff);
  t.same(JSON.parse(json), diff);
  t.match(json, /^\{\n  "schema": "fipscan-diff\/v1",/);
});
