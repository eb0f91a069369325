/**
 * Real OpenSSH servers on 127.0.0.1 for the SSH scan tests: Debian's `/usr/sbin/sshd -D -e`, each
 * with its own configuration and its own host keys (ssh-keygen) in a temporary directory, on a
 * free port (picked, then retried if another process takes it first). Nobody can log in: every
 * authentication method is off, because the scan never authenticates. Started through
 * servers.ts's startChild, so the process is killed on close(), on exit and, through the
 * preloaded shim, when the test process dies.
 *
 * What sshd needs: an absolute path (it re-executes itself per connection), its
 * privilege-separation directory /run/sshd, not group- or world-writable (Debian's service unit
 * creates it at boot; in a container nothing does, so it is created here when the tests run as
 * root), and host keys readable only by their owner (ssh-keygen writes them 0600, in a directory
 * mkdtemp makes 0700). It runs as any user once /run/sshd exists (as root it also chroots its
 * pre-authentication child there).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChild, type AnyStack, type RunningServer } from './servers.js';

const execFileP = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';
const PRIVSEP_DIR = '/run/sshd';
const PORT_LINE = /Server listening on 127\.0\.0\.1 port (\d+)\./;
const START_ATTEMPTS = 5;

export type HostKeyType = 'rsa' | 'ecdsa' | 'ed25519' | 'dsa';

export interface SshdConfig {
  name: string;
  /** One line per keyword, as in sshd_config; the listener, host keys and authentication lines are added. */
  lines: readonly string[];
  hostKeys: readonly HostKeyType[];
}

/**
 * RHEL's FIPS crypto policy for OpenSSH: tests/outputs/FIPS-opensshserver.txt of crypto-policies
 * (snapshot 2024-08-10, commit 8cd06df5, identical to the 2026-02-17 snapshot but for the ML-KEM
 * hybrids mlkem768nistp256-sha256 and mlkem1024nistp384-sha384, which OpenSSH 9.2 does not know).
 */
const RHEL_FIPS_LINES = [
  'Ciphers aes256-gcm@openssh.com,aes256-ctr,aes128-gcm@openssh.com,aes128-ctr',
  'MACs hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha1,hmac-sha2-512',
  'KexAlgorithms ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512',
  'HostKeyAlgorithms ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com',
  'RequiredRSASize 2048',
];

/** The four servers of issue 17: a FIPS one, Debian's defaults, FIPS plus ChaCha20, and a legacy one. */
export const SSHD_CONFIGS = {
  rhelFips: { name: 'rhel-fips', lines: RHEL_FIPS_LINES, hostKeys: ['ecdsa', 'rsa'] },
  debianDefaults: { name: 'debian-defaults', lines: [], hostKeys: ['rsa', 'ecdsa', 'ed25519'] },
  fipsChacha20: {
    name: 'fips-chacha20',
    lines: RHEL_FIPS_LINES.map((l) => (l.startsWith('Ciphers ') ? l.replace('Ciphers ', 'Ciphers chacha20-poly1305@openssh.com,') : l)),
    hostKeys: ['ecdsa', 'rsa'],
  },
  legacy: {
    name: 'legacy',
    lines: [
      'Ciphers aes128-cbc,3des-cbc,aes256-ctr',
      'MACs hmac-sha1-96,hmac-md5,hmac-sha2-256',
      'KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,ecdh-sha2-nistp256',
      'HostKeyAlgorithms ssh-rsa,ssh-dss,rsa-sha2-256',
    ],
    hostKeys: ['rsa', 'dsa'],
  },
} as const satisfies Record<string, SshdConfig>;

const KEYGEN_ARGS: Readonly<Record<HostKeyType, string[]>> = {
  rsa: ['-t', 'rsa', '-b', '3072'],
  ecdsa: ['-t', 'ecdsa', '-b', '256'],
  ed25519: ['-t', 'ed25519'],
  dsa: ['-t', 'dsa'],
};

let unavailable: Promise<string | undefined> | undefined;

/** Why sshd cannot run here (a tap skip reason), or undefined. CI needs Debian's openssh-server. */
export function sshdUnavailableReason(): Promise<string | undefined> {
  unavailable ??= (async () => {
    if (!existsSync(SSHD)) return `${SSHD} is missing (Debian package openssh-server)`;
    try {
      if (!existsSync(PRIVSEP_DIR)) mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
    } catch (err) {
      return `sshd needs its privilege-separation directory ${PRIVSEP_DIR}, which only root can create: ${(err as Error).message}`;
    }
    const mode = statSync(PRIVSEP_DIR).mode & 0o777;
    if ((mode & 0o022) !== 0) return `${PRIVSEP_DIR} is group- or world-writable (mode ${mode.toString(8)}): sshd refuses it`;
    try {
      await execFileP('ssh-keygen', ['-?'], { timeout: 10_000 }).catch((err: { code?: unknown }) => {
        if (err.code === 'ENOENT') throw err;
      });
    } catch (err) {
      return `ssh-keygen is not runnable (Debian package openssh-client): ${(err as Error).message}`;
    }
    return undefined;
  })();
  return unavailable;
}

/** A port nothing listens on right now (another process may still take it: startSshd retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function configText(config: SshdConfig, dir: string, port: number): string {
  return [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    ...config.hostKeys.map((k) => `HostKey ${join(dir, `ssh_host_${k}_key`)}`),
    'PidFile none',
    'UsePAM no',
    'UseDNS no',
    'PermitRootLogin no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication no',
    'AuthorizedKeysFile none',
    // The tests open connections in parallel and never finish a login.
    'MaxStartups 100',
    'LoginGraceTime 10',
    ...config.lines,
    '',
  ].join('\n');
}

export interface RunningSshd extends RunningServer {
  config: SshdConfig;
  /** The sshd_config it runs with (for `sshd -T -f`). */
  configFile: string;
}

/** Starts sshd with `config` and fresh host keys on 127.0.0.1; close() stops it and removes its directory. */
export async function startSshd(config: SshdConfig): Promise<RunningSshd> {
  const reason = await sshdUnavailableReason();
  if (reason !== undefined) throw new Error(reason);
  const dir = await mkdtemp(join(tmpdir(), `fipscan-sshd-${config.name}-`));
  try {
    await Promise.all(config.hostKeys.map((k) => execFileP('ssh-keygen', ['-q', ...KEYGEN_ARGS[k], '-N', '', '-C', `fipscan-test-${k}`, '-f', join(dir, `ssh_host_${k}_key`)], { timeout: 60_000 })));
    const server = await listen(config, dir);
    const close = server.close;
    return { ...server, config, configFile: join(dir, 'sshd_config'), close: async () => (await close(), await rm(dir, { recursive: true, force: true })) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function listen(config: SshdConfig, dir: string): Promise<RunningServer> {
  const file = join(dir, 'sshd_config');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    await writeFile(file, configText(config, dir, port), { mode: 0o600 });
    try {
      // 'sshd' is no TLS stack of servers.ts's AnyStack; the field only names the server in messages.
      // FIPSCAN_PARENT_PID is dropped: sshd re-executes itself per connection, and the shim would
      // take the listener for a dead parent; PR_SET_PDEATHSIG still ties every sshd to its parent.
      return await startChild('sshd' as AnyStack, SSHD, ['-D', '-e', '-f', file], PORT_LINE, false, { FIPSCAN_PARENT_PID: undefined } as unknown as Record<string, string>);
    } catch (err) {
      const message = (err as Error).message;
      if (attempt >= START_ATTEMPTS || !/Address already in use/.test(message)) throw err;
    }
  }
}
