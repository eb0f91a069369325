import { readFileSync } from 'node:fs';
import t from 'tap';
import type { InspectRun, Subject } from '../../src/model/inspect.js';
import { inspectHost } from '../../src/inspect/host.js';
import { renderInspectJson, renderInspectTable, toInspectJson } from '../../src/report/inspect.js';
import { displayWidth } from '../../src/report/text.js';
import { FIXTURES, matchGolden } from '../report/golden.js';
import { validate, type Schema } from '../report/jsonSchema.js';
import { HOSTS } from './fakeRoot.js';

const SCHEMA = JSON.parse(readFileSync(new URL('schema/fipscan-inspect-v1.schema.json', FIXTURES), 'utf8')) as Schema;

function binarySubject(): Subject {
  return {
    kind: 'binary', name: '/usr/local/bin/server', path: '/usr/local/bin/server', pid: null, error: null,
    facts: [{ name: 'Go', value: 'go1.22.4 X:boringcrypto, example.com/server' }, { name: 'Go build', value: 'CGO_ENABLED=1 GOEXPERIMENT=boringcrypto' }],
    checks: [
      { id: 'crypto.module', subject: '/usr/local/bin/server', status: 'fail', evidence: [], message: 'not FIPS: go.fipsonly failed' },
      { id: 'go.crypto', subject: '/usr/local/bin/server', status: 'ok', message: 'built with BoringCrypto (go1.22.4 X:boringcrypto): Go crypto runs in the BoringCrypto FIPS module', evidence: [{ source: 'Go build info', detail: 'build GOEXPERIMENT=boringcrypto' }, { source: '.symtab', detail: '_goboringcrypto_AES_encrypt (+221 more)' }] },
      { id: 'go.fipsonly', subject: '/usr/local/bin/server', status: 'fail', evidence: [], message: 'crypto/tls/fipsonly is not linked: TLS may negotiate non-FIPS versions, suites or curves (import _ "crypto/tls/fipsonly")' },
      { id: 'openssl.library', subject: '/usr/local/bin/server', status: 'n/a', evidence: [], message: 'links no OpenSSL libcrypto' },
    ],
  };
}

/** A committed fixture host, named after its folder, without the machine-dependent root fact. */
function fixtureHost(name: 'fips' | 'jitter'): Subject {
  const host = inspectHost({ root: `${HOSTS}/${name}`, env: {}, nodeFips: null });
  host.name = `host ${name}`;
  host.facts = host.facts.filter((f) => f.name !== 'root');
  return host;
}

/** A fixed run: the committed FIPS host and JITTER-seeded image, a binary, a hostile file and a process that could not be read. */
function goldenRun(): InspectRun {
  return {
    tool: { name: 'fipscan', version: '0.1.0' }, startedAt: '2026-01-02T03:04:05.000Z', durationMs: 42,
    subjects: [
      fixtureHost('fips'),
      fixtureHost('jitter'),
      binarySubject(),
      { kind: 'binary', name: '/tmp/evil\u001b[2J', path: '/tmp/evil\u001b[2J', pid: null, facts: [], checks: [], error: { code: 'EBADELF', message: '/tmp/evil\u001b[2J: bad ELF file: 65535 section headers run past the end of the file' } },
      { kind: 'process', name: 'pid 1', path: null, pid: 1, facts: [], checks: [], error: { code: 'ENOPROC', message: 'pid 1: cannot read /proc/1/exe: permission denied' } },
    ],
  };
}

t.test('the table report matches its golden, 80 columns', async (t) => {
  matchGolden(t, 'inspect-table.txt', renderInspectTable(goldenRun(), { color: false, width: 80 }));
});

t.test('no line is wider than the terminal, at 60, 80 and 120 columns', async (t) => {
  for (const width of [60, 80, 120]) {
    const lines = renderInspectTable(goldenRun(), { color: false, width }).split('\n');
    t.same(lines.filter((l) => displayWidth(l) > width), [], `${width} columns`);
  }
});

t.test('escape sequences from the inspected system never reach the terminal; colour only when asked', async (t) => {
  const plain = renderInspectTable(goldenRun(), { color: false });
  t.notMatch(plain, /\u001b/);
  t.match(plain, /\/tmp\/evil\\x1b\[2J/);
  const coloured = renderInspectTable(goldenRun(), { color: true });
  t.match(coloured, /\u001b\[32mOK\u001b\[39m/);
  t.match(coloured, /\u001b\[31mFAIL\u001b\[39m/);
  t.match(coloured, /\u001b\[33mINFO\u001b\[39m/);
  t.equal(coloured.replace(/\u001b\[\d+m/g, ''), plain);
});

t.test('the JSON report validates against fipscan-inspect-v1.schema.json and counts verdicts', async (t) => {
  const doc = JSON.parse(renderInspectJson(goldenRun())) as ReturnType<typeof toInspectJson>;
  t.same(validate(SCHEMA, doc), []);
  t.equal(doc.schema, 'fipscan-inspect/v1');
  t.same(doc.summary, { subjects: 5, pass: 2, fail: 1, error: 2 });
  t.same(doc.subjects.map((s) => s.verdict), ['pass', 'pass', 'fail', 'error', 'error']);
  t.equal(doc.subjects[1]!.checks.find((c) => c.id === 'kernel.fips')?.status, 'info', 'an info check validates and does not fail its subject');
  t.same(doc.subjects[2]!.checks[1]!.evidence[0], { source: 'Go build info', detail: 'build GOEXPERIMENT=boringcrypto' });
  t.ok(renderInspectJson(goldenRun()).endsWith('}\n'));
});
