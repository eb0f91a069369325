/**
 * The scan options that say how to reach an endpoint, read from the command line: the client
 * identity (`--cert/--key/--ca` or an Istio / SPIFFE workload directory with `--spiffe`), the
 * STARTTLS protocol and the HTTP proxy. Files are read and checked here, before any connection,
 * so a wrong path or a key that does not match its certificate is one usage error (exit 64).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientIdentity, ScanOptions, StarttlsProtocol } from '../probe/types.js';
import { CliError } from './exit.js';

export interface ReachCliOptions {
  cert?: string;
  key?: string;
  ca?: string;
  spiffe?: string;
  starttls?: StarttlsProtocol;
  proxy?: string;
}

/**
 * File names of a workload identity directory: Istio's (cert-chain.pem, key.pem, root-cert.pem,
 * as mounted at /etc/certs or /var/run/secrets/workload-spiffe-credentials), then spiffe-helper's.
 */
const SPIFFE_LAYOUTS = [
  { cert: 'cert-chain.pem', key: 'key.pem', ca: 'root-cert.pem' },
  { cert: 'svid.pem', key: 'svid_key.pem', ca: 'svid_bundle.pem' },
] as const;

async function readPem(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'EREADFILE');
  }
}

/** Checks that the PEM texts parse and that the key belongs to the (first) certificate. */
function checkIdentity(identity: ClientIdentity, certFlag: string, keyFlag: string): void {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(identity.cert);
  } catch (err) {
    throw new CliError(`${certFlag}: not a PEM certificate (${(err as Error).message})`);
  }
  let key;
  try {
    key = createPrivateKey(identity.key);
  } catch (err) {
    throw new CliError(`${keyFlag}: not a PEM private key (${(err as Error).message})`);
  }
  if (!leaf.checkPrivateKey(key)) throw new CliError(`${keyFlag}: the key does not belong to the certificate in ${certFlag} (${leaf.subject.replace(/\n/g, ', ')})`);
  if (identity.ca !== undefined) {
    try {
      new X509Certificate(identity.ca);
    } catch (err) {
      throw new CliError(`--ca: not a PEM certificate bundle (${(err as Error).message})`);
    }
  }
}

/** The client identity the options name, or undefined. */
async function loadClientIdentity(o: ReachCliOptions): Promise<ClientIdentity | undefined> {
  if (o.spiffe !== undefined) {
    if (o.cert !== undefined || o.key !== undefined) throw new CliError('--spiffe: give either --spiffe <dir> or --cert/--key, not both');
    const dir = o.spiffe;
    const layout = SPIFFE_LAYOUTS.find((l) => existsSync(join(dir, l.cert)) && existsSync(join(dir, l.key)));
    if (!layout) throw new CliError(`--spiffe: ${dir} holds neither cert-chain.pem + key.pem (Istio) nor svid.pem + svid_key.pem (spiffe-helper)`);
    const identity: ClientIdentity = { cert: await readPem('--spiffe', join(dir, layout.cert)), key: await readPem('--spiffe', join(dir, layout.key)) };
    const ca = o.ca ?? (existsSync(join(dir, layout.ca)) ? join(dir, layout.ca) : undefined);
    if (ca !== undefined) identity.ca = await readPem(o.ca !== undefined ? '--ca' : '--spiffe', ca);
    checkIdentity(identity, `--spiffe (${layout.cert})`, `--spiffe (${layout.key})`);
    return identity;
  }
  if (o.cert === undefined && o.key === undefined) {
    if (o.ca !== undefined) throw new CliError('--ca: checks the server chain for a client identity: give --cert and --key (or --spiffe) too');
    return undefined;
  }
  if (o.cert === undefined) throw new CliError('--key: give the client certificate with --cert too');
  if (o.key === undefined) throw new CliError('--cert: give the private key with --key too');
  const identity: ClientIdentity = { cert: await readPem('--cert', o.cert), key: await readPem('--key', o.key) };
  if (o.ca !== undefined) identity.ca = await readPem('--ca', o.ca);
  checkIdentity(identity, '--cert', '--key');
  return identity;
}

/** The ScanOptions fields for STARTTLS, the proxy and the client identity. */
export async function reachOptions(o: ReachCliOptions): Promise<Pick<ScanOptions, 'starttls' | 'proxy' | 'clientIdentity'>> {
  const clientIdentity = await loadClientIdentity(o);
  return {
    ...(o.starttls !== undefined ? { starttls: o.starttls } : {}),
    ...(o.proxy !== undefined ? { proxy: o.proxy } : {}),
    ...(clientIdentity !== undefined ? { clientIdentity } : {}),
  };
}
