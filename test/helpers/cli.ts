/**
 * Runs the built `fipscan` command (dist/fipscan.mjs, the package's bin) as a child process, the way a user or
 * a cron job does, so the CLI tests see the real exit code, stdout, stderr and files, and can
 * signal the process mid-scan. Also the plain-TCP targets the CLI tests need besides the TLS
 * servers of servers.ts: a port nothing listens on, and a server that accepts and never answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Test } from 'tap';
import { validate, type Schema } from '../report/jsonSchema.js';
import { shapes } from './shapes.js';
import { repoRoot, startNodeServer, type RunningServer } from './servers.js';

/** The CLI as users run it: the bundle `bin` in package.json names (deploy/bundle.mjs). */
export const fipscanMain = join(repoRoot, 'dist', 'fipscan.mjs');
export const fipscanDemo = join(repoRoot, 'dist', 'src', 'cli', 'demo.js');

export const reportSchema = JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'schema', 'fipscan-v1.schema.json'), 'utf8')) as Schema;

/** The parts of a `fipscan/v1` report the CLI tests look at (the schema checks the rest). */
export interface ReportViolation {
  rule: string;
  protocol: string | null;
  item: string | null;
  message: string;
}
export interface ReportEndpoint {
  target: string;
  host: string;
  port: number;
  verdict: 'pass' | 'fail' | 'error';
  error: { code: string; message: string } | null;
  violations: ReportViolation[];
}
export interface Report {
  schema: string;
  policy: { id: string; version: string; title: string };
  summary: { endpoints: number; pass: number; fail: number; error: number };
  endpoints: ReportEndpoint[];
}

/** Schema errors of a whole `--format json` document (empty when valid). */
export function reportErrors(report: unknown): string[] {
  return validate(reportSchema, report);
}

/** Schema errors of one `--format jsonl` line, judged as #/$defs/endpoint. */
export function endpointErrors(endpoint: unknown): string[] {
  return validate({ $ref: '#/$defs/endpoint' }, endpoint, { root: reportSchema });
}

export interface RunOptions {
  /** Written to stdin, which is then closed; unset: stdin is closed at once. */
  input?: string;
  /** Added to the environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The test fails rather than hangs: the child is killed after this long. Default 30 s. */
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit code, or null when the child died by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** What the child printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once `predicate(stdout)` holds; rejects if the child exits first. */
  waitForStdout(predicate: (stdout: string) => boolean): Promise<void>;
  done: Promise<RunResult>;
}

/**
 * The environment the CLI runs in: the test's own, without what would change fipscan's defaults
 * behind a test's back (FIPSCAN_POLICY feeds --policy; NO_COLOR and FORCE_COLOR colors).
 */
function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['FIPSCAN_POLICY', 'FIPSCAN_DEBUG', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts `node dist/fipscan.mjs ...args` (or another script) and collects its output. */
export function spawnCli(args: readonly string[], options: RunOptions = {}, script = fipscanMain): RunningCli {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cliEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of watchers) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.on('error', () => {});
  child.stdin!.end(options.input ?? '');
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      for (const w of watchers) w();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let exited = false;
  void done.then(() => (exited = true), () => (exited = true));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitForStdout: (predicate) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (predicate(stdout)) {
            watchers.delete(check);
            resolve();
          } else if (exited) {
            watchers.delete(check);
            reject(new Error(`fipscan exited before the expected output; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        watchers.add(check);
        check();
      }),
  };
}

/** Runs `fipscan ...args` to completion. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return spawnCli(args, options).done;
}

/** True when `text` holds an ANSI escape (ESC, 0x1b) anywhere. */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001b');
}

/** A 127.0.0.1 port that was free a moment ago and that nothing listens on now. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SilentServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts every connection and never sends a byte. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref();
  const { port } = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    accepted: () => accepted,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}

/** A Node TLS server configured to the fips-strict policy (shapes.fipsStrictRsa), closed at teardown. */
export async function strictServer(t: Test): Promise<RunningServer> {
  const server = await startNodeServer(shapes.fipsStrictRsa.config.node);
  t.teardown(() => server.close());
  return server;
}

/** A Node TLS server like a permissive sidecar (shapes.meshSidecar: TLS 1.0, CBC, ChaCha20, X25519), closed at teardown. */
export async function sidecarServer(t: Test): Promise<RunningServer> {
  const server = await startNodeServer(shapes.meshSidecar.config.node);
  t.teardown(() => server.close());
  return server;
}

/** A silent TCP server, closed at teardown. */
export async function silentServer(t: Test): Promise<SilentServer> {
  const server = await startSilentServer();
  t.teardown(() => server.close());
  return server;
}

/** `127.0.0.1:port` for a server. */
export function target(server: { port: number }): string {
  return `127.0.0.1:${server.port}`;
}
