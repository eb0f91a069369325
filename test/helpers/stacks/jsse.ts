/**
 * Java's own TLS stack (SunJSSE, OpenJDK 17) as a fixture server: fixtures/stacks/jsse/TlsServer.java,
 * compiled once per machine with javac (cached in the temp directory by the source's hash), run
 * on 127.0.0.1 with an ephemeral port, a thread per connection, until close(). It is configured
 * only the way a Java service is: system properties (-Djdk.tls.namedGroups) and SSLParameters
 * (protocols, suites, suite order); everything left unset is the JDK's default, with the
 * distribution's java.security as installed (Debian disables TLS 1.0/1.1 and TLS_RSA_* there).
 * Each configuration comes with what a correct scan must find, verified handshake by handshake
 * with `openssl s_client` and raw hellos (verify-jsse.ts); what JSSE does that other stacks do not
 * is listed after the imports.
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certsDir, repoRoot, startChild, type CertName, type RunningServer, type TlsVersionName } from '../servers.js';
import { CIPHER_SUITES } from '../../../src/registry/cipherSuites.js';
import { NAMED_GROUPS } from '../../../src/registry/groups.js';
import type { ShapeExpectation, VersionExpectation } from '../shapes.js';

const execFileP = promisify(execFile);

/*
 * What JSSE 17 (17.0.21, Debian) does, observed with raw hellos (src/probe/probe.ts) and s_client:
 *
 * - TLS 1.3, suites in common but no group in common: alert unexpected_message (10), not
 *   handshake_failure (40), whether the hello's key_share is empty or holds a share JSSE cannot
 *   use. Two code paths, same alert: the client lists groups JSSE knows but has not enabled
 *   (x25519 on a P-256-only server: "No common named group"), or none JSSE knows at all (GOST
 *   0x0022-0x0028, brainpool*tls13, or no supported_groups: "Unexpected key_share extension in
 *   HelloRetryRequest"). With no suite in common the answer is 40, groups or not.
 * - TLS 1.3 with an empty key_share: HelloRetryRequest for the client's first listed group that
 *   JSSE has enabled (client order; unknown and disabled groups before it are skipped), never the
 *   server's favourite. A share for any enabled group is taken as it is, listed first or not.
 * - TLS 1.2 ECDHE: the curve is the client's first enabled one (client order). A supported_groups
 *   list holding no group JSSE knows (only GOST, or only brainpoolP256r1/384r1/512r1, which JDK 17
 *   no longer has) is treated as absent: the ServerKeyExchange then uses the server's own first
 *   group, which the client never offered. A list of known but disabled groups (secp256k1, x25519
 *   on a P-256-only server) is refused with 40.
 * - TLS 1.2 DHE follows RFC 7919: the client's first listed ffdhe group (ffdhe8192 before
 *   ffdhe3072 gives 8192 bits); a client listing none gets the ffdhe2048 prime anyway.
 * - Suite order: the server's, by default (SSLParameters.getUseCipherSuitesOrder() is true), in
 *   both TLS 1.2 and 1.3.
 * - TLS 1.0/1.1 and SSLv3 hellos: protocol_version (70); an SSLv2-framed hello: a TLS alert
 *   handshake_failure (40) ("SSLv2Hello is not enabled").
 */

/** A JSSE server: certificates and the few settings a Java service would set. Unset: the JDK default. */
export interface JsseServerOptions {
  /** Fixture certificates, each loaded as a key entry (SunX509 picks by key type). */
  certs: CertName[];
  /** jdk.tls.namedGroups (JSSE names: secp256r1, x25519, ffdhe2048, ...). */
  namedGroups?: string[];
  /** SSLParameters.setProtocols. */
  protocols?: TlsVersionName[];
  /** SSLParameters.setCipherSuites, in this order (IANA names). */
  suites?: string[];
  /** SSLParameters.setUseCipherSuitesOrder. */
  serverOrder?: boolean;
}

export type JsseConfigName = 'strict' | 'strictDual' | 'default' | 'clientOrder';

