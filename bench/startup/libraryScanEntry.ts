/**
 * An experimental entry for bench/startup.ts: one endpoint scanned through the library with
 * ScanOptions the CLI has no flag for (FIPSCAN_BENCH_SCAN_OPTIONS, JSON: skipTlsCertificate,
 * protocols), judged against the default policy and printed as the CLI's table, so that the
 * probe levers are measured as whole processes like everything else in the startup table. Ends
 * with `fipscan-bench probes=N scanMs=M` on stderr.
 */
import { parseTarget, scanEndpoint, type ScanOptions } from '../../src/index.js';
import { DEFAULT_POLICY_ID, builtinPolicy, evaluate } from '../../src/policy/index.js';
import { renderTable } from '../../src/report/table.js';
import { TOOL_VERSION } from '../../src/cli/version.js';

async function main(): Promise<void> {
  const options = JSON.parse(process.env['FIPSCAN_BENCH_SCAN_OPTIONS'] ?? '{}') as ScanOptions;
  const target = process.argv[2];
  if (target === undefined) throw new Error('usage: libraryScan <host:port>');
  const policy = builtinPolicy(DEFAULT_POLICY_ID)!;
  const started = Date.now();
  const result = await scanEndpoint(parseTarget(target), options);
  const report = { result, evaluation: evaluate(result, policy) };
  const run = { tool: { name: 'fipscan', version: TOOL_VERSION } as const, policy, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, endpoints: [report] };
  process.stdout.write(renderTable(run, { color: false, width: 80 }));
  process.stderr.write(`fipscan-bench probes=${result.probes} scanMs=${result.durationMs}\n`);
}

void main();
