/**
 * Go's crypto/tls as a fourth TLS stack for the scan tests: fixtures/go-server/main.go, built
 * once per source hash with the Debian Go toolchain (golang-go) into the temp directory, then
 * started on 127.0.0.1 with the configuration in flags. No network: the program uses only the
 * standard library, GOPROXY is off and modules are disabled.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, repoRoot, type CertName, type RunningServer } from './servers.js';

const execFileP = promisify(execFile);
const source = join(repoRoot, 'fixtures', 'go-server', 'main.go');

export interface GoServerOptions {
  cert: CertName;
  /** Wire versions, e.g. 0x0303. */
  minVersion: number;
  maxVersion: number;
  /** TLS 1.0-1.2 suites (Go does not let TLS 1.3 suites be configured). */
  suites: number[];
  /** Curve preferences, as group codepoints. */
  curves: number[];
}

/** Why Go servers cannot run here, or undefined when they can. */
export async function goUnavailable(): Promise<string | undefined> {
  try {
    await execFileP('go', ['version']);
    return undefined;
  } catch {
    return 'the Go toolchain (Debian golang-go) is not installed';
  }
}

async function binary(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `fipscan-go-server-${hash}`);
  const out = join(dir, 'go-server');
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  await execFileP('go', ['build', '-o', out, source], { env: { ...process.env, GO111MODULE: 'off', GOPROXY: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local' }, cwd: dir });
  return out;
}

const hex = (ids: readonly number[]): string => ids.map((x) => x.toString(16).padStart(4, '0')).join(',');

export type GoServer = Omit<RunningServer, 'stack'> & { stack: 'go' };

export async function startGoServer(o: GoServerOptions): Promise<GoServer> {
  const bin = await binary();
  const args = ['-cert', certPath(o.cert), '-key', certPath(o.cert, 'key'), '-min', hex([o.minVersion]), '-max', hex([o.maxVersion]), '-suites', hex(o.suites), '-curves', hex(o.curves)];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`go server did not start: ${output}`)), 10000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /PORT (\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`go server exited with ${code}: ${output}`));
    });
  });
  // Killed on close(), and on exit should a test forget to close it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let closed: Promise<void> | null = null;
  return {
    host: '127.0.0.1',
    port,
    stack: 'go',
    describe: `go-server ${args.join(' ')}`,
    output: () => output.slice(-16384),
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => {
          process.off('exit', killOnExit);
          resolve();
        });
        child.kill('SIGKILL');
      })),
  };
}
