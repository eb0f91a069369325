/**
 * The SSH rules as data and judgeSsh on hand-made KEXINIT lists: markers and compression are
 * never judged, an unknown name is a violation that says so, cipher and MAC lists count once for
 * both directions (and say so when a name is offered one way only), HMAC-SHA-1 is a warning,
 * the ML-KEM hybrids are read as RHEL's FIPS policy reads them, and every rule names its source.
 */
import t from 'tap';
import { judgeSsh, sshDisposition, type SshAlgorithmLists } from '../../src/policy/sshPolicy.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../../src/policy/profiles.js';
import type { Policy, SshPolicy } from '../../src/policy/types.js';
import { isValidName } from '../../src/wire/ssh.js';

const STRICT = builtinPolicy('fips-strict') as Policy & { ssh: SshPolicy };
const FIPS_140_3 = builtinPolicy('fips-140-3') as Policy & { ssh: SshPolicy };
const FIPS_SSH_RULES = STRICT.ssh;
const FIPS_140_3_SSH_RULES = FIPS_140_3.ssh;

const FIPS_OK: SshAlgorithmLists = {
  kexAlgorithms: ['mlkem768nistp256-sha256', 'ecdh-sha2-nistp384', 'diffie-hellman-group14-sha256', 'ext-info-s', 'kex-strict-s-v00@openssh.com'],
  serverHostKeyAlgorithms: ['ecdsa-sha2-nistp384', 'rsa-sha2-512-cert-v01@openssh.com'],
  encryptionClientToServer: ['aes256-gcm@openssh.com', 'aes192-ctr'],
  encryptionServerToClient: ['aes256-gcm@openssh.com', 'aes192-ctr'],
  macClientToServer: ['hmac-sha2-512-etm@openssh.com'],
  macServerToClient: ['hmac-sha2-512-etm@openssh.com'],
};

t.test('a FIPS server with markers in its key-exchange list passes: markers are no algorithms', async (t) => {
  t.same(judgeSsh(FIPS_OK, STRICT), { violations: [], warnings: [] });
  for (const marker of ['kex-strict-s-v00@openssh.com', 'kex-strict-c-v00@openssh.com', 'ext-info-s', 'ext-info-c']) {
    t.equal(sshDisposition(FIPS_SSH_RULES, 'kex', marker), 'marker', marker);
  }
});

t.test('compression is never judged', async (t) => {
  const withZlib = { ...FIPS_OK, compressionClientToServer: ['zlib@openssh.com', 'zlib'], compressionServerToClient: ['zlib'] };
  t.same(judgeSsh(withZlib, STRICT), { violations: [], warnings: [] });
});

t.test('an algorithm fipscan does not know is a violation that says so', async (t) => {
  const r = judgeSsh({ ...FIPS_OK, kexAlgorithms: ['gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g=='] }, STRICT);
  t.equal(r.violations.length, 1);
  t.equal(r.violations[0]!.item, 'kex gss-group14-sha256-toWM5Slw5Ew8Mqkay+al2g==');
  t.match(r.violations[0]!.message, 'not an algorithm fipscan knows');
  t.equal(r.violations[0]!.protocol, null);
});

t.test('a cipher offered both ways is named once; one offered one way says which', async (t) => {
  const r = judgeSsh(
    { ...FIPS_OK, encryptionClientToServer: ['chacha20-poly1305@openssh.com', 'aes128-ctr'], encryptionServerToClient: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes128-cbc'] },
    STRICT,
  );
  t.same(r.violations.map((v) => v.item), ['cipher chacha20-poly1305@openssh.com', 'cipher aes128-cbc']);
  t.match(r.violations[1]!.message, 'SSH offers cipher aes128-cbc (server to client only): fips-strict does not allow this cipher (CBC mode');
});

t.test('HMAC-SHA-1 and its ETM form are warnings with the SP 800-131A reading', async (t) => {
  const r = judgeSsh({ ...FIPS_OK, macClientToServer: ['hmac-sha1', 'hmac-sha1-etm@openssh.com'], macServerToClient: ['hmac-sha1', 'hmac-sha1-etm@openssh.com'] }, STRICT);
  t.same(r.violations, []);
  t.same(r.warnings.map((w) => w.item), ['mac hmac-sha1', 'mac hmac-sha1-etm@openssh.com']);
  t.match(r.warnings[0]!.message, 'fips-strict allows this MAC only with a warning (HMAC-SHA-1: acceptable for HMAC under NIST SP 800-131A Rev. 2');
  t.equal(r.warnings[0]!.rule, 'ssh-mac');
});

t.test('ML-KEM hybrids: the NIST-curve ones RHEL lists pass, the X25519 one does not (a warning in fips-140-3)', async (t) => {
  t.equal(sshDisposition(FIPS_SSH_RULES, 'kex', 'mlkem768nistp256-sha256'), 'allow');
  t.equal(sshDisposition(FIPS_SSH_RULES, 'kex', 'mlkem1024nistp384-sha384'), 'allow');
  t.equal(sshDisposition(FIPS_SSH_RULES, 'kex', 'mlkem768x25519-sha256'), 'deny');
  t.equal(sshDisposition(FIPS_140_3_SSH_RULES, 'kex', 'mlkem768x25519-sha256'), 'warn');
  t.equal(sshDisposition(FIPS_SSH_RULES, 'host-key', 'ssh-ed25519'), 'deny');
  t.equal(sshDisposition(FIPS_140_3_SSH_RULES, 'host-key', 'ssh-ed25519-cert-v01@openssh.com'), 'warn');
});

t.test('the rule data is consistent', async (t) => {
  for (const policy of BUILTIN_POLICIES) {
    const { id } = policy;
    const rules = policy.ssh;
    if (!t.ok(rules, `${id} judges SSH`) || !rules) continue;
    for (const key of ['kex', 'hostKey', 'cipher', 'mac'] as const) {
      const { allow, warn } = rules[key];
      t.same([...allow, ...warn].filter((n) => !isValidName(n)), [], `${id} ${key}: every name is a valid SSH name`);
      t.same(allow.filter((n) => warn.includes(n)), [], `${id} ${key}: no name both allowed and warned`);
      t.same(warn.filter((n) => rules.reasons[n] === undefined), [], `${id} ${key}: every warned name has a reason`);
    }
    for (const rule of ['ssh-kex', 'ssh-host-key', 'ssh-cipher', 'ssh-mac'] as const) t.ok(policy.sources[rule].length > 40, `${id} ${rule}: a source`);
    t.ok(rules.notes.markers.length > 40 && rules.notes.compression.length > 20, `${id}: markers and compression say why they are not judged`);
  }
});
