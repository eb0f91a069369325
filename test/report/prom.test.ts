import t from 'tap';
import { escapeLabelValue, renderProm, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import { STARTED_AT, goldenRun, hostileEndpoint, hostileErrorEndpoint, inconclusiveEndpoint, legacyEndpoint, run, strictEndpoint, unreachableEndpoint } from './factories.js';
import { matchGolden } from './golden.js';
import { sshGoldenRun } from './sshFactories.js';

const everything = () => toJsonDocument(run([...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint()]));

const METRIC = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '(?:[^"\\\\\\n]|\\\\[\\\\"n])*';
const LABELS = `\\{[a-zA-Z_][a-zA-Z0-9_]*="${LABEL_VALUE}"(?:,[a-zA-Z_][a-zA-Z0-9_]*="${LABEL_VALUE}")*\\}`;
/** Text exposition 0.0.4 lines, as strict as fipscan writes them: HELP, TYPE gauge, or a sample. */
const HELP = new RegExp(`^# HELP (${METRIC}) (?:[^\\\\\\n]|\\\\[\\\\n])+$`);
const TYPE = new RegExp(`^# TYPE (${METRIC}) gauge$`);
const SAMPLE = new RegExp(`^(${METRIC})(${LABELS})? (-?[0-9]+(?:\\.[0-9]+)?)$`);

/** Every problem with the exposition: a line no regex accepts, a family split up or undeclared, a duplicate series. */
function expositionProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('no trailing newline');
  const typed = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, n) => {
      const help = HELP.exec(line);
      const type = TYPE.exec(line);
      const sample = SAMPLE.exec(line);
      if (help) {
        if (typed.has(help[1]!)) problems.push(`${n + 1}: ${help[1]} declared twice`);
        current = help[1]!;
      } else if (type) {
        if (type[1] !== current) problems.push(`${n + 1}: TYPE for ${type[1]} without its HELP just before`);
        typed.add(type[1]!);
      } else if (sample) {
        if (sample[1] !== current || !typed.has(sample[1]!)) problems.push(`${n + 1}: sample of ${sample[1]} outside its family`);
        if (series.has(sample[1]! + (sample[2] ?? ''))) problems.push(`${n + 1}: duplicate series ${sample[1]}${sample[2] ?? ''}`);
        series.add(sample[1]! + (sample[2] ?? ''));
      } else {
        problems.push(`${n + 1}: not exposition format: ${JSON.stringify(line)}`);
      }
    });
  return problems;
}

/** Samples of one metric as [labels, value]. */
function samples(text: string, metric: string): [string, number][] {
  return text
    .split('\n')
    .map((line) => SAMPLE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === metric)
    .map((m) => [m[2] ?? '', Number(m[3])]);
}

t.test('the Prometheus report of the four golden endpoints matches its golden', async (t) => {
  matchGolden(t, 'report.prom', renderProm(toJsonDocument(goldenRun())));
});

t.test('every line is a HELP, a TYPE gauge or a sample, families are whole and no series repeats', async (t) => {
  for (const [name, doc] of [['golden', toJsonDocument(goldenRun())], ['every shape', everything()], ['no endpoints', toJsonDocument(run([]))]] as const) {
    t.same(expositionProblems(renderProm(doc)), [], name);
  }
  t.same(expositionProblems(renderProm(everything(), { shard: { index: 2, count: 3 } })), [], 'sharded');
});

t.test('the strict checks reject what the exposition format does not allow', async (t) => {
  t.ok(expositionProblems('# HELP a x\n# TYPE a gauge\na{t="x"y"} 1\n').length > 0, 'unescaped quote');
  t.ok(expositionProblems('# HELP a x\n# TYPE a gauge\na 1\n# HELP b y\n# TYPE b gauge\nb 1\na 2\n').length > 0, 'split family');
  t.ok(expositionProblems('# HELP a x\n# TYPE a gauge\na{t="x"} 1\na{t="x"} 2\n').length > 0, 'duplicate series');
});

t.test('compliance, verdict state set, violations, probes and duration per endpoint', async (t) => {
  const text = renderProm(toJsonDocument(run([strictEndpoint(), legacyEndpoint(), unreachableEndpoint()])));
  t.same(samples(text, 'fipscan_endpoint_compliant'), [
    ['{target="api.internal.example:443",policy="test-fips"}', 1],
    ['{target="old-appliance.example:443",policy="test-fips"}', 0],
    ['{target="payments.example:8443",policy="test-fips"}', 0],
  ]);
  t.same(
    samples(text, 'fipscan_endpoint_verdict').filter(([, v]) => v === 1).map(([labels]) => labels),
    [
      '{target="api.internal.example:443",policy="test-fips",verdict="pass"}',
      '{target="old-appliance.example:443",policy="test-fips",verdict="fail"}',
      '{target="payments.example:8443",policy="test-fips",verdict="error"}',
    ],
    'one 1 per endpoint, for its verdict',
  );
  t.equal(samples(text, 'fipscan_endpoint_verdict').length, 12, 'every verdict of every endpoint has a sample (pass, fail, error, not-tls for each of 3)');
  t.same(samples(text, 'fipscan_endpoint_violations').map(([, v]) => v), [0, 6, 0]);
  t.same(samples(text, 'fipscan_endpoint_probes').map(([, v]) => v), [41, 37, 1]);
  t.same(samples(text, 'fipscan_endpoint_scan_duration_seconds').map(([, v]) => v), [0.812, 0.64, 0.003]);
});

