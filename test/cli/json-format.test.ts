/**
 * `--format json`: one document on stdout, schema "fipscan/v1", valid against
 * fixtures/schema/fipscan-v1.schema.json, with the endpoints in input order and a summary that
 * counts their verdicts.
 */
import t from 'tap';
import { builtinPolicy, policyDigest } from '../../src/policy/index.js';
import { closedPort, reportErrors, runCli, sidecarServer, strictServer, target, type Report } from '../helpers/cli.js';

t.test('--format json is one fipscan/v1 document valid against the schema', async (t) => {
  const strict = await strictServer(t);
  const sidecar = await sidecarServer(t);
  const port = await closedPort();
  const targets = [target(strict), target(sidecar), `127.0.0.1:${port}`];
  const run = await runCli(['scan', '--format', 'json', ...targets]);
  t.equal(run.code, 1, 'exit 1 (one endpoint fails)', { stderr: run.stderr });
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch (err) {
    t.fail(`stdout is not JSON: ${(err as Error).message}`, { stdout: run.stdout });
    return;
  }
  t.equal(report.schema, 'fipscan/v1');
  t.same(reportErrors(report), [], 'valid against fipscan-v1.schema.json');
  t.same(report.policy, { id: 'fips-strict', version: report.policy.version, title: report.policy.title, sha256: policyDigest(builtinPolicy('fips-strict')!) });
  t.same(report.endpoints.map((e) => e.target), targets, 'every endpoint, in input order');
  t.same(report.endpoints.map((e) => e.verdict), ['pass', 'fail', 'error']);
  t.same(report.summary, { endpoints: 3, pass: 1, fail: 1, error: 1, 'not-tls': 0 });
  t.ok(report.endpoints[1]!.violations.length > 0, 'the failing endpoint lists its violations');
  t.equal(report.endpoints[2]!.error?.code, 'ECONNREFUSED');
  t.ok(run.stdout.endsWith('}\n'), 'the document ends with a newline');
});
