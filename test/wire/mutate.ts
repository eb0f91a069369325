/**
 * The input side of the codec fuzzer (test/wire/fuzzer.ts): a seeded PRNG, the seed corpus
 * (captured server flights and RFC 8448 messages from fixtures/wire, plus two synthesized SSLv2
 * SERVER-HELLO records) and the mutations: bit flips, byte sets, truncation, length-field
 * tampering, splices between flights, inserted, deleted and repeated ranges, and random bytes.
 * Every eighth case is instead the next step of a sweep that truncates every seed at every offset.
 * A case depends only on (seed, case number), so any one of them can be replayed alone.
 */
import { decodeServerFlight } from '../../src/wire/records.js';
import { decodeCertificateList } from '../../src/wire/serverMessages.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import { mulberry32 } from '../helpers/random.js';
import { sslv2ServerHello } from '../helpers/serverFlight.js';
import { allServerStreams } from './fixtures.js';

/** The PRNG for one case: a hash of (seed, case number), so any case replays on its own. */
export function caseRng(seed: number, caseNumber: number): () => number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(caseNumber + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return mulberry32(h ^ (h >>> 13));
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  sslv2: boolean;
}

export function fuzzSeeds(): Seed[] {
  const tls = allServerStreams().map((s) => ({ name: s.name, bytes: s.bytes, sslv2: false }));
  const leaf = tls.map((s) => firstCertificate(s.bytes)).find((c) => c !== undefined) ?? new Uint8Array(0);
  return [
    ...tls,
    { name: 'sslv2 SERVER-HELLO with certificate', bytes: sslv2ServerHello({ cipherKinds: [0x010080, 0x020080, 0x0700c0], certificate: leaf }), sslv2: true },
    { name: 'sslv2 SERVER-HELLO, no certificate', bytes: sslv2ServerHello({ cipherKinds: [0x060040], connectionId: new Uint8Array(32).fill(7) }), sslv2: true },
  ];
}

function firstCertificate(flight: Uint8Array): Uint8Array | undefined {
  try {
    const e = decodeServerFlight(flight).find((x) => x.kind === 'handshake' && x.msgType === HandshakeType.certificate);
    return e?.kind === 'handshake' ? decodeCertificateList(e.body)[0] : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations

export type Rng = () => number;
export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x0b, 0x0c, 0x0e, 0x14, 0x15, 0x16, 0x17, 0x18, 0x7f, 0x80, 0x81, 0xfe, 0xff];
/** Largest input a mutation may produce: twice the largest flight is plenty to reach every state. */
const MAX_INPUT = 64 * 1024;

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rng, 256);
  return out;
}

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

/** Offsets of record length fields (and of the handshake length right after them) found by a lenient walk. */
function lengthFields(b: Uint8Array): { at: number; width: 2 | 3; value: number }[] {
  const fields: { at: number; width: 2 | 3; value: number }[] = [];
  for (let at = 0; at + 5 <= b.length; ) {
    const length = (b[at + 3]! << 8) | b[at + 4]!;
    fields.push({ at: at + 3, width: 2, value: length });
    if (b[at] === 22 && at + 9 <= b.length) fields.push({ at: at + 6, width: 3, value: (b[at + 6]! << 16) | (b[at + 7]! << 8) | b[at + 8]! });
    at += 5 + length;
  }
  return fields;
}

function setUint(b: Uint8Array, at: number, width: number, value: number): void {
  for (let i = width - 1; i >= 0 && at + i < b.length; i--, value = Math.floor(value / 256)) if (at + i >= 0) b[at + i] = value & 0xff;
}

