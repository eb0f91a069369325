/**
 * Erlang/OTP's `ssl` application as a TLS stack for the scan tests: the server in
 * fixtures/stacks/erlang/fipscan_tls_server.erl, compiled with erlc once per source hash into
 * the temp directory, run by `erl -noshell` with the ssl:listen options rendered as one Erlang
 * expression. It listens on 127.0.0.1 with an ephemeral port it prints, serves each connection in its
 * own Erlang process (any number of sequential and concurrent handshakes) and is started through
 * startChild, so the loopback shim's PR_SET_PDEATHSIG kills beam.smp when the test dies.
 * Debian packages: erlang-base and erlang-ssl (erlc is in erlang-base).
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, loopbackShim, repoRoot, startChild, type CertName, type RunningServer, type TlsVersionName } from '../servers.js';

const execFileP = promisify(execFile);
const source = join(repoRoot, 'fixtures', 'stacks', 'erlang', 'fipscan_tls_server.erl');
const MODULE = 'fipscan_tls_server';

/** ssl:listen options, in the ssl application's own vocabulary; unset ones keep OTP's defaults. */
export interface ErlangServerOptions {
  cert: CertName;
  /** `versions`: OTP 25 defaults to TLS 1.2 + 1.3. */
  versions?: TlsVersionName[];
  /** `ciphers`: OpenSSL names (TLS 1.3 suites by their IANA names), in the server's order. */
  ciphers?: string[];
  /** `eccs`: TLS 1.2 ECDHE curves, by OTP's names (secp256r1, x25519, ...). */
  eccs?: string[];
  /** `supported_groups`: TLS 1.3 groups (x25519, secp256r1, ffdhe2048, ...). */
  supportedGroups?: string[];
  /** `honor_cipher_order`: OTP's default is false, the client's order. */
  honorCipherOrder?: boolean;
  /**
   * More options as Erlang expressions, evaluated by the server, e.g.
   * `{ciphers, ssl:cipher_suites(all, 'tlsv1.2')}` (OTP's own lists rather than a copy of them).
   */
  extraOptions?: string[];
}

const erlangVersion: Record<TlsVersionName, string> = {
  'TLSv1.0': 'tlsv1',
  'TLSv1.1': 'tlsv1.1',
  'TLSv1.2': 'tlsv1.2',
  'TLSv1.3': 'tlsv1.3',
};

const erlangString = (text: string): string => JSON.stringify(text);
const erlangAtom = (name: string): string => `'${name.replace(/[\\']/g, (c) => `\\${c}`)}'`;
const atomList = (names: readonly string[]): string => `[${names.map(erlangAtom).join(',')}]`;

/** The options as the one Erlang list expression the server evaluates (erl_eval). */
export function renderErlangOptions(o: ErlangServerOptions): string {
  const options = [`{certfile,${erlangString(certPath(o.cert))}}`, `{keyfile,${erlangString(certPath(o.cert, 'key'))}}`];
  if (o.versions !== undefined) options.push(`{versions,${atomList(o.versions.map((v) => erlangVersion[v]))}}`);
  if (o.ciphers !== undefined) options.push(`{ciphers,[${o.ciphers.map(erlangString).join(',')}]}`);
  if (o.eccs !== undefined) options.push(`{eccs,${atomList(o.eccs)}}`);
  if (o.supportedGroups !== undefined) options.push(`{supported_groups,${atomList(o.supportedGroups)}}`);
  if (o.honorCipherOrder !== undefined) options.push(`{honor_cipher_order,${String(o.honorCipherOrder)}}`);
  options.push(...(o.extraOptions ?? []));
  return `[${options.join(',')}]`;
}

let compiled: Promise<string> | undefined;

/**
 * The directory holding the compiled module, built once per source hash (compiled into a
 * private directory, renamed into place so parallel test processes never load a partial file).
 */
function compiledServer(): Promise<string> {
  compiled ??= (async () => {
    const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
    const target = join(tmpdir(), `fipscan-erlang-server-${hash}`);
    if (existsSync(join(target, `${MODULE}.beam`))) return target;
    const partial = `${target}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    await execFileP('erlc', ['-o', partial, source], { timeout: 60_000 });
    try {
      renameSync(partial, target);
    } catch (err) {
      // Another test process won the race: its directory holds the same module.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(target, `${MODULE}.beam`))) throw err;
    }
    return target;
  })();
  return compiled;
}

/** The line the server prints once it listens: its port, then beam.smp's process id. */
const readyLine = /^fipscan-erlang-server 127\.0\.0\.1:(\d+) pid (\d+)$/m;

export type ErlangServer = RunningServer & {
  /** beam.smp's process id (sh exec'd into erl and erl into beam.smp: startChild's own child). */
  beamPid: number;
};

let unavailable: Promise<string | undefined> | undefined;

/** Why an Erlang server cannot run here (a tap skip reason), or undefined when it can. */
export function erlangUnavailable(): Promise<string | undefined> {
  unavailable ??= (async () => {
    try {
      await loopbackShim();
      await compiledServer();
      // erlc comes with erlang-base; the ssl application is a package of its own (erlang-ssl).
      await execFileP('erl', ['-noshell', '-noinput', '-eval', 'halt(case code:lib_dir(ssl) of {error, _} -> 1; _ -> 0 end).'], { timeout: 30_000 });
      return undefined;
    } catch (err) {
      return `the Erlang fixture server cannot be built (Debian erlang-base, erlang-ssl, and cc for the loopback shim): ${(err as Error).message}`;
    }
  })();
  return unavailable;
}

/** Starts the Erlang/OTP ssl server on 127.0.0.1 with an ephemeral port; the caller closes it. */
export async function startErlangServer(options: ErlangServerOptions): Promise<ErlangServer> {
  const dir = await compiledServer();
  // beam.smp forks erl_child_setup, whose parent is beam, not this process: the shim's
  // FIPSCAN_PARENT_PID check would kill it (and beam aborts, "Failed to write to erl_child_setup").
  // sh passes that check itself, then drops the variable before exec'ing erl; every process after
  // it still gets PR_SET_PDEATHSIG from the shim, so beam dies with the test, erl_child_setup with beam.
  const args = [
    '-c',
    'unset FIPSCAN_PARENT_PID; exec "$0" "$@"',
    'erl',
    '-noshell',
    '-noinput',
    '-pa',
    dir,
    '-s',
    MODULE,
    'main',
    '-extra',
    renderErlangOptions(options),
    // stdin is /dev/null under startChild: the server must not take its end of file as the signal to stop.
    'ignore-stdin',
  ];
  const server = await startChild('erlang', 'sh', args, readyLine, true, {
    // A crashing VM would otherwise write erl_crash.dump into the working directory.
    ERL_CRASH_DUMP_SECONDS: '0',
  });
  // Read at once: the output is a 16 KiB tail that the server's handshake log soon pushes past.
  const pid = readyLine.exec(server.output())?.[2];
  if (pid === undefined) {
    await server.close();
    throw new Error(`erlang server printed no pid: ${server.output()}`);
  }
  return { ...server, beamPid: Number(pid) };
}
