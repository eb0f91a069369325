import t from 'tap';
import { ReportFormatError, readJsonDocument, renderJson, renderJsonDocument, type JsonDocument } from '../../src/report/index.js';
import { goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, run } from './factories.js';
import { sshGoldenRun } from './sshFactories.js';

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
  t.same(readJsonDocument(`\uFEFF${renderJson(goldenRun())}`).summary, { endpoints: 4, pass: 1, fail: 1, error: 2, 'not-tls': 0 }, 'a BOM is allowed');
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
  t.match(problem(edited((d) => (d.endpoints[2].verdict = 'ok'))), /\$\.endpoints\[2\]\.verdict: expected one of pass, fail, error, not-tls, got "ok"$/);
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

t.test('the optional fields newer writers add are kept when present and left out when absent', async (t) => {
  const sha256 = 'ab'.repeat(32);
  const doc = readJsonDocument(edited((d) => {
    d.policy.sha256 = sha256;
    d.command = ['fipscan', 'scan', '--format', 'html', 'a.example:443'];
    d.endpoints[1].violations[0].source = 'NIST SP 800-52r2 §3.1, 2019-08';
    delete d.endpoints[1].violations[1].source;
    delete d.endpoints[3].inconclusive;
  }));
  t.equal(doc.policy.sha256, sha256);
  t.same(doc.command, ['fipscan', 'scan', '--format', 'html', 'a.example:443']);
  t.equal(doc.endpoints[1]!.violations[0]!.source, 'NIST SP 800-52r2 §3.1, 2019-08');
  t.notOk('source' in doc.endpoints[1]!.violations[1]!, 'no source key where the report has none');
  t.same(doc.endpoints[3]!.inconclusive, [], 'an older report without inconclusive reads as none');
  const older = readJsonDocument(edited((d) => delete d.policy.sha256));
  t.notOk('sha256' in older.policy, 'a report without the policy digest reads without it');
  t.notOk('command' in older, 'nor the command line');
  t.match(problem(edited((d) => (d.policy.sha256 = 'AB'))), /\$\.policy\.sha256: expected 64 lowercase hex digits/);
  t.match(problem(edited((d) => (d.command = 'fipscan scan'))), /\$\.command: expected an array/);
});

t.test('the inconclusive items of an endpoint are written with why, and read back', async (t) => {
  const doc = readJsonDocument(renderJson(goldenRun()));
  const lb = doc.endpoints.find((e) => e.host === 'legacy-lb.example')!;
  t.equal(lb.inconclusive.length, 4);
  t.match(lb.inconclusive[0]!, { rule: 'inconclusive', protocol: 'TLSv1.0', message: /every ClientHello timed out/ });
  t.same(doc.endpoints[0]!.inconclusive, []);
});

t.test('reasons, reason codes and inconclusive codes are read back; a report from before them still reads', async (t) => {
  const doc = readJsonDocument(renderJson(goldenRun()));
  const lb = doc.endpoints.find((e) => e.host === 'legacy-lb.example')!;
  t.match(lb.protocols.find((p) => p.name === 'TLSv1.0'), { offered: null, reason: /timed out/, reasonCode: 'ENO_ANSWER' });
  t.same(lb.inconclusive.map((v) => v.code), ['ENO_ANSWER', 'EUNPROVEN_ITEM', 'EUNPROVEN_ITEM', 'EUNPROVEN_FEATURE']);
  // A report written before protocols carried their reason and findings their code.
  const before = edited((d) => {
    for (const e of d.endpoints) {
      for (const p of e.protocols) {
        delete p.reason;
        delete p.reasonCode;
      }
      for (const v of e.inconclusive) delete v.code;
    }
  });
  const old = readJsonDocument(before);
  t.same(old, JSON.parse(before), 'read as written, nothing added');
  t.notOk(old.endpoints.some((e) => e.protocols.some((p) => 'reason' in p || 'reasonCode' in p) || e.inconclusive.some((v) => 'code' in v)));
  t.match(problem(edited((d) => (d.endpoints[3].protocols[2].reasonCode = 'eno_answer'))), /\$\.endpoints\[3\]\.protocols\[2\]\.reasonCode: expected a code like ENO_ANSWER/);
  t.match(problem(edited((d) => (d.endpoints[3].inconclusive[0].code = 3))), /\$\.endpoints\[3\]\.inconclusive\[0\]\.code: expected a code/);
});

t.test('SSH endpoints are read back; their fields are checked like the rest', async (t) => {
  const text = renderJson(sshGoldenRun());
  t.same(readJsonDocument(text), JSON.parse(text));
  const sshEdited = (edit: (d: Record<string, any>) => void): string => {
    const doc = JSON.parse(text) as Record<string, any>;
    edit(doc);
    return JSON.stringify(doc);
  };
  t.match(problem(sshEdited((d) => (d.endpoints[1].service = 'ftp'))), /\$\.endpoints\[1\]\.service: expected one of tls, ssh/);
  t.match(problem(sshEdited((d) => (d.endpoints[1].ssh.kexinitHex = '14Z'))), /\$\.endpoints\[1\]\.ssh\.kexinitHex: expected lowercase hex digits/);
  t.match(problem(sshEdited((d) => (d.endpoints[1].ssh.cipher.symmetric = 'yes'))), /\$\.endpoints\[1\]\.ssh\.cipher\.symmetric: expected true or false/);
  t.match(problem(sshEdited((d) => (d.endpoints[1].ssh.mac.clientToServer[1].warned = false))), /\$\.endpoints\[1\]\.ssh\.mac\.clientToServer\[1\]\.warned: expected true/);
  t.match(problem(sshEdited((d) => delete d.endpoints[1].ssh.kex)), /\$\.endpoints\[1\]\.ssh\.kex: expected an array, got nothing/);
  const unread = readJsonDocument(text).endpoints[4]!;
  t.equal(unread.ssh, null, 'an SSH endpoint that could not be read keeps ssh null');
});
