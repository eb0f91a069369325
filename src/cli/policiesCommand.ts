/**
 * `fipscan policies`: the built-in profiles, one line each, and `fipscan policies show <name>`:
 * one of them written out, as JSON (a starting point for a custom policy, and the text whose
 * SHA-256 every report names) or as text (each rule with its source).
 */
import { BUILTIN_POLICIES, DEFAULT_POLICY_ID, builtinPolicy, policyToJson } from '../policy/index.js';
import { renderPolicyText } from '../report/policyText.js';
import { CliError, ExitCode } from './exit.js';
import type { SubcommandSpec } from './subcommand.js';

async function listPolicies(): Promise<number> {
  const idWidth = Math.max(...BUILTIN_POLICIES.map((x) => x.id.length));
  for (const policy of BUILTIN_POLICIES) {
    const mark = policy.id === DEFAULT_POLICY_ID ? ' (default)' : '';
    process.stdout.write(`${policy.id.padEnd(idWidth)} ${policy.version.padEnd(8)} ${policy.title}${mark}\n`);
  }
  return ExitCode.pass;
}

async function showPolicy(name: string, format: 'json' | 'text'): Promise<number> {
  const policy = builtinPolicy(name);
  if (!policy) throw new CliError(`policies show: unknown profile '${name}' (known: ${BUILTIN_POLICIES.map((x) => x.id).join(', ')})`);
  process.stdout.write(format === 'text' ? renderPolicyText(policy) : policyToJson(policy));
  return ExitCode.pass;
}

const SHOW_COMMAND: SubcommandSpec<[string], { format: 'json' | 'text' }> = {
  name: 'show',
  description: 'print a built-in profile: JSON (a starting point for a custom policy; its SHA-256 is what reports name) or text (each rule with its source)',
  arguments: [['<name>', 'profile id']],
  options: [{ flags: '--format <format>', description: 'json or text', choices: ['json', 'text'], default: 'json' }],
  help: '',
  run: ([name], opts) => showPolicy(name, opts.format),
};

/** `fipscan policies` (and `policies show`). */
export const POLICIES_COMMAND: SubcommandSpec<[], unknown> = {
  name: 'policies',
  description: 'list the built-in policy profiles',
  arguments: [],
  options: [],
  help: '',
  subcommands: [SHOW_COMMAND],
  run: () => listPolicies(),
};
