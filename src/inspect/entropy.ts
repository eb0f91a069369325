/**
 * entropy.source: what seeds OpenSSL's DRBGs, and whether it is an SP 800-90B source. FIPS 140-3
 * needs one for the module's DRBG, inside or outside the module boundary; traditionally that is
 * a FIPS-mode kernel (getrandom, OpenSSL's default `SEED-SRC`). OpenSSL 3.4+ built with
 * `enable-jitter` offers the userspace `JITTER` source (the jitterentropy library, which has
 * its own ESV certificates), selected with `seed = JITTER` in the configuration's random
 * section (INSTALL.md "jitter", config(5)); OpenSSL 3.5+ can build it into the FIPS provider
 * itself (`enable-fips-jitter`). With such a source a host needs no FIPS kernel for OpenSSL
 * (Chainguard, "Kernel-Independent FIPS Images"). The judgement is a short list of steps:
 * the provider's own source, else the configured seed and what makes it unusable (a libcrypto
 * without jitter or older than 3.4, a random section OpenSSL refuses, default properties the
 * seed fetch cannot satisfy), else the kernel. Pure.
 */
import { check, type Check, type Evidence } from '../model/inspect.js';
import type { ConfigFindings } from './configChecks.js';
import type { KernelFips } from './kernel.js';
import type { LibcryptoFile } from './libcrypto.js';
import { seedPropertiesLiftFips, type RandomConfig } from './randomConfig.js';

export interface EntropyInputs {
  findings: ConfigFindings;
  random: RandomConfig | null;
  libraries: readonly LibcryptoFile[];
  kernel: KernelFips;
}

export interface EntropyJudgement {
  check: Check;
  /** The approved userspace source seeding OpenSSL, when there is one: the kernel is then not required. */
  userspaceSource: string | null;
}

const ID = 'entropy.source';
const BASIS: Evidence = {
  source: 'basis',
  detail: 'FIPS 140-3 requires an SP 800-90B entropy source for the DRBG: a FIPS-mode kernel, or a validated userspace one (OpenSSL JITTER, config(5) "Random Configuration")',
};

/** `3.4.0` -> [3, 4]. */
function series(version: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)\./.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function atLeast(version: string, major: number, minor: number): boolean {
  const s = series(version);
  return s !== null && (s[0] > major || (s[0] === major && s[1] >= minor));
}

function libraryEvidence(lib: LibcryptoFile): Evidence {
  const version = lib.versions[0] ? `OpenSSL ${lib.versions.join(', ')}` : 'version unknown';
  const jitter = lib.error ? `unreadable: ${lib.error}` : lib.jitter.length > 0 ? `jitter entropy built in (${lib.jitter.join(' | ')})` : 'no jitter entropy';
  return { source: lib.path, detail: `${version}; ${jitter}` };
}

function randomEvidence(random: RandomConfig | null): Evidence[] {
  if (!random) return [];
  const lines = [random.declared, ...Object.values(random.settings)].map((v) => ({ source: v.at, detail: v.line }));
  // random_conf_init still applies the names it knows, but fails the module: an error that
  // stops the program when the configuration sets config_diagnostics = 1.
  const unknown = random.unknown.map((v) => ({ source: v.at, detail: `${v.line} (not a random setting: OpenSSL reports an error, fatal with config_diagnostics = 1)` }));
  return [...lines, ...unknown];
}

/** A random section that is named but missing: OpenSSL applies none of it. */
function sectionProblems(random: RandomConfig | null): string[] {
  return random && !random.sectionFound ? [`the random section ${random.declared.value} is not defined`] : [];
}

/** Whether the FIPS provider in use predates 3.2, the first to take its seed through get_user_entropy. */
function providerBefore32(findings: ConfigFindings): boolean {
  const version = findings.module?.versions[0];
  return version !== undefined && !atLeast(version, 3, 2);
}

/** Why OpenSSL cannot use `seed = JITTER` here; empty when it can. */
function jitterProblems(inputs: EntropyInputs): string[] {
  const { random, libraries, findings } = inputs;
  const problems = sectionProblems(random);
  if (libraries.length === 0) problems.push('no libcrypto found in the loader\'s directories to confirm JITTER support');
  for (const lib of libraries) {
    const version = lib.versions[0];
    if (lib.error) problems.push(`${lib.path} could not be read to confirm JITTER support`);
    else if (version && !atLeast(version, 3, 4)) problems.push(`${lib.path} is OpenSSL ${version}, older than 3.4 where the JITTER seed source was added`);
    else if (lib.jitter.length === 0) problems.push(`${lib.path}${version ? ` (OpenSSL ${version})` : ''} was built without jitter support (enable-jitter): it has no JITTER seed source`);
  }
  // A provider before 3.2 never uses the seed libcrypto fetches (providerNotes says what it uses).
  if (findings.config?.fipsRequired && !providerBefore32(findings) && !seedPropertiesLiftFips(random?.settings.seed_properties?.value)) {
    problems.push('default_properties require fips=yes, and the seed is fetched with them: JITTER of the default and base providers has no fips property, so the fetch fails and OpenSSL seeds from the operating system instead (lift it for the seed with seed_properties = -fips)');
  }
  return problems;
}

