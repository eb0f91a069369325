/**
 * The random number generator settings of an OpenSSL 3 configuration (config(5), "Random
 * Configuration"): the init section's `random` line names a section whose `seed` picks the
 * seed source the primary DRBG is seeded from (`SEED-SRC`, the operating system, by default;
 * `JITTER` with OpenSSL 3.4+ built with `enable-jitter`), `seed_properties` the property query
 * it is fetched with, and `random`, `cipher`, `digest`, `properties`, `random_provider` the
 * DRBG itself. libcrypto compares these names without regard to case and refuses any other
 * name (random_conf_init in crypto/rand/rand_lib.c); `seed_strict` is the newer switch that
 * turns an unusable seed source into an error (openssl/openssl#31939). Pure.
 */
import type { FipsConfig } from './fipsConfig.js';
import type { ConfValue } from './opensslConf.js';

const KNOWN = ['random', 'cipher', 'digest', 'properties', 'seed', 'seed_properties', 'random_provider', 'seed_strict'] as const;
type RandomSetting = (typeof KNOWN)[number];

export interface RandomConfig {
  /** The init section's `random = <section>` line. */
  declared: ConfValue;
  /** Whether the named section exists; OpenSSL refuses the configuration when it does not. */
  sectionFound: boolean;
  settings: Partial<Record<RandomSetting, ConfValue>>;
  /** Names libcrypto does not know: each makes it refuse the section. */
  unknown: ConfValue[];
}

/** The random section the configuration's init section names, or null when it names none. */
export function readRandomConfig(config: FipsConfig): RandomConfig | null {
  if (!config.init) return null;
  const declared = config.conf.sections.get(config.init.value)?.get('random');
  if (!declared) return null;
  const section = config.conf.sections.get(declared.value);
  const out: RandomConfig = { declared, sectionFound: section !== undefined, settings: {}, unknown: [] };
  for (const [name, value] of section ?? []) {
    const known = KNOWN.find((k) => k === name.toLowerCase());
    if (known) out.settings[known] = value;
    else out.unknown.push(value);
  }
  return out;
}

/**
 * Whether a seed source with no `fips` property (JITTER and SEED-SRC of the default and base
 * providers) can still be fetched when the default properties require `fips=yes`. The fetch
 * merges `seed_properties` over the default properties, a clause of the former replacing one of
 * the same name, and a definition without `fips` counts as `fips=no` (ossl_property_merge and
 * ossl_property_match_count, crypto/property/property_parse.c). So only a `fips` clause that a
 * missing property satisfies lifts the requirement: `-fips`, an optional `?fips=...`,
 * `fips=no`, `fips!=yes`.
 */
export function seedPropertiesLiftFips(seedProperties: string | undefined): boolean {
  if (seedProperties === undefined) return false;
  return seedProperties
    .split(',')
    .map((clause) => clause.replace(/\s+/g, '').toLowerCase())
    .some((clause) => clause === '-fips' || clause.startsWith('?fips') || /^fips(=no|=false|!=yes|!=true)$/.test(clause));
}
