/**
 * Probe-count and speed benchmark: scans every fixture server shape on every TLS stack (all on
 * 127.0.0.1) and prints, per endpoint, the probes used against the lower bound
 * versions + accepted suites + groups, the probes of the signature-scheme steps (one more scan
 * without them), the milliseconds taken, and overall endpoints per second and peak RSS.
 * Numbers only; nothing here asserts.
 *
 *   npm run bench            (builds first)
 *   node dist/bench/probes.js [rounds]
 */
import { scan } from '../src/index.js';
import type { ScanResult } from '../src/model/scan.js';
import { unavailableReason, type RunningServer, type Stack } from '../test/helpers/servers.js';
import { allStacks, shapes, startShape } from '../test/helpers/shapes.js';

const rounds = Number(process.argv[2] ?? 3);

function lowerBound(r: ScanResult): { versions: number; suites: number; groups: number; offered: number } {
  const versions = r.protocols.length;
  const suites = r.protocols.filter((p) => p.protocol !== 'SSLv2').reduce((n, p) => n + p.suites.length, 0);
  const groups = r.protocols.reduce((n, p) => n + p.groups.length, 0);
  const offered = r.protocols.filter((p) => p.offered === true).length;
  return { versions, suites, groups, offered };
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const rows: string[] = [];
let endpoints = 0;
let totalMs = 0;
let totalProbes = 0;
let worstConstant = 0;
let signatureProbes = 0;
const header = `${'shape'.padEnd(18)} ${'stack'.padEnd(8)} ${'probes'.padStart(6)} ${'V+N+G'.padStart(6)} ${'extra'.padStart(5)} ${'sig'.padStart(4)} ${'P'.padStart(2)} ${'ms p50'.padStart(7)} ${'ms max'.padStart(7)}`;
for (const shape of Object.values(shapes)) {
  for (const stack of allStacks as Stack[]) {
    const why = await unavailableReason(stack);
    if (why) {
      rows.push(`${shape.name.padEnd(18)} ${stack.padEnd(8)} skipped: ${why}`);
      continue;
    }
    let server: RunningServer | null = null;
    try {
      server = await startShape(shape, stack);
      const times: number[] = [];
      let last: ScanResult | null = null;
      for (let i = 0; i < rounds; i++) {
        last = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
        times.push(last.durationMs);
        endpoints++;
        totalMs += last.durationMs;
        totalProbes += last.probes;
      }
      times.sort((a, b) => a - b);
      const withoutSignatures = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000, skipSignatureSchemes: true });
      const sig = last!.probes - withoutSignatures.probes;
      signatureProbes += sig;
      const b = lowerBound(last!);
      const bound = b.versions + b.suites + b.groups;
      worstConstant = Math.max(worstConstant, last!.probes - bound);
      rows.push(
        `${shape.name.padEnd(18)} ${stack.padEnd(8)} ${String(last!.probes).padStart(6)} ${String(bound).padStart(6)} ${String(last!.probes - bound).padStart(5)} ${String(sig).padStart(4)} ${String(b.offered).padStart(2)} ${String(times[Math.floor(times.length / 2)]).padStart(7)} ${String(times[times.length - 1]).padStart(7)}${last!.error ? `  error ${last!.error.code}` : ''}`,
      );
    } catch (err) {
      rows.push(`${shape.name.padEnd(18)} ${stack.padEnd(8)} failed to start: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await server?.close();
    }
  }
}
clearInterval(sampler);
process.stdout.write(`fipscan probe benchmark: ${rounds} scan(s) per endpoint, sequential, loopback\n\n${header}\n${rows.join('\n')}\n\n`);
process.stdout.write(`endpoints scanned:      ${endpoints}\n`);
process.stdout.write(`probes per endpoint:    ${(totalProbes / Math.max(1, endpoints)).toFixed(1)} (mean)\n`);
process.stdout.write(`ms per endpoint:        ${(totalMs / Math.max(1, endpoints)).toFixed(1)} (mean)\n`);
process.stdout.write(`endpoints per second:   ${((endpoints * 1000) / Math.max(1, totalMs)).toFixed(1)} (one at a time)\n`);
process.stdout.write(`largest extra probes:   ${worstConstant} over versions + suites + groups\n`);
process.stdout.write(`signature schemes:      ${(signatureProbes / Math.max(1, endpoints / rounds)).toFixed(1)} probes per endpoint (mean of the TLS 1.2 and 1.3 steps)\n`);
process.stdout.write(`peak RSS:               ${(peakRss / 1048576).toFixed(1)} MiB\n`);
