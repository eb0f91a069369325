/**
 * fipscan's library API: scan an endpoint and get a typed result, which the policy and report
 * layers (and the CLI) are built on.
 */
import { scanEndpoint } from './probe/scan.js';
import { parseTarget } from './probe/target.js';
import type { ScanOptions, ScanResult } from './probe/types.js';

export type * from './probe/types.js';
export { parseTarget, TargetError } from './probe/target.js';
export { scanEndpoint, DEFAULTS, type Endpoint } from './probe/scan.js';

/**
 * Scans one endpoint: every protocol version, cipher suite and group it accepts.
 * `target` is `host`, `host:port`, `[ipv6]:port` or an https URL. Never rejects for what the
 * server does; a bad target string throws TargetError.
 */
export function scan(target: string, options: ScanOptions = {}): Promise<ScanResult> {
  return scanEndpoint(parseTarget(target), options);
}
