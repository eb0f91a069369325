/**
 * SSH endpoints in the terminal report: the header names the identification line; one section
 * per KEXINIT category with a mark before each name, as the Groups section shows groups, one
 * line per direction only when the directions differ; markers and compression neutral; the
 * violations and warnings as for TLS. Terminal-safe and within the width like the rest.
 */
import t from 'tap';
import { renderTable } from '../../src/report/index.js';
import { POLICY, run } from './factories.js';
import { matchGolden } from './golden.js';
import { SSH_POLICY, sshApplianceEndpoint, sshDebianEndpoint, sshFipsEndpoint, sshGoldenRun, sshNotSshEndpoint } from './sshFactories.js';

const SGR = /\x1b\[[0-9;]*m/g;

/** The lines of one section: its title up to the next blank line. */
function section(text: string, title: string, from = 0): string[] {
  const start = text.indexOf(`\n  ${title}\n`, from);
  if (start < 0) return [];
  const end = text.indexOf('\n\n', start + 1);
  return text.slice(start + 1, end).split('\n');
}

t.test('the report of TLS and SSH endpoints matches its golden, with and without colour', async (t) => {
  matchGolden(t, 'report-ssh-table.txt', renderTable(sshGoldenRun(), { color: false }));
  const colored = renderTable(sshGoldenRun(), { color: true });
  t.equal(colored.replace(SGR, ''), renderTable(sshGoldenRun(), { color: false }), 'colour only adds SGR sequences');
});

t.test('the header names the identification line, not a server name', async (t) => {
  const text = renderTable(run([sshFipsEndpoint()], SSH_POLICY), { color: false });
  t.match(text, /── ssh:\/\/bastion\.example ─+\n  address 10\.0\.0\.22   SSH-2\.0-OpenSSH_9\.2p1 Debian-2\+deb12u10   1 probe   38 ms\n/);
  t.notMatch(text, /SNI|Protocols|Features/, 'no TLS sections');
  t.match(text, /· not judged/, 'the legend names the neutral mark');
  t.notMatch(renderTable(run([]), { color: false }), /not judged/, 'only when an SSH endpoint is shown');
});

t.test('one section per category in KEXINIT order, each name marked, markers and compression neutral', async (t) => {
  const text = renderTable(run([sshDebianEndpoint()], SSH_POLICY), { color: false });
  const titles = ['Key exchange', 'Host keys', 'Ciphers', 'MACs', 'Compression (not judged)'];
  t.same(titles.map((title) => text.indexOf(`\n  ${title}\n`)).every((at, i, all) => at > 0 && (i === 0 || at > all[i - 1]!)), true, 'in order');
  const kex = section(text, 'Key exchange').join('\n');
  t.match(kex, /^    ✗ sntrup761x25519-sha512  ✗ sntrup761x25519-sha512@openssh\.com\n/m, 'server order, denied names marked');
  t.match(kex, /✓ ecdh-sha2-nistp256/);
  t.match(kex, /· kex-strict-s-v00@openssh\.com \(marker\)/);
  t.match(section(text, 'Host keys').join('\n'), /✓ ecdsa-sha2-nistp256  ✗ ssh-ed25519/);
  t.match(section(text, 'Ciphers')[1], /^    ✗ chacha20-poly1305@openssh\.com  ✓ aes128-ctr/, 'one line when both directions are the same');
  t.match(section(text, 'MACs').join('\n'), /! hmac-sha1-etm@openssh\.com/, 'warned names');
  t.same(section(text, 'Compression (not judged)'), ['  Compression (not judged)', '    · none  · zlib@openssh.com']);
  t.match(text, /\n  FAIL  10 violations, 2 warnings\n    ✗ SSH offers kex sntrup761x25519-sha512: /);
  t.match(text, /\n    ✗ SSH offers cipher chacha20-poly1305@openssh\.com: test-fips-ssh does not\n      allow this cipher/);
  t.match(text, /\n    ! SSH offers mac hmac-sha1: /);
});

t.test('directions that differ get a client→server and a server→client line', async (t) => {
  const text = renderTable(run([sshApplianceEndpoint()], SSH_POLICY), { color: false });
  t.same(section(text, 'Ciphers'), ['  Ciphers', '    client→server  ✓ aes256-ctr  ✗ 3des-cbc', '    server→client  ✓ aes256-ctr']);
  t.same(section(text, 'MACs'), ['  MACs', '    client→server  ✓ hmac-sha2-256', '    server→client  ✓ hmac-sha2-256  ✗ hmac-md5']);
  t.same(section(text, 'Compression (not judged)'), ['  Compression (not judged)', '    client→server  · none', '    server→client  · none  · zlib']);
  t.match(text, /✗ SSH offers cipher 3des-cbc \(client to server only\)/);
});

t.test('server text is escaped; marks are coloured like the TLS marks, the neutral one not at all', async (t) => {
  const plain = renderTable(run([sshApplianceEndpoint()], SSH_POLICY), { color: false });
  t.notMatch(plain, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'only printable characters and newlines');
  t.match(plain, /SSH-2\.0-ApplianceSSH_4\.1 h2\\x1b\[31m\\x9b31m/);
  const colored = renderTable(run([sshDebianEndpoint()], SSH_POLICY), { color: true });
  t.match(colored, /\x1b\[31m✗\x1b\[39m chacha20-poly1305@openssh\.com/);
  t.match(colored, /\x1b\[33m!\x1b\[39m hmac-sha1\b/);
  t.match(colored, / · kex-strict-s-v00@openssh\.com \(marker\)/);
});

t.test('an SSH endpoint that could not be read, or a policy without SSH rules', async (t) => {
  const unread = renderTable(run([sshNotSshEndpoint()], SSH_POLICY), { color: false });
  t.match(unread, /  address 10\.0\.0\.80   SSH, no identification read   1 probe   12 ms\n\n  ERROR \(ENOTSSH: /);
  const unjudged = renderTable(run([sshFipsEndpoint(POLICY)]), { color: false });
  t.match(unjudged, /\n    · ecdh-sha2-nistp256  · ecdh-sha2-nistp384/, 'names shown, none judged');
  t.match(unjudged, /ERROR \(ENO_SSH_RULES: test-fips has no SSH rules/);
});

t.test('no line is wider than the terminal', async (t) => {
  const long = sshApplianceEndpoint();
  long.result.ssh!.cipher.clientToServer.push(`${'x'.repeat(50)}@example.com`);
  long.result.ssh!.kex.push(`kex-${'y'.repeat(56)}@example.com`);
  for (const width of [60, 80, 100, 120]) {
    for (const color of [false, true]) {
      const lines = renderTable(run([...sshGoldenRun().endpoints, long], SSH_POLICY), { color, width }).split('\n');
      const widest = Math.max(...lines.map((l) => Array.from(l.replace(SGR, '')).length));
      t.ok(widest <= width, `width ${width}, color ${color}: widest line ${widest}`);
    }
  }
});
