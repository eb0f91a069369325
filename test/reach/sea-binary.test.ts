/**
 * The single executable (`npm run build:bin`, dist/bin/fipscan) runs where there is no Node and
 * no node_modules: started with an empty environment (no PATH, no NODE_OPTIONS, no HOME) from an
 * empty working directory, it scans a loopback server and exits like the CLI. The binary is
 * built here when missing or built from other sources (~4 s), and reused after.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { TOOL_VERSION } from '../../src/cli/version.js';
import { reportErrors, sidecarServer, strictServer, target, type Report } from '../helpers/cli.js';
import { node24Unavailable } from '../helpers/node24.js';
import { repoRoot } from '../helpers/servers.js';
import { startStarttlsPeer } from '../helpers/starttlsPeers.js';

const execFileP = promisify(execFile);
const binary = join(repoRoot, 'dist', 'bin', 'fipscan');

/** The hash deploy/build-bin.mjs writes to dist/bin/fipscan.sources (tsc rewrites every file, so mtimes say nothing). */
function sourcesHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.js')) hash.update(`${relative(dir, path)}\0`).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function current(): boolean {
  const stamp = `${binary}.sources`;
  return existsSync(binary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourcesHash(join(repoRoot, 'dist', 'src'));
}

async function whyNot(): Promise<string | undefined> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the single executable is built for linux-x64';
  const node24 = node24Unavailable();
  if (node24) return node24;
  for (const name of ['esbuild', 'postject']) {
    try {
      await import(name);
    } catch {
      return `${name} is not installed (a devDependency of the binary build)`;
    }
  }
  return undefined;
}

// CI installs the build tools: there a missing one fails the test instead of skipping it.
const skip = process.env.CI ? false : ((await whyNot()) ?? false);

/** Runs the binary like a container would: env {}, a bare working directory. */
function runBare(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(binary, args, { env: {}, cwd, timeout: 60_000, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr, ms: Date.now() - started });
    });
  });
}

t.test('dist/bin/fipscan runs with an empty environment in an empty directory', { skip, timeout: 180_000 }, async (t) => {
  if (!current()) {
    const started = Date.now();
    await execFileP(process.execPath, [join(repoRoot, 'deploy', 'build-bin.mjs')], { cwd: repoRoot, timeout: 170_000, maxBuffer: 16 * 2 ** 20 });
    t.comment(`built ${binary} in ${Date.now() - started} ms`);
  }
  t.comment(`binary: ${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB`);
  const cwd = mkdtempSync(join(tmpdir(), 'fipscan-bare-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));

  const version = await runBare(['--version'], cwd);
  t.equal(version.code, 0);
  t.equal(version.stdout.trim(), TOOL_VERSION);
  t.comment(`startup (--version): ${version.ms} ms`);

  const strict = await strictServer(t);
  const pass = await runBare(['scan', '--format', 'json', '-q', target(strict)], cwd);
  t.comment(`scan of one loopback endpoint: ${pass.ms} ms`);
  t.equal(pass.stderr, '');
  t.equal(pass.code, 0, 'exit 0: the fips-strict server passes');
  const doc = JSON.parse(pass.stdout) as Report;
  t.same(reportErrors(doc), [], 'the JSON report is schema-valid');
  t.equal(doc.endpoints[0]?.verdict, 'pass');
  t.equal((doc.endpoints[0] as unknown as { negotiated: { protocol: string } }).negotiated.protocol, 'TLSv1.3');
  t.same(readdirSync(cwd), [], 'nothing written to the working directory');

  const sidecar = await sidecarServer(t);
  const fail = await runBare(['scan', '--policy', 'fips-140-3', '-q', '--no-color', target(sidecar)], cwd);
  t.equal(fail.code, 1, 'exit 1: the sidecar fails');
  t.match(fail.stdout, /FAIL/);

  const peer = await startStarttlsPeer('smtp', { tls: { minVersion: 'TLSv1.2' } });
  t.teardown(() => peer.close());
  const smtp = await runBare(['scan', '--starttls', 'smtp', '--format', 'jsonl', '-q', peer.target], cwd);
  t.equal((JSON.parse(smtp.stdout) as { error: unknown }).error, null, 'STARTTLS from the binary');

  const usage = await runBare(['scan', '--bogus'], cwd);
  t.equal(usage.code, 64, 'usage errors exit 64');
});
