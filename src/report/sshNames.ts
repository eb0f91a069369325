/**
 * What every report shows of an SSH endpoint's offer: the five KEXINIT categories in the order
 * RFC 4253 §7.1 lists them, each with the title the table and the page give it, and what the
 * policy says of one offered name. Key exchange, host-key, cipher and MAC names are judged;
 * markers in the key-exchange list (strict KEX, ext-info) are signals the policy never judges,
 * and compression is no FIPS matter: both are shown, marked neutral. Kept in one place so the
 * table, the JSON document and the page cannot disagree about which name is judged how.
 */
import { sshDisposition, type SshCategory } from '../policy/sshPolicy.js';
import type { Disposition, SshPolicy } from '../policy/types.js';
import type { SshDirections, SshFindings } from '../model/scan.js';

/** A KEXINIT category by its key in the result model and in the JSON report. */
export type SshListKey = 'kex' | 'hostKey' | 'cipher' | 'mac' | 'compression';

export interface SshCategoryInfo {
  key: SshListKey;
  /** The policy category that judges the names; null for compression, which nothing judges. */
  judgedAs: SshCategory | null;
  /** The section title in the table and the page. */
  title: string;
  /** The category has a list per direction (cipher, MAC, compression). */
  directed: boolean;
}

/** Each category by its key. */
export const SSH_CATEGORY: Readonly<Record<SshListKey, SshCategoryInfo>> = {
  kex: { key: 'kex', judgedAs: 'kex', title: 'Key exchange', directed: false },
  hostKey: { key: 'hostKey', judgedAs: 'host-key', title: 'Host keys', directed: false },
  cipher: { key: 'cipher', judgedAs: 'cipher', title: 'Ciphers', directed: true },
  mac: { key: 'mac', judgedAs: 'mac', title: 'MACs', directed: true },
  compression: { key: 'compression', judgedAs: null, title: 'Compression (not judged)', directed: true },
};

/** The categories in KEXINIT order. */
export const SSH_CATEGORIES: readonly SshCategoryInfo[] = [SSH_CATEGORY.kex, SSH_CATEGORY.hostKey, SSH_CATEGORY.cipher, SSH_CATEGORY.mac, SSH_CATEGORY.compression];

/** What a report says of one offered name: the policy's word, a marker, or not judged (compression, or a policy without SSH rules). */
export type SshNameMark = Disposition | 'marker' | 'not-judged';

/** The mark of `name` offered in `category` under `rules` (null: the policy has no SSH rules). */
export function sshNameMark(rules: SshPolicy | null, category: SshCategoryInfo, name: string): SshNameMark {
  if (rules === null || category.judgedAs === null) return 'not-judged';
  return sshDisposition(rules, category.judgedAs, name);
}

/** A category's lists per direction; key exchange and host keys have one list, which serves both. */
export function directionsOf(ssh: SshFindings, key: SshListKey): SshDirections {
  const lists = ssh[key];
  return Array.isArray(lists) ? { clientToServer: lists, serverToClient: lists } : lists;
}

/** Both directions offer the same names in the same order: a report shows them once. */
export function sameBothWays(d: { clientToServer: readonly unknown[]; serverToClient: readonly unknown[] }): boolean {
  return d.clientToServer.length === d.serverToClient.length && d.clientToServer.every((x, i) => JSON.stringify(x) === JSON.stringify(d.serverToClient[i]));
}