/**
 * What fipscan cannot see about a working `seed = JITTER`. A FIPS provider older than 3.2 asks
 * libcrypto for entropy through the old get_entropy call, which follows `seed` only in a
 * libcrypto built with enable-fips-jitter (crypto/provider_core.c). A newer one asks through
 * get_user_entropy, which falls back to the operating system while libcrypto has not yet
 * created its seed source (openssl/openssl#25941) unless `seed_strict` makes that an error
 * (openssl/openssl#31939).
 */
function providerNotes(findings: ConfigFindings, random: RandomConfig | null): Evidence[] {
  const version = findings.module?.versions[0];
  if (version && providerBefore32(findings)) {
    return [{
      source: 'note',
      detail: `the FIPS provider is ${version}: providers before 3.2 take their seed through libcrypto's get_entropy call, which follows \`seed\` only in a libcrypto built with enable-fips-jitter (crypto/provider_core.c); fipscan cannot see that build option`,
    }];
  }
  const strict = random?.settings.seed_strict?.value.trim().toLowerCase();
  if (strict !== undefined && ['1', 'yes', 'true', 'on'].includes(strict)) return [];
  return [{
    source: 'note',
    detail: 'a FIPS provider that asks for entropy before libcrypto has created its seed source is seeded from the operating system (openssl/openssl#25941); seed_strict = yes, where the OpenSSL has it, makes that an error (openssl/openssl#31939)',
  }];
}

function judged(check: Check, userspaceSource: string | null = null): EntropyJudgement {
  return { check, userspaceSource };
}

/** The FIPS provider seeds itself from jitter (enable-fips-jitter): no configuration involved. */
function providerJitter(subject: string, { findings }: EntropyInputs, evidence: Evidence[]): EntropyJudgement | null {
  const module = findings.module;
  if (!module?.exists || module.jitter.length === 0) return null;
  const message = "OpenSSL's FIPS provider seeds itself from its built-in jitter entropy source (enable-fips-jitter); valid only with that source's ESV certificate named in the module's certificate";
  return judged(check(ID, subject, 'ok', message, [...evidence, { source: module.path, detail: `jitter entropy built in (${module.jitter.join(' | ')})` }]), "the FIPS provider's built-in JITTER source");
}

/** Nothing of OpenSSL under the root: nothing it seeds to judge. */
function noOpenssl(subject: string, { findings, libraries }: EntropyInputs, evidence: Evidence[]): EntropyJudgement | null {
  if (findings.config || libraries.length > 0) return null;
  return judged(check(ID, subject, 'n/a', 'no OpenSSL here (no configuration, no libcrypto): the kernel is the only entropy source (kernel.fips)', evidence));
}

/** `seed = JITTER`: approved when every link of it holds, else a failure naming the broken ones. */
function configuredJitter(subject: string, inputs: EntropyInputs, evidence: Evidence[]): EntropyJudgement | null {
  if (seedName(inputs)?.toUpperCase() !== 'JITTER') return null;
  const problems = jitterProblems(inputs);
  if (problems.length > 0) return judged(check(ID, subject, 'fail', `seed = JITTER is configured but cannot work: ${problems.join('; ')}`, evidence));
  const message = 'OpenSSL is seeded from the JITTER source (jitterentropy, userspace SP 800-90B): no FIPS kernel needed for OpenSSL';
  return judged(check(ID, subject, 'ok', message, [...evidence, ...providerNotes(inputs.findings, inputs.random)]), 'the JITTER seed source');
}

/** SEED-SRC (the default) seeds from the kernel: approved only when the kernel is in FIPS mode. */
function kernelSeed(subject: string, inputs: EntropyInputs, evidence: Evidence[]): EntropyJudgement {
  const { kernel, random } = inputs;
  const seed = seedName(inputs);
  const withKernel = [...evidence, { source: 'kernel', detail: `fips_enabled ${kernel.fipsEnabled ?? 'absent'}${kernel.procSource === 'live' ? ' (running kernel)' : ''}` }];
  if (seed !== undefined && seed.toUpperCase() !== 'SEED-SRC') {
    return judged(check(ID, subject, 'fail', `seed = ${seed} is not a source fipscan can vouch for (SEED-SRC from a FIPS kernel, or JITTER)`, withKernel));
  }
  const named = seed === undefined ? 'its default seed source, SEED-SRC' : 'SEED-SRC';
  const refused = sectionProblems(random).map((p) => ` (${p})`).join('');
  if (kernel.fipsEnabled === '1') return judged(check(ID, subject, 'ok', `OpenSSL is seeded by the kernel (${named}: getrandom), which runs in FIPS mode${refused}`, withKernel));
  const fix = 'boot with fips=1, or seed from JITTER (OpenSSL 3.4+ built with enable-jitter, [random] seed = JITTER)';
  return judged(check(ID, subject, 'fail', `OpenSSL is seeded by the kernel (${named}: getrandom), which is not in FIPS mode${refused}: ${fix}`, withKernel));
}

function seedName({ random }: EntropyInputs): string | undefined {
  return random?.sectionFound ? random.settings.seed?.value.trim() : undefined;
}

/** entropy.source for a host: which source seeds OpenSSL, and whether it is an approved one. */
export function judgeEntropy(subject: string, inputs: EntropyInputs): EntropyJudgement {
  const evidence = [BASIS, ...randomEvidence(inputs.random), ...inputs.libraries.map(libraryEvidence)];
  return providerJitter(subject, inputs, evidence) ?? noOpenssl(subject, inputs, evidence) ?? configuredJitter(subject, inputs, evidence) ?? kernelSeed(subject, inputs, evidence);
}
