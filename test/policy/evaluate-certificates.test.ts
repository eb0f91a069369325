import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { certificate, rootCertificate, withChain } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('a 1024-bit RSA leaf key fails', async (t) => {
  const e = evaluate(withChain([certificate({ keyBits: 1024 }), rootCertificate()]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    {
      rule: 'cert-key',
      protocol: 'TLSv1.2',
      item: 'leaf certificate CN=server.test',
      message: 'The leaf certificate CN=server.test has a 1024-bit RSA key: fips-strict requires at least 2048 bits.',
      source: strict.sources['cert-key'],
    },
  ]);
});

t.test('a SHA-1 signature on the leaf fails', async (t) => {
  const e = evaluate(withChain([certificate({ signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' }), rootCertificate()]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.item, v.message]), [
    ['cert-signature', 'leaf certificate CN=server.test', 'The leaf certificate CN=server.test is signed with sha1WithRSAEncryption: fips-strict requires SHA-256, SHA-384, SHA-512.'],
  ]);
});

t.test("a root's self-signature is not judged, but its key is", async (t) => {
  const sha1Root = rootCertificate({ signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' });
  t.equal(evaluate(withChain([certificate(), sha1Root]), strict).verdict, 'pass');
  const weakRoot = evaluate(withChain([certificate(), rootCertificate({ keyBits: 1024 })]), strict);
  t.same(weakRoot.violations.map((v) => [v.rule, v.item]), [['cert-key', 'root certificate CN=fipscan test CA']]);
});

t.test('a self-signed leaf is judged on its signature', async (t) => {
  const e = evaluate(withChain([certificate({ selfSigned: true, signatureHash: 'SHA-1', signatureAlgorithm: 'sha1WithRSAEncryption' })]), strict);
  t.same(e.violations.map((v) => v.rule), ['cert-signature']);
});

t.test('EC keys are judged by curve, EdDSA by key type', async (t) => {
  const ec = (curve: string) => withChain([certificate({ keyType: 'EC', keyBits: 256, curve, signatureAlgorithm: 'ecdsa-with-SHA256' })]);
  t.equal(evaluate(ec('P-256'), strict).verdict, 'pass');
  t.same(evaluate(ec('secp256k1'), strict).violations.map((v) => v.message), [
    'The leaf certificate CN=server.test has an EC key on secp256k1: fips-strict allows P-256, P-384, P-521 only.',
  ]);
  const ed = withChain([certificate({ keyType: 'Ed25519', keyBits: 255, signatureAlgorithm: 'Ed25519', signatureHash: null })]);
  t.same(evaluate(ed, strict).violations.map((v) => v.rule), ['cert-key', 'cert-signature']);
  t.equal(evaluate(ed, builtinPolicy('fips-140-3')!).verdict, 'pass');
});

t.test('a SHA-224 signature is a warning under sp800-52r2', async (t) => {
  const e = evaluate(withChain([certificate({ signatureAlgorithm: 'sha224WithRSAEncryption', signatureHash: 'SHA-224' })]), builtinPolicy('sp800-52r2')!);
  t.equal(e.verdict, 'pass');
  t.same(e.warnings.map((w) => w.rule), ['cert-signature']);
});

t.test('a signature whose hash the scan could not read is inconclusive, not passed', async (t) => {
  const e = evaluate(withChain([certificate({ signatureAlgorithm: 'RSASSA-PSS', signatureHash: null })]), strict);
  t.equal(e.verdict, 'error');
  t.equal(e.error?.code, 'EINCONCLUSIVE');
  t.same(e.inconclusive.map((v) => v.item), ['leaf certificate CN=server.test']);
});

t.test('scope "leaf" judges the leaf only', async (t) => {
  const leafOnly = { ...strict, certificate: { ...strict.certificate, scope: 'leaf' as const } };
  const r = withChain([certificate(), certificate({ subject: 'CN=intermediate', fingerprintSha256: 'bb'.repeat(32), keyBits: 1024 })]);
  t.equal(evaluate(r, strict).verdict, 'fail');
  t.equal(evaluate(r, leafOnly).verdict, 'pass');
});

t.test('a server that sent no readable certificate is inconclusive', async (t) => {
  const r = withChain([]);
  const e = evaluate(r, strict);
  t.equal(e.verdict, 'error');
  t.same(e.inconclusive.map((v) => v.item), ['certificates']);
});
