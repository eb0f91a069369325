/**
 * Endpoints that speak something else (random bytes, an HTTP response) are reported as another
 * protocol (EOTHER_PROTOCOL) after the first two probes, with every version inconclusive (an SSH
 * banner is scanned as SSH instead): fipscan cannot tell what a TLS server on that port would accept, because there
 * is none. A port that breaks TLS framing is not another protocol (hostile-framing.test.ts).
 */
import t from 'tap';
import { send } from '../helpers/hostile.js';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkNothingDecisive, FAST, scanBehaviour } from './hostileExpect.js';

const NAMED = { garbage: 'an unknown protocol', http: 'HTTP' } as const;

for (const name of ['garbage', 'http'] as const) {
  t.test(`${name}: EOTHER_PROTOCOL after two probes, every version inconclusive`, async (t) => {
    const r = await scanBehaviour(t, behaviours[name]);
    checkNothingDecisive(t, r, ['EOTHER_PROTOCOL']);
    t.equal(r.probes, 2, 'stops after the TLS 1.2 and TLS 1.3 first probes');
    t.match(r.error?.message, `answers in ${NAMED[name]}`, 'the error names the protocol');
    if (name === 'http') t.match(r.error?.message, '"HTTP/1.1 400 Bad Request\\r\\n', 'and quotes its first bytes');
    if (name !== 'garbage') t.notMatch(r.error?.message, '--starttls', 'no STARTTLS hint for a protocol fipscan cannot upgrade');
  });
}

// A port that speaks first with an SSH banner is scanned as SSH (ssh-scan.test.ts has real sshd);
// this one sends the banner and nothing more, so the SSH probe times out waiting for its KEXINIT.
t.test('ssh: scanned as SSH after the two TLS probes; a banner without a KEXINIT is an SSH error', async (t) => {
  const r = await scanBehaviour(t, behaviours.ssh);
  t.equal(r.service, 'ssh');
  t.same(r.protocols, [], 'no TLS versions claimed');
  t.equal(r.probes, 3, 'two TLS probes, one SSH probe');
  t.equal(r.error?.code, 'ETIMEDOUT_HANDSHAKE');
  t.match(r.error?.message, 'no SSH_MSG_KEXINIT within');
  t.equal(r.ssh, null);
});

// Mail and file-transfer greetings: fipscan can upgrade these, so the error points at --starttls.
const UPGRADABLE = [
  ['SMTP', '220 mail.example ESMTP Exim 4.96 Sun, 06 Dec 2026 10:00:00 +0000\r\n'],
  ['IMAP', '* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n'],
  ['POP3', '+OK Dovecot ready.\r\n'],
  ['FTP', '220 (vsFTPd 3.0.3) FTP server ready\r\n'],
] as const;

for (const [protocol, greeting] of UPGRADABLE) {
  t.test(`a ${protocol} greeting: EOTHER_PROTOCOL naming ${protocol}, with the --starttls hint`, async (t) => {
    // The server speaks first, as these do, on accept.
    const r = await scanBehaviour(t, send(greeting), FAST, { atAccept: true });
    checkNothingDecisive(t, r, ['EOTHER_PROTOCOL']);
    t.equal(r.error?.protocol, protocol, 'the protocol is named in the error');
    t.match(r.error?.message, `answers in ${protocol}`);
    t.match(r.error?.message, 'if it offers STARTTLS, see --starttls', 'and points at --starttls');
  });
}
