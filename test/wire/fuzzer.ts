/**
 * A deterministic mutation fuzzer for what the codec reads from servers (inputs: ./mutate.ts).
 * Each case runs decodeServerFlight, then the message decoders on every event (ServerHello,
 * Certificate plus the certificate readers, ServerKeyExchange as ECDHE and as DHE,
 * CertificateRequest, SSLv2 SERVER-HELLO), and a ServerStream fed in random chunk sizes, which
 * must yield exactly the events and the error of the stream fed whole. Only DecodeError may escape
 * the wire decoders; describeCertificate (probe/, what the scan does with every certificate it is
 * sent) may throw nothing at all. Anything else is a crash, kept with its case number and input.
 *
 * A case depends only on (seed, case number), so `node dist/bench/fuzz.js 1 <seed> <case>` replays one. */
import { describeCertificate } from '../../src/probe/certificate.js';
import { certificatePssHash, certificateSignatureOid } from '../../src/wire/asn1.js';
import { DecodeError, hex } from '../../src/wire/bytes.js';
import { ServerStream, decodeServerFlight, type ServerEvent } from '../../src/wire/records.js';
import { decodeCertificateList, decodeCertificateRequest12, decodeServerHello, decodeServerKeyExchange, decodeSslv2ServerHello } from '../../src/wire/serverMessages.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import { caseRng, fuzzSeeds, int, makeCase, type FuzzCase, type Rng } from './mutate.js';

export interface Crash {
  caseNumber: number;
  /** The function that threw something other than DecodeError, or the ServerStream divergence. */
  target: string;
  error: string;
  how: string;
  allowSslv2: boolean;
  inputHex: string;
}

class Escape extends Error {
  constructor(
    readonly target: string,
    readonly original: unknown,
  ) {
    super(target);
  }
}

/** Runs `fn`; a DecodeError is an accepted outcome, anything else escapes as a crash of `target`. */
function guard<T>(target: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DecodeError) return undefined;
    throw new Escape(target, err);
  }
}

/**
 * Drains a stream fed whole or in chunks: its events and the kind of DecodeError that stopped it,
 * whether feed() threw it or next() did after the events framed before it.
 */
function drain(s: ServerStream, chunks: readonly Uint8Array[]): { events: ServerEvent[]; error: string | null } {
  const events: ServerEvent[] = [];
  for (const c of chunks) {
    try {
      s.feed(c);
      for (let e = s.next(); e; e = s.next()) events.push(e);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw new Escape('ServerStream', err);
      return { events, error: err.kind };
    }
  }
  return { events, error: null };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameEvent(a: ServerEvent, b: ServerEvent): boolean {
  if (a.kind !== b.kind) return false;
  if ((a.kind === 'handshake' && b.kind === 'handshake') || (a.kind === 'sslv2' && b.kind === 'sslv2')) return a.msgType === b.msgType && sameBytes(a.body, b.body);
  return JSON.stringify(a) === JSON.stringify(b);
}

function decodeEvent(e: ServerEvent): void {
  if (e.kind === 'sslv2') {
    if (e.msgType === 4) guard('decodeSslv2ServerHello', () => decodeSslv2ServerHello(e.body));
    return;
  }
  if (e.kind !== 'handshake') return;
  switch (e.msgType) {
    case HandshakeType.serverHello:
      guard('decodeServerHello', () => decodeServerHello(e.body));
      return;
    case HandshakeType.certificate:
      for (const der of guard('decodeCertificateList', () => decodeCertificateList(e.body)) ?? []) {
        guard('certificateSignatureOid', () => certificateSignatureOid(der));
        guard('certificatePssHash', () => certificatePssHash(der));
        try {
          describeCertificate(der);
        } catch (err) {
          throw new Escape('describeCertificate', err);
        }
      }
      return;
    case HandshakeType.serverKeyExchange:
      guard('decodeServerKeyExchange(ecdhe)', () => decodeServerKeyExchange(e.body, 'ecdhe'));
      guard('decodeServerKeyExchange(dhe)', () => decodeServerKeyExchange(e.body, 'dhe'));
      return;
    case HandshakeType.certificateRequest:
      guard('decodeCertificateRequest12', () => decodeCertificateRequest12(e.body));
      return;
    default:
  }
}

/** Runs one case; returns the crash, or null. `rng` picks the chunk sizes. */
export function runCase(c: FuzzCase, rng: Rng): Crash | null {
  try {
    guard('decodeServerFlight', () => decodeServerFlight(c.input, c.allowSslv2));
    const whole = drain(new ServerStream(c.allowSslv2), [c.input]);
    for (const e of whole.events) decodeEvent(e);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < c.input.length; ) {
      const n = 1 + int(rng, rng() < 0.5 ? 8 : 2048);
      chunks.push(c.input.subarray(at, at + n));
      at += n;
    }
    const chunked = drain(new ServerStream(c.allowSslv2), chunks);
    const same = chunked.error === whole.error && chunked.events.length === whole.events.length && chunked.events.every((e, i) => sameEvent(e, whole.events[i]!));
    if (!same) {
      const detail = `fed whole: ${whole.events.length} events, ${whole.error ?? 'no error'}; in ${chunks.length} chunks: ${chunked.events.length} events, ${chunked.error ?? 'no error'}`;
      return { caseNumber: c.caseNumber, target: 'ServerStream (chunked differs from whole)', error: detail, how: c.how, allowSslv2: c.allowSslv2, inputHex: hex(c.input) };
    }
    return null;
  } catch (err) {
    if (!(err instanceof Escape)) throw err;
    const e = err.original;
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { caseNumber: c.caseNumber, target: err.target, error, how: c.how, allowSslv2: c.allowSslv2, inputHex: hex(c.input) };
  }
}

