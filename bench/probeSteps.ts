/**
 * Names every connection a scan opens by the step that asked for it, without a hook in src/:
 * the CLI runs unbundled (dist/src/cli/main.js) under module hooks (probeSteps/register.ts and
 * hooks.ts) that log, at the start of each probe, the hello's spec and the function names on the
 * (async) stack; `stepOf` maps those names to a step of the sweep. A hello identical to the one
 * just before it in the same step and version is a repeat: a retry or a ladder rung.
 *
 * Which steps the issue 19 budget (6 + suites + groups + protocols + 2) pays for is decided
 * here too (IN_BUDGET), so that every probe beyond it has a name.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/servers.js';

export interface ProbeLogEntry {
  t: number;
  address: string;
  port: number;
  frames: string[];
  protocol: string | null;
  suites: number[] | null;
  groups: number[] | null;
  keyShares: 'empty' | number[] | null;
  signatureSchemes: number[] | null;
  minimal: boolean;
  small: boolean;
  padTo: number | null;
  srp: boolean;
  ems: boolean;
  flight13: boolean;
}

/**
 * Function names on the stack -> step name; the first listed name found on the stack wins, so a
 * step that runs inside another (the server-order probe inside a group step) is listed first.
 * Class methods count by their method name (Tls13Sweep.remainingGroups -> remainingGroups).
 */
const STEPS: readonly [string, string][] = [
  ['stalledPort', 'stalled-port check'],
  ['sweepSslv2', 'SSLv2 hello'],
  ['plaintextCheck', 'plaintext check'],
  ['controlTaken', 'RFC 7919 groups: control hello'],
  ['sweepFfdheGroups', 'RFC 7919 groups (DHE)'],
  ['sweepSignatureSchemes13', 'signature schemes (TLS 1.3 flights)'],
  ['sweepSignatureSchemes', 'signature schemes (TLS 1.2)'],
  ['withClientSecretSuites', 'SRP/ECCPWD suites hello'],
  ['serverOrder', 'server order'],
  ['sweepEcdheGroups', 'ECDHE groups'],
  ['shareCheck', 'real key-share check'],
  ['emsRequired', 'extended master secret required'],
  ['fullHandshakes', 'node:tls handshake'],
  ['remainingGroups', 'groups (TLS 1.3)'],
  ['sweepTls13', 'suites'],
  ['sweepLegacy', 'suites'],
  ['scanEndpoint', 'suites'],
];

/** The step a logged probe belongs to; a control hello inside an elimination is named after its step, an order elimination is order recovery. */
export function stepOf(e: ProbeLogEntry): string {
  const step = STEPS.find(([fn]) => e.frames.includes(fn))?.[1] ?? `unknown (${e.frames.slice(0, 4).join(' < ')})`;
  if (step === 'server order' && e.frames.includes('run')) return 'order recovery';
  return e.frames.includes('confirmedByControl') ? `${step}: control hello` : step;
}

/**
 * Steps the budget pays for: per version one terminating probe (6) and one per accepted
 * suite; one per accepted group and one terminating refusal per offered version (protocols);
 * the extended-master-secret probe and the node:tls handshake (2).
 */
export const IN_BUDGET: ReadonlySet<string> = new Set(['suites', 'SSLv2 hello', 'ECDHE groups', 'groups (TLS 1.3)', 'extended master secret required', 'node:tls handshake']);

export interface StepCount {
  step: string;
  protocol: string;
  probes: number;
  /** Of those, hellos identical to the one just before them in this step and version. */
  repeats: number;
}

/** Probes per (step, version) for one endpoint's log entries, in the order steps first appeared. */
export function countSteps(entries: readonly ProbeLogEntry[]): StepCount[] {
  const counts = new Map<string, StepCount>();
  const last = new Map<string, string>();
  for (const e of entries) {
    const step = stepOf(e);
    const protocol = e.protocol ?? 'TLS';
    const key = `${step}\0${protocol}`;
    const hello = JSON.stringify([e.suites, e.groups, e.keyShares, e.signatureSchemes, e.minimal, e.small, e.srp, e.ems]);
    const c = counts.get(key) ?? { step, protocol, probes: 0, repeats: 0 };
    c.probes++;
    if (e.protocol !== null && last.get(key) === hello) c.repeats++;
    last.set(key, hello);
    counts.set(key, c);
  }
  return [...counts.values()];
}

/** Runs `fipscan <args>` unbundled under the logging hooks; resolves to the exit code and every logged probe. */
export async function runLogged(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; entries: ProbeLogEntry[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-probesteps-'));
  const log = join(dir, 'probes.jsonl');
  try {
    const register = join(repoRoot, 'dist', 'bench', 'probeSteps', 'register.js');
    const main = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', register, main, ...args], { env: { ...env, FIPSCAN_PROBE_LOG: log }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
      child.once('error', reject);
      child.once('close', (c) => resolve({ code: c, stdout: out }));
    });
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      // No probe at all: nothing was logged.
    }
    const entries = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ProbeLogEntry);
    return { code, stdout, entries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
