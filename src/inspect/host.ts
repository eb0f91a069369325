/**
 * The host half of "is this FIPS?": the kernel's FIPS mode (/proc/sys/crypto/fips_enabled,
 * and `fips=1` on the kernel command line) and whether it is needed, the entropy source that
 * seeds OpenSSL (the kernel, or a userspace JITTER source that makes the kernel's mode
 * optional), the distribution's FIPS marker (/etc/system-fips on RHEL 8, the FIPS crypto
 * policy on RHEL 8/9), the OpenSSL configuration in effect with its includes, and whether the
 * Node running fipscan has its crypto in FIPS mode. Everything is read under a root directory
 * (default `/`: an unpacked image or /proc/<pid>/root too, and the fake FIPS and non-FIPS
 * hosts of the tests); kernel.ts says where the kernel's files come from for each.
 */
import { getFips } from 'node:crypto';
import { check, type Check, type Fact, type Subject } from '../model/inspect.js';
import { opensslConfigChecks } from './configChecks.js';
import { judgeEntropy } from './entropy.js';
import { kernelCheck, readKernelFips } from './kernel.js';
import { findLibcryptos } from './libcrypto.js';
import { readRandomConfig } from './randomConfig.js';
import { exists, findOpensslConfig, inRoot, readText } from './rootFiles.js';

export interface HostOptions {
  /** The root the host's files are read under; default `/`. */
  root?: string;
  /** The environment OPENSSL_CONF / OPENSSL_MODULES are taken from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Node's FIPS state, or null when it does not describe this root (a fake root in tests,
   * another machine's disk): node.fips is then n/a. Default: this Node's, when root is `/`.
   */
  nodeFips?: { enabled: boolean; version: string; openssl: string } | null;
  /** The running kernel's /proc, read when the root has no /proc/sys (an unpacked image); default `/proc`. */
  liveProc?: string;
}

function systemCheck(root: string): Check {
  const subject = 'system';
  const marker = '/etc/system-fips';
  const policyFile = '/etc/crypto-policies/config';
  const policy = readText(inRoot(root, policyFile))
    ?.split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .find((l) => l !== '');
  const evidence = [
    { source: marker, detail: exists(inRoot(root, marker)) ? 'present' : 'absent' },
    ...(policy !== undefined ? [{ source: policyFile, detail: policy }] : []),
  ];
  const fipsPolicy = policy !== undefined && /^FIPS(:|$)/.test(policy);
  if (exists(inRoot(root, marker)) || fipsPolicy) return check('system.fips', subject, 'ok', fipsPolicy ? `the system crypto policy is ${policy}` : 'the distribution is installed in FIPS mode (/etc/system-fips)', evidence);
  if (policy !== undefined) return check('system.fips', subject, 'fail', `the system crypto policy is ${policy}, not FIPS (fips-mode-setup --enable)`, evidence);
  return check('system.fips', subject, 'n/a', 'no distribution FIPS marker here (neither /etc/system-fips nor crypto-policies: not a RHEL-family system)', evidence);
}

function nodeCheck(node: HostOptions['nodeFips']): Check {
  const subject = 'node';
  if (!node) return check('node.fips', subject, 'n/a', "not judged: the Node running fipscan is not this root's");
  const evidence = [{ source: 'crypto.getFips()', detail: node.enabled ? '1' : '0' }, { source: 'process.versions', detail: `node ${node.version}, openssl ${node.openssl}` }];
  if (node.enabled) return check('node.fips', subject, 'ok', "Node's crypto runs in FIPS mode", evidence);
  return check('node.fips', subject, 'fail', "Node's crypto is not in FIPS mode (needs a FIPS provider and nodejs_conf, or --enable-fips)", evidence);
}

/** The FIPS state of the Node running this code. */
export function currentNodeFips(): NonNullable<HostOptions['nodeFips']> {
  return { enabled: getFips() === 1, version: process.versions.node, openssl: process.versions.openssl ?? 'none' };
}

/** Inspects the host under `root`. Never throws: what cannot be read is evidence. */
export function inspectHost(options: HostOptions = {}): Subject {
  const root = options.root ?? '/';
  const node = options.nodeFips !== undefined ? options.nodeFips : root === '/' ? currentNodeFips() : null;
  const env = options.env ?? process.env;
  const findings = findOpensslConfig(root, env);
  const kernel = readKernelFips(root, options.liveProc);
  const entropy = judgeEntropy('entropy', {
    findings,
    random: findings.config ? readRandomConfig(findings.config) : null,
    libraries: findLibcryptos(root),
    kernel,
  });
  const facts: Fact[] = [{ name: 'root', value: root }];
  if (kernel.procSource === 'live') facts.push({ name: 'kernel', value: 'the running kernel\'s (the tree has no /proc/sys)' });
  if (findings.config) facts.push({ name: 'OpenSSL configuration', value: findings.config.conf.files.join(', ') });
  if (env.OPENSSL_CONF) facts.push({ name: 'OPENSSL_CONF', value: env.OPENSSL_CONF });
  return {
    kind: 'host',
    name: root === '/' ? 'host' : `host ${root}`,
    path: null,
    pid: null,
    facts,
    checks: [
      kernelCheck(kernel, { userspaceSource: entropy.userspaceSource }),
      entropy.check,
      systemCheck(root),
      ...opensslConfigChecks('openssl.cnf', findings),
      nodeCheck(node),
    ],
    error: null,
  };
}
