/**
 * An SSH endpoint's offer as the `ssh` object of a fipscan/v1 endpoint: the identification line
 * and its parts, every KEXINIT list in the server's order with the policy's view of each name,
 * and the KEXINIT itself in hex as the evidence. A name carries `allowed` as a cipher suite does
 * (a warned name is allowed, and `warned` says so); a key-exchange marker carries `marker` and
 * no disposition, nor does a compression name: neither is judged. Cipher, MAC and compression
 * lists come per direction, with `symmetric` saying whether both are the same, so a reader
 * never has to compare them.
 */
import type { SshPolicy } from '../policy/types.js';
import type { SshFindings } from '../model/scan.js';
import { SSH_CATEGORY, directionsOf, sameBothWays, sshNameMark, type SshCategoryInfo, type SshNameMark } from './sshNames.js';

/** One offered name; no `allowed` when it is not judged (a marker, compression, a policy without SSH rules). */
export interface JsonSshAlgorithm {
  name: string;
  /** The policy allows it (with or without a warning), as a cipher suite's `allowed`. */
  allowed?: boolean;
  /** Allowed only with a warning (it is listed among the warnings too). */
  warned?: true;
  /** A key-exchange signal such as kex-strict-s-v00@openssh.com: not an algorithm, never judged. */
  marker?: true;
}

/** A category with a list per direction; `symmetric` when both lists are the same names in the same order. */
export interface JsonSshDirections {
  symmetric: boolean;
  clientToServer: JsonSshAlgorithm[];
  serverToClient: JsonSshAlgorithm[];
}

export interface JsonSsh {
  /** The server's identification line without CR LF. */
  identification: string;
  protoVersion: string;
  software: string;
  comments: string | null;
  /** Lines the server sent before its identification line. */
  preamble: string[];
  kex: JsonSshAlgorithm[];
  hostKey: JsonSshAlgorithm[];
  cipher: JsonSshDirections;
  mac: JsonSshDirections;
  compression: JsonSshDirections;
  firstKexPacketFollows: boolean;
  /** The KEXINIT payload as sent, in lowercase hex. */
  kexinitHex: string;
}

function algorithm(name: string, mark: SshNameMark): JsonSshAlgorithm {
  switch (mark) {
    case 'marker':
      return { name, marker: true };
    case 'not-judged':
      return { name };
    case 'warn':
      return { name, allowed: true, warned: true };
    default:
      return { name, allowed: mark === 'allow' };
  }
}

/** What the page and the metrics say of a name read back from a report. */
export function jsonSshMark(a: JsonSshAlgorithm): SshNameMark {
  if (a.marker === true) return 'marker';
  if (a.allowed === undefined) return 'not-judged';
  return !a.allowed ? 'deny' : a.warned === true ? 'warn' : 'allow';
}

function names(list: readonly string[], category: SshCategoryInfo, rules: SshPolicy | null): JsonSshAlgorithm[] {
  return list.map((name) => algorithm(name, sshNameMark(rules, category, name)));
}

function directed(ssh: SshFindings, category: SshCategoryInfo, rules: SshPolicy | null): JsonSshDirections {
  const d = directionsOf(ssh, category.key);
  return { symmetric: sameBothWays(d), clientToServer: names(d.clientToServer, category, rules), serverToClient: names(d.serverToClient, category, rules) };
}

/** The offer as the `ssh` object of an endpoint, judged by `rules` (null: the policy has no SSH rules). */
export function toJsonSsh(ssh: SshFindings, rules: SshPolicy | null): JsonSsh {
  return {
    identification: ssh.identification,
    protoVersion: ssh.protoVersion,
    software: ssh.software,
    comments: ssh.comments,
    preamble: [...ssh.preamble],
    kex: names(ssh.kex, SSH_CATEGORY.kex, rules),
    hostKey: names(ssh.hostKey, SSH_CATEGORY.hostKey, rules),
    cipher: directed(ssh, SSH_CATEGORY.cipher, rules),
    mac: directed(ssh, SSH_CATEGORY.mac, rules),
    compression: directed(ssh, SSH_CATEGORY.compression, rules),
    firstKexPacketFollows: ssh.firstKexPacketFollows,
    kexinitHex: ssh.kexinitHex,
  };
}
