/**
 * ClientHello round trip: what buildClientHelloMessage writes, the independent test parser reads
 * back as the same fields, and options rebuilt from the parsed hello produce the same bytes again
 * (encode -> decode -> encode is stable). buildClientHello frames the message in records the way
 * RFC 8446 §5.1 asks, and buildRecords splits anything over 2^14 bytes.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import {
  buildClientHello,
  buildClientHelloMessage,
  buildRecords,
  helloRecordVersion,
  type ClientHelloOptions,
} from '../../src/wire/clientHello.js';
import { decodeServerFlight } from '../../src/wire/records.js';
import { ExtensionType } from '../../src/registry/extensions.js';
import { extensionBody, parseClientHello, read, type ParsedClientHello } from './clientHelloParser.js';

const random = Uint8Array.from({ length: 32 }, (_, i) => i);

const cases: Record<string, ClientHelloOptions> = {
  'TLS 1.2 with every extension the builder knows': {
    clientVersion: 0x0303,
    cipherSuites: [0xc02f, 0xc030, 0x009e, 0x009c, 0x00ff],
    random,
    serverName: 'example.com',
    supportedGroups: [0x001d, 0x0017, 0x0018],
    ecPointFormats: true,
    signatureAlgorithms: [0x0403, 0x0804, 0x0401],
    alpn: ['h2', 'http/1.1'],
    statusRequest: true,
    sessionTicket: true,
    encryptThenMac: true,
    extendedMasterSecret: true,
    renegotiationInfo: true,
  },
  'TLS 1.3 with two key shares, a cookie and a 32-byte session id': {
    clientVersion: 0x0303,
    cipherSuites: [0x1301, 0x1302, 0x1303],
    random,
    sessionId: new Uint8Array(32).fill(0x5a),
    serverName: 'localhost',
    supportedGroups: [0x001d, 0x0017],
    signatureAlgorithms: [0x0403, 0x0804],
    supportedVersions: [0x0304, 0x0303],
    keyShares: [
      { group: 0x001d, keyExchange: new Uint8Array(32).fill(1) },
      { group: 0x0017, keyExchange: new Uint8Array(65).fill(4) },
    ],
    pskKeyExchangeModes: true,
    cookie: new Uint8Array([9, 8, 7, 6, 5]),
  },
  'TLS 1.3 with an empty key_share (asks for a HelloRetryRequest)': {
    clientVersion: 0x0303,
    cipherSuites: [0x1301],
    random,
    supportedGroups: [0x0017],
    supportedVersions: [0x0304],
    keyShares: [],
  },
  'TLS 1.0 with no optional extension (an empty extensions block)': {
    clientVersion: 0x0301,
    cipherSuites: [0x002f, 0x0035],
    random,
  },
  'SSLv3 with no extensions block at all': {
    clientVersion: 0x0300,
    cipherSuites: [0x000a, 0x002f],
    random,
    noExtensions: true,
    serverName: 'ignored.example',
  },
};

/** Builder options that describe `hello`, as far as the builder's knobs go. */
function optionsFromParsed(hello: ParsedClientHello): ClientHelloOptions {
  const has = (type: number) => extensionBody(hello, type) !== undefined;
  const body = (type: number) => extensionBody(hello, type)!;
  const o: ClientHelloOptions = {
    clientVersion: hello.legacyVersion,
    cipherSuites: hello.cipherSuites,
    random: hello.random,
    sessionId: hello.sessionId,
    noExtensions: hello.extensions === null,
    // RFC 7685 padding is derived from the rest of the hello, so "was it there" is all to carry.
    padding: extensionBody(hello, ExtensionType.padding) !== undefined,
  };
  if (has(ExtensionType.server_name)) o.serverName = read.serverName(body(ExtensionType.server_name))[0]!;
  if (has(ExtensionType.ec_point_formats)) o.ecPointFormats = true;
  if (has(ExtensionType.supported_groups)) o.supportedGroups = read.u16Vector(body(ExtensionType.supported_groups));
  if (has(ExtensionType.session_ticket)) o.sessionTicket = true;
  if (has(ExtensionType.application_layer_protocol_negotiation)) o.alpn = read.alpn(body(ExtensionType.application_layer_protocol_negotiation));
  if (has(ExtensionType.status_request)) o.statusRequest = true;
  if (has(ExtensionType.encrypt_then_mac)) o.encryptThenMac = true;
  if (has(ExtensionType.extended_master_secret)) o.extendedMasterSecret = true;
  if (has(ExtensionType.signature_algorithms)) o.signatureAlgorithms = read.u16Vector(body(ExtensionType.signature_algorithms));
  if (has(ExtensionType.supported_versions)) o.supportedVersions = read.supportedVersions(body(ExtensionType.supported_versions));
  if (has(ExtensionType.cookie)) o.cookie = read.cookie(body(ExtensionType.cookie));
  if (has(ExtensionType.psk_key_exchange_modes)) o.pskKeyExchangeModes = true;
  if (has(ExtensionType.key_share)) o.keyShares = read.keyShare(body(ExtensionType.key_share));
  if (has(ExtensionType.renegotiation_info)) o.renegotiationInfo = true;
  return o;
}

