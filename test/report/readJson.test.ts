import t from 'tap';
import { ReportFormatError, readJsonDocument, renderJson, renderJsonDocument, type JsonDocument } from '../../src/report/index.js';
import { goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, run } from './factories.js';

const everything = () => run([...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint()]);

/** The message readJsonDocument throws for `text`, or null when it reads it. */
function problem(text: string): string | null {
  try {
    readJsonDocument(text);
    return null;
  } catch (err) {
    if (!(err instanceof ReportFormatError)) throw err;
    return err.message;
  }
}

function edited(edit: (d: Record<string, any>) => void): string {
  const doc = JSON.parse(renderJson(everything())) as Record<string, any>;
  edit(doc);
  return JSON.stringify(doc);
}

t.test('a report fipscan wrote reads back as the same document', async (t) => {
  for (const r of [goldenRun(), everything(), run([])]) {
    const text = renderJson(r);
    t.same(readJsonDocument(text), JSON.parse(text));
    t.equal(renderJsonDocument(readJsonDocument(text)), text, 'written back byte for byte: field order kept');
  }
  t.same(readJsonDocument(`\uFEFF${renderJson(goldenRun())}`).summary, { endpoints: 4, pass: 1, fail: 1, error: 2 }, 'a BOM is allowed');
});

t.test('unknown fields are dropped, not passed on', async (t) => {
  const doc = readJsonDocument(edited((d) => {
    d.extra = 1;
    d.endpoints[0].note = 'x';
  })) as JsonDocument & Record<string, unknown>;
  t.equal(doc.extra, undefined);
  t.equal((doc.endpoints[0] as unknown as Record<string, unknown>).note, undefined);
});

t.test('what is not a fipscan/v1 report is one line naming the first bad path', async (t) => {
  t.match(problem('{"schema": '), /^not JSON: /);
  t.match(problem('[]'), /^not a fipscan\/v1 report: \$: expected an object, got an array$/);
  t.match(problem(edited((d) => (d.schema = 'fipscan/v2'))), /^not a fipscan\/v1 report: \$\.schema: expected "fipscan\/v1", got "fipscan\/v2"$/);
  t.match(problem(edited((d) => (d.endpoints[2].verdict = 'ok'))), /\$\.endpoints\[2\]\.verdict: expected one of pass, fail, error, got "ok"$/);
  t.match(problem(edited((d) => delete d.endpoints[0].port)), /\$\.endpoints\[0\]\.port: expected a port number, got nothing$/);
  t.match(problem(edited((d) => (d.endpoints[1].protocols[4].ciphers[0].id = '0xC02F'))), /\$\.endpoints\[1\]\.protocols\[4\]\.ciphers\[0\]\.id: expected a suite id/);
  t.match(problem(edited((d) => (d.startedAt = 'yesterday'))), /\$\.startedAt: expected an ISO 8601 time/);
  t.match(problem(edited((d) => (d.endpoints = {}))), /\$\.endpoints: expected an array, got an object$/);
  t.match(problem(edited((d) => (d.endpoints[0].probes = -1))), /\$\.endpoints\[0\]\.probes: expected a whole number, got -1$/);
});

t.test('a hostile value in the message is shown escaped and cut short', async (t) => {
  const message = problem(edited((d) => (d.endpoints[0].verdict = `\u001b[2J${'x'.repeat(100)}`)))!;
  t.notOk(message.includes('\u001b'));
  t.ok(message.length < 200);
});
