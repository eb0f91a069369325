/**
 * `openssl s_client` and `gnutls-cli` as independent oracles: one spawned handshake against
 * 127.0.0.1 with one version and an exact suite / group offer, reduced to what was negotiated or
 * which alert came back. The fixture expectations in shapes.ts were derived with them (see
 * verify-shapes.ts) and the fixture sanity test uses s_client, so neither leans on the scanner's
 * own ClientHello code. gnutls-cli covers what this OpenSSL cannot offer (3DES suites, RFC 7919
 * groups in TLS 1.2).
 */

import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { certPath, type TlsVersionName } from './servers.js';

const execFileP = promisify(execFile);

export interface SClientOffer {
  port: number;
  version: TlsVersionName;
  /** TLS <= 1.2 suites, OpenSSL syntax; @SECLEVEL=0 is appended so the client never refuses first. */
  cipher?: string;
  /** TLS 1.3 suites. */
  ciphersuites?: string;
  /** supported_groups (in TLS 1.3 the first one also gets the key share). */
  groups?: string;
  /** Present the test client certificate. */
  clientCert?: boolean;
  /**
   * Keep the connection open this long after the handshake. A TLS 1.3 server rejects a missing
   * client certificate only after the client's Finished; closing at once races that alert.
   */
  lingerMs?: number;
  timeoutMs?: number;
}

export interface SClientResult {
  /**
   * The server's Finished arrived: the handshake went through from the server's side. A TLS 1.3
   * server may still reject the client's certificate (or its absence) afterwards.
   */
  completed: boolean;
  /** 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3' from the ServerHello, null without one. */
  protocol: string | null;
  /** OpenSSL name of the suite the ServerHello chose, even when the handshake failed later. */
  suite: string | null;
  /** The "Server Temp Key" line: 'X25519, 253 bits', 'ECDH, prime256v1, 256 bits', 'DH, 1024 bits'. */
  tempKey: string | null;
  /** The server sent a CertificateRequest. */
  clientCertRequested: boolean;
  /** Alert description received from the server, if any. */
  alert: number | null;
  output: string;
}

const versionFlag: Record<TlsVersionName, string> = {
  'TLSv1.0': '-tls1',
  'TLSv1.1': '-tls1_1',
  'TLSv1.2': '-tls1_2',
  'TLSv1.3': '-tls1_3',
};

/** One s_client handshake; never rejects for a refused handshake, only reports it. */
export function sClient(offer: SClientOffer): Promise<SClientResult> {
  // -msg traces every handshake message, the only reliable way to tell how far a handshake got:
  // s_client prints the ServerHello's suite even when the handshake failed after it.
  const args = ['s_client', '-connect', `127.0.0.1:${offer.port}`, '-msg', versionFlag[offer.version]];
  args.push('-cipher', `${offer.cipher ?? 'ALL'}:@SECLEVEL=0`);
  if (offer.ciphersuites !== undefined) args.push('-ciphersuites', offer.ciphersuites);
  if (offer.groups !== undefined) args.push('-groups', offer.groups);
  if (offer.clientCert === true) args.push('-cert', certPath('client'), '-key', certPath('client', 'key'));
  return new Promise((resolve) => {
    // s_client closes right after the handshake once its stdin reaches EOF.
    const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
    const linger = setTimeout(() => child.stdin.end(), offer.lingerMs ?? 0);
    child.stdin.on('error', () => {});
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), offer.timeoutMs ?? 10_000);
    child.on('close', () => {
      clearTimeout(timer);
      clearTimeout(linger);
      const negotiated = /^New, (\S+), Cipher is (\S+)$/m.exec(output);
      const hello = negotiated?.[2] !== undefined && negotiated[2] !== '(NONE)';
      const alert = /SSL alert number (\d+)/.exec(output)?.[1];
      resolve({
        completed: /^<<< TLS [\d.]+, Handshake \[length [0-9a-f]+\], Finished$/m.test(output),
        protocol: hello ? (negotiated?.[1] ?? null) : null,
        suite: hello ? (negotiated?.[2] ?? null) : null,
        tempKey: /^Server Temp Key: (.*)$/m.exec(output)?.[1] ?? null,
        clientCertRequested: /^<<< TLS [\d.]+, Handshake \[length [0-9a-f]+\], CertificateRequest$/m.test(output),
        alert: alert === undefined ? null : Number(alert),
        output,
      });
    });
  });
}

export interface OpenSSLSuite {
  code: number;
  name: string;
  /** As `openssl ciphers -V` prints it: 'SSLv3' / 'TLSv1' (usable in 1.0-1.2), 'TLSv1.2', 'TLSv1.3'. */
  minVersion: string;
}

/** Every TLS 1.3 suite OpenSSL 3 implements; the CCM ones are not in its default list. */
const allTls13 = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256';

/** Every suite this OpenSSL can offer (`openssl ciphers -V`), with its codepoint. */
export async function opensslSuites(): Promise<OpenSSLSuite[]> {
  const { stdout } = await execFileP('openssl', ['ciphers', '-V', '-ciphersuites', allTls13, 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], {
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
  });
  const suites: OpenSSLSuite[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined && m[4] !== undefined) {
      suites.push({ code: parseInt(m[1] + m[2], 16), name: m[3], minVersion: m[4] });
    }
  }
  return suites;
}

export interface GnuTLSCliResult {
  established: boolean;
  /** gnutls-cli's session description, e.g. '(TLS1.0-X.509)-(DHE-CUSTOM1024)-(3DES-CBC)-(SHA1)'. */
  description: string | null;
  alert: number | null;
  output: string;
}

/**
 * One gnutls-cli handshake with a complete priority string (versions, kx, ciphers, MACs, groups).
 * The priority decides the offer exactly: a product of its key exchanges, ciphers and MACs.
 */
export function gnutlsCli(port: number, priority: string, timeoutMs = 10_000): Promise<GnuTLSCliResult> {
  const args = ['--insecure', '--port', String(port), '--priority', priority, '127.0.0.1'];
  return new Promise((resolve) => {
    const child = spawn('gnutls-cli', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GNUTLS_SYSTEM_PRIORITY_FILE: '/dev/null' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      const alert = /Received alert \[(\d+)\]/.exec(output)?.[1];
      resolve({
        established: output.includes('Handshake was completed'),
        description: /^- Description: (.*)$/m.exec(output)?.[1] ?? null,
        alert: alert === undefined ? null : Number(alert),
        output,
      });
    });
  });
}
