/**
 * ServerStream's keepApplicationData mode hands out each application_data record's bytes (what a
 * TLS 1.3 client decrypts), whole and in order, however the stream is cut; without it only the
 * length is reported, as before.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { ServerStream, type ServerEvent } from '../../src/wire/records.js';
import { asRecord, readHexFixture } from './fixtures.js';

const serverHello = readHexFixture('rfc8448-s3-server-hello.hex');
const flightRecord = readHexFixture('rfc8448-s3-server-flight.hex');
const changeCipherSpec = Uint8Array.of(20, 3, 3, 0, 1, 1);
const stream = Uint8Array.from([...asRecord(serverHello), ...changeCipherSpec, ...flightRecord, ...flightRecord]);

function events(cut: number, keepApplicationData: boolean): ServerEvent[] {
  const s = new ServerStream(false, { keepApplicationData });
  const out: ServerEvent[] = [];
  for (let at = 0; at < stream.length; at += cut) {
    s.feed(stream.slice(at, at + cut));
    for (let e = s.next(); e; e = s.next()) out.push(e);
  }
  return out;
}

t.test('the payloads of the encrypted records come out whole, however the stream is cut', async (t) => {
  for (const cut of [1, 7, 100, stream.length]) {
    const got = events(cut, true);
    t.strictSame(got.map((e) => e.kind), ['handshake', 'changeCipherSpec', 'applicationData', 'applicationData'], `cut ${cut}`);
    const payloads = got.flatMap((e) => (e.kind === 'applicationData' && e.payload ? [hex(e.payload)] : []));
    t.strictSame(payloads, [hex(flightRecord.subarray(5)), hex(flightRecord.subarray(5))], `cut ${cut}: the record bodies`);
  }
});

t.test('by default an application_data record is its length only', async (t) => {
  const data = events(stream.length, false).filter((e) => e.kind === 'applicationData');
  t.strictSame(data, [
    { kind: 'applicationData', length: 674 },
    { kind: 'applicationData', length: 674 },
  ]);
});
