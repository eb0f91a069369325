/**
 * The two OpenSSL configuration checks, shared by the host (the system openssl.cnf) and each
 * process (its own OPENSSL_CONF, seen from its own root): is the FIPS provider activated with
 * its install-time integrity data and present on disk, and do the default properties require
 * `fips=yes` so nothing else is fetched. Evidence is the file and line of each link in the
 * chain. Pure.
 */
import { check, type Check, type Evidence } from '../model/inspect.js';
import type { FipsConfig } from './fipsConfig.js';
import type { ConfValue } from './opensslConf.js';

/** The FIPS provider module file (fips.so) as found on disk. */
export interface ProviderModule {
  path: string;
  exists: boolean;
  /** Versions named in the module's version text, when it could be read. */
  versions: string[];
  /** Jitter entropy texts inside the module (built with `enable-fips-jitter`); empty otherwise. */
  jitter: string[];
}

export interface ConfigFindings {
  /** The evaluated configuration, or null when no file was found. */
  config: FipsConfig | null;
  /** Where fipscan looked, in order (for the evidence when nothing was found). */
  searched: string[];
  /** Where the configuration's fips provider module would be loaded from. */
  module: ProviderModule | null;
}

function line(v: ConfValue): Evidence {
  return { source: v.at, detail: v.line };
}

/** openssl.fips-provider and openssl.default-properties for one configuration. */
export function opensslConfigChecks(subject: string, findings: ConfigFindings): Check[] {
  const { config } = findings;
  if (!config) {
    const evidence = [{ source: 'searched', detail: findings.searched.join(', ') }];
    const message = 'no OpenSSL configuration file found: OpenSSL runs with its built-in defaults (no FIPS provider)';
    return [check('openssl.fips-provider', subject, 'n/a', message, evidence), check('openssl.default-properties', subject, 'n/a', message, evidence)];
  }
  const file: Evidence = { source: 'configuration', detail: config.conf.files.join(', ') };
  const problems: Evidence[] = config.conf.problems.map((p) => ({ source: p.at, detail: p.message }));
  return [providerCheck(subject, config, findings.module, file, problems), propertiesCheck(subject, config, file, problems)];
}

function providerCheck(subject: string, config: FipsConfig, module: ProviderModule | null, file: Evidence, problems: Evidence[]): Check {
  const id = 'openssl.fips-provider';
  const fail = (message: string, evidence: Evidence[]) => check(id, subject, 'fail', message, [file, ...evidence, ...problems]);
  if (!config.init) return fail(`${config.appName} is not set in the default section: no provider is configured, so FIPS is not`, []);
  const chain = [line(config.init), ...(config.providers ? [line(config.providers)] : [])];
  if (!config.providers) return fail(`the init section ${config.init.value} has no providers line: only the default provider loads`, chain);
  const fips = config.fips;
  if (!fips) return fail(`no fips provider in section ${config.providers.value}`, chain);
  chain.push(line(fips.declared));
  if (!fips.sectionFound) return fail(`the fips provider's section ${fips.sectionName} is not defined (is fipsmodule.cnf included?)`, chain);
  if (fips.activate) chain.push(line(fips.activate));
  if (!fips.activated) return fail(fips.activate ? `the fips provider is not activated (activate = ${fips.activate.value})` : 'the fips provider is declared but not activated (no activate = 1)', chain);
  if (!fips.moduleMac) return fail(`section ${fips.sectionName} has no module-mac: fipsmodule.cnf (written by openssl fipsinstall) is not included, and the provider would fail its self-test`, chain);
  chain.push({ source: fips.moduleMac.at, detail: 'module-mac = …' });
  if (fips.module) chain.push(line(fips.module));
  if (module) {
    chain.push({ source: 'provider module', detail: `${module.path}${module.exists ? '' : ' (missing)'}${module.versions.length ? `: OpenSSL ${module.versions.join(', ')}` : ''}` });
    if (!module.exists) return fail(`the fips provider is activated but its module ${module.path} does not exist`, chain);
  }
  if (problems.length > 0) return fail('the fips provider is activated, but the configuration has errors that make OpenSSL refuse the file', chain);
  return check(id, subject, 'ok', `the fips provider is activated (${config.appName} -> ${config.init.value} -> ${config.providers.value} -> ${fips.sectionName})`, [file, ...chain]);
}

function propertiesCheck(subject: string, config: FipsConfig, file: Evidence, problems: Evidence[]): Check {
  const id = 'openssl.default-properties';
  const evidence = [file, ...(config.init ? [line(config.init)] : []), ...(config.algSection ? [line(config.algSection)] : [])];
  if (config.defaultProperties) evidence.push(line(config.defaultProperties));
  if (config.fipsMode) evidence.push(line(config.fipsMode));
  if (!config.fipsRequired) {
    const why = !config.init
      ? `${config.appName} is not set`
      : !config.algSection
        ? `the init section ${config.init.value} has no alg_section`
        : config.defaultProperties
          ? `default_properties = ${config.defaultProperties.value} does not require fips=yes`
          : `the algorithm section ${config.algSection.value} sets no default_properties`;
    return check(id, subject, 'fail', `${why}: algorithms may still come from a non-FIPS provider`, [...evidence, ...problems]);
  }
  if (problems.length > 0) return check(id, subject, 'fail', 'fips=yes is required, but the configuration has errors that make OpenSSL refuse the file', [...evidence, ...problems]);
  return check(id, subject, 'ok', 'default properties require fips=yes: every algorithm is fetched from the FIPS provider', evidence);
}
