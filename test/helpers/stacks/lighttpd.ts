/**
 * lighttpd 1.4.69 as the fixture server for three more TLS stacks: its mod_mbedtls (Mbed TLS
 * 2.28), mod_wolfssl (wolfSSL 5.5) and mod_nss (NSS 3.87) modules. Each server runs in the
 * foreground (`lighttpd -D -f conf`) from a configuration rendered into its own temporary
 * directory, which also holds the document root, the upload directory and the error log: nothing
 * outside it is written, and lighttpd writes no pid file. It listens on 127.0.0.1 on a port found
 * free just before the start (lighttpd refuses port 0), with a retry when another process takes
 * that port first; the loopback shim (servers.ts) reports the bind and kills lighttpd when the test
 * process dies. All three modules read the same `ssl.openssl.ssl-conf-cmd` keys (MinProtocol,
 * MaxProtocol, CipherString, Curves, Options), each with its own cipher names: see
 * lighttpdConfigs.ts. mod_nss in 1.4.69 needs no NSS certificate database: it calls
 * NSS_NoDB_Init and imports ssl.pemfile / ssl.privkey (PEM, PKCS#8) itself, like the other two.
 */

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, startChild, type CertName, type RunningServer } from '../servers.js';

const execFileP = promisify(execFile);

/** The lighttpd TLS modules, named by the stack each one wraps (AnyStack in servers.ts). */
export type LighttpdStack = 'mbedtls' | 'wolfssl' | 'nss';

export const lighttpdModule: Record<LighttpdStack, string> = {
  mbedtls: 'mod_mbedtls',
  wolfssl: 'mod_wolfssl',
  nss: 'mod_nss',
};

export interface LighttpdServerOptions {
  stack: LighttpdStack;
  cert: CertName;
  /**
   * `ssl.openssl.ssl-conf-cmd` entries in order, e.g. [['MinProtocol', 'TLSv1.2'],
   * ['CipherString', ...], ['Curves', 'secp256r1']]; empty: lighttpd's own TLS defaults.
   */
  sslConfCmd: readonly (readonly [key: string, value: string])[];
}

const LIGHTTPD = '/usr/sbin/lighttpd';
const START_ATTEMPTS = 5;

/** Starts lighttpd with one TLS module on 127.0.0.1; the caller closes it (t.teardown(server.close)). */
export async function startLighttpdServer(opts: LighttpdServerOptions): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), `fipscan-lighttpd-${opts.stack}-`));
  try {
    await mkdir(join(dir, 'docroot'));
    await writeFile(join(dir, 'docroot', 'index.html'), 'fipscan fixture\n');
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const conf = join(dir, 'lighttpd.conf');
      await writeFile(conf, renderConfig(opts, dir, port));
      try {
        const server = await startChild(opts.stack, LIGHTTPD, ['-D', '-f', conf], new RegExp(`fipscan-loopback-bind 127\\.0\\.0\\.1:(${port})$`, 'm'), true);
        return withTempDir(server, dir, opts);
      } catch (err) {
        // Another process may have taken the port between our probe listener and lighttpd's bind.
        if (attempt < START_ATTEMPTS && /Address already in use/.test((err as Error).message)) continue;
        const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
        throw new Error(`${(err as Error).message}\nerror.log:\n${log}`, { cause: err });
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The configuration file: global scope only, so ssl.* applies to the one listener. */
export function renderConfig(opts: LighttpdServerOptions, dir: string, port: number): string {
  const q = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  const lines = [
    `server.modules = (${q(lighttpdModule[opts.stack])})`,
    `server.document-root = ${q(join(dir, 'docroot'))}`,
    `server.upload-dirs = (${q(dir)})`,
    `server.errorlog = ${q(join(dir, 'error.log'))}`,
    `server.bind = "127.0.0.1"`,
    `server.port = ${port}`,
    `ssl.engine = "enable"`,
    `ssl.pemfile = ${q(certPath(opts.cert))}`,
    `ssl.privkey = ${q(certPath(opts.cert, 'key'))}`,
  ];
  if (opts.sslConfCmd.length > 0) {
    lines.push(`ssl.openssl.ssl-conf-cmd = (${opts.sslConfCmd.map(([key, value]) => `${q(key)} => ${q(value)}`).join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The server's output() also shows lighttpd's error log; close() removes the temporary directory. */
function withTempDir(server: RunningServer, dir: string, opts: LighttpdServerOptions): RunningServer {
  const errorLog = join(dir, 'error.log');
  let closing: Promise<void> | undefined;
  return {
    ...server,
    describe: `lighttpd ${lighttpdModule[opts.stack]} ${opts.cert} ssl-conf-cmd ${JSON.stringify(opts.sslConfCmd)} on 127.0.0.1:${server.port}`,
    output: () => {
      let log = '';
      try {
        // Synchronous on purpose: output() is called from failure messages.
        log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-16_384) : '';
      } catch {
        log = '(error.log unreadable)';
      }
      return `${server.output()}${log === '' ? '' : `\nerror.log:\n${log}`}`;
    },
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}

/** A port nothing listens on right now (the kernel's pick for a listener we close at once). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const unavailable = new Map<LighttpdStack, Promise<string | undefined>>();

/**
 * Why lighttpd with this module cannot run here (a tap skip reason), or undefined when it can:
 * `lighttpd -tt` loads the module and the certificate from a test configuration.
 */
export function lighttpdUnavailableReason(stack: LighttpdStack): Promise<string | undefined> {
  let reason = unavailable.get(stack);
  if (reason === undefined) {
    reason = checkModule(stack);
    unavailable.set(stack, reason);
  }
  return reason;
}

async function checkModule(stack: LighttpdStack): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), `fipscan-lighttpd-check-`));
  try {
    await mkdir(join(dir, 'docroot'));
    const conf = join(dir, 'lighttpd.conf');
    await writeFile(conf, renderConfig({ stack, cert: 'rsa2048', sslConfCmd: [] }, dir, 1));
    await execFileP(LIGHTTPD, ['-tt', '-f', conf], { timeout: 10_000 });
    return undefined;
  } catch (err) {
    return `lighttpd with ${lighttpdModule[stack]} is not runnable (Debian packages lighttpd, lighttpd-${lighttpdModule[stack].replace('_', '-')}): ${(err as Error).message}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
