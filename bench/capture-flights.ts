/**
 * One-off capture of real servers' first flights for the codec tests: starts OpenSSL, GnuTLS and
 * Node servers on 127.0.0.1 (through test/helpers/servers.ts, which keeps every listener on
 * loopback), sends each a ClientHello built by our own builder over a plain TCP socket, and stores
 * the raw bytes the server answers with (up to ServerHelloDone, the TLS 1.3 ServerHello flight, a
 * HelloRetryRequest or an alert) as fixtures/wire/<name>.hex, plus fixtures/wire/flights.json
 * describing what each must decode to. The expectations come from how each server was configured
 * (one suite, one group, one DH file), not from decoding the capture, so the tests check the codec
 * against the servers rather than against itself.
 *
 * Not part of the test run: the captured bytes are committed, so tests are deterministic and need
 * no server binaries. Re-run by hand after changing the list below:
 *
 *     npm run build && node dist/bench/capture-flights.js            # all captures
 *     npm run build && node dist/bench/capture-flights.js tls12-dhe  # names containing a word
 *
 * A partial run rewrites only the selected .hex files and their entries in flights.json.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildClientHello, type ClientHelloOptions, type KeyShareEntry } from '../src/wire/clientHello.js';
import { hex } from '../src/wire/bytes.js';
import { ServerStream } from '../src/wire/records.js';
import { decodeServerHello } from '../src/wire/serverMessages.js';
import { HandshakeType } from '../src/registry/handshake.js';
import {
  repoRoot,
  startGnuTLSServer,
  startNodeServer,
  startOpenSSLServer,
  type RunningServer,
} from '../test/helpers/servers.js';

/** What a flight must decode to; mirrored by test/wire/fixtures.ts (FlightExpectation). */
interface Expectation {
  /** Event kinds in order, e.g. handshake:2 (ServerHello), changeCipherSpec, alert. */
  events?: string[];
  /** Only the prefix of the events is fixed (TLS 1.3 encrypted records vary in number). */
  eventsPrefix?: string[];
  version?: number;
  cipherSuite?: number;
  isHelloRetryRequest?: boolean;
  keyShareGroup?: number;
  certificates?: number;
  leafSignatureOid?: string;
  keyExchange?: { kind: 'ecdhe'; namedGroup: number; publicKeyLength: number } | { kind: 'dhe'; primeBits: number; generator: number };
  certificateRequest?: { caNames: number; caNameContains: string };
  alert?: { level: number; description: number };
  /** A handshake message of the flight spans at least this many records. */
  messageSpansRecords?: number;
  extendedMasterSecret?: boolean;
  secureRenegotiation?: boolean;
}

interface Capture {
  name: string;
  what: string;
  start: () => Promise<RunningServer>;
  hello: () => ClientHelloOptions;
  expect: Expectation;
}

// Offered by every hello: what a modern client sends (RFC 8446 §4.2.3 order, then legacy).
const SIGNATURE_SCHEMES = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203];
const X25519 = 0x001d;
const SECP256R1 = 0x0017;
const SECP384R1 = 0x0018;
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

function tls12Hello(suites: number[], groups: number[] = [X25519, SECP256R1, SECP384R1]): ClientHelloOptions {
  return {
    clientVersion: 0x0303,
    cipherSuites: suites,
    random: randomBytes(32),
    serverName: 'localhost',
    supportedGroups: groups,
    ecPointFormats: true,
    signatureAlgorithms: SIGNATURE_SCHEMES,
    extendedMasterSecret: true,
    renegotiationInfo: true,
  };
}

function tls13Hello(suites: number[], groups: number[], shares: KeyShareEntry[]): ClientHelloOptions {
  return {
    clientVersion: 0x0303,
    cipherSuites: suites,
    random: randomBytes(32),
    sessionId: randomBytes(32),
    serverName: 'localhost',
    supportedGroups: groups,
    signatureAlgorithms: SIGNATURE_SCHEMES,
    supportedVersions: [0x0304],
    keyShares: shares,
    pskKeyExchangeModes: true,
  };
}

function x25519Share(): KeyShareEntry {
  const spki = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
  return { group: X25519, keyExchange: new Uint8Array(spki.subarray(spki.length - 32)) };
}

const tls12Flight = (withKeyExchange: boolean): string[] => [
  'handshake:2',
  'handshake:11',
  ...(withKeyExchange ? ['handshake:12'] : []),
  'handshake:14',
];

