/**
 * Certificates that parse as X.509 but that node:crypto cannot fully describe: a validity date
 * with month 13 (X509Certificate.validFrom is then the string "Bad time value") and a public key
 * with an unknown algorithm OID (X509Certificate.publicKey throws). certificate.ts promises "a
 * certificate Node cannot parse is still reported, as 'unknown', rather than dropped"; a server
 * sending one must not take the whole scan down.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { withCertificate } from '../helpers/hostileBehaviours.js';
import { certPath } from '../helpers/servers.js';
import { checkScriptedFindings, scanBehaviour } from './hostileExpect.js';

function fixtureDer(): Buffer {
  const pem = readFileSync(certPath('rsa2048'), 'utf8');
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** The leaf with its notBefore month set to 13 (same length, so every DER length stays right). */
function badValidity(): Uint8Array {
  const der = fixtureDer();
  const at = der.indexOf(Buffer.from([0x17, 0x0d])); // UTCTime, 13 bytes: YYMMDDHHMMSSZ
  if (at < 0) throw new Error('fixture has no UTCTime');
  der.write('13', at + 2 + 2, 'latin1');
  return new Uint8Array(der);
}

/** The leaf with rsaEncryption (1.2.840.113549.1.1.1) changed to the unassigned 1.2.840.113549.1.1.99. */
function unknownKeyAlgorithm(): Uint8Array {
  const der = fixtureDer();
  const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
  const at = der.indexOf(oid);
  if (at < 0) throw new Error('fixture has no rsaEncryption OID');
  der[at + oid.length - 1] = 99;
  return new Uint8Array(der);
}

for (const [what, der] of [
  ['a notBefore with month 13', badValidity()],
  ['a public key of an unknown algorithm', unknownKeyAlgorithm()],
] as const) {
  t.test(`a certificate with ${what}: the scan completes and reports it`, async (t) => {
    const r = await scanBehaviour(t, withCertificate(der));
    checkScriptedFindings(t, r);
    t.equal(r.certificates.length, 1, 'the chain is reported');
    t.equal(r.certificates[0]?.chain.length, 1, 'with its one certificate');
  });
}
