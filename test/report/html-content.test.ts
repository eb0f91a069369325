/**
 * What the HTML report shows, checked on the page's text and structure: the run's verdict in one
 * sentence and its counts, the facts that make it evidence (policy with its SHA-256, tool, start,
 * duration, command line), then per endpoint its verdict, why (rule, source, error with its hint,
 * inconclusive items with why) and the evidence in the server's order; fields of newer writers as
 * text; workloads. The whole page of the golden run is a golden file.
 */
import t from 'tap';
import { renderHtml } from '../../src/report/html.js';
import { headline } from '../../src/report/htmlSummary.js';
import { toJsonDocument, type JsonDocument } from '../../src/report/json.js';
import { goldenRun, legacyEndpoint, meshSidecarEndpoint, run, strictEndpoint, unreachableEndpoint } from './factories.js';
import { matchGolden } from './golden.js';
import { tagsOf, textOf } from './htmlMarkup.js';

const golden = (): JsonDocument => toJsonDocument(goldenRun());

/** The markup of endpoint section n (1-based). */
function section(page: string, n: number): string {
  const start = page.indexOf(`<section class="endpoint `, page.indexOf(`id="ep-${n}"`) - 60);
  return page.slice(start, page.indexOf('</section>', start) + '</section>'.length);
}

t.test('the page of the golden run matches its golden file', async (t) => {
  const doc = golden();
  doc.command = ['fipscan', 'scan', '--policy', 'test-fips.json', '--format', 'html', '-o', 'report.html', '-f', 'targets.txt'];
  matchGolden(t, 'report.html', renderHtml(doc));
});

t.test('the run verdict is one sentence, as the exit code decides it', async (t) => {
  t.equal(headline(golden()), '1 of 4 endpoints fails test-fips 1.0');
  t.equal(headline(toJsonDocument(run([strictEndpoint(), unreachableEndpoint()]))), 'None fails test-fips 1.0, but 1 of 2 endpoints could not be judged');
  t.equal(headline(toJsonDocument(run([strictEndpoint(), strictEndpoint()]))), 'All 2 endpoints pass test-fips 1.0');
  t.equal(headline(toJsonDocument(run([strictEndpoint()]))), 'The endpoint passes test-fips 1.0');
  t.equal(headline(toJsonDocument(run([]))), 'No endpoints in this report');
  const page = renderHtml(golden());
  t.match(page, /<title>FAIL: 1 of 4 endpoints fails test-fips 1\.0 \(2025-06-01\) · fipscan<\/title>/);
  t.match(textOf(page), /✗ FAIL 1 of 4 endpoints fails test-fips 1\.0/);
});

