/**
 * RFC 7685 padding: some servers hang on a ClientHello whose handshake message is 256..511 bytes
 * long, so the builder pads such a hello to exactly 512 bytes (or just past 512 when even an empty
 * padding extension overshoots), and leaves every other hello alone. Checked for every suite count
 * from 1 to 300 and two host name lengths (so both parities of length are hit); padding:false and
 * noExtensions never add the extension.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { buildClientHelloMessage, type ClientHelloOptions } from '../../src/wire/clientHello.js';
import { ExtensionType } from '../../src/registry/extensions.js';
import { extensionBody, parseClientHello } from './clientHelloParser.js';

function hello(suiteCount: number, serverName: string, extra: Partial<ClientHelloOptions> = {}): ClientHelloOptions {
  return {
    clientVersion: 0x0303,
    cipherSuites: Array.from({ length: suiteCount }, (_, i) => 0x0100 + i),
    random: new Uint8Array(32),
    serverName,
    supportedGroups: [0x001d, 0x0017],
    signatureAlgorithms: [0x0403, 0x0804],
    ...extra,
  };
}

const inWindow = (length: number) => length >= 256 && length <= 511;

t.test('for 1..300 suites, a hello is never 256..511 bytes; padded ones are 512, or 513..515 when 509..511 unpadded', async (t) => {
  const problems: string[] = [];
  let padded = 0;
  let overshoot = 0;
  for (const serverName of ['example.com', 'example.co']) {
    for (let count = 1; count <= 300; count++) {
      const unpadded = buildClientHelloMessage(hello(count, serverName, { padding: false }));
      const message = buildClientHelloMessage(hello(count, serverName));
      const where = `${count} suites, ${serverName}`;
      if (inWindow(message.length)) problems.push(`${where}: ${message.length} bytes`);
      const parsed = parseClientHello(message);
      const padding = extensionBody(parsed, ExtensionType.padding);
      if (!inWindow(unpadded.length)) {
        if (hex(message) !== hex(unpadded)) problems.push(`${where}: changed although ${unpadded.length} bytes is outside the window`);
        continue;
      }
      padded++;
      if (padding === undefined) problems.push(`${where}: no padding extension`);
      else if (padding.some((b) => b !== 0)) problems.push(`${where}: padding is not zeros`);
      if (parsed.extensions!.at(-1)?.type !== ExtensionType.padding) problems.push(`${where}: padding is not the last extension`);
      const expected = unpadded.length <= 508 ? 512 : unpadded.length + 4;
      if (unpadded.length > 508) overshoot++;
      if (message.length !== expected) problems.push(`${where}: ${message.length} bytes, expected ${expected}`);
    }
  }
  t.strictSame(problems, []);
  t.ok(padded > 200, `${padded} hellos needed padding`);
  t.ok(overshoot > 0, `${overshoot} hellos were 509..511 bytes unpadded`);
});

t.test('padding changes nothing but the extension it appends and the lengths that cover it', async (t) => {
  const unpadded = parseClientHello(buildClientHelloMessage(hello(100, 'example.com', { padding: false })));
  const padded = parseClientHello(buildClientHelloMessage(hello(100, 'example.com')));
  t.strictSame(
    padded.extensions!.slice(0, -1).map((e) => [e.type, hex(e.body)]),
    unpadded.extensions!.map((e) => [e.type, hex(e.body)]),
  );
  t.strictSame(padded.cipherSuites, unpadded.cipherSuites);
});

t.test('padding:false never adds the padding extension, even inside the window', async (t) => {
  let inside = 0;
  for (let count = 1; count <= 300; count++) {
    const message = buildClientHelloMessage(hello(count, 'example.com', { padding: false }));
    if (inWindow(message.length)) inside++;
    t.equal(extensionBody(parseClientHello(message), ExtensionType.padding), undefined, `${count} suites`);
  }
  t.ok(inside > 100, 'the window was exercised');
});

t.test('noExtensions never adds a padding extension (there is no block to put it in)', async (t) => {
  for (const count of [100, 150, 200]) {
    const parsed = parseClientHello(buildClientHelloMessage(hello(count, 'example.com', { noExtensions: true, clientVersion: 0x0300 })));
    t.equal(parsed.extensions, null, `${count} suites`);
  }
});
