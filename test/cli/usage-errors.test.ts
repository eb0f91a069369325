/**
 * Exit 64: bad usage is one line on stderr naming what was wrong, no stack trace, nothing on
 * stdout, and no scan. The targets are a port nothing listens on, so a scan that wrongly went
 * ahead would show up as exit 2 instead.
 */
import t from 'tap';
import { closedPort, runCli } from '../helpers/cli.js';

const port = await closedPort();
const target = `127.0.0.1:${port}`;

const cases: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'an unknown option', args: ['scan', '--bogus', target], message: /unknown option '--bogus'/ },
  { name: 'a bad target string', args: ['scan', 'not a host'], message: /^fipscan: bad target: not a host: / },
  { name: 'a port out of range', args: ['scan', '127.0.0.1:99999'], message: /^fipscan: bad target: .*99999/ },
  { name: 'a bad target among good ones', args: ['scan', target, 'https://[::1'], message: /^fipscan: bad target: / },
  { name: '--timeout that is not a number', args: ['scan', '--timeout', 'soon', target], message: /^fipscan: --timeout: expected a whole number, got 'soon' \[EUSAGE\]$/ },
  { name: '--concurrency 0', args: ['scan', '--concurrency', '0', target], message: /^fipscan: --concurrency: / },
  { name: 'an unknown --format', args: ['scan', '--format', 'xml', target], message: /'xml' is invalid/ },
  { name: 'an unknown policy name', args: ['scan', '--policy', 'fips-9000', target], message: /^fipscan: --policy: 'fips-9000' is neither a built-in profile/ },
  { name: 'no targets at all', args: ['scan'], message: /^fipscan: no targets/ },
  { name: 'policies show with an unknown profile', args: ['policies', 'show', 'fips-9000'], message: /^fipscan: policies show: unknown profile 'fips-9000'/ },
];

// Started together: each is a separate process, and none of them touches the network.
const runs = cases.map((c) => runCli(c.args));

for (const [i, c] of cases.entries()) {
  t.test(`${c.name}: one line on stderr, exit 64`, async (t) => {
    const run = await runs[i]!;
    t.equal(run.code, 64, 'exit 64', { stdout: run.stdout, stderr: run.stderr });
    t.equal(run.stdout, '', 'nothing on stdout');
    const lines = run.stderr.split('\n').filter((l) => l.length > 0);
    t.equal(lines.length, 1, 'exactly one line on stderr', { stderr: run.stderr });
    t.match(lines[0] ?? '', c.message);
    t.notMatch(run.stderr, /^\s+at /m, 'no stack trace');
  });
}

// Fails with the current main.ts: showSuggestionAfterError makes commander print "(Did you mean
// --policy?)" on a second line, against the one-line promise in main.ts's header.
t.test('a mistyped option: still one line on stderr, naming the option and the suggestion, exit 64', async (t) => {
  const run = await runCli(['scan', '--polcy', 'fips-strict', target]);
  t.equal(run.code, 64, 'exit 64', { stderr: run.stderr });
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  t.equal(lines.length, 1, 'exactly one line on stderr', { stderr: run.stderr });
  t.match(lines[0] ?? '', /unknown option '--polcy'.*--policy/, 'names the option and suggests --policy');
  t.notMatch(run.stderr, /^\s+at /m, 'no stack trace');
});
