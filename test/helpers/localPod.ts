/**
 * A pod in miniature for `scan --inspect-local`: run inside a fresh network namespace
 * (`unshare -n node localPod.js ...`), it brings loopback up, starts the workloads a scenario
 * names, runs `fipscan scan --inspect-local` with the given options, and prints one JSON line:
 * the CLI's exit status, stdout and stderr, and the pid of each workload. Nothing else listens
 * in the namespace, so every listener fipscan finds is one of these.
 *
 * Usage: localPod.js <scenario> <go-boring binary> -- <fipscan scan options...>
 * Scenarios: `mixed` (Go BoringCrypto server restricted to P-256, a Node server with default
 * TLS settings plus an HTTP port, an HTTP-only Node server), `fips` (the Go server and the
 * HTTP-only server), `empty` (nothing listens).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fipscanMain } from './cli.js';
import { certPath } from './servers.js';

const [scenario, goBoring, separator, ...options] = process.argv.slice(2);
if (!scenario || !goBoring || separator !== '--') throw new Error('usage: localPod.js <mixed|fips|empty> <go-boring> -- <scan options...>');

const NODE_TLS_AND_HTTP = `
const fs = require('node:fs');
const tls = require('node:tls').createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) });
const http = require('node:http').createServer((q, r) => r.end('ok'));
tls.listen(0, '::', () => http.listen(0, '127.0.0.1', () => console.log('ready')));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;
const NODE_HTTP_ONLY = `
require('node:http').createServer((q, r) => r.end('ok')).listen(0, '0.0.0.0', () => console.log('ready'));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

const children: ChildProcess[] = [];

/** Starts a workload and waits for its first line (an address or `ready`). */
async function start(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => [null])])) as [string | null];
  if (line === null) throw new Error(`${command} exited before it was ready`);
  return child.pid!;
}

execFileSync('ip', ['link', 'set', 'lo', 'up']);
const pids: Record<string, number> = {};
try {
  const cert = certPath('ecdsa-p256', 'chain');
  const key = certPath('ecdsa-p256', 'key');
  if (scenario !== 'empty') pids.go = await start(goBoring, [cert, key, 'p256']);
  if (scenario === 'mixed') pids.nodeTls = await start(process.execPath, ['-e', NODE_TLS_AND_HTTP, cert, key]);
  if (scenario !== 'empty') pids.http = await start(process.execPath, ['-e', NODE_HTTP_ONLY]);
  const cli = spawnSync(process.execPath, [fipscanMain, 'scan', '--inspect-local', ...options], { encoding: 'utf8', timeout: 60000, maxBuffer: 64 << 20 });
  process.stdout.write(`${JSON.stringify({ status: cli.status, stdout: cli.stdout, stderr: cli.stderr, pids })}\n`);
} finally {
  for (const child of children) child.kill();
}
