import t from 'tap';
import { displayWidth, flow, truncateEnd, truncateMiddle, wrap } from '../../src/report/text.js';
import { encryptionLabel } from '../../src/report/describe.js';

t.test('display width counts terminal columns: wide characters two, colours none', async (t) => {
  t.equal(displayWidth('abc'), 3);
  t.equal(displayWidth('日本'), 4);
  t.equal(displayWidth('\x1b[32m✓\x1b[39m'), 1);
  t.equal(displayWidth('e\u0301'), 1);
});

t.test('truncation keeps within the width and marks the cut', async (t) => {
  t.equal(truncateEnd('abcdef', 4), 'abc…');
  t.equal(truncateEnd('abc', 4), 'abc');
  t.equal(truncateMiddle('reviews.bookinfo.svc.cluster.local:9080', 20), 'reviews.bo…ocal:9080');
  t.equal(displayWidth(truncateMiddle('reviews.bookinfo.svc.cluster.local:9080', 20)), 20);
  t.ok(displayWidth(truncateMiddle('日本語のホスト名.example', 9)) <= 9);
});

t.test('wrap never passes the width and hangs the continuation lines', async (t) => {
  const lines = wrap('The server offers TLSv1.0: test-fips does not allow it, and a-very-long-word-that-cannot-fit-anywhere-at-all', 30, '  ✗ ', '    ');
  for (const line of lines) t.ok(displayWidth(line) <= 30, line);
  t.equal(lines[0], '  ✗ The server offers TLSv1.0:');
  t.ok(lines.slice(1).every((l) => l.startsWith('    ')));
});

t.test('flow starts a new line before an item would pass the width', async (t) => {
  t.same(flow(['aaaa', 'bbbb', 'cccc'], 12, '  '), ['  aaaa  bbbb', '  cccc']);
});

t.test('encryption labels: cipher, key size where it varies, mode', async (t) => {
  t.equal(encryptionLabel('AES', 'GCM', 128), 'AES-128-GCM');
  t.equal(encryptionLabel('AES', 'CCM_8', 256), 'AES-256-CCM8');
  t.equal(encryptionLabel('CHACHA20', 'CHACHA20_POLY1305', 256), 'CHACHA20-POLY1305');
  t.equal(encryptionLabel('3DES', 'CBC', 168), '3DES-CBC');
  t.equal(encryptionLabel('RC4', 'STREAM', 40), 'RC4-40');
  t.equal(encryptionLabel('CAMELLIA', 'CBC', 256), 'CAMELLIA-256-CBC');
  t.equal(encryptionLabel('NULL', 'NULL', 0), 'NULL');
});
