/**
 * fipscan's library API: scan an endpoint and get a typed result, which the policy and report
 * layers (and the CLI) are built on.
 */
import { scanEndpoint } from './probe/scan.js';
import { parseTarget } from './probe/target.js';
import type { ScanOptions } from './probe/types.js';
import type { ScanResult } from './model/scan.js';

export type * from './probe/types.js';
export * from './model/index.js';
export { parseTarget, pinnedTarget, TargetError } from './probe/target.js';
export { resolveAll, type Resolver } from './probe/resolve.js';
export { scanEndpoint, DEFAULTS, type Endpoint } from './probe/scan.js';
export { STARTTLS_PROTOCOLS } from './probe/starttls.js';
export { parseProxy, type ProxyAddress } from './probe/proxy.js';

/**
 * Scans one endpoint: every protocol version, cipher suite and group it accepts.
 * `target` is `host`, `host:port`, `[ipv6]:port`, an https URL, or `host:port@address` to
 * connect to that address with the name as SNI. Never rejects for what the
 * server does; a bad target string throws TargetError.
 */
export function scan(target: string, options: ScanOptions = {}): Promise<ScanResult> {
  return scanEndpoint(parseTarget(target), options);
}
