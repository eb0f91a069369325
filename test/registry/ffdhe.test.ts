/**
 * The RFC 7919 primes, checked two independent ways: against OpenSSL's ffdhe parameters saved in
 * fixtures/ffdhe/ and against the RFC's construction from e. Then prime lookup from hex and bytes.
 */

import { readFileSync } from 'node:fs';
import t from 'tap';
import { FFDHE_GENERATOR, FFDHE_PRIMES, FFDHE_PRIME_BITS, ffdheGroupForPrime } from '../../src/registry/groups.js';
import { FIXTURES } from './ianaCsv.js';

// Node 20's node:crypto knows no ffdhe group (getDiffieHellman('ffdhe2048') throws), so the
// primes are checked against OpenSSL's parameters (fixtures/ffdhe/) and against RFC 7919's formula.

const GROUPS: [id: number, bits: number, x: bigint][] = [
  // X from RFC 7919 Appendix A.1-A.5.
  [256, 2048, 560316n],
  [257, 3072, 2625351n],
  [258, 4096, 5736041n],
  [259, 6144, 15705020n],
  [260, 8192, 10965728n],
];

/** p and g of a PKCS#3 DHParameter PEM: SEQUENCE { INTEGER p, INTEGER g }. */
function readDhParameters(pem: string): { p: bigint; g: bigint } {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  let at = 0;
  const length = (): number => {
    const first = der[at++]!;
    if (first < 0x80) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + der[at++]!;
    return n;
  };
  const integer = (): bigint => {
    if (der[at++] !== 0x02) throw new Error('INTEGER expected');
    const n = length();
    const value = BigInt(`0x${der.subarray(at, at + n).toString('hex')}`);
    at += n;
    return value;
  };
  if (der[at++] !== 0x30) throw new Error('SEQUENCE expected');
  length();
  return { p: integer(), g: integer() };
}

/** floor(e * 2^k), from the series e = sum 1/n!, in fixed point with 64 guard bits. */
function eTimesPowerOfTwo(k: number): bigint {
  const one = 1n << BigInt(k + 64);
  let term = one;
  let sum = 0n;
  for (let n = 1n; term > 0n; n++) {
    sum += term;
    term /= n;
  }
  return sum >> 64n;
}

t.test('each prime equals the OpenSSL 3.0 ffdhe parameters, generator 2', async (t) => {
  t.equal(FFDHE_GENERATOR, 2);
  for (const [id, bits] of GROUPS) {
    const { p, g } = readDhParameters(readFileSync(new URL(`ffdhe/ffdhe${bits}.pem`, FIXTURES), 'utf8'));
    t.equal(FFDHE_PRIMES[id], p.toString(16).toUpperCase(), `ffdhe${bits}`);
    t.equal(g, 2n);
    t.equal(FFDHE_PRIME_BITS[id], bits);
  }
});

t.test('each prime follows RFC 7919: 2^b - 2^(b-64) + {[2^(b-130) e] + X} * 2^64 - 1', async (t) => {
  for (const [id, bits, x] of GROUPS) {
    const b = BigInt(bits);
    const want = (1n << b) - (1n << (b - 64n)) + (eTimesPowerOfTwo(bits - 130) + x) * (1n << 64n) - 1n;
    t.equal(BigInt(`0x${FFDHE_PRIMES[id]!}`), want, `ffdhe${bits}`);
  }
});

t.test('ffdheGroupForPrime recognises a prime as hex or as wire bytes', async (t) => {
  const p2048 = FFDHE_PRIMES[256]!;
  t.equal(ffdheGroupForPrime(p2048), 256);
  t.equal(ffdheGroupForPrime(`0x${p2048.toLowerCase()}`), 256, 'lower case with 0x');
  t.equal(ffdheGroupForPrime(p2048.replace(/(.{8})/g, '$1 ')), 256, 'RFC-style spaced hex');
  t.equal(ffdheGroupForPrime(Buffer.from(FFDHE_PRIMES[260]!, 'hex')), 260, 'bytes');
  t.equal(ffdheGroupForPrime(new Uint8Array([0, ...Buffer.from(FFDHE_PRIMES[257]!, 'hex')])), 257, 'a leading zero byte');
  const custom = Buffer.from(p2048, 'hex');
  custom[100] = custom[100]! ^ 1;
  t.equal(ffdheGroupForPrime(custom), null, 'a custom prime');
  t.equal(ffdheGroupForPrime('FFFFFFFF'), null);
});
