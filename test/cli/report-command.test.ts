/**
 * `fipscan report <json...>`: saved reports become the auditor's page (html by default), several
 * merged as `fipscan merge` merges them; json, junit and prom are merge's output. Exit codes are
 * merge's: the verdicts' 0/1/2, 64 for bad input or HTML bound for a terminal, 73 for -o.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { legacyEndpoint, meshSidecarEndpoint, strictEndpoint, unreachableEndpoint } from '../report/factories.js';
import { textOf } from '../report/htmlMarkup.js';
import { runCli } from '../helpers/cli.js';
import { reportOf, tempDir, writeReport } from './reportFixtures.js';
import { runInTerminal } from './terminal.js';

t.test('one report becomes the page as it is: its endpoints, its tool version, its command line; exit from its verdicts', async (t) => {
  const dir = tempDir(t);
  const doc = reportOf([strictEndpoint(), unreachableEndpoint()]);
  doc.tool.version = '0.0.9';
  doc.command = ['fipscan', 'scan', '-f', 'targets.txt', '--format', 'json'];
  const input = writeReport(dir, 'nightly.json', doc);
  const out = join(dir, 'nightly.html');
  const run = await runCli(['report', input, '-o', out]);
  t.equal(run.code, 2, 'exit 2: one endpoint could not be scanned', { stderr: run.stderr });
  t.equal(run.stdout, '');
  t.equal(run.stderr, '');
  const text = textOf(readFileSync(out, 'utf8'));
  t.match(text, /! ERROR None fails test-fips 1\.0, but 1 of 2 endpoints could not be judged/);
  t.match(text, /Toolfipscan 0\.0\.9/, 'the version that scanned');
  t.match(text, /Command linefipscan scan -f targets\.txt --format json/);
  t.match(text, /1 api\.internal\.example:443✓ PASS[\s\S]*2 payments\.example:8443! ERROR/);
  t.same(readdirSync(dir).sort(), ['nightly.html', 'nightly.json'], 'no temporary file left');
});

t.test('several reports are merged as by merge: the later scan of an endpoint wins, said on stderr; exit 1 on a failure', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'shard-0.json', reportOf([strictEndpoint(), legacyEndpoint()], '2025-06-01T12:00:00.000Z'));
  const b = writeReport(dir, 'shard-1.json', reportOf([meshSidecarEndpoint(), legacyEndpoint()], '2025-06-01T12:05:00.000Z'));
  const run = await runCli(['report', a, b]);
  t.equal(run.code, 1, { stderr: run.stderr });
  t.equal(run.stderr, `fipscan: report: old-appliance.example:443 is in both ${a} and ${b}: kept the later scan, from ${b}\n`);
  const text = textOf(run.stdout);
  t.match(text, /2 of 3 endpoints fail test-fips 1\.0/);
  t.match(text, /1 api\.internal\.example:443✓ PASS[\s\S]*2 old-appliance\.example:443✗ FAIL[\s\S]*3 reviews\.bookinfo\.svc\.cluster\.local:9080✗ FAIL/);
  const quiet = await runCli(['report', '-q', a, b]);
  t.equal(quiet.stderr, '');
});

t.test('--format json, junit and prom give what merge gives', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([strictEndpoint()]));
  const b = writeReport(dir, 'b.json', reportOf([unreachableEndpoint()]));
  for (const format of ['json', 'junit', 'prom']) {
    const report = await runCli(['report', '--format', format, a, b]);
    const merge = await runCli(['merge', '--format', format, a, b]);
    t.equal(report.code, 2, format);
    t.equal(report.stdout, merge.stdout, `${format}: the same output as merge`);
  }
});

t.test('bad input is one line and exit 64: not a report, other policies, unreadable, no table format', async (t) => {
  const dir = tempDir(t);
  const good = writeReport(dir, 'good.json', reportOf([strictEndpoint()]));
  const other = reportOf([legacyEndpoint()]);
  other.policy = { id: 'fips-strict', version: '2026.11', title: 'FIPS strict' };
  const cases: [string[], RegExp][] = [
    [[writeReport(dir, 'bad.json', '{"schema": ')], /^fipscan: report: \S+bad\.json: not JSON: .* \[EBADREPORT\]\n$/],
    [[good, writeReport(dir, 'other.json', other)], /^fipscan: report: \S+other\.json was judged against policy fips-strict 2026\.11 but \S+good\.json against test-fips 1\.0: only reports of the same policy merge \[EMERGE\]\n$/],
    [[join(dir, 'missing.json')], /^fipscan: report: cannot read \S+missing\.json: ENOENT.* \[EREADFILE\]\n$/],
    [['--format', 'table', good], /^fipscan: option '--format <format>' argument 'table' is invalid\. Allowed choices are html, json, junit, prom\. \[EUSAGE\]\n$/],
    [[], /^fipscan: missing required argument 'reports' \[EUSAGE\]\n$/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(['report', ...args]);
    t.equal(run.code, 64, args.join(' '));
    t.match(run.stderr, message);
    t.equal(run.stdout, '');
  }
});

t.test('on a terminal: html without -o is refused in one line (exit 64); with -o it is written', async (t) => {
  const dir = tempDir(t);
  const input = writeReport(dir, 'a.json', reportOf([strictEndpoint()]));
  const refused = await runInTerminal(['report', input]);
  t.equal(refused.code, 64);
  t.equal(refused.output, 'fipscan: report: --format html writes a web page, not terminal text: add -o report.html (or redirect stdout to a file) [EUSAGE]\n');
  const out = join(dir, 'a.html');
  const written = await runInTerminal(['report', input, '-o', out]);
  t.equal(written.code, 0, { output: written.output });
  t.ok(existsSync(out));
  const json = await runInTerminal(['report', '--format', 'json', input]);
  t.equal(json.code, 0, 'other formats print on a terminal as before');
});

t.test('-o that cannot be written: exit 73, before reading the reports', async (t) => {
  const dir = tempDir(t);
  const input = writeReport(dir, 'a.json', reportOf([strictEndpoint()]));
  const run = await runCli(['report', input, '-o', join(dir, 'no-such-dir', 'a.html')]);
  t.equal(run.code, 73);
  t.match(run.stderr, /^fipscan: --output: cannot write \S+a\.html: /);
});