t.test('the top shows the counts and the facts that make the page evidence', async (t) => {
  const doc = golden();
  doc.policy.sha256 = '3f'.repeat(32);
  doc.command = ['fipscan', 'scan', '--proxy', 'http://<redacted>@proxy:3128', 'https://a:b@x.example/', "it's"];
  const text = textOf(renderHtml(doc));
  t.match(text, /1 ✗ FAIL\s*2 ! ERROR\s*1 ✓ PASS\s*4 endpoints/);
  t.match(text, /Policytest-fips version 1\.0: Test FIPS policy: TLS 1\.2\/1\.3, AES-GCM, NIST curves/);
  t.match(text, new RegExp(`Policy SHA-256${'3f'.repeat(32)}`));
  t.match(text, /Toolfipscan 0\.1\.0/);
  t.match(text, /Started2025-06-01 12:00:00 UTC/);
  t.match(text, /Duration33\.1 s/);
  t.match(text, /Command linefipscan scan --proxy 'http:\/\/<redacted>@proxy:3128' 'https:\/\/<redacted>@x\.example\/' 'it'\\''s'/, 'shell-quoted; userinfo removed even from a hand-edited report');
  const olderDoc = golden();
  delete olderDoc.policy.sha256;
  delete olderDoc.command;
  const older = textOf(renderHtml(olderDoc));
  t.match(older, /Policy SHA-256not recorded in this report/);
  t.match(older, /Command linenot recorded in this report/);
});

t.test('the endpoint list links each endpoint to its section, with its verdict and counts', async (t) => {
  const page = renderHtml(golden());
  const rows = [...page.matchAll(/<tr data-verdict="(\w+)">(.*?)<\/tr>/g)];
  t.same(rows.map((r) => r[1]), ['pass', 'fail', 'error', 'error']);
  t.same(rows.map((r) => /href="#(ep-\d+)">([^<]*)</.exec(r[2]!)?.slice(1)), [
    ['ep-1', 'api.internal.example:443'],
    ['ep-2', 'reviews.bookinfo.svc.cluster.local:9080'],
    ['ep-3', 'payments.example:8443'],
    ['ep-4', 'legacy-lb.example'],
  ]);
  t.match(textOf(rows[1]![0]), /✗ FAIL\s*13\s*2/);
  t.match(textOf(rows[2]![0]), /ECONNREFUSED/);
  t.match(textOf(rows[3]![0]), /EINCONCLUSIVE/);
  const controls = tagsOf(page).find((tag) => tag.attributes.class === 'controls');
  t.ok(controls && 'hidden' in controls.attributes, 'sort and filter controls are hidden until the script shows them');
});

t.test('each endpoint section: verdict first, then why, then the evidence', async (t) => {
  const doc = golden();
  // An older report names no sources but this one.
  for (const v of [...doc.endpoints[1]!.violations, ...doc.endpoints[1]!.warnings]) delete v.source;
  doc.endpoints[1]!.violations[0]!.source = 'NIST SP 800-52 Rev. 2, §3.1 (2019-08)';
  const page = renderHtml(doc);
  const sidecar = textOf(section(page, 2));
  t.match(sidecar, /^\s*2 reviews\.bookinfo\.svc\.cluster\.local:9080✗ FAIL/);
  t.match(sidecar, /13 violations\s*protocol TLSv1\.0 The server offers TLSv1\.0: test-fips does not allow it\.\s*Source: NIST SP 800-52 Rev\. 2, §3\.1 \(2019-08\)/);
  t.match(sidecar, /ems TLSv1\.2 TLSv1\.2 completes handshakes without extended_master_secret/);
  t.match(sidecar, /2 warnings/);
  t.ok(sidecar.indexOf('13 violations') < sidecar.indexOf('Evidence'), 'why before the evidence');
  t.equal((section(page, 2).match(/class="source"/g) ?? []).length, 1, 'a source line only where the report names one');

  const refused = textOf(section(page, 3));
  t.match(refused, /! ERROR/);
  t.match(refused, /Could not be judged\s*ECONNREFUSED connect to 10\.0\.0\.9:8443 \(payments\.example\) refused: nothing listens there\s*Nothing accepted the connection/);
  t.match(refused, /No evidence: the endpoint could not be scanned\./);

  const lb = textOf(section(page, 4));
  t.match(lb, /EINCONCLUSIVE The scan could not prove compliance/);
  t.match(lb, /4 items the scan could not settle\s*inconclusive TLSv1\.0 Could not tell whether the server offers TLSv1\.0 \(every ClientHello timed out without an answer \(3 tries\)\)/);
  t.match(lb, /TLSv1\.0\? inconclusive/);
  t.match(lb, /0xc014could not tell whether the server accepts it\? unknown/);
  t.match(lb, /The scan needed workarounds for this version: retry, max-64-suites\./);

  t.match(textOf(section(page, 1)), /Every protocol version, suite, group, certificate and feature that test-fips judges was found and allowed\./);
});

t.test('evidence is folded for a passing endpoint and open for the others', async (t) => {
  const page = renderHtml(golden());
  t.match(section(page, 1), /<details class="evidence"><summary>/);
  t.match(section(page, 2), /<details class="evidence" open><summary>/);
  t.match(section(page, 4), /<details class="evidence" open><summary>/);
  t.match(textOf(section(page, 1)), /Evidence TLSv1\.2, TLSv1\.3; 5 suites, 2 groups, 2 certificates/);
});

t.test('suites are listed in the server\'s order, each with the policy\'s word, warned ones marked', async (t) => {
  const page = renderHtml(toJsonDocument(run([meshSidecarEndpoint()])));
  const tls12 = /<caption>TLSv1\.2 cipher suites, [^<]*<\/caption>[\s\S]*?<\/table>/.exec(page)![0];
  t.match(textOf(tls12), /in the order offered \(the server follows the client's order\)/);
  const rows = [...tls12.matchAll(/<tr><td class="num">\d+<\/td><td><code>(0x[0-9a-f]+)<\/code>[\s\S]*?<span class="mark (\w+)">/g)].map((m) => `${m[1]} ${m[2]}`);
  t.same(rows, ['0xc02f allowed', '0xcca8 denied', '0xc030 allowed', '0xc013 denied', '0x009c warned', '0x002f denied', '0x009d warned', '0x0035 denied']);
  t.match(textOf(tls12), /TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256ECDHE-RSA-CHACHA20-POLY1305ECDHECHACHA20-POLY1305256✗ denied/);
  const groups = textOf(/<caption>Key-exchange groups<\/caption>[\s\S]*?<\/table>/.exec(page)![0]);
  t.match(groups, /x255190x001dTLSv1\.2, TLSv1\.3✗ denied/);
});

t.test('a chain seen in several versions is shown once, each certificate with its facts', async (t) => {
  const page = renderHtml(toJsonDocument(run([meshSidecarEndpoint(), legacyEndpoint()])));
  const text = textOf(page);
  t.equal(text.split('Certificate chain seen in').length - 1, 2);
  t.match(text, /Certificate chain seen in TLSv1\.0, TLSv1\.2, TLSv1\.3 \(2 certificates\)\s*leaf\s*subject\(empty subject\)\s*issuerO=cluster\.local\s*SANsURI:spiffe:\/\/cluster\.local\/ns\/bookinfo\/sa\/bookinfo-reviews\s*keyRSA 2048 bits\s*signaturesha256WithRSAEncryption \(SHA-256\)\s*valid2025-06-01 to 2025-06-02\s*SHA-256(b2){32}/);
  t.match(text, /subjectCN=old-appliance\.example[\s\S]*?keyRSA 1024 bits\s*signaturesha1WithRSAEncryption \(SHA-1\)/);
  const expired = toJsonDocument(run([legacyEndpoint()]));
  expired.startedAt = '2027-01-01T00:00:00.000Z';
  t.match(textOf(renderHtml(expired)), /valid2025-03-01 to 2026-03-01 expired when the run started/);
});

t.test('fields a newer writer adds (per protocol, per DH entry, per endpoint) are shown as text, not dropped', async (t) => {
  const doc = golden();
  Object.assign(doc.endpoints[0]!.protocols[5]!, { keyUpdate: ['requested', 'not requested'] });
  Object.assign(doc.endpoints[0]!.protocols[4]!, { heartbeat: { offered: false } });
  Object.assign(doc.endpoints[0]!.dhParameters[0]!, { generator: 2 });
  Object.assign(doc.endpoints[0]!, { ocspStapling: null });
  const text = textOf(section(renderHtml(doc), 1));
  t.match(text, /Further findings\s*TLSv1\.2 heartbeatoffered: false\s*TLSv1\.3 key updaterequested, not requested\s*ocsp staplingnone/);
  t.match(text, /DHE parameters\s*versionprime bitsgroupgenerator\s*TLSv1\.23072ffdhe3072 \(RFC 7919\)2/i);
});

t.test('signature schemes and DH groups are evidence of their own', async (t) => {
  const doc = golden();
  const leaf = doc.endpoints[0]!.certificates[0]!.chain[0]!;
  Object.assign(doc.endpoints[0]!.protocols[4]!, {
    signatureSchemes: [
      { id: '0x0804', name: 'rsa_pss_rsae_sha256', allowed: true, certificate: leaf.fingerprintSha256 },
      { id: '0x0201', name: 'rsa_pkcs1_sha1', allowed: false, certificate: leaf.fingerprintSha256 },
    ],
    signatureSchemesComplete: true,
    inconclusiveSignatureSchemes: ['0x0203'],
  });
  doc.endpoints[0]!.dhParameters.push({ protocol: 'TLSv1.2', primeBits: 2048, group: null, modpGroup: null, safePrime: false });
  const text = textOf(section(renderHtml(doc), 1));
  t.match(text, /Signature schemes the server signs its handshake with\s*versioncodeschemekeypolicy\s*TLSv1\.20x0804rsa_pss_rsae_sha256\w+ \d+✓ allowed\s*TLSv1\.20x0201rsa_pkcs1_sha1\w+ \d+✗ denied\s*TLSv1\.20x0203could not tell whether the server signs with it/);
  t.match(text, /2048the server's own prime: not a safe prime/);
  t.notMatch(text, /Further findings/, 'nothing left for the catch-all');
});

t.test('the workloads of an --inspect-local scan get their own section', async (t) => {
  const doc = golden();
  doc.workloads = [
    {
      pid: 42,
      verdict: 'fail',
      error: null,
      endpoints: [{ target: 'api.internal.example:443', verdict: 'pass', note: null }, { target: '127.0.0.1:9090', verdict: 'not-tls', note: 'HTTP' }],
      process: { kind: 'process', name: 'pid 42 (/app/server)', path: '/app/server', pid: 42, verdict: 'fail', error: null, facts: [], checks: [{ id: 'go.crypto', subject: '/app/server', status: 'fail', message: 'standard Go crypto: no FIPS module', evidence: [{ source: '/app/server', detail: 'no _goboringcrypto_ symbols' }] }] },
    },
  ];
  const page = renderHtml(doc);
  const text = textOf(page);
  t.match(text, /Workloads \(scan --inspect-local\): 1 fail, 0 error, 0 pass, 0 n\/a/);
  t.match(text, /pid 42 \/app\/server✗ FAIL/);
  t.match(page, /<a href="#ep-1">api\.internal\.example:443<\/a>/);
  t.match(text, /127\.0\.0\.1:9090not TLSHTTP/);
  t.match(text, /go\.crypto✗ FAILstandard Go crypto: no FIPS module\/app\/server no _goboringcrypto_ symbols/);
});

t.test('an empty report says so; the same document always gives the same bytes', async (t) => {
  const empty = renderHtml(toJsonDocument(run([])));
  t.match(textOf(empty), /No endpoints in this report[\s\S]*No endpoints were scanned in this run\./);
  t.equal(renderHtml(golden()), renderHtml(golden()));
});
