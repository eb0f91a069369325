/**
 * What must hold when fipscan scans a hostile endpoint, shared by the hostile-*.test.ts files:
 * the scan resolves within its deadline, never claims "not offered" from answers that were all
 * failures, and reports exactly the scripted server's findings when the hostility is one that a
 * correct client reads through. Scan options are small on purpose: the behaviours answer at once
 * or never, so long timeouts would only make the suite slow.
 */
import type { Test } from 'tap';
import { scan } from '../../src/index.js';
import type { ScanOptions } from '../../src/probe/types.js';
import type { ProtocolName, ProtocolResult, ScanResult } from '../../src/model/scan.js';
import { startHostile, type Behaviour, type HostileOptions } from '../helpers/hostile.js';
import { errorInfo } from '../../src/model/errors.js';

/** Per-connection and per-endpoint budgets for hostile scans. */
export const FAST: ScanOptions = { timeoutMs: 300, deadlineMs: 6000, concurrency: 4, skipTlsCertificate: true };

/** How much past the deadline a scan may take to wrap up (closing sockets, assembling the result). */
const DEADLINE_SLACK_MS = 1000;

export const ALL: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);

export function protocol(r: ScanResult, name: ProtocolName): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

/** Starts `behaviour`, scans it, closes it; a rejected scan fails the test with the error. */
export async function scanBehaviour(t: Test, behaviour: Behaviour, options: ScanOptions = FAST, hostile: HostileOptions = {}): Promise<ScanResult> {
  const server = await startHostile(behaviour, hostile);
  t.teardown(() => server.close());
  const result = await scan(server.target, options);
  t.comment(`${result.probes} probes, ${server.connections} connections, ${result.durationMs} ms, error ${result.error?.code ?? 'none'}`);
  const deadline = options.deadlineMs ?? 60000;
  t.ok(result.durationMs <= deadline + DEADLINE_SLACK_MS, `finished within the ${deadline} ms deadline (${result.durationMs} ms)`);
  checkCatalogued(t, result);
  return result;
}

/** Every code the result carries (its error, each version's reason) is in the error catalogue, so a user can look it up. */
export function checkCatalogued(t: Test, r: ScanResult): void {
  const codes = [r.error?.code, ...r.protocols.map((p) => p.reasonCode)].filter((c): c is string => typeof c === 'string');
  const unknown = codes.filter((c) => errorInfo(c) === null);
  t.same(unknown, [], `every code is in the catalogue (${[...new Set(codes)].join(', ') || 'none'})`);
  for (const p of r.protocols) if (p.reason !== null) t.ok(p.reasonCode, `${p.protocol}'s reason has a code`);
}

/**
 * Nothing the endpoint said decided anything: every version is inconclusive (offered null,
 * with a reason), no suite is claimed, and the endpoint carries a typed error.
 */
export function checkNothingDecisive(t: Test, r: ScanResult, codes: readonly string[] = ['ENOTTLS', 'EDEADLINE']): void {
  t.ok(r.error !== null && codes.includes(r.error.code), `typed error ${codes.join(' or ')} (got ${JSON.stringify(r.error)})`);
  t.ok((r.error?.message.length ?? 0) > 0, 'the error says what happened');
  for (const name of ALL) {
    const p = protocol(r, name);
    t.equal(p.offered, null, `${name} inconclusive, never "not offered" (${p.reason ?? 'no reason'})`);
    t.ok(p.reason, `${name} says why it is inconclusive`);
    t.same(p.suites, [], `${name} claims no suite`);
    t.equal(p.suitesComplete, false, `${name} suite list not claimed complete`);
  }
  t.same(r.protocolViolations, [], 'no protocol violations invented');
}

/** What a correct scan of the scripted server (test/helpers/hostile.ts SCRIPTED) finds. */
export const SCRIPTED_FINDINGS: Record<ProtocolName, { offered: boolean; suites: number[]; groups: number[] }> = {
  SSLv2: { offered: false, suites: [], groups: [] },
  SSLv3: { offered: false, suites: [], groups: [] },
  'TLSv1.0': { offered: true, suites: [0x002f, 0x0035], groups: [] },
  'TLSv1.1': { offered: true, suites: [0x002f, 0x0035], groups: [] },
  'TLSv1.2': { offered: true, suites: [0x009c, 0x002f, 0x0035], groups: [] },
  'TLSv1.3': { offered: true, suites: [0x1302, 0x1301], groups: [29, 23] },
};

/** The scan found exactly what the scripted server offers, in its order, with nothing inconclusive. */
export function checkScriptedFindings(t: Test, r: ScanResult, only: readonly ProtocolName[] = ALL): void {
  t.equal(r.error, null, 'the endpoint was scanned');
  for (const name of only) {
    const want = SCRIPTED_FINDINGS[name];
    const got = protocol(r, name);
    t.equal(got.offered, want.offered, `${name} offered ${want.offered} (${got.reason ?? ''})`);
    if (!want.offered) continue;
    t.same(hex(got.suites), hex(want.suites), `${name} suites, in the server's order`);
    t.equal(got.suitesComplete, true, `${name} suite list complete`);
    t.same(got.inconclusiveSuites, [], `${name} no inconclusive suites`);
    t.same(hex(got.groups), hex(want.groups), `${name} groups`);
    t.same(got.inconclusiveGroups, [], `${name} no inconclusive groups`);
  }
}
