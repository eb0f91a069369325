/**
 * SSLv2 answers. A correct SERVER-HELLO lists the server's cipher kinds. A malformed one (a
 * 5-byte connection id) still shows the server speaks SSLv2 framing back, so SSLv2 must not be
 * reported "not offered": that verdict is only for servers that close or answer in TLS.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkScriptedFindings, hex, protocol, scanBehaviour } from './hostileExpect.js';

t.test('a correct SSLv2 SERVER-HELLO: SSLv2 offered with its cipher kinds', async (t) => {
  const r = await scanBehaviour(t, behaviours.sslv2Correct);
  const p = protocol(r, 'SSLv2');
  t.equal(p.offered, true, 'SSLv2 offered');
  t.same(hex(p.suites), hex([0x010080, 0x0700c0]), 'cipher kinds from the SERVER-HELLO');
  checkScriptedFindings(t, r, ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
});

t.test('a malformed SSLv2 SERVER-HELLO: SSLv2 never "not offered"', async (t) => {
  const r = await scanBehaviour(t, behaviours.sslv2Malformed);
  const p = protocol(r, 'SSLv2');
  t.not(p.offered, false, `SSLv2 is not "not offered" (${p.reason ?? ''})`);
  checkScriptedFindings(t, r, ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
});