const captures: Capture[] = [
  {
    name: 'openssl-tls12-ecdhe-rsa',
    what: 'OpenSSL s_server, TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256 over P-256, RSA 2048 leaf + CA',
    start: () => startOpenSSLServer({ cert: 'rsa2048', sendChain: true, protocols: ['TLSv1.2'], cipher: 'ECDHE-RSA-AES128-GCM-SHA256', groups: 'P-256' }),
    hello: () => tls12Hello([0xc02f]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0xc02f,
      certificates: 2,
      leafSignatureOid: SHA256_WITH_RSA,
      keyExchange: { kind: 'ecdhe', namedGroup: SECP256R1, publicKeyLength: 65 },
      extendedMasterSecret: true,
      secureRenegotiation: true,
    },
  },
  {
    name: 'openssl-tls12-ecdhe-ecdsa',
    what: 'OpenSSL s_server, TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256 over X25519, ECDSA P-256 leaf alone',
    start: () => startOpenSSLServer({ cert: 'ecdsa-p256', protocols: ['TLSv1.2'], cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256', groups: 'X25519' }),
    hello: () => tls12Hello([0xc02b]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0xc02b,
      certificates: 1,
      leafSignatureOid: SHA256_WITH_RSA,
      keyExchange: { kind: 'ecdhe', namedGroup: X25519, publicKeyLength: 32 },
    },
  },
  {
    name: 'openssl-tls12-dhe-rsa-2048',
    what: 'OpenSSL s_server, TLS 1.2, DHE-RSA-AES128-GCM-SHA256 with fixtures/certs/dh2048.pem',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2'], cipher: 'DHE-RSA-AES128-GCM-SHA256', dhparam: 'dh2048' }),
    hello: () => tls12Hello([0x009e]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0x009e,
      certificates: 1,
      keyExchange: { kind: 'dhe', primeBits: 2048, generator: 2 },
    },
  },
  {
    name: 'openssl-tls12-dhe-rsa-1024',
    what: 'OpenSSL s_server, TLS 1.2, DHE-RSA-AES128-SHA with fixtures/certs/dh1024.pem at SECLEVEL 0',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2'], cipher: 'DHE-RSA-AES128-SHA', dhparam: 'dh1024', securityLevel: 0 }),
    hello: () => tls12Hello([0x0033]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0x0033,
      certificates: 1,
      keyExchange: { kind: 'dhe', primeBits: 1024, generator: 2 },
    },
  },
  {
    name: 'openssl-tls12-rsa',
    what: 'OpenSSL s_server, TLS 1.2, static RSA AES128-GCM-SHA256 (no ServerKeyExchange)',
    start: () => startOpenSSLServer({ cert: 'rsa2048', sendChain: true, protocols: ['TLSv1.2'], cipher: 'AES128-GCM-SHA256' }),
    hello: () => tls12Hello([0x009c]),
    expect: { events: tls12Flight(false), version: 0x0303, cipherSuite: 0x009c, certificates: 2, leafSignatureOid: SHA256_WITH_RSA },
  },
  {
    name: 'openssl-tls12-ecdhe-rsa-fragmented',
    what: 'OpenSSL s_server -max_send_frag 512, TLS 1.2 ECDHE-RSA: the Certificate message spans several records',
    start: () =>
      startOpenSSLServer({ cert: 'rsa2048', sendChain: true, protocols: ['TLSv1.2'], cipher: 'ECDHE-RSA-AES128-GCM-SHA256', groups: 'P-256', extraArgs: ['-max_send_frag', '512'] }),
    hello: () => tls12Hello([0xc02f]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0xc02f,
      certificates: 2,
      keyExchange: { kind: 'ecdhe', namedGroup: SECP256R1, publicKeyLength: 65 },
      messageSpansRecords: 3,
    },
  },
  {
    name: 'openssl-tls12-certificate-request',
    what: 'OpenSSL s_server -Verify 1 -CAfile ca.pem, TLS 1.2 ECDHE-RSA: CertificateRequest naming the test CA',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2'], cipher: 'ECDHE-RSA-AES128-GCM-SHA256', groups: 'P-256', requireClientCert: true }),
    hello: () => tls12Hello([0xc02f]),
    expect: {
      events: ['handshake:2', 'handshake:11', 'handshake:12', 'handshake:13', 'handshake:14'],
      version: 0x0303,
      cipherSuite: 0xc02f,
      // Leaf + CA although -cert_chain is not given: OpenSSL completes the chain from -CAfile.
      certificates: 2,
      keyExchange: { kind: 'ecdhe', namedGroup: SECP256R1, publicKeyLength: 65 },
      certificateRequest: { caNames: 1, caNameContains: 'fipscan test CA' },
    },
  },
  {
    name: 'openssl-tls12-alert-no-shared-cipher',
    what: 'OpenSSL s_server offering only ECDHE-RSA-AES256-GCM-SHA384; the hello offers only AES128-GCM-SHA256',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2'], cipher: 'ECDHE-RSA-AES256-GCM-SHA384' }),
    hello: () => tls12Hello([0x009c]),
    // RFC 5246 §7.2: fatal(2) handshake_failure(40).
    expect: { events: ['alert'], alert: { level: 2, description: 40 } },
  },
  {
    name: 'openssl-tls13-hello-retry-request',
    what: 'OpenSSL s_server, TLS 1.3 only with -groups P-256; the hello has an empty key_share',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.3'], ciphersuites: 'TLS_AES_128_GCM_SHA256', groups: 'P-256' }),
    hello: () => tls13Hello([0x1301], [X25519, SECP256R1], []),
    expect: { eventsPrefix: ['handshake:2'], version: 0x0304, cipherSuite: 0x1301, isHelloRetryRequest: true, keyShareGroup: SECP256R1 },
  },
  {
    name: 'openssl-tls13-server-hello',
    what: 'OpenSSL s_server, TLS 1.3 TLS_AES_128_GCM_SHA256, X25519 share: ServerHello, CCS, encrypted flight',
    start: () => startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.3'], ciphersuites: 'TLS_AES_128_GCM_SHA256', groups: 'X25519' }),
    hello: () => tls13Hello([0x1301], [X25519], [x25519Share()]),
    expect: { eventsPrefix: ['handshake:2', 'changeCipherSpec', 'applicationData'], version: 0x0304, cipherSuite: 0x1301, isHelloRetryRequest: false, keyShareGroup: X25519 },
  },
  {
    name: 'gnutls-tls12-ecdhe-rsa',
    what: 'gnutls-serv, TLS 1.2, ECDHE-RSA AES-128-GCM over SECP256R1, RSA 2048 leaf + CA',
    start: () =>
      startGnuTLSServer({
        cert: 'rsa2048',
        sendChain: true,
        priority: 'NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+ECDHE-RSA:+SIGN-ALL:+GROUP-SECP256R1:+COMP-NULL',
      }),
    hello: () => tls12Hello([0xc02f]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0xc02f,
      certificates: 2,
      leafSignatureOid: SHA256_WITH_RSA,
      keyExchange: { kind: 'ecdhe', namedGroup: SECP256R1, publicKeyLength: 65 },
    },
  },
  {
    name: 'gnutls-tls12-dhe-rsa',
    what: 'gnutls-serv, TLS 1.2, DHE-RSA AES-128-GCM with --dhparams fixtures/certs/dh2048.pem (no FFDHE group offered)',
    start: () =>
      startGnuTLSServer({
        cert: 'rsa2048',
        priority: 'NONE:+VERS-TLS1.2:+AES-128-GCM:+AEAD:+DHE-RSA:+SIGN-ALL:+GROUP-ALL:+COMP-NULL',
        dhparams: 'dh2048',
      }),
    hello: () => tls12Hello([0x009e], [X25519, SECP256R1]),
    expect: { events: tls12Flight(true), version: 0x0303, cipherSuite: 0x009e, certificates: 1, keyExchange: { kind: 'dhe', primeBits: 2048, generator: 2 } },
  },
  {
    name: 'gnutls-tls13-hello-retry-request',
    what: 'gnutls-serv, TLS 1.3 only, SECP384R1 only; the hello has an empty key_share',
    start: () =>
      startGnuTLSServer({ cert: 'rsa2048', priority: 'NONE:+VERS-TLS1.3:+AES-128-GCM:+AEAD:+SIGN-ALL:+GROUP-SECP384R1:+COMP-NULL' }),
    hello: () => tls13Hello([0x1301], [X25519, SECP384R1], []),
    expect: { eventsPrefix: ['handshake:2'], version: 0x0304, cipherSuite: 0x1301, isHelloRetryRequest: true, keyShareGroup: SECP384R1 },
  },
  {
    name: 'node-tls12-ecdhe-rsa',
    what: 'node tls.createServer, TLS 1.2, ECDHE-RSA-AES256-GCM-SHA384 over P-384, RSA 3072 leaf',
    start: () => startNodeServer({ cert: 'rsa3072', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', ecdhCurve: 'P-384' }),
    hello: () => tls12Hello([0xc030]),
    expect: {
      events: tls12Flight(true),
      version: 0x0303,
      cipherSuite: 0xc030,
      certificates: 1,
      leafSignatureOid: SHA256_WITH_RSA,
      keyExchange: { kind: 'ecdhe', namedGroup: SECP384R1, publicKeyLength: 97 },
    },
  },
  {
    name: 'node-tls13-server-hello',
    what: 'node tls.createServer, TLS 1.3 TLS_AES_256_GCM_SHA384 over X25519, ECDSA P-384 leaf',
    start: () => startNodeServer({ cert: 'ecdsa-p384', minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384', ecdhCurve: 'X25519' }),
    hello: () => tls13Hello([0x1302], [X25519], [x25519Share()]),
    expect: { eventsPrefix: ['handshake:2', 'changeCipherSpec', 'applicationData'], version: 0x0304, cipherSuite: 0x1302, isHelloRetryRequest: false, keyShareGroup: X25519 },
  },
];

/** Milliseconds of silence after the deciding message before the flight counts as complete. */
const QUIET_MS = 300;
const TIMEOUT_MS = 5000;

/** Sends `hello` and returns every byte the server sent until its flight was decided and quiet. */
function exchange(port: number, hello: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = new ServerStream();
    let quiet: NodeJS.Timeout | undefined;
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => socket.write(hello));
    const done = (): void => {
      clearTimeout(timeout);
      clearTimeout(quiet);
      socket.destroy();
      resolve(new Uint8Array(Buffer.concat(chunks)));
    };
    const timeout = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no decisive answer within ${TIMEOUT_MS} ms (${Buffer.concat(chunks).length} bytes)`));
    }, TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (quiet) {
        quiet.refresh();
        return;
      }
      stream.feed(new Uint8Array(chunk));
      for (let e = stream.next(); e; e = stream.next()) {
        const decided =
          e.kind === 'alert' ||
          (e.kind === 'handshake' && e.msgType === HandshakeType.serverHelloDone) ||
          (e.kind === 'handshake' && e.msgType === HandshakeType.serverHello && isTls13(e.body));
        if (decided) quiet = setTimeout(done, QUIET_MS);
      }
    });
    socket.on('end', done);
    socket.on('error', (err) => {
      clearTimeout(timeout);
      clearTimeout(quiet);
      reject(err);
    });
  });
}

function isTls13(serverHelloBody: Uint8Array): boolean {
  const hello = decodeServerHello(serverHelloBody);
  return hello.isHelloRetryRequest || hello.version === 0x0304;
}

/** Cuts a capture back to whole records, so a reset mid-record cannot leave a torn fixture. */
function wholeRecords(bytes: Uint8Array): Uint8Array {
  let at = 0;
  while (at + 5 <= bytes.length) {
    const end = at + 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!);
    if (end > bytes.length) break;
    at = end;
  }
  return bytes.subarray(0, at);
}

function hexLines(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 32) lines.push(hex(bytes.subarray(at, at + 32)));
  return lines.join('\n');
}

function toolVersion(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return `${command}: not available`;
  }
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const selected = captures.filter((c) => filter === undefined || c.name.includes(filter));
  const dir = join(repoRoot, 'fixtures', 'wire');
  mkdirSync(dir, { recursive: true });
  const sidecarPath = join(dir, 'flights.json');
  const sidecar: { note: string; flights: Record<string, unknown>[] } = existsSync(sidecarPath)
    ? (JSON.parse(readFileSync(sidecarPath, 'utf8')) as { note: string; flights: Record<string, unknown>[] })
    : { note: '', flights: [] };
  sidecar.note =
    'Real servers\' first flights, captured on 127.0.0.1 by bench/capture-flights.ts (see its header). ' +
    'Each .hex file holds the raw bytes the server sent after our ClientHello; "expect" is derived from the server configuration.';
  const versions = {
    openssl: toolVersion('openssl', ['version']),
    gnutls: toolVersion('gnutls-serv', ['--version']),
    node: process.version,
  };

  for (const capture of selected) {
    const server = await capture.start();
    try {
      const raw = await exchange(server.port, buildClientHello(capture.hello()));
      const flight = wholeRecords(raw);
      const stack = capture.name.split('-')[0] as keyof typeof versions;
      // Paths relative to the repository, so the committed header does not name this machine.
      const command = server.describe.split(`${repoRoot}/`).join('');
      const header = [`# ${capture.what}`, `# ${command}`, `# ${versions[stack]}; captured by bench/capture-flights.ts`];
      writeFileSync(join(dir, `${capture.name}.hex`), `${header.join('\n')}\n${hexLines(flight)}\n`);
      const entry = {
        file: `${capture.name}.hex`,
        what: capture.what,
        command,
        server: versions[stack],
        captured: new Date().toISOString().slice(0, 10),
        bytes: flight.length,
        expect: capture.expect,
      };
      const at = sidecar.flights.findIndex((f) => f.file === entry.file);
      if (at >= 0) sidecar.flights[at] = entry;
      else sidecar.flights.push(entry);
      console.log(`${capture.name}: ${flight.length} bytes${raw.length !== flight.length ? ` (${raw.length - flight.length} trailing bytes cut)` : ''}`);
    } catch (err) {
      console.error(`${capture.name}: ${(err as Error).message}\n${server.output()}`);
      process.exitCode = 1;
    } finally {
      await server.close();
    }
  }
  sidecar.flights.sort((a, b) => String(a.file).localeCompare(String(b.file)));
  writeFileSync(sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
}

await main();
