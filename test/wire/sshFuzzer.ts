/**
 * A deterministic mutation fuzzer for the SSH greeting decoder (wire/sshGreeting.ts, wire/ssh.ts).
 * Seeds: the greetings captured from sshd and the synthesized ones (lines before the
 * identification, IGNORE/DEBUG packets, a DISCONNECT). Mutations: bit flips, interesting bytes
 * (CR, LF, comma, space, NUL, 0xff), truncation, packet_length and name-list length tampering,
 * splices between seeds, inserted, deleted and repeated ranges, random bytes; every eighth case
 * is the next step of a sweep truncating every seed at every offset. Per case: only DecodeError
 * may escape; the reader fed in random chunks must end exactly as when fed whole; a decoded
 * KEXINIT must re-encode (every name it kept is valid) and decode to itself. A case depends only
 * on (seed, case number), so any one replays alone.
 */
import { DecodeError, hex } from '../../src/wire/bytes.js';
import { decodeKexinit, encodeKexinit } from '../../src/wire/ssh.js';
import { decodeServerGreeting, SshGreetingReader, type SshGreeting } from '../../src/wire/sshGreeting.js';
import { caseRng, int, type Rng } from './mutate.js';
import { capturedGreetings, synthesizedGreetings } from './sshFixtures.js';

export interface SshCrash {
  caseNumber: number;
  how: string;
  error: string;
  inputHex: string;
}

interface Seed {
  name: string;
  bytes: Uint8Array;
}

export function sshSeeds(): Seed[] {
  return [...capturedGreetings().map((c) => ({ name: c.file, bytes: c.bytes })), ...synthesizedGreetings()];
}

const INTERESTING = [0x00, 0x01, 0x02, 0x04, 0x0a, 0x0d, 0x14, 0x15, 0x16, 0x20, 0x2c, 0x2d, 0x53, 0x7f, 0x80, 0xff];
const MAX_INPUT = 64 * 1024;

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(Math.min(MAX_INPUT, parts.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const p of parts) {
    const take = Math.min(p.length, out.length - at);
    out.set(p.subarray(0, take), at);
    at += take;
  }
  return out;
}

/** Offsets of uint32 length fields found by a lenient walk: packet_length after the banner, then the KEXINIT name-lists. */
function lengthFields(b: Uint8Array): number[] {
  const fields: number[] = [];
  const lf = b.indexOf(0x0a);
  if (lf < 0 || lf + 5 > b.length) return fields;
  let at = lf + 1;
  fields.push(at);
  at += 4 + 1 + 1 + 16;
  for (let i = 0; i < 10 && at + 4 <= b.length; i++) {
    fields.push(at);
    at += 4 + ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
  }
  return fields;
}

function tamperLength(rng: Rng, b: Uint8Array): Uint8Array {
  const out = b.slice();
  const fields = lengthFields(out);
  const at = fields.length > 0 ? fields[int(rng, fields.length)]! : int(rng, Math.max(1, out.length));
  const current = at + 4 <= out.length ? ((out[at]! << 24) >>> 0) + (out[at + 1]! << 16) + (out[at + 2]! << 8) + out[at + 3]! : 0;
  const choices = [0, 1, 4, 11, 12, current - 1, current + 1, current + 8, current * 2, 35000, 35001, 35004, 0x7fffffff, 0xffffffff, int(rng, 0x10000)];
  let v = Math.max(0, Math.min(0xffffffff, choices[int(rng, choices.length)]!));
  for (let i = 3; i >= 0; i--, v = Math.floor(v / 256)) if (at + i < out.length) out[at + i] = v & 0xff;
  return out;
}

function mutateOnce(rng: Rng, b: Uint8Array, seeds: readonly Seed[]): Uint8Array {
  const other = seeds[int(rng, seeds.length)]!.bytes;
  const at = int(rng, b.length + 1);
  switch (int(rng, 9)) {
    case 0: {
      const out = b.slice();
      for (let i = 1 + int(rng, 8); i > 0 && out.length > 0; i--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
      return out;
    }
    case 1: {
      const out = b.slice();
      for (let i = 1 + int(rng, 4); i > 0 && out.length > 0; i--) out[int(rng, out.length)] = INTERESTING[int(rng, INTERESTING.length)]!;
      return out;
    }
    case 2:
      return b.subarray(0, at);
    case 3:
    case 4:
      return tamperLength(rng, b);
    case 5:
      return join(b.subarray(0, at), other.subarray(int(rng, other.length + 1)));
    case 6:
      return join(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rng, 64))));
    case 7: {
      const end = Math.min(b.length, at + 1 + int(rng, 256));
      return join(b.subarray(0, end), ...Array.from({ length: 1 + int(rng, 8) }, () => b.subarray(at, end)), b.subarray(end));
    }
    default:
      return join(b.subarray(0, at), Uint8Array.from({ length: 1 + int(rng, 32) }, () => int(rng, 256)), b.subarray(at));
  }
}

