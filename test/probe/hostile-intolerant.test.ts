/**
 * Intolerant front ends (test/helpers/intolerant.ts) in front of a real Node TLS server: the
 * scan through each must find exactly what a direct scan of the same server finds (versions,
 * suites and groups, in the server's order where it enforces one), and the version that needed
 * it names the fallback rung in `workarounds`. A version the front end never lets through
 * (supported_versions intolerance hides TLS 1.3) is inconclusive, never "not offered".
 */
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import type { ScanOptions } from '../../src/probe/types.js';
import type { ProtocolName, ScanResult } from '../../src/model/scan.js';
import { startIntolerantProxy, type Intolerance } from '../helpers/intolerant.js';
import { startNodeServer } from '../helpers/servers.js';
import { ALL, hex, protocol } from './hostileExpect.js';

const OPTIONS: ScanOptions = { timeoutMs: 2000, deadlineMs: 30000, concurrency: 4, skipTlsCertificate: true };

interface Case {
  intolerance: Intolerance;
  /** Rungs each version must name in `workarounds` (others may name more). */
  rungs: Partial<Record<ProtocolName, string[]>>;
  /** Versions that must need no workaround at all. */
  untouched: ProtocolName[];
  /** Versions the front end hides: inconclusive through it. */
  hidden: ProtocolName[];
}

const cases: Case[] = [
  { intolerance: 'over-255', rungs: { 'TLSv1.2': ['max-64-suites'], 'TLSv1.3': ['small-hello'] }, untouched: [], hidden: [] },
  // RFC 7685 padding keeps every hello with extensions out of 256-511; SSLv3 hellos have none to pad.
  { intolerance: '256-511', rungs: { SSLv3: ['max-64-suites'] }, untouched: ['TLSv1.2', 'TLSv1.3'], hidden: [] },
  { intolerance: 'unknown-extension', rungs: { 'TLSv1.2': ['no-optional-extensions'], 'TLSv1.3': ['small-hello'] }, untouched: [], hidden: [] },
  { intolerance: 'supported-versions', rungs: {}, untouched: ['TLSv1.2'], hidden: ['TLSv1.3'] },
];

function compare(t: Test, direct: ScanResult, proxied: ScanResult, c: Case): void {
  t.equal(proxied.error, null, 'scanned');
  t.same(proxied.protocolViolations, [], 'no violations');
  for (const name of ALL) {
    const want = protocol(direct, name);
    const got = protocol(proxied, name);
    if (c.hidden.includes(name)) {
      t.equal(got.offered, null, `${name} hidden by the front end: inconclusive, not "not offered"`);
      continue;
    }
    t.equal(got.offered, want.offered, `${name} offered ${String(want.offered)} (${got.reason ?? ''})`);
    if (want.offered !== true) continue;
    const sorted = (ids: number[]): string[] => hex([...ids].sort((a, b) => a - b));
    t.same(sorted(got.suites), sorted(want.suites), `${name} the same suites`);
    t.equal(got.suitesComplete, true, `${name} suite list complete`);
    t.same(sorted(got.groups), sorted(want.groups), `${name} the same groups`);
    t.equal(got.groupsComplete, want.groupsComplete, `${name} group list complete as directly`);
    t.equal(got.serverOrder, want.serverOrder, `${name} server suite order ${String(want.serverOrder)}`);
    if (want.serverOrder === true) t.same(hex(got.suites), hex(want.suites), `${name} suites in the server's order`);
    t.equal(got.groupServerOrder, want.groupServerOrder, `${name} server group order ${String(want.groupServerOrder)}`);
    if (want.groupServerOrder === true) t.same(hex(got.groups), hex(want.groups), `${name} groups in the server's order`);
  }
  for (const [name, rungs] of Object.entries(c.rungs) as [ProtocolName, string[]][]) {
    const used = protocol(proxied, name).workarounds;
    for (const rung of rungs) t.ok(used.includes(rung), `${name} workarounds name ${rung} (${used.join(', ')})`);
  }
  for (const name of c.untouched) t.same(protocol(proxied, name).workarounds, [], `${name} needed no workaround`);
}

t.test('intolerant front ends in front of a Node TLS server', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048', sendChain: true });
  t.teardown(() => server.close());
  const direct = await scan(`127.0.0.1:${server.port}`, OPTIONS);
  t.equal(direct.error, null, 'the direct scan works');
  t.equal(protocol(direct, 'TLSv1.2').offered, true, 'TLS 1.2 offered directly');
  t.equal(protocol(direct, 'TLSv1.3').offered, true, 'TLS 1.3 offered directly');
  for (const c of cases) {
    await t.test(`${c.intolerance}: the same findings as a direct scan`, async (t) => {
      const proxy = await startIntolerantProxy(server.port, c.intolerance);
      t.teardown(() => proxy.close());
      const proxied = await scan(proxy.target, OPTIONS);
      t.comment(`${proxy.resets} hellos reset, ${proxy.passed} let through, ${proxied.probes} probes`);
      t.ok(proxy.resets > 0, 'the front end did reset some hellos');
      compare(t, direct, proxied, c);
    });
  }
});
