/**
 * A real PostgreSQL server (Debian's `postgresql` package) on 127.0.0.1 for the STARTTLS tests:
 * `postgres` run in the foreground on a throwaway copy of a data directory, with ssl=on and the
 * fixture certificate, killed on close() (and by the loopback shim's PR_SET_PDEATHSIG if the test
 * dies). initdb runs once per machine and PostgreSQL version: its result is cached in the temp
 * directory and copied for each server, so a start costs a copy and a postmaster boot (~0.3 s).
 * PostgreSQL refuses to run as root; under root the server runs as the `postgres` user (or
 * `nobody`), which then owns the copies.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, loopbackShim, type CertName } from './servers.js';

const execFileP = promisify(execFile);

export interface PostgresOptions {
  cert?: CertName;
  /** postgresql.conf settings (ssl_ciphers, ssl_min_protocol_version, ssl_ecdh_curve, ...). */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  host: '127.0.0.1';
  port: number;
  version: string;
  output(): string;
  close(): Promise<void>;
}

interface Install {
  bin: string;
  version: string;
}

/** The newest PostgreSQL under /usr/lib/postgresql, or null. */
function findInstall(): Install | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const version = versions[0];
  return version === undefined ? null : { bin: join(root, version, 'bin'), version };
}

/** The user PostgreSQL runs as: ourselves, or (as root) `postgres` or `nobody` from /etc/passwd. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = passwd.find((f) => f[0] === name);
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL');
}

/** Why PostgreSQL cannot run here (a tap skip reason), or undefined. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const install = findInstall();
  if (!install) return 'PostgreSQL is not installed (apt-get install postgresql)';
  try {
    runAs();
    await execFileP(join(install.bin, 'postgres'), ['--version'], { timeout: 10_000 });
  } catch (err) {
    return `PostgreSQL is not runnable: ${(err as Error).message}`;
  }
  return undefined;
}

function own(path: string, user: { uid: number; gid: number } | null, mode: number): void {
  if (user) chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
}

/** The cached initdb result for this version and user, made on first use. */
async function template(install: Install, user: { uid: number; gid: number } | null): Promise<{ base: string; dir: string }> {
  const base = join(tmpdir(), `fipscan-postgres-${install.version}-${user?.uid ?? process.getuid?.() ?? 0}`);
  const dir = join(base, 'template');
  if (!existsSync(base)) mkdirSync(base, { recursive: true });
  own(base, user, 0o700);
  if (existsSync(join(dir, 'PG_VERSION'))) return { base, dir };
  const partial = join(base, `template.${process.pid}.tmp`);
  rmSync(partial, { recursive: true, force: true });
  await execFileP(join(install.bin, 'initdb'), ['-D', partial, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'], {
    timeout: 60_000,
    ...(user ?? {}),
  });
  // Another test process may have won the race; either template is as good.
  if (existsSync(join(dir, 'PG_VERSION'))) rmSync(partial, { recursive: true, force: true });
  else renameSync(partial, dir);
  return { base, dir };
}

/** A port on 127.0.0.1 that was free a moment ago, for servers that must be told their port. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * `n` distinct ports on 127.0.0.1 that were free a moment ago. All are held until every one is
 * known: ports asked for one after another can come back equal, the kernel reusing the one just
 * closed (Dovecot then refused its config: "duplicate listener").
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Starts PostgreSQL with ssl=on on 127.0.0.1 and an ephemeral port. */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const install = findInstall();
  if (!install) throw new Error('PostgreSQL is not installed');
  const user = runAs();
  const { base, dir } = await template(install, user);
  const data = mkdtempSync(join(base, 'run-'));
  await execFileP('cp', ['-a', `${dir}/.`, data], { timeout: 30_000 });
  own(data, user, 0o700);
  const cert = options.cert ?? 'rsa2048';
  copyFileSync(certPath(cert), join(data, 'server.crt'));
  copyFileSync(certPath(cert, 'key'), join(data, 'server.key'));
  own(join(data, 'server.crt'), user, 0o600);
  own(join(data, 'server.key'), user, 0o600);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: data,
    ssl: 'on',
    ssl_cert_file: join(data, 'server.crt'),
    ssl_key_file: join(data, 'server.key'),
    fsync: 'off',
    max_connections: '40',
    logging_collector: 'off',
    ...options.settings,
  };
  let preload: string | undefined;
  try {
    preload = await loopbackShim();
  } catch {
    // Without a C compiler the server still runs; close() and the exit hook stop it.
  }
  const child = spawn(join(install.bin, 'postgres'), ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', ...(preload ? { LD_PRELOAD: preload, FIPSCAN_PARENT_PID: String(process.pid) } : {}) },
    ...(user ?? {}),
  });
  let log = '';
  const append = (chunk: string): void => {
    log = (log + chunk).slice(-16_384);
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.off('exit', onExit);
      if (!gone) {
        child.kill('SIGINT'); // fast shutdown
        const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(data, { recursive: true, force: true });
    })());
  const deadline = Date.now() + 15_000;
  while (!/database system is ready to accept connections/.test(log)) {
    if (gone || Date.now() > deadline) {
      await close();
      throw new Error(`PostgreSQL ${install.version} did not start${gone ? ' (exited)' : ' within 15 s'}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { host: '127.0.0.1', port, version: install.version, output: () => log, close };
}
