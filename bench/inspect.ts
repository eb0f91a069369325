/**
 * How fast `fipscan inspect` reads binaries, and how fast it refuses hostile ones: the timings
 * the inspect tests used to assert (test/inspect/openssl-binaries.test.ts, elf-hostile.test.ts)
 * printed instead. Node's own executable inspected whole (its time and the RSS it added), then
 * hostile ELF files refused: Node cut in half, and a small file whose headers claim 65,534
 * sections or 2^40 with extended numbering. Numbers only; nothing here asserts.
 *
 *   npm run bench:inspect         (builds first)
 *   node dist/bench/inspect.js [rounds=5]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { analyzeBinary } from '../src/inspect/analyze.js';
import { inspectBinary } from '../src/inspect/binary.js';
import { bytesSource } from '../src/inspect/elf.js';
import { buildElf, headerField, patch, sectionField } from '../test/inspect/elfBuilder.js';

const rounds = Number(process.argv[2] ?? 5);

/** Median and slowest of `rounds` runs of `fn`, in milliseconds. */
function time(fn: () => void): { median: number; max: number } {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, max: ms[ms.length - 1]! };
}

function refused(bytes: Uint8Array): void {
  try {
    analyzeBinary(bytesSource(bytes, 'hostile.elf'));
  } catch {
    return;
  }
  throw new Error('bench:inspect: a hostile file parsed; the tests say why');
}

const rssBefore = process.memoryUsage().rss;
const node = time(() => inspectBinary(process.execPath));
const rssAdded = process.memoryUsage().rss - rssBefore;

const nodeBytes = readFileSync(process.execPath);
const small = buildElf({ sections: [{ name: '.text', type: 1, data: new Uint8Array(64) }] });
const shnum = headerField(64, 'shnum');
const hostile: [string, Uint8Array][] = [
  [`node cut to ${nodeBytes.length >> 1} bytes`, nodeBytes.subarray(0, nodeBytes.length >> 1)],
  ['e_shnum 65534', patch(small, shnum.offset, 2, 0xfffe)],
  ['extended e_shnum 2^40', patch({ ...small, bytes: patch(small, shnum.offset, 2, 0) }, sectionField(small, 0, 'size').offset, 8, 2 ** 40)],
];

const row = (what: string, t: { median: number; max: number }): string => `${what.padEnd(34)} ${t.median.toFixed(2).padStart(9)} ${t.max.toFixed(2).padStart(9)}`;
console.log(`fipscan inspect benchmark: ${rounds} round(s) each, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log(`${''.padEnd(34)} ${'ms median'.padStart(9)} ${'ms max'.padStart(9)}`);
console.log(row(`inspect ${process.execPath}`, node));
for (const [what, bytes] of hostile) console.log(row(`refuse ${what}`, time(() => refused(bytes))));
console.log(`\nRSS added by inspecting node:      ${(rssAdded / 2 ** 20).toFixed(1)} MiB`);
