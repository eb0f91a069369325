/**
 * What the renderers take: one endpoint's scan result with its evaluation, and a whole run
 * (the tool, the policy every endpoint was judged against, timing). The CLI assembles these;
 * every renderer in report/ is a pure function from them to a string.
 */
import type { Policy } from '../policy/types.js';
import type { ScanResult } from '../model/scan.js';
import type { Evaluation } from '../model/verdict.js';
import type { Workload } from '../model/workload.js';

/** One endpoint: what the scan found and what the policy made of it. */
export interface EndpointReport {
  result: ScanResult;
  evaluation: Evaluation;
}

/** A whole run: every endpoint judged against one policy. */
export interface RunReport {
  tool: { name: 'fipscan'; version: string };
  policy: Policy;
  /** ISO 8601 time the run started. */
  startedAt: string;
  durationMs: number;
  /** The command line, secrets removed (src/cli/commandLine.ts), when the CLI records it. */
  command?: string[];
  endpoints: EndpointReport[];
  /** `scan --inspect-local`: the pod's listening ports grouped by owning process, each judged. */
  workloads?: Workload[];
}

/** A run without its results: what its report header names (json.ts toJsonHead). */
export type RunHead = Omit<RunReport, 'endpoints' | 'workloads'>;
