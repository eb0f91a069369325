/**
 * `--format json` writes the document one endpoint at a time at the end (src/cli/reportSink.ts),
 * so the whole document never exists in memory. Frame and entries must be
 * the very bytes renderJson writes: checked on the golden run (every kind of endpoint, hostile
 * strings included), on one endpoint and on none.
 */
import t from 'tap';
import { renderJson, renderJsonEntry, renderJsonFrame, toJsonDocument } from '../../src/report/index.js';
import type { RunReport } from '../../src/report/model.js';
import { goldenRun, run, strictEndpoint } from '../report/factories.js';

function pieces(r: RunReport): string {
  const { endpoints: _endpoints, ...head } = toJsonDocument(r);
  const frame = renderJsonFrame(head);
  const entries = r.endpoints.map((e) => renderJsonEntry(e, r.policy));
  return entries.length === 0 ? frame.empty : `${frame.open}${entries.join(frame.separator)}${frame.close}`;
}

t.test('the pieces join to exactly what renderJson writes', async (t) => {
  for (const [name, r] of [['golden run', goldenRun()], ['one endpoint', run([strictEndpoint()])], ['no endpoints', run([])]] as const) {
    t.equal(pieces(r), renderJson(r), name);
  }
});

t.test('a server string with line and paragraph separators and controls stays one entry line per JSON line', async (t) => {
  const e = strictEndpoint();
  e.result.target = 'evil\u2028target\u2029\u001b[2J\r\n.example:443';
  const r = run([e, strictEndpoint()]);
  t.equal(pieces(r), renderJson(r));
});
