/**
 * `fipscan policies` lists the built-in profiles; `policies show <id>` prints one as JSON that,
 * given a new id, `scan --policy file.json` accepts back and judges by exactly as the built-in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, runCli, sidecarServer, strictServer, target, type Report } from '../helpers/cli.js';

const PROFILES = ['fips-strict', 'sp800-52r2', 'fips-140-3', 'istio-fips-140-2', 'istio-pqc'];

t.test('`fipscan policies` lists the built-in profiles, the default marked', async (t) => {
  const run = await runCli(['policies']);
  t.equal(run.code, 0, 'exit 0', { stderr: run.stderr });
  const lines = run.stdout.split('\n').filter((l) => l.length > 0);
  t.same(lines.map((l) => l.split(/\s+/)[0]), PROFILES, 'one line per profile, in order');
  t.match(lines[0] ?? '', /\(default\)$/, 'fips-strict is marked as the default');
  t.equal(lines.filter((l) => l.includes('(default)')).length, 1, 'only one default');
});

const dir = mkdtempSync(join(tmpdir(), 'fipscan-show-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** `policies show id`, the document written back with a new id, and a scan with it (a closed port). */
async function roundTrip(id: string) {
  const show = await runCli(['policies', 'show', id]);
  const doc = JSON.parse(show.stdout) as { id: string; version: string };
  const file = join(dir, `my-${id}.json`);
  writeFileSync(file, JSON.stringify({ ...doc, id: `my-${id}` }, null, 2));
  const scan = await runCli(['scan', '--format', 'json', '--policy', file, `127.0.0.1:${await closedPort()}`]);
  return { show, doc, scan };
}

// The three round trips run side by side (each is two short processes); a failure surfaces in
// its subtest's await, not as an unhandled rejection before it.
const roundTrips = new Map(
  PROFILES.map((id) => {
    const trip = roundTrip(id);
    trip.catch(() => {});
    return [id, trip];
  }),
);

for (const id of PROFILES) {
  t.test(`\`policies show ${id}\` prints JSON that --policy accepts back once its id is changed`, async (t) => {
    const { show, doc, scan } = await roundTrips.get(id)!;
    t.equal(show.code, 0, 'exit 0', { stderr: show.stderr });
    t.equal(doc.id, id);
    // The policy must load (exit 2 for the unreachable target, not 64) and name itself by the new id.
    t.equal(scan.code, 2, 'the policy file is accepted', { stderr: scan.stderr });
    const report = JSON.parse(scan.stdout) as Report;
    t.same(report.policy.id, `my-${id}`);
    t.same(report.policy.version, doc.version);
  });
}

t.test('the round-tripped fips-strict judges real servers like the built-in', async (t) => {
  const show = await runCli(['policies', 'show', 'fips-strict']);
  const file = join(dir, 'mine.json');
  writeFileSync(file, JSON.stringify({ ...(JSON.parse(show.stdout) as object), id: 'my-strict' }));
  const targets = [target(await strictServer(t)), target(await sidecarServer(t))];
  const [custom, builtin] = await Promise.all([
    runCli(['scan', '--format', 'json', '--policy', file, ...targets]),
    runCli(['scan', '--format', 'json', '--policy', 'fips-strict', ...targets]),
  ]);
  t.equal(custom.code, 1, 'exit 1', { stderr: custom.stderr });
  const judged = (run: { stdout: string }) =>
    (JSON.parse(run.stdout) as Report).endpoints.map((e) => ({ verdict: e.verdict, violations: e.violations.map((v) => [v.rule, v.protocol, v.item]) }));
  const customJudged = judged(custom);
  t.same(customJudged.map((e) => e.verdict), ['pass', 'fail']);
  t.same(customJudged, judged(builtin), 'the same verdicts and violations as the built-in profile');
});
