/**
 * Suites that need a client secret (SRP, RFC 5054) are offered apart from the others, with the
 * SRP extension. A stack may pick an SRP suite from a hello without that extension and then
 * refuse the whole hello (Erlang/OTP does, with handshake_failure): offered together, every suite
 * the server ranks below SRP would be hidden, and a server preferring SRP would seem to refuse
 * the version. A server that speaks SRP but does not know our user name answers
 * unknown_psk_identity, which proves nothing: its SRP suites are inconclusive, never refused.
 */
import t from 'tap';
import { extensionBody } from '../wire/clientHelloParser.js';
import { scripted, SCRIPTED, type Decision, type ScriptedConfig } from '../helpers/hostile.js';
import { FAST, hex, protocol, scanBehaviour } from './hostileExpect.js';

const SRP_SHA_RSA_AES_128 = 0xc01e;
/** TLS 1.2 only; the server ranks an SRP suite first, like OTP with ssl:cipher_suites(all, _). */
const CONFIG: ScriptedConfig = { ...SCRIPTED, legacyVersions: [0x0303], suites: [SRP_SHA_RSA_AES_128, 0x009c, 0x002f, 0x0035], tls13Suites: [] };

/** The server's choice; an SRP choice without the SRP extension fails the whole hello, with it the user is unknown. */
function srpServer(knowsUser: boolean) {
  return scripted(CONFIG, {
    decision: (d: Decision, hello): Decision => {
      if (d.kind !== 'tls12' || d.suite !== SRP_SHA_RSA_AES_128 || !hello) return d;
      if (extensionBody(hello, 12) === undefined) return { kind: 'alert', description: 40 };
      return knowsUser ? d : { kind: 'alert', description: 115 };
    },
  });
}

t.test('an SRP suite the server ranks first hides no other suite', async (t) => {
  const r = await scanBehaviour(t, srpServer(false), FAST);
  const tls12 = protocol(r, 'TLSv1.2');
  t.equal(tls12.offered, true, 'TLS 1.2 offered, not refused because of SRP');
  t.same(hex(tls12.suites), hex([0x009c, 0x002f, 0x0035]), 'every other suite found');
  t.ok(tls12.inconclusiveSuites.includes(SRP_SHA_RSA_AES_128), 'the SRP suite stays in question (unknown_psk_identity)');
  t.notOk(tls12.suites.includes(SRP_SHA_RSA_AES_128), 'not claimed accepted');
  t.equal(tls12.suitesComplete, false, 'the list is not claimed complete');
});

t.test('an SRP suite the server takes with our user name is found, listed after the others', async (t) => {
  const r = await scanBehaviour(t, srpServer(true), FAST);
  const tls12 = protocol(r, 'TLSv1.2');
  t.same(hex(tls12.suites), hex([0x009c, 0x002f, 0x0035, SRP_SHA_RSA_AES_128]), 'the SRP suite is found');
  t.equal(tls12.suitesComplete, true);
});
