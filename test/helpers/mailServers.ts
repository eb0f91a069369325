/**
 * Real mail servers from Debian's packages on 127.0.0.1 for the STARTTLS tests: Exim
 * (`exim4-daemon-light`, TLS by GnuTLS) speaking SMTP, and Dovecot (`dovecot-imapd`,
 * `dovecot-pop3d`, TLS by OpenSSL) speaking IMAP and POP3. Each runs in the foreground from a
 * throwaway directory with a configuration written here (the fixture certificate, the TLS
 * settings a test asks for, listeners on 127.0.0.1 only, ports found free just before), and is
 * stopped by close() or when the test process exits. Neither needs the system's own instance:
 * the packages' services are never started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, freePorts } from './postgres.js';
import { certPath, type CertName } from './servers.js';

export interface RunningMailServer {
  /** Listening ports by protocol: smtp for Exim, imap and pop3 for Dovecot. */
  ports: Record<string, number>;
  output(): string;
  close(): Promise<void>;
}

const EXIM = '/usr/sbin/exim4';
const DOVECOT = '/usr/sbin/dovecot';

/** Why the server cannot run here (a tap skip reason), or undefined. */
export function mailServerUnavailable(which: 'exim' | 'dovecot'): string | undefined {
  if (which === 'exim' && !existsSync(EXIM)) return 'Exim is not installed (apt-get install exim4-daemon-light)';
  if (which === 'dovecot' && !existsSync(DOVECOT)) return 'Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d)';
  if (process.getuid?.() !== 0) return `${which} is started as root here (it switches to its own users)`;
  return undefined;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The uid and gid of a system user, or null when there is none. */
function systemUser(name: string): { uid: number; gid: number } | null {
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
  return entry ? { uid: Number(entry[2]), gid: Number(entry[3]) } : null;
}

/** Runs `command` until close(), once every port accepts connections. */
async function run(name: string, command: string, args: string[], dir: string, ports: Record<string, number>, logFile: string): Promise<RunningMailServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/bin', LANG: 'C' } });
  let log = '';
  const append = (chunk: string): void => {
    log = (log + chunk).slice(-16_384);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (gone = true));
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const output = (): string => `${log}${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-16_384) : ''}`;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      process.off('exit', onExit);
      if (!gone) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    })());
  const deadline = Date.now() + 15_000;
  for (const port of Object.values(ports)) {
    while (!(await accepts(port))) {
      if (gone || Date.now() > deadline) {
        const why = output();
        await close();
        throw new Error(`${name} did not start: ${why}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { ports, output, close };
}

export interface EximOptions {
  cert?: CertName;
  /** GnuTLS priority string (Exim's tls_require_ciphers with GnuTLS). */
  priority: string;
}

/** Exim with STARTTLS advertised to every client, on 127.0.0.1 and a free port. */
export async function startExim(o: EximOptions): Promise<RunningMailServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-exim-'));
  chmodSync(dir, 0o755);
  const cert = o.cert ?? 'rsa2048';
  copyFileSync(certPath(cert), join(dir, 'cert.pem'));
  copyFileSync(certPath(cert, 'key'), join(dir, 'key.pem'));
  mkdirSync(join(dir, 'spool'));
  mkdirSync(join(dir, 'log'));
  const exim = systemUser('Debian-exim');
  if (exim) for (const path of ['spool', 'log', 'cert.pem', 'key.pem']) chownSync(join(dir, path), exim.uid, exim.gid);
  const port = await freePort();
  const config = [
    `spool_directory = ${dir}/spool`,
    `log_file_path = ${dir}/log/%slog`,
    'primary_hostname = localhost',
    'keep_environment =',
    `daemon_smtp_ports = ${port}`,
    'local_interfaces = 127.0.0.1',
    'tls_advertise_hosts = *',
    // Exim counts a connection until its child exits: a scan's short connections can outpace
    // that, and the default of 20 turns them away with 421 in the middle of a sweep.
    'smtp_accept_max = 100',
    `tls_certificate = ${dir}/cert.pem`,
    `tls_privatekey = ${dir}/key.pem`,
    `tls_require_ciphers = ${o.priority}`,
    'acl_smtp_rcpt = acl_check_rcpt',
    'begin acl',
    'acl_check_rcpt:',
    '  deny',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'exim.conf'), config, { mode: 0o644 });
  return run('Exim', EXIM, ['-bdf', '-C', join(dir, 'exim.conf')], dir, { smtp: port }, join(dir, 'log', 'mainlog'));
}

export interface DovecotOptions {
  cert?: CertName;
  /** dovecot.conf ssl_* settings: ssl_min_protocol, ssl_cipher_list, ssl_curve_list, ... */
  settings: Record<string, string>;
}

/** Dovecot with IMAP and POP3 (STARTTLS, no implicit-TLS ports) on 127.0.0.1 and free ports. */
export async function startDovecot(o: DovecotOptions): Promise<RunningMailServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-dovecot-'));
  chmodSync(dir, 0o755);
  const cert = o.cert ?? 'rsa2048';
  const [imap, pop3] = (await freePorts(2)) as [number, number];
  const config = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap pop3',
    'listen = 127.0.0.1',
    'ssl = yes',
    `ssl_cert = <${certPath(cert)}`,
    `ssl_key = <${certPath(cert, 'key')}`,
    ...Object.entries(o.settings).map(([k, v]) => `${k} = ${v}`),
    'disable_plaintext_auth = yes',
    'passdb {\n  driver = static\n  args = nopassword=y\n}',
    `userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=${dir}/home\n}`,
    `service imap-login {\n  inet_listener imap {\n    port = ${imap}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
    `service pop3-login {\n  inet_listener pop3 {\n    port = ${pop3}\n  }\n  inet_listener pop3s {\n    port = 0\n  }\n}`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), config, { mode: 0o644 });
  return run('Dovecot', DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], dir, { imap, pop3 }, join(dir, 'dovecot.log'));
}