for (const [name, options] of Object.entries(cases)) {
  t.test(`${name}: parsed fields equal the options, and re-encoding is byte-identical`, async (t) => {
    const message = buildClientHelloMessage(options);
    const hello = parseClientHello(message);
    t.equal(hello.legacyVersion, options.clientVersion);
    t.equal(hex(hello.random), hex(options.random));
    t.equal(hex(hello.sessionId), hex(options.sessionId ?? new Uint8Array(0)));
    t.strictSame(hello.cipherSuites, options.cipherSuites);
    t.strictSame(hello.compressionMethods, [0], 'null compression only');
    if (options.noExtensions) {
      t.equal(hello.extensions, null, 'no extensions block');
    } else {
      const parsed = optionsFromParsed(hello);
      t.equal(parsed.serverName, options.serverName ?? undefined);
      t.strictSame(parsed.supportedGroups, options.supportedGroups?.length ? options.supportedGroups : undefined);
      t.strictSame(parsed.signatureAlgorithms, options.signatureAlgorithms);
      t.strictSame(parsed.supportedVersions, options.supportedVersions);
      t.strictSame(parsed.alpn, options.alpn);
      t.strictSame(parsed.keyShares?.map((s) => [s.group, hex(s.keyExchange)]), options.keyShares?.map((s) => [s.group, hex(s.keyExchange)]));
      t.equal(parsed.cookie && hex(parsed.cookie), options.cookie && hex(options.cookie));
      for (const flag of ['ecPointFormats', 'sessionTicket', 'statusRequest', 'encryptThenMac', 'extendedMasterSecret', 'pskKeyExchangeModes', 'renegotiationInfo'] as const) {
        t.equal(parsed[flag] === true, options[flag] === true, flag);
      }
      if (options.ecPointFormats) t.strictSame(read.u8Vector(extensionBody(hello, ExtensionType.ec_point_formats)!), [0, 1, 2]);
      if (options.renegotiationInfo) t.equal(read.renegotiationInfo(extensionBody(hello, ExtensionType.renegotiation_info)!).length, 0);
      if (options.renegotiationInfo) t.equal(hello.extensions!.at(-1)?.type, ExtensionType.renegotiation_info, 'renegotiation_info last');
    }
    t.equal(hex(buildClientHelloMessage(optionsFromParsed(hello))), hex(message), 'encode -> decode -> encode');
  });
}

t.test('buildClientHello wraps the message in one handshake record at TLS 1.0 at most', async (t) => {
  for (const options of Object.values(cases)) {
    const record = buildClientHello(options);
    const message = buildClientHelloMessage(options);
    t.strictSame([...record.subarray(0, 3)], [22, 3, Math.min(options.clientVersion & 0xff, 1)]);
    t.equal(helloRecordVersion(options.clientVersion), Math.min(options.clientVersion, 0x0301));
    t.equal((record[3]! << 8) | record[4]!, message.length);
    t.equal(hex(record.subarray(5)), hex(message));
  }
});

t.test('buildRecords splits a payload over 2^14 bytes into full records that reassemble', async (t) => {
  const length = 40000;
  const message = new Uint8Array(4 + length).map((_, i) => i * 7);
  message.set([11, 0, length >> 8, length & 0xff]);
  const records = buildRecords(22, 0x0303, message);
  const sizes: number[] = [];
  for (let at = 0; at < records.length; at += 5 + sizes.at(-1)!) sizes.push((records[at + 3]! << 8) | records[at + 4]!);
  t.strictSame(sizes, [16384, 16384, message.length - 32768]);
  const events = decodeServerFlight(records);
  t.equal(events.length, 1);
  t.equal(events[0]?.kind === 'handshake' && hex(events[0].body), hex(message.subarray(4)));
});

t.test('buildRecords writes one empty record for an empty payload', async (t) => {
  t.strictSame([...buildRecords(21, 0x0303, new Uint8Array(0))], [21, 3, 3, 0, 0]);
});
