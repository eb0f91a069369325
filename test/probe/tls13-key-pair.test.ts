/**
 * makeKeyPair: for every TLS 1.3 group node:crypto can do, two fresh pairs agree on a shared
 * secret of the size RFC 8446 §7.4 gives it; each call makes a new key; groups it cannot do are
 * null; and a server share that is not a valid one of the group (wrong group, wrong length,
 * compressed or off-curve point, a small-order x25519 point, an ffdhe value outside 2..p-2) is
 * EBAD_KEY_SHARE, never a secret.
 */
import t from 'tap';
import { mlkemAvailable, makeKeyPair, type KeyPair } from '../../src/probe/keyPair.js';
import { FFDHE_PRIMES, groupById } from '../../src/registry/groups.js';
import { hex } from '../../src/wire/bytes.js';

/** Group, name, shared secret bytes (x-coordinate for curves, prime length for ffdhe). */
const GROUPS: [number, string, number][] = [
  [29, 'x25519', 32],
  [30, 'x448', 56],
  [23, 'secp256r1', 32],
  [24, 'secp384r1', 48],
  [25, 'secp521r1', 66],
  [31, 'brainpoolP256r1tls13', 32],
  [32, 'brainpoolP384r1tls13', 48],
  [33, 'brainpoolP512r1tls13', 64],
  [0x0100, 'ffdhe2048', 256],
  [0x0101, 'ffdhe3072', 384],
  [0x0102, 'ffdhe4096', 512],
  [0x0103, 'ffdhe6144', 768],
  [0x0104, 'ffdhe8192', 1024],
];

function pair(group: number): KeyPair {
  const p = makeKeyPair(group);
  if (!p) throw new Error(`no key pair for 0x${group.toString(16)}`);
  return p;
}

function code(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

for (const [group, name, size] of GROUPS) {
  t.test(`${name}: two fresh pairs agree on a ${size}-byte secret`, async (t) => {
    const a = pair(group);
    const b = pair(group);
    t.equal(a.share.group, group);
    t.not(hex(a.share.keyExchange), hex(b.share.keyExchange), 'a new key each time, never cached');
    const ab = a.secret(b.share);
    t.equal(ab.length, size);
    t.equal(hex(ab), hex(b.secret(a.share)));
  });
}

t.test('no pair for groups node:crypto cannot do, or that TLS 1.3 does not take', async (t) => {
  // ML-KEM needs node:crypto's ML-KEM (Node 24); before it, no pair can be made.
  if (mlkemAvailable()) {
    t.equal(makeKeyPair(0x11ec)?.share.keyExchange.length, 1184 + 32, 'X25519MLKEM768: an ML-KEM-768 encapsulation key, then an x25519 key');
    t.equal(makeKeyPair(0x11eb)?.share.keyExchange.length, 65 + 1184, 'SecP256r1MLKEM768: a P-256 point, then the encapsulation key');
    t.equal(makeKeyPair(0x0201)?.share.keyExchange.length, 1184, 'ML-KEM-768');
  } else {
    t.equal(makeKeyPair(0x11ec), null, 'X25519MLKEM768');
    t.equal(makeKeyPair(0x0201), null, 'ML-KEM-768');
  }
  t.equal(makeKeyPair(19), null, 'secp192r1 is TLS 1.2 only');
  t.equal(makeKeyPair(26), null, 'brainpoolP256r1 (the TLS 1.2 codepoint)');
  t.equal(makeKeyPair(0xfafa), null, 'GREASE');
});

t.test('a share of another group, or of the wrong length, is EBAD_KEY_SHARE', async (t) => {
  const x25519 = pair(29);
  t.equal(code(() => x25519.secret(pair(23).share)), 'EBAD_KEY_SHARE', 'a P-256 share for an x25519 pair');
  t.equal(code(() => x25519.secret({ group: 29, keyExchange: new Uint8Array(31).fill(9) })), 'EBAD_KEY_SHARE', '31 bytes');
  t.equal(code(() => x25519.secret({ group: 29, keyExchange: new Uint8Array(32) })), 'EBAD_KEY_SHARE', 'u = 0, a small-order point');
  const one = new Uint8Array(32);
  one[0] = 1;
  t.equal(code(() => x25519.secret({ group: 29, keyExchange: one })), 'EBAD_KEY_SHARE', 'u = 1, a small-order point');
});

t.test('a P-256 share that is compressed or off the curve is EBAD_KEY_SHARE', async (t) => {
  const p256 = pair(23);
  const peer = pair(23).share.keyExchange;
  const compressed = Uint8Array.of(0x02, ...peer.subarray(1, 33));
  t.equal(code(() => p256.secret({ group: 23, keyExchange: compressed })), 'EBAD_KEY_SHARE', 'compressed');
  const offCurve = peer.slice();
  offCurve[64]! ^= 1;
  t.equal(code(() => p256.secret({ group: 23, keyExchange: offCurve })), 'EBAD_KEY_SHARE', 'y changed');
  const wrongPrefix = peer.slice();
  wrongPrefix[0] = 0x05;
  t.equal(code(() => p256.secret({ group: 23, keyExchange: wrongPrefix })), 'EBAD_KEY_SHARE', 'not 0x04');
});

t.test('an ffdhe2048 value of 0, 1, p-1 or p, or not the prime\'s length, is EBAD_KEY_SHARE', async (t) => {
  const ffdhe = pair(0x0100);
  const p = BigInt(`0x${FFDHE_PRIMES[0x0100]!}`);
  const asShare = (n: bigint): { group: number; keyExchange: Uint8Array } => ({ group: 0x0100, keyExchange: Uint8Array.from(Buffer.from(n.toString(16).padStart(512, '0'), 'hex')) });
  for (const [value, what] of [[0n, '0'], [1n, '1'], [p - 1n, 'p-1'], [p, 'p']] as const) {
    t.equal(code(() => ffdhe.secret(asShare(value))), 'EBAD_KEY_SHARE', what);
  }
  t.equal(code(() => ffdhe.secret(asShare(2n))), 'no error', '2 is a (weak but) valid value');
  t.equal(code(() => ffdhe.secret({ group: 0x0100, keyExchange: new Uint8Array(255).fill(7) })), 'EBAD_KEY_SHARE', '255 bytes');
  t.equal(groupById(0x0100)?.bits, 2048);
});
