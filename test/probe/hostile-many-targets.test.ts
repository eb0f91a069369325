/**
 * Hostile endpoints scanned at the same time as healthy ones, in one process, as a fleet scan
 * does: every scan resolves, and the healthy servers' findings are exactly what they are when
 * scanned alone. Silence, drips and floods on some targets must not cost others their answers
 * (a stalled event loop would turn their probes into timeouts and their findings inconclusive;
 * the 3 s probe timeout leaves room for a loaded CI machine, not for a stalled loop).
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import type { ScanOptions } from '../../src/probe/types.js';
import type { ScanResult } from '../../src/model/scan.js';
import { startHostile } from '../helpers/hostile.js';
import { behaviours, type BehaviourName } from '../helpers/hostileBehaviours.js';
import { startNodeServer } from '../helpers/servers.js';

/** The same options for every target, as one fleet scan would use. */
const OPTIONS: ScanOptions = { timeoutMs: 3000, deadlineMs: 15000, concurrency: 4, skipTlsCertificate: true };

const HOSTILE: BehaviourName[] = ['silent', 'dripForever', 'garbage', 'resetMidRecord', 'tinyRecordFlood', 'changeCipherSpecFlood', 'hrrForever', 'unofferedSuite'];

/** The verdict-relevant part of a result: what a policy judges. */
function findings(r: ScanResult): unknown {
  return {
    error: r.error,
    violations: r.protocolViolations,
    protocols: r.protocols.map((p) => ({
      protocol: p.protocol,
      offered: p.offered,
      suites: p.suites,
      suitesComplete: p.suitesComplete,
      serverOrder: p.serverOrder,
      groups: p.groups,
      groupsComplete: p.groupsComplete,
      inconclusiveSuites: p.inconclusiveSuites,
      inconclusiveGroups: p.inconclusiveGroups,
      workarounds: p.workarounds,
    })),
  };
}

t.test('hostile targets scanned alongside two healthy Node servers leave the healthy findings intact', async (t) => {
  const healthy = [await startNodeServer({ cert: 'rsa2048' }), await startNodeServer({ cert: 'ecdsa-p256', maxVersion: 'TLSv1.2' })];
  const hostile = await Promise.all(HOSTILE.map((name) => startHostile(behaviours[name])));
  t.teardown(async () => {
    await Promise.all([...healthy, ...hostile].map((s) => s.close()));
  });
  const alone: ScanResult[] = [];
  for (const s of healthy) alone.push(await scan(`127.0.0.1:${s.port}`, OPTIONS));
  for (const r of alone) t.equal(r.error, null, `${r.target} scans cleanly alone`);

  const started = Date.now();
  const all = await Promise.all([...healthy.map((s) => `127.0.0.1:${s.port}`), ...hostile.map((s) => s.target)].map((target) => scan(target, OPTIONS)));
  t.comment(`${all.length} targets in ${Date.now() - started} ms`);
  // Duration and probes say what went wrong when findings differ: a deadline reached (a stalled event loop), or failed probes.
  all.slice(0, healthy.length).forEach((r, i) => t.same(findings(r), findings(alone[i]!), `healthy ${r.target}: the same findings as alone (${r.durationMs} ms, ${r.probes} probes; alone ${alone[i]!.durationMs} ms, ${alone[i]!.probes})`));
  all.slice(healthy.length).forEach((r, i) => {
    t.ok(r.durationMs <= (OPTIONS.deadlineMs ?? 0) + 1000, `${HOSTILE[i]}: resolved within the deadline (${r.durationMs} ms)`);
    t.not(r.protocols.find((p) => p.protocol === 'TLSv1.2')?.offered, false, `${HOSTILE[i]}: TLS 1.2 never "not offered"`);
  });
});
