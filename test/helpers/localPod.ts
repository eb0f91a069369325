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
 * HTTP-only server), `empty` (nothing listens), `mail` (a Node SMTP server with one port that
 * offers STARTTLS and one that does not).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fipscanMain } from './cli.js';
import { certPath } from './servers.js';

const [scenario, goBoring, separator, ...options] = process.argv.slice(2);
if (!scenario || !goBoring || separator !== '--') throw new Error('usage: localPod.js <mixed|fips|empty|mail> <go-boring> -- <scan options...>');

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

/**
 * One process, two SMTP ports: one offers STARTTLS (Node's TLS behind it, default settings), one
 * does not. Prints `ready` once both listen.
 */
const NODE_SMTP = `
const fs = require('node:fs'), net = require('node:net'), tls = require('node:tls');
const secureContext = tls.createSecureContext({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) });
const smtp = (starttls) => net.createServer((s) => {
  s.on('error', () => {});
  s.write('220 mail.test ESMTP\\r\\n');
  let buf = '';
  const onData = (d) => {
    buf += d.toString('latin1');
    for (let i; (i = buf.indexOf('\\r\\n')) >= 0; ) {
      const verb = buf.slice(0, i).split(' ')[0].toUpperCase();
      buf = buf.slice(i + 2);
      if (verb === 'EHLO') s.write('250-mail.test\\r\\n' + (starttls ? '250-STARTTLS\\r\\n' : '') + '250 8BITMIME\\r\\n');
      else if (verb === 'STARTTLS' && starttls) {
        s.off('data', onData);
        s.write('220 2.0.0 Ready to start TLS\\r\\n');
        new tls.TLSSocket(s, { isServer: true, secureContext }).on('error', () => {});
        return;
      } else if (verb === 'QUIT') return void s.end('221 bye\\r\\n');
      else s.write('502 5.5.1 not here\\r\\n');
    }
  };
  s.on('data', onData);
});
smtp(true).listen(0, '127.0.0.1', () => smtp(false).listen(0, '127.0.0.1', () => console.log('ready')));
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
  if (scenario !== 'empty' && scenario !== 'mail') pids.go = await start(goBoring, [cert, key, 'p256']);
  if (scenario === 'mixed') pids.nodeTls = await start(process.execPath, ['-e', NODE_TLS_AND_HTTP, cert, key]);
  if (scenario === 'mail') pids.smtp = await start(process.execPath, ['-e', NODE_SMTP, cert, key]);
  else if (scenario !== 'empty') pids.http = await start(process.execPath, ['-e', NODE_HTTP_ONLY]);
  const cli = spawnSync(process.execPath, [fipscanMain, 'scan', '--inspect-local', ...options], { encoding: 'utf8', timeout: 60000, maxBuffer: 64 << 20 });
  process.stdout.write(`${JSON.stringify({ status: cli.status, stdout: cli.stdout, stderr: cli.stderr, pids })}\n`);
} finally {
  for (const child of children) child.kill();
}
