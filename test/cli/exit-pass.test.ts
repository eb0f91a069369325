/**
 * Exit 0: every endpoint passed. A server configured to the fips-strict policy, scanned with the
 * default policy, is PASS in the table and the command exits 0 with nothing on stderr.
 */
import t from 'tap';
import { runCli, strictServer, target } from '../helpers/cli.js';

t.test('a fips-strict server passes the default policy: PASS in the table, exit 0', async (t) => {
  const server = await strictServer(t);
  const run = await runCli(['scan', target(server)]);
  t.equal(run.code, 0, 'exit 0', { stdout: run.stdout, stderr: run.stderr });
  t.match(run.stdout, /^policy fips-strict /m, 'judged by fips-strict, the default');
  t.match(run.stdout, /^ {2}PASS\b/m, 'the endpoint is PASS');
  t.match(run.stdout, /1 endpoint: 1 pass, 0 fail, 0 error/);
  t.equal(run.stderr, '', 'no progress on stderr when it is not a terminal');
});

t.test('the same server passes when fips-strict is named explicitly', async (t) => {
  const server = await strictServer(t);
  const run = await runCli(['scan', '--policy', 'fips-strict', '-q', target(server)]);
  t.equal(run.code, 0, 'exit 0', { stdout: run.stdout, stderr: run.stderr });
});
