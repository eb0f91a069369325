/**
 * Exit 2: nothing failed but something could not be scanned; and fail beats error. An endpoint
 * that refuses the TCP connection is ERROR (never PASS), alone or next to a passing one; next to
 * a failing one the exit code is 1.
 */
import t from 'tap';
import { closedPort, runCli, sidecarServer, strictServer, target, type Report } from '../helpers/cli.js';

t.test('an unreachable target is ERROR and the exit code is 2', async (t) => {
  const port = await closedPort();
  const run = await runCli(['scan', `127.0.0.1:${port}`]);
  t.equal(run.code, 2, 'exit 2', { stdout: run.stdout, stderr: run.stderr });
  t.match(run.stdout, /^ {2}ERROR \(ECONNREFUSED/m, 'the endpoint is ERROR, with the reason');
  t.match(run.stdout, /1 endpoint: 0 pass, 0 fail, 1 error/);
});

t.test('a passing endpoint and an unreachable one: exit 2', async (t) => {
  const server = await strictServer(t);
  const port = await closedPort();
  const run = await runCli(['scan', '--format', 'json', target(server), `127.0.0.1:${port}`]);
  t.equal(run.code, 2, 'exit 2', { stderr: run.stderr });
  const report = JSON.parse(run.stdout) as Report;
  t.same(report.endpoints.map((e) => e.verdict), ['pass', 'error']);
});

t.test('a failing endpoint, an unreachable one and a passing one: fail wins, exit 1', async (t) => {
  const strict = await strictServer(t);
  const sidecar = await sidecarServer(t);
  const port = await closedPort();
  const run = await runCli(['scan', '--format', 'json', `127.0.0.1:${port}`, target(sidecar), target(strict)]);
  t.equal(run.code, 1, 'exit 1', { stderr: run.stderr });
  const report = JSON.parse(run.stdout) as Report;
  t.same(report.endpoints.map((e) => e.verdict), ['error', 'fail', 'pass']);
  t.same(report.summary, { endpoints: 3, pass: 1, fail: 1, error: 1, 'not-tls': 0 });
});
