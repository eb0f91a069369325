/**
 * Botan 2's own TLS server (`botan tls_server`, Debian package `botan`) on 127.0.0.1 for the scan
 * tests. The CLI takes one certificate and key and a policy: a built-in name (`default`) or a
 * Botan text policy file (fixtures/stacks/botan/*.txt, the format of Botan::TLS::Text_Policy).
 * It binds INADDR_ANY and prints "port 0" when given port 0, so it runs with the loopback shim
 * preloaded (startChild): the shim moves the bind to 127.0.0.1 and prints the port the kernel
 * chose, which is read here, so there is no window in which another process could take a port
 * picked in advance. The server is single-threaded and blocking: it serves one connection at a
 * time and the others wait in its listen backlog (100), like `openssl s_server`, until `close()`.
 * A client that connects and stays silent stalls every later connection until it leaves.
 */

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, loopbackShim, repoRoot, startChild, type CertName, type RunningServer } from '../servers.js';

const execFileP = promisify(execFile);

/** The text policies committed for the fixture configurations (fixtures/stacks/botan/NAME.txt). */
export type BotanPolicyFile = 'strict' | 'dhe' | 'cecpq1-rsa' | 'cecpq1-ecdsa';

export interface BotanServerOptions {
  cert: CertName;
  /** `'default'` is Botan::TLS::Policy as compiled in (what `botan tls_server` uses unless told otherwise). */
  policy: 'default' | BotanPolicyFile;
}

export const botanPolicyDir = join(repoRoot, 'fixtures', 'stacks', 'botan');

export function botanPolicyPath(policy: BotanPolicyFile): string {
  return join(botanPolicyDir, `${policy}.txt`);
}

/** The shim's line; Botan's own "Listening for new connections on tcp port 0" names no port. */
const SHIM_PORT_LINE = /fipscan-loopback-bind 127\.0\.0\.1:(\d+)$/m;

/** Starts `botan tls_server` on 127.0.0.1 with an ephemeral port. The caller closes it. */
export async function startBotanServer(opts: BotanServerOptions): Promise<RunningServer> {
  const policy = opts.policy === 'default' ? 'default' : botanPolicyPath(opts.policy);
  // --port=0: the kernel picks; the shim reports it. --type=tcp: TLS, not DTLS.
  const args = ['tls_server', certPath(opts.cert), certPath(opts.cert, 'key'), '--port=0', '--type=tcp', `--policy=${policy}`];
  return startChild('botan', 'botan', args, SHIM_PORT_LINE, true);
}

let unavailable: Promise<string | undefined> | undefined;

/**
 * Why the Botan fixture cannot run here (a tap skip reason), or undefined. The expectations are
 * Botan 2's (no TLS 1.3, CECPQ1 compiled in): a Botan 3 CLI, which speaks TLS 1.3 and has
 * dropped CECPQ1, counts as unavailable rather than as a scanner failure.
 */
export function botanUnavailableReason(): Promise<string | undefined> {
  unavailable ??= (async () => {
    let version: string;
    try {
      version = (await execFileP('botan', ['version'], { timeout: 10_000 })).stdout.trim();
    } catch (err) {
      return `botan is not runnable (Debian package botan): ${(err as Error).message}`;
    }
    if (!version.startsWith('2.')) return `botan ${version} is not Botan 2; the Botan fixture expectations are for 2.19`;
    try {
      await loopbackShim();
    } catch (err) {
      return (err as Error).message;
    }
    return undefined;
  })();
  return unavailable;
}

/**
 * Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6), for the
 * check that the server listens on 127.0.0.1 and nowhere else. IPv4 only as dotted quads.
 */
export async function listeningAddresses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local === undefined || state !== '0A') continue; // 0A: TCP_LISTEN
      const [address, portHex] = local.split(':');
      if (address === undefined || portHex === undefined || parseInt(portHex, 16) !== port) continue;
      found.push(address.length === 8 ? littleEndianIpv4(address) : `[${address}]`);
    }
  }
  return found;
}

function littleEndianIpv4(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  return bytes.reverse().map((b) => parseInt(b, 16)).join('.');
}
