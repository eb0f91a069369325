/**
 * Endpoints that speak something else (random bytes, an HTTP response, an SSH banner) are
 * reported as another protocol (EOTHER_PROTOCOL) after the first two probes, with every version
 * inconclusive: fipscan cannot tell what a TLS server on that port would accept, because there
 * is none. A port that breaks TLS framing is not another protocol (hostile-framing.test.ts).
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkNothingDecisive, scanBehaviour } from './hostileExpect.js';

const NAMED = { garbage: 'an unknown protocol', http: 'HTTP', ssh: 'SSH' } as const;

for (const name of ['garbage', 'http', 'ssh'] as const) {
  t.test(`${name}: EOTHER_PROTOCOL after two probes, every version inconclusive`, async (t) => {
    const r = await scanBehaviour(t, behaviours[name]);
    checkNothingDecisive(t, r, ['EOTHER_PROTOCOL']);
    t.equal(r.probes, 2, 'stops after the TLS 1.2 and TLS 1.3 first probes');
    t.match(r.error?.message, `answers in ${NAMED[name]}`, 'the error names the protocol');
    if (name === 'http') t.match(r.error?.message, '"HTTP/1.1 400 Bad Request\\r\\n', 'and quotes its first bytes');
    if (name !== 'garbage') t.notMatch(r.error?.message, '--starttls', 'no STARTTLS hint for a protocol fipscan cannot upgrade');
  });
}
