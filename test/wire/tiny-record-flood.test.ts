/**
 * A server may send its handshake in one-byte records (RFC 8446 §5.1 forbids only empty ones),
 * and a hostile one floods them: 256 KiB of them is 43,000 records per probe. ServerStream must
 * reassemble them without an allocation per record. A slice per record was one ArrayBuffer per
 * byte: linear in time, but the garbage collector's work for it stalled the event loop for every
 * other connection of the process (hostile-many-targets.test.ts, under load: healthy endpoints
 * cut short by their deadline). Counted, not timed: the copies and views made while feeding.
 */
import t from 'tap';
import { concat } from '../../src/wire/bytes.js';
import { ServerStream, type ServerEvent } from '../../src/wire/records.js';
import { handshakeRecords } from '../helpers/serverFlight.js';

/** How many times Uint8Array slice and subarray run during `fn`. */
function countViews(fn: () => void): number {
  const proto = Uint8Array.prototype;
  const { slice, subarray } = proto;
  let calls = 0;
  proto.slice = function (this: Uint8Array, ...args: Parameters<typeof slice>) {
    calls++;
    return slice.apply(this, args);
  } as typeof slice;
  proto.subarray = function (this: Uint8Array, ...args: Parameters<typeof subarray>) {
    calls++;
    return subarray.apply(this, args);
  } as typeof subarray;
  try {
    fn();
  } finally {
    proto.slice = slice;
    proto.subarray = subarray;
  }
  return calls;
}

/** Feeds `bytes` in socket-sized chunks (cut before counting) and drains every event. */
function feedAll(chunks: readonly Uint8Array[]): ServerEvent[] {
  const stream = new ServerStream();
  const events: ServerEvent[] = [];
  for (const c of chunks) {
    stream.feed(c);
    for (let e = stream.next(); e; e = stream.next()) events.push(e);
  }
  return events;
}

function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

const BODY = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
/** A Certificate message (type 11) of 20,000 bytes of body, then a ServerHelloDone, in one-byte records. */
const MESSAGES = concat([new Uint8Array([11, 0, (BODY.length >> 8) & 0xff, BODY.length & 0xff]), BODY, new Uint8Array([14, 0, 0, 0])]);
const FLOOD = handshakeRecords(MESSAGES, 1);

t.test('a handshake in one-byte records costs no copy or view per record', async (t) => {
  const chunks = chunksOf(FLOOD, 16 * 1024);
  let events: ServerEvent[] = [];
  const views = countViews(() => (events = feedAll(chunks)));
  t.same(
    events.map((e) => (e.kind === 'handshake' ? [e.msgType, e.body.length] : [e.kind])),
    [
      [11, BODY.length],
      [14, 0],
    ],
    'the two messages, whole',
  );
  const certificate = events[0];
  t.ok(certificate?.kind === 'handshake' && certificate.body.every((b, i) => b === BODY[i]), 'the body byte for byte');
  // Per chunk a view of what is left, per message a copy out, per doubling of the buffer a copy in.
  t.ok(views < 100, `${views} slices and subarrays for ${MESSAGES.length} one-byte records in ${chunks.length} chunks`);
});
