/**
 * `node --import dist/bench/probeSteps/register.js dist/src/cli/main.js scan ...`: loads the
 * rewriting hooks (hooks.ts) and appends one JSON line per connection the scan opens to the file
 * FIPSCAN_PROBE_LOG names: the endpoint, the step that asked (from the stack at the probe's
 * start), the protocol and the hello's offer. bench/probeSteps.ts reads the file.
 */
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const log = process.env['FIPSCAN_PROBE_LOG'];
if (log === undefined) throw new Error('FIPSCAN_PROBE_LOG must name the log file');
register('./hooks.js', import.meta.url);
Error.stackTraceLimit = 60;

interface Ctx {
  address: string;
  port: number;
}
interface Spec {
  protocol: string;
  suites: readonly number[];
  groups?: readonly number[];
  keyShares?: 'empty' | readonly number[];
  signatureSchemes?: readonly number[];
  minimal?: boolean;
  small?: boolean;
  padTo?: number;
  srpIdentity?: string;
  extendedMasterSecret?: boolean;
  flight13?: boolean;
}

/** Function names on the stack, innermost first ("async " and receivers dropped). */
function frames(stack: string): string[] {
  const names: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = /^\s*at (?:async )?(?:new )?([\w$.<>]+) /.exec(line);
    if (m) names.push(m[1]!.split('.').pop()!);
  }
  return names;
}

(globalThis as { __fipscanProbe?: unknown }).__fipscanProbe = (ctx: Ctx, spec: Spec | null, error: Error): void => {
  const entry = {
    t: performance.now(),
    address: ctx.address,
    port: ctx.port,
    frames: frames(error.stack ?? ''),
    protocol: spec?.protocol ?? null,
    suites: spec?.suites ?? null,
    groups: spec?.groups ?? null,
    keyShares: spec?.keyShares ?? null,
    signatureSchemes: spec?.signatureSchemes ?? null,
    minimal: spec?.minimal ?? false,
    small: spec?.small ?? false,
    padTo: spec?.padTo ?? null,
    srp: spec?.srpIdentity !== undefined,
    ems: spec?.extendedMasterSecret ?? true,
    flight13: spec?.flight13 ?? false,
  };
  appendFileSync(log, `${JSON.stringify(entry)}\n`);
};
