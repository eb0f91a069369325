import { join } from 'node:path';
import t from 'tap';
import { inspectBinary } from '../../src/inspect/binary.js';
import { type Check, type Subject, subjectVerdict } from '../../src/model/inspect.js';
import { inspectProcess } from '../../src/inspect/process.js';
import { repoRoot } from '../helpers/servers.js';
import { startProgram } from './procHelpers.js';
import { testPrograms } from './programs.js';

const programs = await testPrograms();

function byId(subject: Subject, id: string): Check {
  const found = subject.checks.find((c) => c.id === id);
  if (!found) throw new Error(`${subject.name} has no check ${id}: ${subject.checks.map((c) => c.id).join(', ')}`);
  return found;
}

const details = (c: Check) => c.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n');

t.test('a Go binary built with GOEXPERIMENT=boringcrypto and crypto/tls/fipsonly passes, with the evidence the playbooks look for', async (t) => {
  const s = inspectBinary(programs.goBoring);
  t.equal(s.error, null);
  t.equal(subjectVerdict(s), 'pass');
  const go = byId(s, 'go.crypto');
  t.equal(go.status, 'ok');
  t.match(details(go), /Go build info: build GOEXPERIMENT=boringcrypto/);
  t.match(details(go), /version go1\.\d+(\.\d+)? X:boringcrypto/);
  t.match(details(go), /\.symtab: _goboringcrypto_\w+ \(\+\d+ more\)|\.symtab: crypto\/internal\/boring\._Cfunc__goboringcrypto_/, 'the _goboringcrypto_ cgo symbols');
  t.match(details(go), /go-sig-boringcrypto code signature/, 'the BoringCrypto code signature goversion looks for');
  const fipsonly = byId(s, 'go.fipsonly');
  t.equal(fipsonly.status, 'ok');
  t.match(details(fipsonly), /crypto\/tls\/fipsonly\./);
  t.equal(byId(s, 'crypto.module').status, 'ok');
  t.equal(byId(s, 'openssl.library').status, 'n/a');
  t.match(s.facts.find((f) => f.name === 'Go build')?.value, /CGO_ENABLED=1 GOEXPERIMENT=boringcrypto/);
  t.match(s.facts.find((f) => f.name === 'Go')?.value, /fipscan\.test\/goserver/);
});

t.test('a stripped BoringCrypto binary still passes on its code signatures', async (t) => {
  const s = inspectBinary(programs.goBoringStripped);
  t.notOk(s.facts.some((f) => f.name === '.symtab'));
  t.equal(byId(s, 'go.crypto').status, 'ok');
  t.equal(byId(s, 'go.fipsonly').status, 'ok');
  t.match(details(byId(s, 'go.fipsonly')), /go-sig-fipsonly code signature/);
  t.notMatch(details(byId(s, 'go.fipsonly')), /\.symtab/);
  t.equal(subjectVerdict(s), 'pass');
});

t.test('a Go binary with standard crypto fails go.crypto and go.fipsonly', async (t) => {
  const s = inspectBinary(programs.goPlain);
  t.equal(subjectVerdict(s), 'fail');
  const go = byId(s, 'go.crypto');
  t.equal(go.status, 'fail');
  t.match(go.message, /standard Go crypto/);
  t.match(details(go), /no GOEXPERIMENT/);
  t.match(details(go), /go-sig-standardcrypto code signature/);
  t.equal(byId(s, 'go.fipsonly').status, 'fail');
  t.equal(byId(s, 'crypto.module').status, 'fail');
  t.equal(byId(s, 'boringssl.fips').status, 'n/a');
});

t.test('a running BoringCrypto server inspected by pid: the same verdict, no OpenSSL checks', async (t) => {
  const certs = join(repoRoot, 'fixtures', 'certs');
  const server = await startProgram(t, programs.goBoring, [join(certs, 'rsa2048.pem'), join(certs, 'rsa2048.key')]);
  t.match(server.firstLine, /^127\.0\.0\.1:\d+$/);
  const s = inspectProcess(server.pid);
  t.equal(s.error, null);
  t.equal(s.name, `pid ${server.pid} (${programs.goBoring})`);
  t.equal(byId(s, 'go.crypto').status, 'ok');
  t.equal(byId(s, 'go.fipsonly').status, 'ok');
  t.equal(byId(s, 'openssl.fips-provider-loaded').status, 'n/a');
  t.notOk(s.checks.some((c) => c.id === 'openssl.fips-provider'), 'no OpenSSL configuration checks for a process without OpenSSL');
  t.equal(subjectVerdict(s), 'pass');
});

t.test('a running standard-crypto server fails', async (t) => {
  const certs = join(repoRoot, 'fixtures', 'certs');
  const server = await startProgram(t, programs.goPlain, [join(certs, 'rsa2048.pem'), join(certs, 'rsa2048.key')], { ...process.env, GODEBUG: 'madvdontneed=1' });
  const s = inspectProcess(server.pid);
  t.equal(subjectVerdict(s), 'fail');
  t.equal(byId(s, 'go.crypto').status, 'fail');
  t.match(s.facts.find((f) => f.name === 'GODEBUG')?.value, 'madvdontneed=1', 'the environment is read from /proc/<pid>/environ');
});
