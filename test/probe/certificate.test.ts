/**
 * Certificate facts a verdict depends on: key type, size and curve, and the signature hash,
 * including the RSASSA-PSS hash that only the signature parameters carry. Certificates are made
 * by the openssl CLI at test time, so each case is a real encoder's output.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { describeCertificate } from '../../src/probe/certificate.js';

const dir = mkdtempSync(join(tmpdir(), 'fipscan-cert-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function make(name: string, keyArgs: string[], sigArgs: string[]): Uint8Array {
  const pem = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', ...keyArgs, ...sigArgs, '-nodes', '-keyout', join(dir, `${name}.key`), '-out', pem, '-subj', `/CN=${name}`, '-days', '30', '-addext', 'subjectAltName=DNS:a.example,IP:127.0.0.1'], { stdio: 'ignore' });
  return new Uint8Array(new X509Certificate(readFileSync(pem)).raw);
}

t.test('RSA-PSS with SHA-384 reports the hash from the PSS parameters', async (t) => {
  const c = describeCertificate(make('pss', ['-newkey', 'rsa:2048'], ['-sha384', '-sigopt', 'rsa_padding_mode:pss']));
  t.match(c, { keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'RSASSA-PSS', signatureHash: 'SHA-384', selfSigned: true });
});

t.test('ECDSA P-384 key with ecdsa-with-SHA384', async (t) => {
  const c = describeCertificate(make('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], ['-sha384']));
  t.match(c, { keyType: 'EC', keyBits: 384, curve: 'P-384', signatureAlgorithm: 'ecdsa-with-SHA384', signatureHash: 'SHA-384' });
  t.same(c.subjectAltNames, ['DNS:a.example', 'IP Address:127.0.0.1']);
});

t.test('RSA 1024 signed with SHA-1 is reported as such', async (t) => {
  const c = describeCertificate(make('weak', ['-newkey', 'rsa:1024'], ['-sha1']));
  t.match(c, { keyType: 'RSA', keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' });
});

t.test('Ed25519 has no separate hash', async (t) => {
  const c = describeCertificate(make('ed', ['-newkey', 'ed25519'], []));
  t.match(c, { keyType: 'Ed25519', signatureAlgorithm: 'Ed25519', signatureHash: null });
});

t.test('bytes that are not a certificate are reported as unknown, not thrown', async (t) => {
  const c = describeCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]));
  t.equal(c.keyType, 'unknown');
  t.equal(c.signatureAlgorithm, 'unknown');
});
