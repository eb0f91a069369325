/**
 * What an OpenSSL 3 configuration means for FIPS, following the chain libcrypto follows at
 * start-up (config(5), provider configuration in OSSL_PROVIDER(7), fips_config(5)): the
 * application's init section named in the default section (`openssl_conf`, or Node's own
 * `nodejs_conf`), its `providers` section, the provider whose name or identity is `fips` (or
 * whose module is fips.so) and whether it is activated and carries the install-time
 * `module-mac` from fipsmodule.cnf, and the `alg_section` whose `default_properties` must
 * require `fips=yes` for the FIPS provider to be the only one used. Pure.
 */
import { confGet, type ConfValue, type OpensslConf } from './opensslConf.js';

export interface FipsProviderConfig {
  /** The provider name in the providers section (`fips`). */
  name: string;
  /** The providers-section line naming it: `fips = fips_sect`. */
  declared: ConfValue;
  sectionName: string;
  /** Whether the section exists at all (it usually comes from an included fipsmodule.cnf). */
  sectionFound: boolean;
  activate: ConfValue | null;
  activated: boolean;
  moduleMac: ConfValue | null;
  module: ConfValue | null;
}

export interface FipsConfig {
  conf: OpensslConf;
  /** The default-section name that selects the init section: `openssl_conf` or `nodejs_conf`. */
  appName: string;
  init: ConfValue | null;
  providers: ConfValue | null;
  fips: FipsProviderConfig | null;
  /** Other providers activated next to fips (`base`, `default`). */
  otherActivated: string[];
  algSection: ConfValue | null;
  defaultProperties: ConfValue | null;
  /** The deprecated `fips_mode = yes` in the algorithm section, equivalent to fips=yes. */
  fipsMode: ConfValue | null;
  /** True when default_properties (or fips_mode) make fips=yes a requirement for every fetch. */
  fipsRequired: boolean;
}

const TRUE = new Set(['1', 'yes', 'true', 'on']);

/** Whether an `activate` value activates. OpenSSL 3.0 and 3.1 activate on any value; 3.2+ parse it. */
export function activates(value: string): boolean {
  return TRUE.has(value.trim().toLowerCase());
}

/**
 * Whether a property query makes `fips=yes` mandatory: a clause `fips=yes` or bare `fips`.
 * `?fips=yes` is only a preference, and `-fips` removes the property.
 */
export function requiresFips(query: string): boolean {
  return query
    .split(',')
    .map((clause) => clause.replace(/\s+/g, '').toLowerCase())
    .some((clause) => clause === 'fips=yes' || clause === 'fips' || clause === 'fips=true');
}

/** Follows the configuration from `appName` to the FIPS provider and the default properties. */
export function evaluateFipsConfig(conf: OpensslConf, appName = 'openssl_conf'): FipsConfig {
  const out: FipsConfig = {
    conf, appName, init: null, providers: null, fips: null, otherActivated: [], algSection: null, defaultProperties: null, fipsMode: null, fipsRequired: false,
  };
  out.init = confGet(conf, 'default', appName) ?? null;
  if (!out.init) return out;
  const init = out.init.value;
  out.providers = confGet(conf, init, 'providers') ?? null;
  out.algSection = confGet(conf, init, 'alg_section') ?? null;
  if (out.providers) {
    for (const [name, declared] of conf.sections.get(out.providers.value) ?? []) {
      const sectionName = declared.value;
      const section = conf.sections.get(sectionName);
      const activate = section?.get('activate') ?? null;
      const activated = activate !== null && activates(activate.value);
      const identity = section?.get('identity')?.value ?? name;
      const module = section?.get('module') ?? null;
      const isFips = identity === 'fips' || (module !== null && /(^|\/)fips\.(so|dll|dylib)$/.test(module.value));
      if (isFips && !out.fips) {
        out.fips = { name, declared, sectionName, sectionFound: section !== undefined, activate, activated, moduleMac: section?.get('module-mac') ?? null, module };
      } else if (activated) {
        out.otherActivated.push(name);
      }
    }
  }
  if (out.algSection) {
    out.defaultProperties = confGet(conf, out.algSection.value, 'default_properties') ?? null;
    out.fipsMode = confGet(conf, out.algSection.value, 'fips_mode') ?? null;
  }
  out.fipsRequired = (out.defaultProperties !== null && requiresFips(out.defaultProperties.value)) || (out.fipsMode !== null && activates(out.fipsMode.value));
  return out;
}
