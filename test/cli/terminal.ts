/**
 * Running the CLI with stdout on a terminal, for the behaviours that depend on it: util-linux
 * `script` gives the child a pseudo-terminal (present wherever util-linux is, as on Debian).
 */
import { execFile } from 'node:child_process';
import { fipscanMain } from '../helpers/cli.js';
import { repoRoot } from '../helpers/servers.js';

export interface TerminalRun {
  code: number | null;
  /** What the terminal showed (stdout and stderr together), line ends as \n. */
  output: string;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs `fipscan ...args` with a pseudo-terminal as stdin, stdout and stderr. */
export function runInTerminal(args: readonly string[]): Promise<TerminalRun> {
  const command = [process.execPath, fipscanMain, ...args].map(shellQuote).join(' ');
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, timeout: 30_000 }, (err, stdout) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, output: stdout.replace(/\r\n/g, '\n') });
    });
  });
}
