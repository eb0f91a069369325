/**
 * `fipscan scan --format json|junit|table` writes each endpoint as it is judged (src/cli/reportSink.ts:
 * rendered at once, spooled, read back in input order at the end). The report must be the very
 * bytes the whole-run renderers write, to an -o file and to stdout, whatever order the endpoints
 * finish in; nothing may be left beside the report; and no endpoint's report may be kept once it
 * is rendered (prom, which totals across endpoints, keeps them: the check's control).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { reportSink, type ReportSink } from '../../src/cli/reportSink.js';
import { renderTable } from '../../src/report/index.js';
import { repoRoot } from '../helpers/servers.js';
import { tempDir } from './reportFixtures.js';
import { expected, feed, sinkOptions, sinkRuns, STREAMED_FORMATS } from './sinkRuns.js';

const execFileP = promisify(execFile);

t.test('to an -o file: the bytes the whole-run renderer writes, endpoints finishing out of order; no spool file left', async (t) => {
  const dir = tempDir(t);
  const written: string[] = [];
  for (const format of STREAMED_FORMATS) {
    for (const [name, r] of Object.entries(sinkRuns())) {
      const output = join(dir, `${name}.${format}`);
      await feed(reportSink(sinkOptions(r, format, output), r.policy), r);
      written.push(`${name}.${format}`);
      t.equal(readFileSync(output, 'utf8'), expected(r, format), `${format}: ${name}`);
    }
  }
  t.same(readdirSync(dir).sort(), written.sort(), 'only the reports in the directory');
});

t.test('to stdout (a pipe): the same bytes', async (t) => {
  const child = join(repoRoot, 'dist', 'test', 'cli', 'sinkToStdout.js');
  const runs = sinkRuns();
  for (const format of STREAMED_FORMATS) {
    for (const name of ['fleet', 'local', 'none'] as const) {
      const { stdout } = await execFileP(process.execPath, [child, format, name], { maxBuffer: 64 * 1024 * 1024 });
      t.equal(stdout, expected(runs[name], format), `${format}: ${name}`);
    }
  }
});

t.test('table: the head says IANA names were left out when an entry, rendered before the head, had to', async (t) => {
  const dir = tempDir(t);
  const r = sinkRuns().fleet;
  const columns = process.stdout.columns;
  process.stdout.columns = 60;
  t.teardown(() => void (process.stdout.columns = columns));
  const output = join(dir, 'narrow.txt');
  await feed(reportSink(sinkOptions(r, 'table', output), r.policy), r);
  const text = readFileSync(output, 'utf8');
  t.match(text.split('\n\n')[0], /IANA suite names need more than 60 columns/, 'in the head');
  t.equal(text, renderTable(r, { color: false, width: 60 }));
});

/** Adds fresh endpoint reports (referenced from nowhere else) to `sink`; returns weak references to them. */
function addFresh(sink: ReportSink): WeakRef<object>[] {
  return sinkRuns().fleet.endpoints.map((report, i) => {
    sink.add(i, report);
    return new WeakRef(report);
  });
}

t.test('json, junit and table keep no endpoint report once rendered; prom keeps them', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const dir = tempDir(t);
  const r = sinkRuns().fleet;
  for (const format of [...STREAMED_FORMATS, 'prom'] as const) {
    const sink = reportSink({ ...sinkOptions(r, 'json', join(dir, `kept.${format}`)), format }, r.policy);
    const refs = addFresh(sink);
    // A WeakRef's target survives the job that made it: collect after it has ended.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const kept = refs.filter((ref) => ref.deref() !== undefined).length;
    if (format === 'prom') t.equal(kept, refs.length, 'prom: every report kept until the end');
    else t.equal(kept, 0, `${format}: no report kept`);
    await sink.discard();
  }
});
