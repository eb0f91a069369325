#!/usr/bin/env node
/**
 * The last step of `npm run build`: the CLI as one file, dist/fipscan.mjs, which is the package's
 * `bin` and the image's entrypoint, and beside it dist/fipscan.v8cache, V8's compiled code for it.
 * esbuild bundles dist/src/cli/main.js (built by tsc) with commander, cli-table3 and p-limit into
 * one CommonJS script, so a start reads one file instead of a hundred-odd modules and the file runs
 * with no node_modules beside it. dist/fipscan.mjs is a small ES module holding that script as a
 * string: it compiles it with the code cache when the cache was made for this very script (Node 20
 * has no module.enableCompileCache), and without it otherwise, so the .mjs alone still runs
 * anywhere (`kubectl cp` of one file). The cache is made here, by one warm-up scan of a loopback
 * port that refuses every hello, so that the scan path's functions are in it too: a one-endpoint
 * `fipscan scan` spends about 35 ms less CPU compiling (bench/startup.ts measures it).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'fipscan.mjs');
const cacheFile = join(root, 'dist', 'fipscan.v8cache');

/** The CLI as one CommonJS script (its hashbang made a comment: it runs inside a function), and the licences of what it bundles. */
async function bundleCli() {
  const result = await esbuild.build({
    entryPoints: [join(root, 'dist', 'src', 'cli', 'main.js')],
    outfile: join(root, 'dist', 'fipscan.cjs'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'external',
    logLevel: 'warning',
  });
  if (result.errors.length > 0) process.exit(1);
  const text = (suffix) => result.outputFiles.find((f) => f.path.endsWith(suffix))?.text ?? '';
  return { code: text('fipscan.cjs').replace(/^#!/, '//'), legal: text('.LEGAL.txt') };
}

/**
 * dist/fipscan.mjs: `code` as a string, compiled with the cache whose 64-character header is the
 * script's SHA-256 (V8 itself only checks its version, its flags and the script's length), run as
 * the CommonJS module it was bundled as. FIPSCAN_WRITE_CODE_CACHE=1 writes the cache at exit,
 * with every function the run compiled.
 */
function launcher(code, legal) {
  const id = createHash('sha256').update(code).digest('hex');
  const licences = legal.trim() === '' ? '' : `\n/*\n${legal.replaceAll('*/', '* /').trim()}\n*/\n`;
  return `#!/usr/bin/env node
// fipscan, bundled by deploy/bundle.mjs: the CLI below is one CommonJS script held as a string and
// compiled with V8's code cache from fipscan.v8cache beside this file when it was made for it.
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const CODE_ID = '${id}';
const self = fileURLToPath(import.meta.url);
const cacheFile = join(dirname(self), 'fipscan.v8cache');

function cachedCode() {
  try {
    const bytes = readFileSync(cacheFile);
    return bytes.subarray(0, CODE_ID.length).toString('latin1') === CODE_ID ? bytes.subarray(CODE_ID.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Compiles the CLI (with the cache when it fits) and runs it as the CommonJS module it was bundled as. */
function run() {
  const script = new Script(Module.wrap(CODE), { filename: self, cachedData: cachedCode() });
  if (process.env.FIPSCAN_WRITE_CODE_CACHE === '1') {
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(CODE_ID, 'latin1'), script.createCachedData()])));
  }
  const cli = { exports: {} };
  script.runInThisContext().call(cli.exports, cli.exports, createRequire(self), cli, self, dirname(self));
}

const CODE = ${JSON.stringify(code)};
run();
${licences}`;
}

/** A loopback port that answers any first bytes with a TLS handshake_failure alert: every hello of a scan is refused. */
function refusingPort() {
  const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(alert));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Runs one scan with the new bundle, which writes dist/fipscan.v8cache as it exits. */
async function writeCodeCache() {
  rmSync(cacheFile, { force: true });
  const server = await refusingPort();
  const env = { ...process.env, FIPSCAN_WRITE_CODE_CACHE: '1' };
  delete env.NODE_OPTIONS;
  // Not spawnSync: it would block the event loop the refusing port answers on.
  const child = spawn(process.execPath, [outfile, 'scan', '-q', '--no-color', '--timeout', '2000', `127.0.0.1:${server.address().port}`], { env, stdio: 'ignore' });
  await new Promise((resolve) => child.once('close', resolve));
  server.close();
  if (!existsSync(cacheFile)) process.stderr.write('bundle: no code cache was written; dist/fipscan.mjs runs without one\n');
}

const { code, legal } = await bundleCli();
writeFileSync(outfile, launcher(code, legal));
chmodSync(outfile, 0o755);
try {
  await writeCodeCache();
} catch (err) {
  process.stderr.write(`bundle: no code cache (${err.message}); dist/fipscan.mjs runs without one\n`);
}
