/**
 * One-off capture of real sshd greetings for the SSH codec tests: starts Debian's sshd with each
 * configuration of test/helpers/sshd.ts, sends our identification line over a plain TCP socket
 * and stores the raw bytes the server sends up to the end of its SSH_MSG_KEXINIT packet as
 * fixtures/ssh/<name>.hex, plus fixtures/ssh/greetings.json saying what each must decode to. The
 * expected lists come from `sshd -T` with the same configuration (the host-key list narrowed to
 * the keys the server holds, in its key order, the strict-KEX marker appended), not from decoding
 * the capture.
 *
 * Not part of the test run: the captured bytes are committed. Re-run by hand (as root, with
 * openssh-server installed):
 *
 *     npm run build && node dist/bench/capture-ssh.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { hex } from '../src/wire/bytes.js';
import { encodeIdentification, type KexinitListName } from '../src/wire/ssh.js';
import { SshGreetingReader } from '../src/wire/sshGreeting.js';
import { repoRoot } from '../test/helpers/servers.js';
import { SSHD, SSHD_CONFIGS, startSshd, type HostKeyType, type RunningSshd, type SshdConfig } from '../test/helpers/sshd.js';

const outDir = join(repoRoot, 'fixtures', 'ssh');

/**
 * The host-key algorithms of each key type, in the order sshd offers them: per HostKey line,
 * RSA as rsa-sha2-512, rsa-sha2-256, ssh-rsa (OpenSSH sshd.c list_hostkey_types), each only if
 * HostKeyAlgorithms names it. The fixtures' ECDSA keys are 256-bit.
 */
const ALGORITHMS_OF: Readonly<Record<HostKeyType, readonly string[]>> = {
  rsa: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  ecdsa: ['ecdsa-sha2-nistp256'],
  ed25519: ['ssh-ed25519'],
  dsa: ['ssh-dss'],
};

/** What `sshd -T` says the running server's configuration offers, as the KEXINIT lists it must produce. */
function expectedLists(server: RunningSshd): Partial<Record<KexinitListName, string[]>> {
  const text = execFileSync(SSHD, ['-T', '-f', server.configFile], { encoding: 'utf8' });
  const get = (key: string): string[] => (new RegExp(`^${key} (.*)$`, 'm').exec(text)?.[1] ?? '').split(',').filter((s) => s.length > 0);
  const configured = get('hostkeyalgorithms');
  const hostKeys = server.config.hostKeys.flatMap((k) => ALGORITHMS_OF[k].filter((a) => configured.includes(a)));
  const compression = get('compression')[0] === 'yes' ? ['none', 'zlib@openssh.com'] : ['none'];
  return {
    kexAlgorithms: [...get('kexalgorithms'), 'kex-strict-s-v00@openssh.com'],
    serverHostKeyAlgorithms: hostKeys,
    encryptionClientToServer: get('ciphers'),
    encryptionServerToClient: get('ciphers'),
    macClientToServer: get('macs'),
    macServerToClient: get('macs'),
    compressionClientToServer: compression,
    compressionServerToClient: compression,
    languagesClientToServer: [],
    languagesServerToClient: [],
  };
}

/** Sends our identification and reads until the greeting is complete; returns exactly its bytes. */
function capture(port: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new SshGreetingReader();
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(encodeIdentification('fipscan_capture')));
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const greeting = reader.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if (greeting) {
        socket.destroy();
        resolve(new Uint8Array(Buffer.concat(chunks).subarray(0, greeting.consumed)));
      }
    });
  });
}

const configs: SshdConfig[] = Object.values(SSHD_CONFIGS);
mkdirSync(outDir, { recursive: true });
const version = spawnSync(SSHD, ['-V'], { encoding: 'utf8' }).stderr.trim();
const entries = [];
for (const config of configs) {
  const server = await startSshd(config);
  try {
    const bytes = await capture(server.port);
    const file = `openssh-${config.name}.hex`;
    const lines = [`# ${version}, ${config.name}: ${config.lines.join('; ') || 'Debian defaults'}; host keys ${config.hostKeys.join(', ')}`, `# captured by bench/capture-ssh.ts`];
    for (let i = 0; i < bytes.length; i += 32) lines.push(hex(bytes.subarray(i, i + 32)));
    writeFileSync(join(outDir, file), `${lines.join('\n')}\n`);
    entries.push({ file, what: `sshd ${config.name}`, bytes: bytes.length, expect: expectedLists(server) });
    console.log(`${file}: ${bytes.length} bytes`);
  } finally {
    await server.close();
  }
}
writeFileSync(join(outDir, 'greetings.json'), `${JSON.stringify({ server: version, greetings: entries }, null, 2)}\n`);
