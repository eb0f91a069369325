import t from 'tap';
import { PolicyError, parsePolicy } from '../../src/policy/index.js';

const base = { extends: 'fips-strict', id: 'mine', version: '1' };

/** The exact one-line message parsePolicy throws for `doc`. */
function errorFor(doc: unknown, text = JSON.stringify(doc)): string {
  try {
    parsePolicy(text, 'my.json');
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    if (err.code !== 'EPOLICY' || err.message.includes('\n')) throw new Error(`not a one-line EPOLICY error: ${err.message}`);
    return err.message;
  }
  throw new Error('parsePolicy accepted it');
}

t.test('invalid JSON names the source and the parser message', async (t) => {
  const text = '{"id": "x",}';
  let parserMessage = '';
  try {
    JSON.parse(text);
  } catch (err) {
    parserMessage = (err as Error).message;
  }
  t.equal(errorFor(null, text), `my.json: invalid JSON: ${parserMessage}`);
});

t.test('each kind of mistake is one line with its JSON path', async (t) => {
  const cases: [unknown, string][] = [
    [[], 'my.json: $: expected a JSON object, got an array'],
    [{ ...base, tls12suites: {} }, 'my.json: tls12suites: unknown key (expected one of extends, id, version, title, basis, protocols, tls12Suites, tls13Suites, groups, signatureSchemes, dhMinBits, dhNamedGroupsOnly, certificate, require, ssh, sources)'],
    [{ ...base, sources: { suites: 'my CISO, 2026' } }, 'my.json: sources.suites: unknown key (expected one of protocol, suite, group, signature-scheme, dh-group, dh-size, cert-key, cert-signature, ems, renegotiation, tls13-required, protocol-violation, plaintext, inconclusive, ssh-kex, ssh-host-key, ssh-cipher, ssh-mac)'],
    [{ ...base, sources: { suite: '' } }, 'my.json: sources.suite: expected a non-empty string, got ""'],
    [{ ...base, signatureSchemes: { allow: ['rsa_pss_rsae_sha256', 'rsa_pss_sha999'] } }, 'my.json: signatureSchemes.allow[1]: unknown signature scheme "rsa_pss_sha999"'],
    [{ ...base, dhNamedGroupsOnly: 'yes' }, 'my.json: dhNamedGroupsOnly: expected true or false, got "yes"'],
    [{ ...base, extends: 'fips' }, 'my.json: extends: expected a built-in policy id (fips-strict, sp800-52r2, fips-140-3, istio-fips-140-2, istio-pqc), got "fips"'],
    [{ extends: 'fips-strict', version: '1' }, 'my.json: id: expected a policy id, got nothing (every policy needs one)'],
    [{ extends: 'fips-strict', id: 'mine' }, 'my.json: version: expected a non-empty string, got nothing (every policy needs one)'],
    [{ ...base, id: 'my policy' }, 'my.json: id: expected an id of letters, digits, ".", "_" and "-", got "my policy"'],
    [{ ...base, tls12Suites: { allow: ['0xc02f', 'x', 'y', 'FOO'] } }, 'my.json: tls12Suites.allow[1]: unknown cipher suite "x"'],
    [{ ...base, tls12Suites: { allow: ['0xc02f', 49200, 'ECDHE-RSA-AES128-SHA', 'FOO'] } }, 'my.json: tls12Suites.allow[3]: unknown cipher suite "FOO"'],
    [{ ...base, tls12Suites: { allow: [70000] } }, 'my.json: tls12Suites.allow[0]: expected a cipher suite codepoint from 0 to 0xffff, got 70000'],
    [{ ...base, tls12Suites: { allow: [true] } }, 'my.json: tls12Suites.allow[0]: expected a cipher suite name or codepoint, got true'],
    [{ ...base, tls12Suites: { allow: 'ECDHE-RSA-AES128-GCM-SHA256' } }, 'my.json: tls12Suites.allow: expected a list of cipher suites, got "ECDHE-RSA-AES128-GCM-SHA256"'],
    [{ ...base, tls12Suites: { allow: ['0xc02f', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } }, 'my.json: tls12Suites.allow[1]: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" is listed twice'],
    [{ ...base, tls12Suites: { allow: ['0xc02f'], warn: [49199] } }, 'my.json: tls12Suites.warn[0]: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f) is also in tls12Suites.allow'],
    [{ ...base, tls12Suites: { allow: ['TLS_AES_128_GCM_SHA256'] } }, 'my.json: tls12Suites.allow[0]: expected a TLS 1.2 (or older) cipher suite, got "TLS_AES_128_GCM_SHA256" (TLS_AES_128_GCM_SHA256 (0x1301) belongs in tls13Suites)'],
    [{ ...base, tls13Suites: { allow: ['0xc02f'] } }, 'my.json: tls13Suites.allow[0]: expected a TLS 1.3 cipher suite, got "0xc02f" (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f) belongs in tls12Suites)'],
    [{ ...base, tls12Suites: { allow: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc030)'] } }, 'my.json: tls12Suites.allow[0]: expected TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 to be 0xc02f, got "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc030)"'],
    [{ ...base, tls12Suites: { allowed: [] } }, 'my.json: tls12Suites.allowed: unknown key (expected one of allow, warn)'],
    [{ ...base, groups: { allow: ['P-256', 'curve25519'] } }, 'my.json: groups.allow[1]: unknown group "curve25519"'],
    [{ ...base, signatureSchemes: { warn: ['rsa_sha1'] } }, 'my.json: signatureSchemes.warn[0]: unknown signature scheme "rsa_sha1"'],
    [{ ...base, protocols: { 'TLSv1.4': 'allow' } }, 'my.json: protocols["TLSv1.4"]: unknown key (expected one of SSLv2, SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3)'],
    [{ ...base, protocols: { 'TLSv1.0': 'permit' } }, 'my.json: protocols["TLSv1.0"]: expected one of "allow", "warn", "deny", got "permit"'],
    [{ ...base, dhMinBits: '2048' }, 'my.json: dhMinBits: expected a whole number of bits from 0 to 65536, got "2048"'],
    [{ ...base, certificate: { rsaMinBits: 2047.5 } }, 'my.json: certificate.rsaMinBits: expected a whole number of bits from 0 to 65536, got 2047.5'],
    [{ ...base, certificate: { ecCurves: ['P-256', 'x25519'] } }, 'my.json: certificate.ecCurves[1]: unknown EC curve "x25519"'],
    [{ ...base, certificate: { keyTypes: ['RSA', 'ECDSA'] } }, 'my.json: certificate.keyTypes[1]: unknown key type "ECDSA" (expected one of RSA, RSA-PSS, EC, DSA, Ed25519, Ed448, ML-DSA-44, ML-DSA-65, ML-DSA-87)'],
    [{ ...base, certificate: { signatureHashes: ['SHA3-256'] } }, 'my.json: certificate.signatureHashes[0]: unknown hash "SHA3-256" (expected one of MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512)'],
    [{ ...base, certificate: { signatureHashesWarn: ['SHA-256'] } }, 'my.json: certificate.signatureHashesWarn[0]: "SHA-256" is also in certificate.signatureHashes'],
    [{ ...base, certificate: { scope: 'all' } }, 'my.json: certificate.scope: expected one of "leaf", "chain", got "all"'],
    [{ ...base, require: { extendedMasterSecret: true } }, 'my.json: require.extendedMasterSecret: expected one of "off", "supported", "required", got true'],
    [{ ...base, require: { tls13: 'yes' } }, 'my.json: require.tls13: expected true or false, got "yes"'],
    [{ ...base, require: { ems: 'required' } }, 'my.json: require.ems: unknown key (expected one of extendedMasterSecret, secureRenegotiation, tls13)'],
    [{ ...base, ssh: { ciphers: {} } }, 'my.json: ssh.ciphers: unknown key (expected one of kex, hostKey, cipher, mac, markers, reasons, notes)'],
    [{ ...base, ssh: { cipher: { allow: ['aes128-ctr,aes256-ctr'] } } }, 'my.json: ssh.cipher.allow[0]: "aes128-ctr,aes256-ctr" is not an SSH algorithm name (printable ASCII, no comma or space, at most 64 characters)'],
    [{ ...base, ssh: { mac: { allow: ['hmac-sha1'], warn: ['hmac-sha1'] } } }, 'my.json: ssh.mac.warn[0]: "hmac-sha1" is also in ssh.mac.allow'],
    [{ ...base, ssh: 'fips' }, 'my.json: ssh: expected an object of SSH rules, or null, got "fips"'],
    [{ id: 'alone', version: '1', title: 't', basis: 'b' }, 'my.json: protocols: expected an object of protocol dispositions, got nothing (required when the policy does not extend a built-in)'],
  ];
  for (const [doc, message] of cases) t.equal(errorFor(doc), message);
});

t.test('a standalone policy must give every protocol', async (t) => {
  const doc = JSON.parse(JSON.stringify({ id: 'alone', version: '1', title: 't', basis: 'b', protocols: { 'TLSv1.2': 'allow' } }));
  t.equal(errorFor(doc), 'my.json: protocols.SSLv2: expected one of "allow", "warn", "deny", got nothing (required when the policy does not extend a built-in)');
});
