/**
 * The SSH codec's vectors: greetings captured from real sshd instances by bench/capture-ssh.ts
 * (fixtures/ssh/*.hex, `#` comment lines naming the configuration) with greetings.json saying
 * what each must decode to, and synthesized greetings for the shapes sshd does not send (lines
 * before the identification, IGNORE and DEBUG packets, a DISCONNECT instead of the KEXINIT).
 */
import { readFileSync } from 'node:fs';
import { concat, fromHex } from '../../src/wire/bytes.js';
import { encodeKexinit, encodePacket, KEXINIT_LISTS, type KexinitListName, type KexinitLists } from '../../src/wire/ssh.js';

/** Located from the compiled file: dist/test/wire/ -> fixtures/ssh/. */
const sshDir = new URL('../../../fixtures/ssh/', import.meta.url);

export interface CapturedGreeting {
  file: string;
  what: string;
  bytes: Uint8Array;
  /** The KEXINIT lists `sshd -T` says the configuration offers. */
  expect: Partial<Record<KexinitListName, string[]>>;
}

function readHex(file: string): Uint8Array {
  const text = readFileSync(new URL(file, sshDir), 'utf8');
  const digits = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(digits)) throw new Error(`${file}: not an even run of hex digits outside comments`);
  return fromHex(digits);
}

export function capturedGreetings(): CapturedGreeting[] {
  const sidecar = JSON.parse(readFileSync(new URL('greetings.json', sshDir), 'utf8')) as { greetings: Omit<CapturedGreeting, 'bytes'>[] };
  return sidecar.greetings.map((g) => ({ ...g, bytes: readHex(g.file) }));
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Every list empty but those given. */
export function lists(some: Partial<Record<KexinitListName, string[]>>): KexinitLists {
  return Object.fromEntries(KEXINIT_LISTS.map((n) => [n, some[n] ?? []])) as unknown as KexinitLists;
}

export const SMALL_LISTS = lists({
  kexAlgorithms: ['ecdh-sha2-nistp256', 'kex-strict-s-v00@openssh.com'],
  serverHostKeyAlgorithms: ['rsa-sha2-256'],
  encryptionClientToServer: ['aes128-gcm@openssh.com'],
  encryptionServerToClient: ['aes128-gcm@openssh.com'],
  macClientToServer: ['hmac-sha2-256'],
  macServerToClient: ['hmac-sha2-256'],
  compressionClientToServer: ['none'],
  compressionServerToClient: ['none'],
});

export const COOKIE = Uint8Array.from({ length: 16 }, (_, i) => i);

/** A KEXINIT packet (framed) with SMALL_LISTS or the given lists. */
export function kexinitPacket(l: KexinitLists = SMALL_LISTS): Uint8Array {
  return encodePacket(encodeKexinit({ cookie: COOKIE, lists: l }));
}

/** SSH_MSG_IGNORE / SSH_MSG_DEBUG / SSH_MSG_DISCONNECT payloads. */
export function ignorePacket(): Uint8Array {
  return encodePacket(Uint8Array.from([2, 0, 0, 0, 3, 0x61, 0x62, 0x63]));
}
export function debugPacket(): Uint8Array {
  return encodePacket(concat([Uint8Array.from([4, 1, 0, 0, 0, 5]), ascii('hello'), Uint8Array.from([0, 0, 0, 0])]));
}
export function disconnectPacket(reason: number, text: string): Uint8Array {
  const t = ascii(text);
  return encodePacket(concat([Uint8Array.from([1, 0, 0, 0, reason, 0, 0, 0, t.length]), t, Uint8Array.from([0, 0, 0, 0])]));
}

/** Synthesized greetings for shapes real sshd does not produce, named for test messages. */
export function synthesizedGreetings(): { name: string; bytes: Uint8Array }[] {
  return [
    { name: 'lines before the identification, then KEXINIT', bytes: concat([ascii('Welcome\r\nauthorized use only\r\nSSH-2.0-Test_1.0 comment here\r\n'), kexinitPacket()]) },
    { name: 'bare LF line endings, IGNORE and DEBUG before KEXINIT', bytes: concat([ascii('SSH-1.99-Cisco-1.25\n'), ignorePacket(), debugPacket(), kexinitPacket()]) },
    { name: 'DISCONNECT instead of KEXINIT', bytes: concat([ascii('SSH-2.0-Test_1.0\r\n'), disconnectPacket(12, 'Too many connections')]) },
  ];
}

export { ascii };
