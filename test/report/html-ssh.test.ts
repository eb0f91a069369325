/**
 * SSH endpoints on the HTML page: the meta line names the identification line; why it passes or
 * fails in SSH's words; the evidence names the server, then a table per KEXINIT category in the
 * server's order with the policy's word on each name (one per direction when they differ;
 * markers and compression neutral), and the KEXINIT in hex, folded. The page of the SSH golden
 * run is a golden file.
 */
import t from 'tap';
import { renderHtml } from '../../src/report/html.js';
import { toJsonDocument } from '../../src/report/json.js';
import { POLICY, run } from './factories.js';
import { matchGolden } from './golden.js';
import { tagsOf, textOf } from './htmlMarkup.js';
import { SSH_POLICY, sshApplianceEndpoint, sshDebianEndpoint, sshFipsEndpoint, sshGoldenRun, sshNotSshEndpoint } from './sshFactories.js';

const page = (...endpoints: ReturnType<typeof sshFipsEndpoint>[]) => renderHtml(toJsonDocument(run(endpoints, SSH_POLICY)));

/** The text of the table with this caption. */
function tableText(html: string, caption: string): string {
  const at = html.indexOf(`<caption>${caption.replace(/'/g, '&#39;')}</caption>`);
  return at < 0 ? '' : textOf(html.slice(at, html.indexOf('</table>', at)));
}

t.test('the page of a run with TLS and SSH endpoints matches its golden file', async (t) => {
  matchGolden(t, 'report-ssh.html', renderHtml(toJsonDocument(sshGoldenRun())));
});

t.test('an SSH endpoint names its identification line and passes in SSH words', async (t) => {
  const text = textOf(page(sshFipsEndpoint()));
  t.match(text, /address 10\.0\.0\.22 · SSH SSH-2\.0-OpenSSH_9\.2p1 Debian-2\+deb12u10 · 1 probe · 38 ms/);
  t.match(text, /Every key exchange, host-key, cipher and MAC algorithm the server offers is allowed by test-fips-ssh\./);
  t.match(text, /2 warnings\s*ssh-mac SSH offers mac hmac-sha1-etm@openssh\.com/);
  t.match(text, /Evidence OpenSSH_9\.2p1; 7 key exchanges, 3 host keys, 4 ciphers, 6 MACs/);
  t.notMatch(text, /Protocol versions|TLS features|SNI/, 'no TLS evidence');
});

t.test('one table per category, in the server order, each name with the policy word', async (t) => {
  const html = page(sshDebianEndpoint());
  t.match(tableText(html, "Key exchange, in the server's order"), /order#algorithmpolicy1sntrup761x25519-sha512✗ denied2sntrup761x25519-sha512@openssh\.com✗ denied3curve25519-sha256✗ denied/);
  t.match(tableText(html, "Key exchange, in the server's order"), /12kex-strict-s-v00@openssh\.com· marker, not judged$/);
  t.match(tableText(html, "Host keys, in the server's order"), /4ssh-ed25519✗ denied$/);
  t.match(tableText(html, "Ciphers, both directions, in the server's order"), /1chacha20-poly1305@openssh\.com✗ denied2aes128-ctr✓ allowed/);
  t.match(tableText(html, "MACs, both directions, in the server's order"), /10hmac-sha1! warned$/);
  t.equal(tableText(html, "Compression (not judged), both directions, in the server's order"), "Compression (not judged), both directions, in the server's order#algorithmpolicy1none· not judged2zlib@openssh.com· not judged");
  t.match(textOf(html), /10 violations[\s\S]*ssh-cipher SSH offers cipher chacha20-poly1305@openssh\.com/);
});

t.test('directions that differ get a table each; the server text is escaped', async (t) => {
  const html = page(sshApplianceEndpoint());
  t.equal(tableText(html, "Ciphers, client to server, in the server's order"), "Ciphers, client to server, in the server's order#algorithmpolicy1aes256-ctr✓ allowed23des-cbc✗ denied");
  t.equal(tableText(html, "Ciphers, server to client, in the server's order"), "Ciphers, server to client, in the server's order#algorithmpolicy1aes256-ctr✓ allowed");
  t.match(tableText(html, "MACs, server to client, in the server's order"), /2hmac-md5✗ denied$/);
  t.match(textOf(html), /lines before itWelcome to the applianceDNS:evil\.example\\x1b\[8m/);
  t.notOk(html.includes('\x1b') || html.includes('\x9b'), 'no raw control character');
});

t.test('the KEXINIT is on the page in hex, folded', async (t) => {
  const e = sshFipsEndpoint();
  const html = page(e);
  const hex = e.result.ssh!.kexinitHex;
  t.match(html, new RegExp(`<details class="kexinit"><summary>KEXINIT as the server sent it \\(${hex.length / 2} bytes, hex\\)</summary><code class="hash">${hex}</code></details>`));
  t.notOk(tagsOf(html).some((tag) => tag.name === 'details' && tag.attributes.class === 'kexinit' && 'open' in tag.attributes), 'folded');
});

t.test('an SSH endpoint that could not be read has no evidence; under a policy without SSH rules nothing is judged', async (t) => {
  const unread = textOf(page(sshNotSshEndpoint()));
  t.match(unread, /SSH no identification read/);
  t.match(unread, /Could not be judged\s*ENOTSSH/);
  t.match(unread, /No evidence: the endpoint could not be scanned\./);
  const unjudged = renderHtml(toJsonDocument(run([sshFipsEndpoint(POLICY)])));
  t.match(tableText(unjudged, "Host keys, in the server's order"), /1ecdsa-sha2-nistp256· not judged/);
  t.match(textOf(unjudged), /ENO_SSH_RULES/);
});
