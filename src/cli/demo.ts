/**
 * `npm run demo`: starts two embedded TLS endpoints on 127.0.0.1 (Node's own tls.createServer)
 * — one configured to the strict FIPS mesh policy, one like a default service-mesh sidecar —
 * scans both with the fips-strict policy and prints the table report. It exits 0 only when the
 * strict endpoint passes and the sidecar fails, so the demo doubles as a smoke test.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { scanEndpoint } from '../index.js';
import { builtinPolicy, evaluate } from '../policy/index.js';
import { renderTable, type RunReport } from '../report/index.js';
import { terminalWidth } from './terminal.js';
import { TOOL_VERSION } from './version.js';

const here = dirname(fileURLToPath(import.meta.url));
const certs = join(here, '..', '..', '..', 'fixtures', 'certs');

function start(name: string, options: tls.TlsOptions): Promise<{ name: string; server: tls.Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = tls.createServer(
      { key: readFileSync(join(certs, 'rsa2048.key')), cert: readFileSync(join(certs, 'rsa2048.pem')), ...options },
      (socket) => socket.end('fipscan demo\n'),
    );
    server.on('tlsClientError', () => {});
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ name, server, port: (server.address() as AddressInfo).port }));
  });
}

async function main(): Promise<number> {
  const endpoints = await Promise.all([
    start('fips-strict endpoint', {
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
      ecdhCurve: 'P-256',
      // Signatures with SHA-256 or stronger only: OpenSSL would also sign with SHA-224 when asked.
      sigalgs: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512',
      honorCipherOrder: true,
    }),
    start('default mesh sidecar', {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.3',
      ciphers:
        'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES128-SHA:AES256-SHA:@SECLEVEL=0:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
      ecdhCurve: 'X25519:P-256',
    }),
  ]);
  const policy = builtinPolicy('fips-strict')!;
  const started = Date.now();
  try {
    const results = await Promise.all(endpoints.map((e) => scanEndpoint({ target: `127.0.0.1:${e.port}`, host: '127.0.0.1', port: e.port })));
    const run: RunReport = {
      tool: { name: 'fipscan', version: TOOL_VERSION },
      policy,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      endpoints: results.map((result) => ({ result, evaluation: evaluate(result, policy) })),
    };
    process.stderr.write(`fipscan demo: ${endpoints.map((e) => `${e.name} on 127.0.0.1:${e.port}`).join(', ')}\n\n`);
    process.stdout.write(renderTable(run, { color: process.stdout.isTTY === true && !process.env.NO_COLOR, width: terminalWidth() }));
    const [strict, mesh] = run.endpoints.map((r) => r.evaluation.verdict);
    const asExpected = strict === 'pass' && mesh === 'fail';
    process.stderr.write(asExpected ? '\ndemo: verdicts as expected (PASS for the strict endpoint, FAIL for the sidecar)\n' : `\ndemo: UNEXPECTED verdicts: strict=${strict}, sidecar=${mesh}\n`);
    return asExpected ? 0 : 1;
  } finally {
    for (const e of endpoints) e.server.close();
  }
}

process.exitCode = await main();
