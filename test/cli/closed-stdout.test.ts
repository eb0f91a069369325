/**
 * `fipscan scan --format jsonl ... | head -1`: when the reader of stdout goes away mid-run, the
 * run stops at once with exit 141 (128 + SIGPIPE) and no error text or stack trace, instead of an
 * unhandled EPIPE.
 */
import t from 'tap';
import { closedPort, silentServer, spawnCli, strictServer, target } from '../helpers/cli.js';

t.test('stdout closed after the first jsonl line: exit 141, nothing on stderr', async (t) => {
  const strict = await strictServer(t);
  // The silent server holds the second endpoint until its deadline, so the first line is read and
  // the pipe closed well before the second line is written.
  const silent = await silentServer(t);
  const run = spawnCli(['scan', '--format', 'jsonl', '--concurrency', '1', '--timeout', '1000', '--deadline', '2500', target(strict), target(silent), `127.0.0.1:${await closedPort()}`]);
  await run.waitForStdout((out) => out.includes('\n'));
  run.child.stdout!.destroy();
  const result = await run.done;
  t.equal(result.code, 141, 'exit 141', { stderr: result.stderr });
  t.equal(result.signal, null, 'exited, not killed');
  t.notMatch(result.stderr, /EPIPE|Error|at .*\.js:\d+/, 'no error or stack trace on stderr');
  const first = JSON.parse(result.stdout.split('\n')[0]!) as { target: string; verdict: string };
  t.same([first.target, first.verdict], [target(strict), 'pass'], 'the line read before the close is the first endpoint, complete');
});
