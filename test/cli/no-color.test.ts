/**
 * No ANSI escapes where colors do not belong: never when stdout is not a terminal, and on a
 * terminal not with NO_COLOR=1 or --no-color. The terminal cases run the CLI under `script`,
 * which gives it a pseudo-terminal; a control run without either proves colors would show.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { fipscanMain, hasAnsi, runCli, sidecarServer, strictServer, target } from '../helpers/cli.js';
import { repoRoot } from '../helpers/servers.js';

const execFileP = promisify(execFile);

const scriptSkip = await execFileP('script', ['-qec', 'true', '/dev/null'], { timeout: 10_000 }).then(
  () => false as const,
  (err: Error) => `util-linux script(1) is not usable: ${err.message}`,
);

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Runs fipscan with stdout on a pseudo-terminal; resolves to what the terminal showed. */
async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const command = [process.execPath, fipscanMain, ...args].map(shellQuote).join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.FIPSCAN_POLICY;
  if (!('NO_COLOR' in env)) delete childEnv.NO_COLOR;
  delete childEnv.FORCE_COLOR;
  // script exits with the command's status; a FAIL is exit 1, which is not an error here.
  const { stdout } = await execFileP('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, env: childEnv, timeout: 30_000 }).catch(
    (err: { stdout?: string; code?: number }) => {
      if (err.code === 1 && err.stdout !== undefined) return { stdout: err.stdout };
      throw err;
    },
  );
  return stdout;
}

t.test('stdout that is not a terminal gets no ANSI escapes', async (t) => {
  const targets = [target(await strictServer(t)), target(await sidecarServer(t))];
  const run = await runCli(['scan', ...targets]);
  t.equal(run.code, 1, 'exit 1', { stderr: run.stderr });
  t.match(run.stdout, /FAIL/);
  t.notOk(hasAnsi(run.stdout), 'no ESC byte on stdout');
  t.notOk(hasAnsi(run.stderr), 'no ESC byte on stderr');
});

t.test('on a terminal, NO_COLOR=1 and --no-color turn colors off', { skip: scriptSkip }, async (t) => {
  const targets = [target(await strictServer(t)), target(await sidecarServer(t))];
  const [colored, noColorEnv, noColorFlag] = await Promise.all([
    onTerminal(['scan', '-q', ...targets]),
    onTerminal(['scan', '-q', ...targets], { NO_COLOR: '1' }),
    onTerminal(['scan', '-q', '--no-color', ...targets]),
  ]);
  t.ok(hasAnsi(colored), 'control: on a terminal without either, the report is colored');
  t.match(noColorEnv, /FAIL/);
  t.notOk(hasAnsi(noColorEnv), 'NO_COLOR=1: no ESC byte');
  t.match(noColorFlag, /FAIL/);
  t.notOk(hasAnsi(noColorFlag), '--no-color: no ESC byte');
});