t.test('protocol_offered is 1 or 0 when proven, and absent when inconclusive', async (t) => {
  const text = renderProm(toJsonDocument(run([inconclusiveEndpoint(), unreachableEndpoint()])));
  t.same(samples(text, 'fipscan_protocol_offered'), [
    ['{target="legacy-lb.example",policy="test-fips",protocol="SSLv2"}', 0],
    ['{target="legacy-lb.example",policy="test-fips",protocol="SSLv3"}', 0],
    ['{target="legacy-lb.example",policy="test-fips",protocol="TLSv1.1"}', 0],
    ['{target="legacy-lb.example",policy="test-fips",protocol="TLSv1.2"}', 1],
    ['{target="legacy-lb.example",policy="test-fips",protocol="TLSv1.3"}', 0],
  ]);
});

t.test('run metrics: endpoints by verdict, duration, completion time; shard label when sharded', async (t) => {
  const doc = toJsonDocument(goldenRun());
  const text = renderProm(doc);
  t.same(samples(text, 'fipscan_scan_endpoints'), [
    ['{policy="test-fips",verdict="pass"}', 1],
    ['{policy="test-fips",verdict="fail"}', 1],
    ['{policy="test-fips",verdict="error"}', 2],
    ['{policy="test-fips",verdict="not-tls"}', 0],
  ]);
  t.same(samples(text, 'fipscan_scan_duration_seconds'), [['{policy="test-fips"}', doc.durationMs / 1000]]);
  t.same(samples(text, 'fipscan_last_complete_scan_timestamp_seconds'), [['{policy="test-fips"}', (Date.parse(STARTED_AT) + doc.durationMs) / 1000]]);
  const sharded = renderProm(doc, { shard: { index: 1, count: 4 } });
  t.same(samples(sharded, 'fipscan_scan_duration_seconds').map(([labels]) => labels), ['{policy="test-fips",shard="1/4"}']);
  t.same(samples(sharded, 'fipscan_endpoint_compliant'), samples(text, 'fipscan_endpoint_compliant'), 'endpoint series carry no shard label');
});

t.test('an interrupted run has no last-complete timestamp', async (t) => {
  const doc = toJsonDocument(run([strictEndpoint(), unreachableEndpoint()]));
  doc.endpoints[1]!.error = { code: 'EINTERRUPTED', message: 'not scanned: interrupted by SIGTERM' };
  const text = renderProm(doc);
  t.same(samples(text, 'fipscan_last_complete_scan_timestamp_seconds'), []);
  t.match(text, /# TYPE fipscan_last_complete_scan_timestamp_seconds gauge\n/);
  t.same(expositionProblems(text), []);
});

t.test('label values escape backslash, double quote and line feed as the format says', async (t) => {
  t.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  const doc: JsonDocument = toJsonDocument(run([strictEndpoint()]));
  doc.endpoints[0]!.target = 'we"ird\\host\n:443';
  doc.policy.id = 'my "policy"';
  const text = renderProm(doc);
  t.same(expositionProblems(text), []);
  t.same(samples(text, 'fipscan_endpoint_compliant'), [['{target="we\\"ird\\\\host\\n:443",policy="my \\"policy\\""}', 1]]);
});

t.test('SSH endpoints: the endpoint metrics, no protocol samples, the identification and the names per category and disposition', async (t) => {
  const doc = toJsonDocument(sshGoldenRun());
  const text = renderProm(doc);
  matchGolden(t, 'report-ssh.prom', text);
  t.same(expositionProblems(text), []);
  t.same(samples(text, 'fipscan_endpoint_compliant').map(([, v]) => v), [1, 1, 0, 0, 0]);
  t.notOk(samples(text, 'fipscan_protocol_offered').some(([labels]) => labels.includes('ssh://') || labels.includes('build-01')), 'no TLS version samples for SSH endpoints');
  t.same(samples(text, 'fipscan_ssh_server_info'), [
    ['{target="ssh://bastion.example",policy="test-fips-ssh",identification="SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"}', 1],
    ['{target="build-01.example:22",policy="test-fips-ssh",identification="SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"}', 1],
    ['{target="ssh://[2001:db8::7]:2222",policy="test-fips-ssh",identification="SSH-2.0-ApplianceSSH_4.1 h2\\\\x1b[31m\\\\x9b31m"}', 1],
  ], 'one per SSH endpoint whose offer was read; server text escaped');
  const debian = (category: string) => Object.fromEntries(samples(text, 'fipscan_ssh_algorithms').filter(([labels]) => labels.includes('build-01') && labels.includes(`category="${category}"`)).map(([labels, v]) => [/disposition="(\w+)"/.exec(labels)![1], v]));
  t.same(debian('kex'), { allowed: 7, warned: 0, denied: 4, not_judged: 1 }, 'the strict-KEX marker is not judged');
  t.same(debian('mac'), { allowed: 4, warned: 2, denied: 4, not_judged: 0 });
  t.same(debian('compression'), { allowed: 0, warned: 0, denied: 0, not_judged: 2 });
  const appliance = samples(text, 'fipscan_ssh_algorithms').filter(([labels]) => labels.includes('2001:db8') && labels.includes('category="cipher"'));
  t.same(appliance.map(([, v]) => v), [1, 0, 1, 0], 'both directions counted once');
  t.notMatch(renderProm(toJsonDocument(goldenRun())), /fipscan_ssh_/, 'no SSH families without SSH endpoints');
});
