/**
 * `fipscan scan --format html`: the page is written with -o (or to a pipe), shows the verdict of
 * a real scanned server and the command line with its secrets removed; on a terminal without -o
 * the scan is refused before it starts (exit 64, one line). The JSON report records the same
 * command line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, reportErrors, runCli, strictServer, target } from '../helpers/cli.js';
import { tempDir } from './reportFixtures.js';
import { runInTerminal } from './terminal.js';
import { textOf } from '../report/htmlMarkup.js';

t.test('scan --format html -o writes the page: the verdict, the target, the command line', async (t) => {
  const server = await strictServer(t);
  const out = join(tempDir(t), 'report.html');
  const run = await runCli(['scan', '--format', 'html', '-o', out, target(server)]);
  t.equal(run.code, 0, 'exit 0: the endpoint passes', { stderr: run.stderr });
  t.equal(run.stdout, '');
  const page = readFileSync(out, 'utf8');
  t.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
  const text = textOf(page);
  t.match(text, /✓ PASS The endpoint passes fips-strict/);
  t.match(text, new RegExp(`1 ${target(server).replace(/\./g, '\\.')}✓ PASS`));
  t.match(text, new RegExp(`Command linefipscan scan --format html -o ${out.replace(/[./]/g, '\\$&')} ${target(server).replace(/\./g, '\\.')}`));
});

t.test('a credential in a target URL never reaches the page or the JSON command line', async (t) => {
  const server = await strictServer(t);
  const url = `https://bob:hunter2-pw@127.0.0.1:${server.port}/`;
  const run = await runCli(['scan', '--format', 'html', '-q', url]);
  t.equal(run.code, 0, { stderr: run.stderr });
  t.notOk(run.stdout.includes('hunter2'), 'the password is nowhere in the page');
  t.match(textOf(run.stdout), new RegExp(`Command linefipscan scan --format html -q 'https://<redacted>@127\\.0\\.0\\.1:${server.port}/'`));
  const json = await runCli(['scan', '--format', 'json', '-q', url], { env: { DEPLOY_TOKEN: 'hunter2-pw' } });
  const doc = JSON.parse(json.stdout) as { command: string[] };
  t.same(reportErrors(doc), [], 'the JSON report with its command line is valid');
  t.same(doc.command, ['fipscan', 'scan', '--format', 'json', '-q', `https://<redacted>@127.0.0.1:${server.port}/`]);
});

t.test('to a pipe without -o, the page goes to stdout', async (t) => {
  const run = await runCli(['scan', '--format', 'html', '-q', `127.0.0.1:${await closedPort()}`]);
  t.equal(run.code, 2, 'exit 2: the endpoint could not be scanned');
  t.match(run.stdout, /^<!DOCTYPE html>/);
  t.match(textOf(run.stdout), /! ERROR None fails fips-strict [^,]*, but 1 of 1 endpoint could not be judged[\s\S]*ECONNREFUSED/);
});

t.test('on a terminal without -o: exit 64 and a one-line hint, before any scan', async (t) => {
  const port = await closedPort();
  const run = await runInTerminal(['scan', '--format', 'html', `127.0.0.1:${port}`]);
  t.equal(run.code, 64, { output: run.output });
  t.equal(run.output, 'fipscan: scan: --format html writes a web page, not terminal text: add -o report.html (or redirect stdout to a file) [EUSAGE]\n');
  const table = await runInTerminal(['scan', '-q', `127.0.0.1:${port}`]);
  t.equal(table.code, 2, 'the table on a terminal is as before');
});