export interface JsseConfig {
  /** One sentence for test names. */
  summary: string;
  options: JsseServerOptions;
  /** What a correct scan finds. Group order is the client's in every configuration (see the notes above). */
  expected: ShapeExpectation;
}

const off = null;

/** IANA codepoints of IANA-named suites (the names JSSE uses too); a typo fails at load time. */
function suiteIds(names: readonly string[]): number[] {
  return names.map((name) => {
    const suite = CIPHER_SUITES.find((candidate) => candidate.iana === name);
    if (suite === undefined) throw new Error(`no cipher suite named ${name}`);
    return suite.id;
  });
}

/** IANA codepoints of IANA-named groups (jdk.tls.namedGroups takes the same names). */
function groupIds(names: readonly string[]): number[] {
  return names.map((name) => {
    const group = NAMED_GROUPS.find((candidate) => candidate.name === name);
    if (group === undefined) throw new Error(`no named group ${name}`);
    return group.id;
  });
}

function version(suiteNames: string[], serverOrder: boolean | null, groupNames: string[], dhPrimeBits: number[] = []): VersionExpectation {
  return { suites: suiteIds(suiteNames), serverOrder, groups: groupIds(groupNames), dhPrimeBits };
}

const strictTls13Suites = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'];
const strictTls12Suites = ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'];
const strictEcdsaSuites = ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'];

/**
 * JDK 17's default suites an RSA certificate can serve in TLS 1.2, in the JDK's order: its
 * default list less the ECDSA and DSS ones, with TLS_RSA_* disabled by java.security.
 */
