/**
 * `npm run demo` without the build step: `node dist/src/cli/demo.js` starts its two endpoints,
 * exits 0 and prints exactly one PASS and one FAIL.
 */
import t from 'tap';
import { fipscanDemo, spawnCli } from '../helpers/cli.js';

t.test('the demo exits 0 with one PASS (strict endpoint) and one FAIL (sidecar)', async (t) => {
  const run = await spawnCli([], {}, fipscanDemo).done;
  t.equal(run.code, 0, 'exit 0', { stderr: run.stderr });
  t.equal(run.stdout.match(/^ {2}PASS$/gm)?.length, 1, 'one PASS verdict');
  t.equal(run.stdout.match(/^ {2}FAIL {2}/gm)?.length, 1, 'one FAIL verdict');
  t.match(run.stdout, /2 endpoints: 1 pass, 1 fail, 0 error/);
  t.match(run.stderr, /verdicts as expected/);
});