/** Crashes of one kind: the same function and message once numbers are ignored. */
export interface CrashKind {
  kind: string;
  count: number;
  /** The first few, in full; the rest are only counted, so a common crash cannot exhaust memory. */
  examples: Crash[];
}

const EXAMPLES_PER_KIND = 3;

export interface FuzzStats {
  cases: number;
  crashCount: number;
  crashKinds: CrashKind[];
  elapsedMs: number;
  maxCaseMs: number;
  slowestCase: number;
  /** Peak resident set size of the process, bytes. */
  peakRss: number;
}

/** The slice test/wire/fuzz-slice.test.ts checks and `npm run bench:fuzz` times. */
export const FUZZ_SLICE = { cases: 20_000, seed: 1 } as const;

/** Runs cases [from, from + cases) for `seed`. `onProgress` is called every 50,000 cases. */
export function runFuzz(o: { cases: number; seed: number; from?: number; onProgress?: (done: number, crashes: number) => void }): FuzzStats {
  const seeds = fuzzSeeds();
  const from = o.from ?? 0;
  const kinds = new Map<string, CrashKind>();
  let crashCount = 0;
  let maxCaseMs = 0;
  let slowestCase = from;
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  for (let n = from; n < from + o.cases; n++) {
    const t0 = performance.now();
    const c = makeCase(seeds, o.seed, n);
    const crash = runCase(c, caseRng(o.seed ^ 0x5bd1e995, n));
    const ms = performance.now() - t0;
    if (ms > maxCaseMs) [maxCaseMs, slowestCase] = [ms, n];
    if (crash) {
      crashCount++;
      const kind = `${crash.target}: ${crash.error.replace(/\d+/g, 'N')}`;
      const k = kinds.get(kind) ?? { kind, count: 0, examples: [] };
      k.count++;
      if (k.examples.length < EXAMPLES_PER_KIND) k.examples.push(crash);
      kinds.set(kind, k);
    }
    if ((n - from + 1) % 5000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (o.onProgress && (n - from + 1) % 50_000 === 0) o.onProgress(n - from + 1, crashCount);
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  return { cases: o.cases, crashCount, crashKinds: [...kinds.values()], elapsedMs: performance.now() - started, maxCaseMs, slowestCase, peakRss };
}
