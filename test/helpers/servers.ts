/**
 * Real TLS servers on 127.0.0.1 for the scan tests: Node's own `tls.createServer`, OpenSSL's
 * `openssl s_server` and GnuTLS's `gnutls-serv`, each on an ephemeral port, each serving any
 * number of sequential and concurrent handshakes until `close()`. Three stacks because the scanner
 * must read what each real implementation answers (alerts, group choice, DH parameters differ), and
 * only a running server can tell the truth about them. Every child process is tracked and killed
 * on `close()` or process exit, and is started with a preloaded shim (loopback-bind.c) that makes
 * the kernel kill it when the test process dies any other way; nothing ever listens beyond
 * loopback.
 */

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** Leaf certificates in fixtures/certs, all issued by the test CA (`ca`). */
export type CertName = 'rsa2048' | 'rsa3072' | 'rsa1024' | 'ecdsa-p256' | 'ecdsa-p384' | 'client';
/**
 * DH parameter files in fixtures/certs: random safe primes (deliberately not RFC 7919 primes),
 * a 2048-bit DSA-style prime that is not safe, and the RFC 7919 ffdhe2048 group.
 */
export type DhParamName = 'dh1024' | 'dh2048' | 'dh2048-dsa' | 'ffdhe2048';
export type Stack = 'node' | 'openssl' | 'gnutls';
/** Every TLS stack a fixture server can run on: the three above and the other stacks' helpers (test/helpers/stacks/). */
export type AnyStack = Stack | 'jsse' | 'mbedtls' | 'wolfssl' | 'nss' | 'botan' | 'erlang';
export type TlsVersionName = 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface RunningServer {
  host: '127.0.0.1';
  port: number;
  stack: AnyStack;
  /** The configuration in one line (the command line for the CLI servers), for test messages. */
  describe: string;
  /** What the server printed lately (stdout and stderr, last 16 KiB), for failure diagnostics. */
  output(): string;
  /** Stops the server and resolves once the process (or listener) is really gone. Idempotent. */
  close(): Promise<void>;
}

/** The repository root, found by walking up to fipscan's package.json (works from src and dist). */
export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fipscan') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no fipscan package.json above ${start}`);
  }
}

export const certsDir = join(repoRoot, 'fixtures', 'certs');

/**
 * Path of a fixture file: `cert` the leaf alone, `chain` leaf + CA, `key` the PKCS#8 key.
 * `certPath('ca')` is the CA certificate that clients should trust.
 */
export function certPath(name: CertName | 'ca', part: 'cert' | 'key' | 'chain' = 'cert'): string {
  if (name === 'ca' && part === 'chain') return join(certsDir, 'ca.pem');
  return join(certsDir, `${name}${part === 'key' ? '.key' : part === 'chain' ? '-chain.pem' : '.pem'}`);
}

export function dhParamPath(name: DhParamName): string {
  return join(certsDir, `${name}.pem`);
}

// ---------------------------------------------------------------------------------------------
// Node

export type NodeServerOptions = Omit<tls.TlsOptions, 'cert' | 'key' | 'dhparam'> & {
  cert: CertName | CertName[];
  /** Send leaf + CA instead of the leaf alone. */
  sendChain?: boolean;
  /** A fixture DH parameter file, or 'auto' for OpenSSL's RFC 7919 choice; unset: no DHE. */
  dhparam?: DhParamName | 'auto';
  /** Shorthand for requestCert + rejectUnauthorized + the test CA. */
  requireClientCert?: boolean;
};

