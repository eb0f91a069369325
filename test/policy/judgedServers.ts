/**
 * Real servers judged by built-in profiles, for the profile tests (profiles-real-servers,
 * audit-servers): each server is scanned once and judged by every profile a case names, and each
 * failure must name exactly the expected violations by rule, protocol and item, spelled out in
 * its message with the profile's id.
 */
import type { Test } from 'tap';
import t from 'tap';
import { scan } from '../../src/index.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import type { ScanResult } from '../../src/model/scan.js';
import { unavailableReason, type RunningServer, type Stack } from '../helpers/servers.js';

/** A violation as [rule, protocol, item]. */
export type Named = [rule: string, protocol: string | null, item: string | null];

export interface Case {
  stack: Stack;
  /** What the server is configured to do, for the test name. */
  summary: string;
  start: () => Promise<RunningServer>;
  /** Every violation each profile must name; an empty list means the verdict is pass. */
  violations: Record<string, Named[]>;
  /** Words some violation message of that profile must contain (why the item is wrong). */
  says?: Record<string, string[]>;
  /** Proves the server really is configured as the summary says, where that is not obvious. */
  setup?: { what: string; holds: (result: ScanResult) => boolean };
}

const byText = (a: Named, b: Named): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Scans each case's server once and checks every profile it names. */
export async function judgeCases(cases: readonly Case[]): Promise<void> {
  for (const c of cases) {
    const skip = (await unavailableReason(c.stack)) ?? false;
    t.test(`${c.stack}: ${c.summary}`, { skip }, async (t) => {
      const server = await c.start();
      t.teardown(() => server.close());
      const result = await scan(`127.0.0.1:${server.port}`);
      t.equal(result.error, null, 'the scan completed', { server: server.describe });
      if (c.setup) t.ok(c.setup.holds(result), c.setup.what, { features: result.features });
      for (const id of Object.keys(c.violations)) judge(t, c, id, result, server);
    });
  }
}

function judge(t: Test, c: Case, id: string, result: ScanResult, server: RunningServer): void {
  const evaluation = evaluate(result, builtinPolicy(id)!);
  const expected = [...c.violations[id]!].sort(byText);
  const verdict = expected.length === 0 ? 'pass' : 'fail';
  const found: Named[] = evaluation.violations.map((v) => [v.rule, v.protocol, v.item]);
  const context = { server: server.describe, violations: evaluation.violations, inconclusive: evaluation.inconclusive };
  t.equal(evaluation.verdict, verdict, `${id}: ${verdict}`, context);
  t.same(found.sort(byText), expected, `${id}: ${expected.length === 0 ? 'no violations' : `violations ${expected.map(([rule, , item]) => `${rule} ${item}`).join(', ')}`}`, context);
  t.same(evaluation.inconclusive, [], `${id}: nothing inconclusive`);
  for (const v of evaluation.violations) {
    // A finding about the server as a whole (no protocol allowed at all) has no item to name.
    t.ok((v.item === null || v.message.includes(v.item)) && v.message.includes(id), `${id}: the ${v.rule} message names ${v.item ?? 'the server'} and the profile`, { message: v.message });
    t.ok(v.source.length > 0, `${id}: the ${v.rule} violation names its source`);
  }
  for (const words of c.says?.[id] ?? []) {
    t.ok(evaluation.violations.some((v) => v.message.includes(words)), `${id}: a message says "${words}"`, context);
  }
}

