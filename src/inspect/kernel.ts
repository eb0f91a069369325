/**
 * The kernel's FIPS mode (/proc/sys/crypto/fips_enabled, and `fips=1` on /proc/cmdline) and
 * whether this host needs it. Where it is read from depends on the root: `/` and
 * `/proc/<pid>/root` have a mounted procfs (the container's own /proc shows the one shared
 * kernel), and so has a test's fake root; an unpacked image has no /proc/sys (at most an empty
 * /proc directory) and no kernel of its own, so the running kernel's /proc is read and the
 * evidence says so: the verdict then means "on this machine's kernel". A FIPS kernel is required
 * only when no approved userspace entropy source seeds OpenSSL (entropy.ts); with one, a
 * non-FIPS kernel is an `info` line carrying Chainguard's list of what still needs the kernel.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { check, type Check, type Evidence } from '../model/inspect.js';
import { inRoot, readText } from './rootFiles.js';

export interface KernelFips {
  /** `1`, `0`, or null when fips_enabled is absent (a kernel built without CONFIG_CRYPTO_FIPS). */
  fipsEnabled: string | null;
  /** Where /proc was read: the tree's own, or the running kernel's for a tree without one. */
  procSource: 'tree' | 'live';
  evidence: Evidence[];
}

const FIPS_ENABLED = 'sys/crypto/fips_enabled';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the kernel's FIPS mode for `root`; `liveProc` is the running kernel's /proc. */
export function readKernelFips(root: string, liveProc = '/proc'): KernelFips {
  const procSource = isDirectory(inRoot(root, '/proc/sys')) ? 'tree' : 'live';
  const proc = procSource === 'tree' ? inRoot(root, '/proc') : liveProc;
  // Paths in the evidence are as seen from the tree; the running kernel's are marked as such.
  const shown = (file: string) => (procSource === 'tree' ? `/proc/${file}` : `${liveProc}/${file} (running kernel: the tree has no /proc/sys)`);
  const value = readText(join(proc, FIPS_ENABLED))?.trim() ?? null;
  const cmdline = readText(join(proc, 'cmdline'))?.trim() ?? '';
  const fipsArg = cmdline.split(/\s+/).find((a) => /^fips=/.test(a));
  const evidence = [{ source: shown(FIPS_ENABLED), detail: value ?? '(absent)' }, ...(fipsArg ? [{ source: shown('cmdline'), detail: fipsArg }] : [])];
  return { fipsEnabled: value, procSource, evidence };
}

/** What entropy.ts decided about the kernel. */
export interface KernelNeed {
  /** The approved userspace source seeding OpenSSL, if any: the kernel's mode is then not required. */
  userspaceSource: string | null;
}

/**
 * Chainguard, "Kernel-Independent FIPS Images" (chainguard.dev/unchained): workloads that use
 * kernel crypto or the kernel's entropy directly still need a FIPS kernel.
 */
const KERNEL_STILL_NEEDED = 'Java, Kubernetes CNI plugins, LUKS2 full-disk encryption and StrongSwan still need a kernel in FIPS mode (Chainguard, "Kernel-Independent FIPS Images")';

/** kernel.fips: required (ok or fail) unless an approved userspace source seeds OpenSSL (ok or info). */
export function kernelCheck(kernel: KernelFips, need: KernelNeed): Check {
  const id = 'kernel.fips';
  const subject = 'kernel';
  const evidence = kernel.evidence;
  if (kernel.fipsEnabled === '1') return check(id, subject, 'ok', 'the kernel runs in FIPS mode', evidence);
  const state = kernel.fipsEnabled === null ? 'the kernel has no FIPS mode (fips_enabled absent: not built with CONFIG_CRYPTO_FIPS)' : 'the kernel is not in FIPS mode';
  if (need.userspaceSource) {
    return check(id, subject, 'info', `${state}, and none is required for OpenSSL: it is seeded from ${need.userspaceSource} (entropy.source)`, [
      ...evidence,
      { source: 'caveat', detail: KERNEL_STILL_NEEDED },
    ]);
  }
  const fix = kernel.fipsEnabled === null ? '' : ' (boot with fips=1)';
  return check(id, subject, 'fail', `${state}${fix}, and no approved userspace entropy source replaces it (entropy.source)`, evidence);
}