export function makeSshCase(seeds: readonly Seed[], seed: number, caseNumber: number): { input: Uint8Array; how: string } {
  const rng = caseRng(seed, caseNumber);
  if (caseNumber % 8 === 0) {
    let n = (caseNumber / 8) % seeds.reduce((sum, s) => sum + s.bytes.length + 1, 0);
    for (const s of seeds) {
      if (n <= s.bytes.length) return { input: s.bytes.subarray(0, n), how: `${s.name} truncated to ${n}` };
      n -= s.bytes.length + 1;
    }
  }
  const base = seeds[int(rng, seeds.length)]!;
  let input = base.bytes;
  const rounds = 1 + int(rng, 4);
  for (let i = 0; i < rounds; i++) input = mutateOnce(rng, input, seeds);
  return { input, how: `${base.name}, ${rounds} mutation(s)` };
}

/** How a reader ended: its greeting as JSON, 'incomplete', or the DecodeError kind. */
function ending(chunks: readonly Uint8Array[]): string {
  const reader = new SshGreetingReader();
  let g: SshGreeting | null = null;
  try {
    for (const c of chunks) g = reader.feed(c);
  } catch (err) {
    if (err instanceof DecodeError) return err.kind;
    throw err;
  }
  return g === null ? 'incomplete' : JSON.stringify(g, (_k, v: unknown) => (v instanceof Uint8Array ? hex(v) : v));
}

function checkCase(input: Uint8Array, rng: Rng): string | null {
  let greeting: SshGreeting | null = null;
  try {
    greeting = decodeServerGreeting(input);
  } catch (err) {
    if (!(err instanceof DecodeError)) return `decodeServerGreeting threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < input.length; ) {
    const n = 1 + int(rng, rng() < 0.5 ? 8 : 1024);
    chunks.push(input.subarray(at, at + n));
    at += n;
  }
  const whole = ending([input]);
  const chunked = ending(chunks);
  if (whole !== chunked) return `fed whole: ${whole.slice(0, 80)}; in ${chunks.length} chunks: ${chunked.slice(0, 80)}`;
  if (greeting?.kind === 'kexinit') {
    const again = decodeKexinit(encodeKexinit(greeting.kexinit));
    if (JSON.stringify(again.lists) !== JSON.stringify(greeting.kexinit.lists)) return 'a decoded KEXINIT does not survive encode -> decode';
  }
  return null;
}

export interface SshFuzzStats {
  cases: number;
  crashes: SshCrash[];
  elapsedMs: number;
  maxCaseMs: number;
  slowestCase: number;
}

/** The slice test/wire/ssh-fuzz-slice.test.ts checks and `npm run bench:fuzz` times. */
export const SSH_FUZZ_SLICE = { cases: 20_000, seed: 1 } as const;

/** Runs cases [from, from + cases) for `seed`; keeps the first 10 crashes in full. */
export function runSshFuzz(o: { cases: number; seed: number; from?: number }): SshFuzzStats {
  const seeds = sshSeeds();
  const from = o.from ?? 0;
  const crashes: SshCrash[] = [];
  let maxCaseMs = 0;
  let slowestCase = from;
  const started = performance.now();
  for (let n = from; n < from + o.cases; n++) {
    const t0 = performance.now();
    const c = makeSshCase(seeds, o.seed, n);
    let error: string | null;
    try {
      error = checkCase(c.input, caseRng(o.seed ^ 0x5bd1e995, n));
    } catch (err) {
      error = `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
    }
    if (error !== null && crashes.length < 10) crashes.push({ caseNumber: n, how: c.how, error, inputHex: hex(c.input) });
    const ms = performance.now() - t0;
    if (ms > maxCaseMs) [maxCaseMs, slowestCase] = [ms, n];
  }
  return { cases: o.cases, crashes, elapsedMs: performance.now() - started, maxCaseMs, slowestCase };
}
