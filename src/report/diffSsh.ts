/**
 * What drifted in an SSH endpoint's offer between two reports (`fipscan diff`): per KEXINIT
 * category, the names offered now and not before, and the reverse. Order changes are not drift.
 * Cipher, MAC and compression lists are compared per direction; when both directions changed
 * alike (as every OpenSSH configuration does) the change is given once, without a direction.
 */
import type { JsonSsh } from './sshJson.js';
import { SSH_CATEGORIES, type SshListKey } from './sshNames.js';

/** Names added and removed in one category (and direction, when only one changed so). */
export interface SshAlgorithmChanges {
  category: SshListKey;
  /** null: the change holds for both directions (or the category has one list). */
  direction: 'clientToServer' | 'serverToClient' | null;
  added: string[];
  removed: string[];
}

/** Names of `a` that `b` lacks, in `a`'s order. */
function missing(a: readonly string[], b: readonly string[]): string[] {
  const known = new Set(b);
  return a.filter((name) => !known.has(name));
}

function changes(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: missing(after, before), removed: missing(before, after) };
}

/** A category's name lists per direction; key exchange and host keys have one, for both. */
function lists(ssh: JsonSsh, key: SshListKey): { clientToServer: string[]; serverToClient: string[] } {
  const l = ssh[key];
  if (Array.isArray(l)) return { clientToServer: l.map((a) => a.name), serverToClient: l.map((a) => a.name) };
  return { clientToServer: l.clientToServer.map((a) => a.name), serverToClient: l.serverToClient.map((a) => a.name) };
}

/** The drift of one category: nothing, one change for both directions, or a change per direction. */
function categoryDrift(before: JsonSsh, after: JsonSsh, category: SshListKey): SshAlgorithmChanges[] {
  const [was, now] = [lists(before, category), lists(after, category)];
  const toServer = changes(was.clientToServer, now.clientToServer);
  const toClient = changes(was.serverToClient, now.serverToClient);
  const changed = (c: { added: string[]; removed: string[] }) => c.added.length + c.removed.length > 0;
  if (JSON.stringify(toServer) === JSON.stringify(toClient)) return changed(toServer) ? [{ category, direction: null, ...toServer }] : [];
  return [
    ...(changed(toServer) ? [{ category, direction: 'clientToServer' as const, ...toServer }] : []),
    ...(changed(toClient) ? [{ category, direction: 'serverToClient' as const, ...toClient }] : []),
  ];
}

/** Every category's drift from `before` to `after`, in KEXINIT order. */
export function sshDrift(before: JsonSsh, after: JsonSsh): SshAlgorithmChanges[] {
  return SSH_CATEGORIES.flatMap((c) => categoryDrift(before, after, c.key));
}
