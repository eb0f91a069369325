/**
 * The real binaries the inspect tests look at, built once per source change: the Go TLS server
 * of fixtures/inspect/goserver with the Debian Go toolchain (golang-go), with
 * GOEXPERIMENT=boringcrypto (and crypto/tls/fipsonly, pulled in by its boringcrypto-only file),
 * the same stripped (-s -w), and without BoringCrypto; and the C client of fixtures/inspect/c
 * linked against the system libssl (libssl-dev). Builds run offline (GOPROXY=off, standard
 * library only, GOTOOLCHAIN=local) into a directory in os.tmpdir() named by a hash of the
 * sources and toolchain versions, guarded by a lock directory so parallel test files build once.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/servers.js';

const execFileP = promisify(execFile);

export interface TestPrograms {
  /** GOEXPERIMENT=boringcrypto, CGO_ENABLED=1, crypto/tls/fipsonly linked. */
  goBoring: string;
  /** The same build stripped of its symbol table (-ldflags=-s -w). */
  goBoringStripped: string;
  /** Standard Go crypto, CGO_ENABLED=0. */
  goPlain: string;
  /** C, linked with -lssl -lcrypto. */
  cOpenssl: string;
}

export const FIXTURES = join(repoRoot, 'fixtures', 'inspect');
const GO_SOURCE = join(FIXTURES, 'goserver');
const C_SOURCE = join(FIXTURES, 'c', 'openssl-client.c');
const RECIPE = 'v1 boring/stripped/plain, c -lssl -lcrypto';

async function toolVersion(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(command, args);
    return stdout.split('\n')[0] ?? '';
  } catch (err) {
    throw new Error(`${command} is needed to build the inspect test programs (apt-get install golang-go libssl-dev gcc): ${(err as Error).message}`);
  }
}

function goEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOTELEMETRY: 'off',
    GOCACHE: join(tmpdir(), 'fipscan-go-cache'),
    GOPATH: join(tmpdir(), 'fipscan-gopath'),
    ...extra,
  };
}

async function build(dir: string): Promise<void> {
  const go = (out: string, env: Record<string, string>, flags: string[] = []) =>
    execFileP('go', ['build', '-trimpath', ...flags, '-o', join(dir, out), '.'], { cwd: GO_SOURCE, env: goEnv(env), maxBuffer: 1 << 20 });
  await go('go-boring', { GOEXPERIMENT: 'boringcrypto', CGO_ENABLED: '1' });
  await go('go-boring-stripped', { GOEXPERIMENT: 'boringcrypto', CGO_ENABLED: '1' }, ['-ldflags=-s -w']);
  await go('go-plain', { CGO_ENABLED: '0', GOEXPERIMENT: '' });
  await execFileP('cc', ['-O1', '-o', join(dir, 'c-openssl'), C_SOURCE, '-lssl', '-lcrypto']);
}

const NAMES = { goBoring: 'go-boring', goBoringStripped: 'go-boring-stripped', goPlain: 'go-plain', cOpenssl: 'c-openssl' } as const;

let cached: Promise<TestPrograms> | undefined;

/** The built programs (built on first use, then reused across runs until a source changes). */
export function testPrograms(): Promise<TestPrograms> {
  cached ??= (async () => {
    const hash = createHash('sha256').update(RECIPE);
    hash.update(await toolVersion('go', ['version']));
    hash.update(await toolVersion('cc', ['--version']));
    for (const name of readdirSync(GO_SOURCE).sort()) hash.update(name).update(readFileSync(join(GO_SOURCE, name)));
    hash.update(readFileSync(C_SOURCE));
    const dir = join(tmpdir(), `fipscan-inspect-programs-${hash.digest('hex').slice(0, 16)}`);
    const programs = Object.fromEntries(Object.entries(NAMES).map(([k, v]) => [k, join(dir, v)])) as unknown as TestPrograms;
    const lock = `${dir}.lock`;
    const deadline = Date.now() + 110_000;
    while (!existsSync(dir)) {
      try {
        mkdirSync(lock);
      } catch {
        // Another test file is building; a lock older than five minutes was left by a crash.
        // (The lock may already be gone: the build just finished, and the loop sees its result.)
        const held = statSync(lock, { throwIfNoEntry: false });
        if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      const work = `${dir}.tmp-${process.pid}`;
      try {
        rmSync(work, { recursive: true, force: true });
        mkdirSync(work);
        await build(work);
        renameSync(work, dir);
      } finally {
        rmSync(work, { recursive: true, force: true });
        rmSync(lock, { recursive: true, force: true });
      }
    }
    return programs;
  })();
  return cached;
}