/** Starts `tls.createServer` on 127.0.0.1:0; the options are Node's own, with fixture names for files. */
export async function startNodeServer(opts: NodeServerOptions): Promise<RunningServer> {
  const { cert, sendChain, dhparam, requireClientCert, ...rest } = opts;
  const names = Array.isArray(cert) ? cert : [cert];
  const options: tls.TlsOptions = {
    ...rest,
    cert: await Promise.all(names.map((n) => readFile(certPath(n, sendChain === true ? 'chain' : 'cert')))),
    key: await Promise.all(names.map((n) => readFile(certPath(n, 'key')))),
  };
  if (dhparam !== undefined) options.dhparam = dhparam === 'auto' ? 'auto' : await readFile(dhParamPath(dhparam));
  if (requireClientCert === true) {
    options.requestCert = true;
    options.rejectUnauthorized = true;
    options.ca = await readFile(certPath('ca'));
  }

  const log = new OutputTail();
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(options, (socket) => {
    // Like the CLI servers: hold the connection until the client leaves, never write application data.
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('end', () => socket.end());
  });
  server.on('connection', (raw: net.Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
  });
  // A failed handshake is the expected answer to most probes, not a server fault: only log it.
  server.on('tlsClientError', (err) => log.push(`tlsClientError: ${err.message}\n`));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const address = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port: address.port,
    stack: 'node',
    describe: `node tls.createServer ${describeNodeOptions(opts)} on 127.0.0.1:${address.port}`,
    output: () => log.text(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}

function describeNodeOptions(opts: NodeServerOptions): string {
  return JSON.stringify(opts, (_key, value: unknown) => (Buffer.isBuffer(value) ? '<buffer>' : value));
}

// ---------------------------------------------------------------------------------------------
// OpenSSL

export interface OpenSSLServerOptions {
  /** One certificate, or two (the second is loaded with -dcert, e.g. RSA + ECDSA). */
  cert: CertName | CertName[];
  sendChain?: boolean;
  /** Exactly the versions to enable; holes are allowed (-no_tls1_1 ...). */
  protocols: TlsVersionName[];
  /** TLS <= 1.2 cipher list in OpenSSL syntax, without @SECLEVEL (see `securityLevel`). */
  cipher?: string;
  /** TLS 1.3 suites, `-ciphersuites` syntax (TLS_AES_128_GCM_SHA256:...). */
  ciphersuites?: string;
  /** `-groups` list (X25519:P-256:ffdhe2048 ...); unset: OpenSSL's default list. */
  groups?: string;
  serverPreference?: boolean;
  /** Require a client certificate issued by the test CA (-Verify 1). */
  requireClientCert?: boolean;
  /** DH parameters for DHE suites; unset: OpenSSL's automatic ones, sized like the RSA key (2048, 3072). */
  dhparam?: DhParamName;
  /**
   * Appended as @SECLEVEL to the cipher string. Default 1, OpenSSL's compiled-in default, pinned
   * because distributions change it (Ubuntu builds with 2). Level 1 still takes RSA and DH of 1024
   * bits; TLS 1.0/1.1 need 0 (their MD5/SHA-1 signatures). At 2, s_server refuses to even load
   * rsa1024 ("ee key too small") and the start fails with that message.
   */
  securityLevel?: number;
  extraArgs?: string[];
}

const opensslFlag: Record<TlsVersionName, string> = {
  'TLSv1.0': 'tls1',
  'TLSv1.1': 'tls1_1',
  'TLSv1.2': 'tls1_2',
  'TLSv1.3': 'tls1_3',
};
const allVersions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Starts `openssl s_server -www` on 127.0.0.1 with an ephemeral port read from its ACCEPT line. */
export async function startOpenSSLServer(opts: OpenSSLServerOptions): Promise<RunningServer> {
  const names = Array.isArray(opts.cert) ? opts.cert : [opts.cert];
  const [first, second, ...more] = names;
  if (first === undefined || more.length > 0) throw new Error('openssl s_server takes one or two certificates');
  if (opts.protocols.length === 0) throw new Error('openssl s_server needs at least one protocol version');

  // -www answers an HTTP GET and otherwise holds the connection until the client leaves; unlike the
  // plain mode it never reads stdin. It serves connections one at a time (later ones wait in the
  // listen backlog) until killed. -quiet would also hide the ACCEPT line that carries the port.
  const args = ['s_server', '-accept', '127.0.0.1:0', '-www'];
  args.push('-cert', certPath(first), '-key', certPath(first, 'key'));
  if (opts.sendChain === true) args.push('-cert_chain', certPath('ca'));
  if (second !== undefined) {
    args.push('-dcert', certPath(second), '-dkey', certPath(second, 'key'));
    if (opts.sendChain === true) args.push('-dcert_chain', certPath('ca'));
  }
  for (const version of allVersions) {
    if (!opts.protocols.includes(version)) args.push(`-no_${opensslFlag[version]}`);
  }
  args.push('-cipher', `${opts.cipher ?? 'DEFAULT'}:@SECLEVEL=${opts.securityLevel ?? 1}`);
  if (opts.ciphersuites !== undefined) args.push('-ciphersuites', opts.ciphersuites);
  if (opts.groups !== undefined) args.push('-groups', opts.groups);
  if (opts.serverPreference === true) args.push('-serverpref');
  if (opts.requireClientCert === true) args.push('-Verify', '1', '-verify_return_error', '-CAfile', certPath('ca'));
  if (opts.dhparam !== undefined) args.push('-dhparam', dhParamPath(opts.dhparam));
  args.push(...(opts.extraArgs ?? []));

  return startChild('openssl', 'openssl', args, /^ACCEPT 127\.0\.0\.1:(\d+)$/m, false);
}

// ---------------------------------------------------------------------------------------------
// GnuTLS

export interface GnuTLSServerOptions {
  /** One or more certificates; gnutls-serv picks per handshake among them. */
  cert: CertName | CertName[];
  sendChain?: boolean;
  /**
   * A GnuTLS priority string. Everything (versions, suites, groups, order) is decided here, e.g.
   * `NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+ECDHE-RSA:+SIGN-ALL:+GROUP-SECP256R1:+COMP-NULL`,
   * with `%SERVER_PRECEDENCE` for the server's order (see shapes.ts for verified examples).
   */
  priority: string;
  requireClientCert?: boolean;
  /** DH parameters for DHE suites (TLS <= 1.2) when the client lists no ffdhe group (see shapes.ts). */
  dhparams?: DhParamName;
  extraArgs?: string[];
}

/** Starts `gnutls-serv --http` pinned to 127.0.0.1 by the loopback-bind shim (it has no bind option). */
export async function startGnuTLSServer(opts: GnuTLSServerOptions): Promise<RunningServer> {
  const names = Array.isArray(opts.cert) ? opts.cert : [opts.cert];
  if (names.length === 0) throw new Error('gnutls-serv needs a certificate');
  const args = ['--port', '0', '--http', '--quiet', '--priority', opts.priority];
  for (const name of names) {
    args.push('--x509certfile', certPath(name, opts.sendChain === true ? 'chain' : 'cert'));
    args.push('--x509keyfile', certPath(name, 'key'));
  }
  // gnutls-serv asks every client for a certificate unless told not to, which would show up in the
  // scan as "client certificate requested" on servers that are not meant to be mTLS.
  if (opts.requireClientCert === true) {
    args.push('--require-client-cert', '--verify-client-cert', '--x509cafile', certPath('ca'));
  } else {
    args.push('--disable-client-cert');
  }
  if (opts.dhparams !== undefined) args.push('--dhparams', dhParamPath(opts.dhparams));
  args.push(...(opts.extraArgs ?? []));

  return startChild('gnutls', 'gnutls-serv', args, /fipscan-loopback-bind 127\.0\.0\.1:(\d+)$/m, true);
}

// ---------------------------------------------------------------------------------------------
// Availability

const unavailable = new Map<Stack, Promise<string | undefined>>();

/**
 * Why a stack cannot run here (a tap `skip` reason), or undefined when it can. Node always can;
 * the CLI servers need their binary, and gnutls-serv also the compiled loopback shim.
 */
export function unavailableReason(stack: Stack): Promise<string | undefined> {
  let reason = unavailable.get(stack);
  if (reason === undefined) {
    reason = checkStack(stack);
    unavailable.set(stack, reason);
  }
  return reason;
}

async function checkStack(stack: Stack): Promise<string | undefined> {
  if (stack === 'node') return undefined;
  const [command, args] = stack === 'openssl' ? ['openssl', ['version']] : ['gnutls-serv', ['--version']];
  try {
    await execFileP(command, args, { timeout: 10_000 });
  } catch (err) {
    return `${command} is not runnable: ${(err as Error).message}`;
  }
  if (stack === 'gnutls') {
    try {
      await loopbackShim();
    } catch (err) {
      return (err as Error).message;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Child processes

let shimPath: Promise<string> | undefined;

/**
 * Compiles test/helpers/loopback-bind.c once per machine (cached in the temp directory by content
 * hash, renamed into place so parallel test processes never load a half-written file).
 */
export function loopbackShim(): Promise<string> {
  shimPath ??= (async () => {
    const source = join(repoRoot, 'test', 'helpers', 'loopback-bind.c');
    const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
    const target = join(tmpdir(), `fipscan-loopback-bind-${hash}.so`);
    if (existsSync(target)) return target;
    const partial = `${target}.${process.pid}.tmp`;
    const cc = process.env.CC ?? 'cc';
    try {
      await execFileP(cc, ['-shared', '-fPIC', '-O2', '-o', partial, source, '-ldl'], { timeout: 60_000 });
    } catch (err) {
      throw new Error(`cannot compile ${source} with ${cc} (needed to keep gnutls-serv on loopback): ${(err as Error).message}`, { cause: err });
    }
    renameSync(partial, target);
    return target;
  })();
  return shimPath;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Kills what is left when the process exits normally. Death by signal is covered by the shim's
 * PR_SET_PDEATHSIG instead of signal listeners: a listener of ours would stop tap's signal-exit
 * from re-raising the signal, and the test process would outlive its own timeout.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** Keeps the last bytes a child printed; the pipes must be drained or the child would block. */
class OutputTail {
  #text = '';
  push(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-16_384);
  }
  text(): string {
    return this.#text;
  }
}

const READY_TIMEOUT_MS = 10_000;

/**
 * Starts a server process and waits until it accepts TCP connections on the port `portLine`
 * captures from its output. With the shim preloaded (`shimRequired`, or whenever it compiles) the
 * process dies with the test process, and its IPv4 binds are moved to 127.0.0.1. `env` is added
 * to the environment (OPENSSL_CONF and the GnuTLS priority file are pinned to /dev/null).
 */
export async function startChild(
  stack: AnyStack,
  command: string,
  args: string[],
  portLine: RegExp,
  shimRequired: boolean,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  let preload: string | undefined;
  try {
    preload = await loopbackShim();
  } catch (err) {
    if (shimRequired) throw err;
  }
  installExitHook();
  const describe = [command, ...args].map(shellQuote).join(' ');
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...(preload !== undefined ? { LD_PRELOAD: preload, FIPSCAN_PARENT_PID: String(process.pid) } : {}),
      // The servers must do what the arguments say, not what this machine's policy files add
      // (Debian/Ubuntu openssl.cnf and /etc/gnutls/config can raise minimum versions or levels).
      OPENSSL_CONF: '/dev/null',
      GNUTLS_SYSTEM_PRIORITY_FILE: '/dev/null',
      ...env,
    },
  });
  children.add(child);
  const log = new OutputTail();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  // A test that forgets close() must not hang its process: the exit hook reaps the server.
  child.unref();
  (child.stdout as net.Socket).unref();
  (child.stderr as net.Socket).unref();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      children.delete(child);
      resolve();
    });
    child.once('error', (err) => {
      log.push(`spawn error: ${err.message}\n`);
      children.delete(child);
      resolve();
    });
  });
  let exitedYet = false;
  void exited.then(() => (exitedYet = true));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      if (exitedYet) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(killer);
    })());

  try {
    const port = await waitForPort(log, portLine, () => exitedYet);
    await waitForTcp(port, () => exitedYet);
    return { host: '127.0.0.1', port, stack, describe, output: () => log.text(), close };
  } catch (err) {
    await close();
    throw new Error(`${stack} server did not start: ${(err as Error).message}\n$ ${describe}\n${log.text()}`, { cause: err });
  }
}

async function waitForPort(log: OutputTail, portLine: RegExp, exited: () => boolean): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const match = portLine.exec(log.text());
    if (match?.[1] !== undefined) return Number(match[1]);
    if (exited()) throw new Error('it exited before reporting its port');
    if (Date.now() > deadline) throw new Error(`no port reported within ${READY_TIMEOUT_MS} ms`);
    await delay(10);
  }
}

/** The port line can precede listen(); only a completed TCP connect proves the server is ready. */
async function waitForTcp(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (connected) return;
    if (exited()) throw new Error('it exited before accepting connections');
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} refused connections for ${READY_TIMEOUT_MS} ms`);
    await delay(20);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
