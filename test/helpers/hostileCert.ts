/**
 * A certificate whose names are markup, for the HTML report's browser test: made at test time
 * with `openssl req` (the fixture ECDSA P-256 key, no key generation) and `openssl x509`, signed
 * by the fixture CA. Each payload would change the page's title to a number if it ever ran.
 * Node writes the subject with RFC 4514 escapes (`\<script\>`) but the SANs as they are, so the
 * SANs carry the payloads verbatim all the way into the report.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certPath, certsDir } from './servers.js';

const execFileP = promisify(execFile);

/** Subject attributes; `/` in `-subj` must be escaped, which `subjectArgument` does. */
export const HOSTILE_SUBJECT = {
  O: `<img src=x onerror="document.title=1001">`,
  OU: `"><svg onload="document.title=1002">`,
  CN: `<script>document.title=1003</script>`,
} as const;

/** DNS SANs, each a payload. */
export const HOSTILE_SANS = [`<script>document.title=1004</script>`, `<img src=x onerror=document.title=1005>`, `"><svg onload=document.title=1006>`] as const;

function subjectArgument(): string {
  return Object.entries(HOSTILE_SUBJECT)
    .map(([type, value]) => `/${type}=${value.replace(/\//g, '\\/')}`)
    .join('');
}

/** The SAN extension for `-addext`: its value goes through OpenSSL's config parser, where `"` must be escaped. */
function sanArgument(): string {
  return `subjectAltName=${HOSTILE_SANS.map((san) => `DNS:${san.replace(/"/g, '\\"')}`).join(',')}`;
}

/** Writes the certificate (leaf + CA) into `dir`; returns the chain and key PEM. */
export async function makeHostileCertificate(dir: string): Promise<{ chain: string; key: string }> {
  const keyFile = certPath('ecdsa-p256', 'key');
  const csr = join(dir, 'hostile.csr');
  const leaf = join(dir, 'hostile.pem');
  await execFileP('openssl', ['req', '-new', '-key', keyFile, '-subj', subjectArgument(), '-addext', sanArgument(), '-out', csr]);
  await execFileP('openssl', [
    'x509', '-req', '-in', csr, '-CA', certPath('ca'), '-CAkey', join(certsDir, 'ca.key'),
    '-set_serial', '4242', '-days', '30', '-sha256', '-copy_extensions', 'copy', '-out', leaf,
  ]);
  const chain = `${await readFile(leaf, 'utf8')}${await readFile(certPath('ca'), 'utf8')}`;
  await writeFile(join(dir, 'hostile-chain.pem'), chain);
  return { chain, key: await readFile(keyFile, 'utf8') };
}
