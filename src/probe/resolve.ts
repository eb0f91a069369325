/**
 * Name resolution for fleet scans: every address a name has (A and AAAA, through the system
 * resolver like every other lookup here, so /etc/hosts and the pod's DNS settings apply), for
 * `--all-addresses` and for Kubernetes headless services, whose name resolves to each ready pod.
 * A load-balanced name can hide one misconfigured backend behind several good ones; scanning
 * each address is the only way to see it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ProbeError } from './errors.js';

/** Every address of a name, in the resolver's order; an IP literal is its own only address. */
export type Resolver = (host: string) => Promise<string[]>;

/**
 * All addresses of `host` (IPv4 and IPv6, deduplicated, in the order the resolver gave them).
 * Rejects with a ProbeError carrying the resolver's code (ENOTFOUND, EAI_AGAIN, ...).
 */
export const resolveAll: Resolver = async (host) => {
  if (isIP(host)) return [host];
  try {
    const answers = await lookup(host.replace(/\.$/, ''), { all: true, verbatim: true });
    return [...new Set(answers.map((a) => a.address))];
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
    throw new ProbeError(code, `${host}: name does not resolve (${code})`, { cause: err });
  }
};