function tamperLength(rng: Rng, b: Uint8Array): Uint8Array {
  const out = b.slice();
  const fields = lengthFields(out);
  const field = fields.length > 0 && rng() < 0.8 ? fields[int(rng, fields.length)]! : { at: int(rng, Math.max(1, out.length)), width: (rng() < 0.5 ? 2 : 3) as 2 | 3, value: 0 };
  const max = field.width === 2 ? 0xffff : 0xffffff;
  const choices = [0, 1, field.value - 1, field.value + 1, field.value * 2, max, max - 1, 16384, 16384 + 2048, 16384 + 2049, 1 << 17, (1 << 17) + 1, int(rng, max + 1)];
  setUint(out, field.at, field.width, Math.max(0, Math.min(max, choices[int(rng, choices.length)]!)));
  return out;
}

function mutateOnce(rng: Rng, b: Uint8Array, seeds: readonly Seed[]): Uint8Array {
  const other = seeds[int(rng, seeds.length)]!.bytes;
  const at = int(rng, b.length + 1);
  switch (int(rng, 10)) {
    case 0: {
      const out = b.slice();
      for (let i = 1 + int(rng, 8); i > 0 && out.length > 0; i--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
      return out;
    }
    case 1: {
      const out = b.slice();
      for (let i = 1 + int(rng, 4); i > 0 && out.length > 0; i--) out[int(rng, out.length)] = rng() < 0.7 ? INTERESTING_BYTES[int(rng, INTERESTING_BYTES.length)]! : int(rng, 256);
      return out;
    }
    case 2:
      return b.subarray(0, at);
    case 3:
    case 4:
      return tamperLength(rng, b);
    case 5:
      return join(b.subarray(0, at), other.subarray(int(rng, other.length + 1)));
    case 6: {
      const from = int(rng, other.length + 1);
      return join(b.subarray(0, at), other.subarray(from, from + 1 + int(rng, 512)), b.subarray(at));
    }
    case 7:
      return join(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rng, 64))));
    case 8: {
      const end = Math.min(b.length, at + 1 + int(rng, 256));
      const copies = Array.from({ length: 1 + int(rng, 8) }, () => b.subarray(at, end));
      return join(b.subarray(0, end), ...copies, b.subarray(end));
    }
    default:
      return join(b.subarray(0, at), randomBytes(rng, 1 + int(rng, 32)), b.subarray(at));
  }
}

/** Pure random input, half the time behind a plausible TLS or SSLv2 header. */
function randomInput(rng: Rng): Uint8Array {
  const body = randomBytes(rng, int(rng, 2048));
  const header = rng() < 0.5 ? new Uint8Array(0) : rng() < 0.7 ? new Uint8Array([22, 3, 3, body.length >> 8, body.length & 0xff]) : new Uint8Array([0x80 | (body.length >> 8), body.length & 0xff]);
  return join(header, body);
}

export interface FuzzCase {
  caseNumber: number;
  input: Uint8Array;
  allowSslv2: boolean;
  /** What was done, for crash reports. */
  how: string;
}

/** The input of case `caseNumber` for `seed`. */
export function makeCase(seeds: readonly Seed[], seed: number, caseNumber: number): FuzzCase {
  const rng = caseRng(seed, caseNumber);
  if (caseNumber % 8 === 0) {
    // The truncation sweep: every offset of every seed, in order, then around again.
    let n = (caseNumber / 8) % seeds.reduce((sum, s) => sum + s.bytes.length + 1, 0);
    for (const s of seeds) {
      if (n <= s.bytes.length) return { caseNumber, input: s.bytes.subarray(0, n), allowSslv2: s.sslv2, how: `${s.name} truncated to ${n}` };
      n -= s.bytes.length + 1;
    }
  }
  if (rng() < 0.03) return { caseNumber, input: randomInput(rng), allowSslv2: rng() < 0.3, how: 'random bytes' };
  const base = seeds[int(rng, seeds.length)]!;
  let input = base.bytes;
  const rounds = 1 + int(rng, 4);
  for (let i = 0; i < rounds; i++) input = mutateOnce(rng, input, seeds);
  return { caseNumber, input, allowSslv2: base.sslv2 || rng() < 0.1, how: `${base.name}, ${rounds} mutation(s)` };
}