const defaultTls12RsaSuites = [
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
];
const defaultTls13Suites = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'];
/** jdk.tls.namedGroups unset: JDK 17's default list. In TLS 1.2 its ffdhe groups are negotiated for DHE suites (RFC 7919). */
const defaultCurves = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448'];
const defaultFfdhe = ['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
const defaultTls13Groups = [...defaultCurves, ...defaultFfdhe];

function defaultExpectation(serverOrder: boolean): ShapeExpectation {
  return {
    versions: {
      'TLSv1.0': off,
      'TLSv1.1': off,
      // A DHE client that lists no ffdhe group still gets the RFC 7919 ffdhe2048 prime; one that
      // lists them gets the first it lists, so all five are negotiated and their primes seen.
      'TLSv1.2': version(defaultTls12RsaSuites, serverOrder, defaultTls13Groups, [2048, 3072, 4096, 6144, 8192]),
      'TLSv1.3': version(defaultTls13Suites, serverOrder, defaultTls13Groups),
    },
    clientCertificate: 'none',
  };
}

export const jsseConfigs: Record<JsseConfigName, JsseConfig> = {
  strict: {
    summary: 'FIPS mesh: TLS 1.2 + 1.3, AES-GCM only (ECDHE-RSA), jdk.tls.namedGroups=secp256r1, server order',
    options: {
      certs: ['rsa2048'],
      namedGroups: ['secp256r1'],
      protocols: ['TLSv1.3', 'TLSv1.2'],
      suites: [...strictTls13Suites, ...strictTls12Suites],
    },
    expected: {
      versions: {
        'TLSv1.0': off,
        'TLSv1.1': off,
        'TLSv1.2': version(strictTls12Suites, true, ['secp256r1']),
        'TLSv1.3': version(strictTls13Suites, true, ['secp256r1']),
      },
      clientCertificate: 'none',
    },
  },
  strictDual: {
    summary: 'FIPS mesh with an RSA and an ECDSA P-256 certificate: ECDHE-ECDSA and ECDHE-RSA AES-GCM, P-256 only, server order',
    options: {
      certs: ['rsa2048', 'ecdsa-p256'],
      namedGroups: ['secp256r1'],
      protocols: ['TLSv1.3', 'TLSv1.2'],
      suites: [...strictTls13Suites, ...strictEcdsaSuites, ...strictTls12Suites],
    },
    expected: {
      versions: {
        'TLSv1.0': off,
        'TLSv1.1': off,
        'TLSv1.2': version([...strictEcdsaSuites, ...strictTls12Suites], true, ['secp256r1']),
        'TLSv1.3': version(strictTls13Suites, true, ['secp256r1']),
      },
      clientCertificate: 'none',
    },
  },
  default: {
    summary: 'JDK 17 defaults with an RSA 2048 certificate: TLS 1.2 + 1.3, GCM + ChaCha20 + CBC, ECDHE + DHE, ten groups',
    options: { certs: ['rsa2048'] },
    expected: defaultExpectation(true),
  },
  clientOrder: {
    summary: 'JDK 17 defaults with setUseCipherSuitesOrder(false): the client picks the suite',
    options: { certs: ['rsa2048'], serverOrder: false },
    expected: defaultExpectation(false),
  },
};

// ---------------------------------------------------------------------------------------------
// Starting the server

/** JVM settings for a quick start on a small shared machine; none changes what TLS does. */
const JVM_FLAGS = [
  // The loopback-bind shim refuses IPv6 binds, and Java would bind ::ffff:127.0.0.1 on an IPv6 socket.
  '-Djava.net.preferIPv4Stack=true',
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-XX:-UsePerfData',
  '-XX:+DisableAttachMechanism',
];

/** Starts TlsServer with `config` (a name or explicit options); the caller closes it. */
export async function startJsseServer(config: JsseConfigName | JsseServerOptions): Promise<RunningServer> {
  const options = typeof config === 'string' ? jsseConfigs[config].options : config;
  const classes = await jsseServerClasses();
  const properties = options.namedGroups === undefined ? [] : [`-Djdk.tls.namedGroups=${options.namedGroups.join(',')}`];
  const args = [...JVM_FLAGS, ...properties, '-cp', classes, 'TlsServer', '--certs', certsDir];
  for (const cert of options.certs) args.push('--cert', cert);
  if (options.protocols !== undefined) args.push('--protocols', options.protocols.join(','));
  if (options.suites !== undefined) args.push('--suites', options.suites.join(','));
  if (options.serverOrder !== undefined) args.push('--server-order', String(options.serverOrder));
  // Options from the environment would change the JVM under test.
  const env = { JAVA_TOOL_OPTIONS: '', JDK_JAVA_OPTIONS: '', _JAVA_OPTIONS: '' };
  return startChild('jsse', 'java', args, /^jsse listening 127\.0\.0\.1:(\d+)$/m, false, env);
}

let classesDir: Promise<string> | undefined;

/**
 * Compiles TlsServer.java once per machine into a temp directory named by the source's hash,
 * renamed into place so that parallel test processes never run a half-written class.
 */
export function jsseServerClasses(): Promise<string> {
  classesDir ??= (async () => {
    const source = join(repoRoot, 'fixtures', 'stacks', 'jsse', 'TlsServer.java');
    const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
    const target = join(tmpdir(), `fipscan-jsse-${hash}`);
    if (existsSync(join(target, 'TlsServer.class'))) return target;
    const partial = `${target}.${process.pid}.tmp`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    try {
      await execFileP('javac', ['-d', partial, source], { timeout: 120_000 });
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      throw new Error(`cannot compile ${source} with javac: ${(err as Error).message}`, { cause: err });
    }
    try {
      renameSync(partial, target);
    } catch (err) {
      // Another process renamed its copy first: use that one.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(target, 'TlsServer.class'))) throw err;
    }
    return target;
  })();
  return classesDir;
}

let unavailable: Promise<string | undefined> | undefined;

/** Why the JSSE server cannot run here (a tap skip reason), or undefined when it can. */
export function jsseUnavailableReason(): Promise<string | undefined> {
  unavailable ??= (async () => {
    try {
      await execFileP('java', ['-version'], { timeout: 30_000 });
      await jsseServerClasses();
    } catch (err) {
      return `java / javac not usable (Debian: openjdk-17-jdk-headless): ${(err as Error).message}`;
    }
    return undefined;
  })();
  return unavailable;
}
