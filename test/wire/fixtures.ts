/**
 * The codec's byte vectors under fixtures/wire: `.hex` files (hex digits, `#` comment lines naming
 * the source) and flights.json, which says what each captured server flight must decode to. The
 * flights were captured from real servers by bench/capture-flights.ts; the RFC 8448 files hold
 * handshake messages, which `asRecord` frames for the tests that need a record stream.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fromHex } from '../../src/wire/bytes.js';

/** Located from the compiled file: dist/test/wire/ -> fixtures/wire/. */
const wireDir = new URL('../../../fixtures/wire/', import.meta.url);

/** Reads a `.hex` fixture; anything but hex digits outside comment lines is an error, not skipped. */
export function readHexFixture(file: string): Uint8Array {
  const text = readFileSync(new URL(file, wireDir), 'utf8');
  const digits = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(digits)) throw new Error(`${file}: not an even run of hex digits outside comments`);
  return fromHex(digits);
}

export function hexFixtureFiles(): string[] {
  return readdirSync(wireDir)
    .filter((f) => f.endsWith('.hex'))
    .sort();
}

/** What a captured flight must decode to (written by bench/capture-flights.ts). */
export interface FlightExpectation {
  /** Every event in order: `handshake:<msg_type>`, `changeCipherSpec`, `alert`, `applicationData`. */
  events?: string[];
  /** The events start like this (a TLS 1.3 flight's encrypted records vary in number). */
  eventsPrefix?: string[];
  version?: number;
  cipherSuite?: number;
  isHelloRetryRequest?: boolean;
  keyShareGroup?: number;
  certificates?: number;
  leafSignatureOid?: string;
  keyExchange?: { kind: 'ecdhe'; namedGroup: number; publicKeyLength: number } | { kind: 'dhe'; primeBits: number; generator: number };
  certificateRequest?: { caNames: number; caNameContains: string };
  alert?: { level: number; description: number };
  messageSpansRecords?: number;
  extendedMasterSecret?: boolean;
  secureRenegotiation?: boolean;
}

export interface CapturedFlight {
  file: string;
  what: string;
  bytes: Uint8Array;
  expect: FlightExpectation;
}

export function capturedFlights(): CapturedFlight[] {
  const sidecar = JSON.parse(readFileSync(new URL('flights.json', wireDir), 'utf8')) as {
    flights: { file: string; what: string; bytes: number; expect: FlightExpectation }[];
  };
  return sidecar.flights.map((f) => {
    const bytes = readHexFixture(f.file);
    if (bytes.length !== f.bytes) throw new Error(`${f.file}: ${bytes.length} bytes, flights.json says ${f.bytes}`);
    return { file: f.file, what: f.what, bytes, expect: f.expect };
  });
}

/** Frames handshake bytes as one TLS 1.2-versioned handshake record, as a TLS 1.3 server would. */
export function asRecord(handshake: Uint8Array, contentType = 22): Uint8Array {
  const out = new Uint8Array(5 + handshake.length);
  out.set([contentType, 0x03, 0x03, handshake.length >> 8, handshake.length & 0xff]);
  out.set(handshake, 5);
  return out;
}

/** Every server-side stream the codec must survive: the captured flights and the RFC 8448 server messages. */
export function allServerStreams(): { name: string; bytes: Uint8Array }[] {
  return [
    ...capturedFlights().map((f) => ({ name: f.file, bytes: f.bytes })),
    { name: 'rfc8448-s3-server-hello.hex (as a record)', bytes: asRecord(readHexFixture('rfc8448-s3-server-hello.hex')) },
    { name: 'rfc8448-s5-hello-retry-request.hex (as a record)', bytes: asRecord(readHexFixture('rfc8448-s5-hello-retry-request.hex')) },
  ];
}

/** The [start, end) byte range of each TLS record in a stream, walked independently of ServerStream. */
export function recordSpans(stream: Uint8Array): { type: number; start: number; end: number }[] {
  const spans: { type: number; start: number; end: number }[] = [];
  let at = 0;
  while (at + 5 <= stream.length) {
    const end = at + 5 + ((stream[at + 3]! << 8) | stream[at + 4]!);
    if (end > stream.length) throw new Error(`record at ${at} runs past the end`);
    spans.push({ type: stream[at]!, start: at, end });
    at = end;
  }
  if (at !== stream.length) throw new Error(`${stream.length - at} bytes after the last record`);
  return spans;
}
