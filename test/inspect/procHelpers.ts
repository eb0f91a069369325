/**
 * Running the test programs as processes to inspect: each child is started with a pipe on
 * stdin (the programs serve until it closes), waited for until it prints its first line, and
 * closed and reaped at teardown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Test } from 'tap';

export interface RunningProgram {
  child: ChildProcess;
  pid: number;
  /** The first line the program printed (the Go server: its address). */
  firstLine: string;
}

/** Starts `command args` and resolves once it printed a line; stopped at the end of `t`. */
export async function startProgram(t: Test, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningProgram> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command}: no output within 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before printing; stderr: ${stderr}`)));
  });
  return { child, pid: child.pid!, firstLine };
}
