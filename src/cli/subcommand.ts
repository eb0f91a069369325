/**
 * A subcommand as data: its name, arguments, options, help text and the function that runs it.
 * main.ts builds the program from a table of these, so every command is parsed, documented and
 * exited the same way: commander never exits the process (exitOverride, main.ts decides), and
 * the exit code is what `run` resolves to. Options are declared as tables of OptionSpec.
 */
import { Option, type Command } from 'commander';

/** One option of a command's table. */
export interface OptionSpec {
  flags: string;
  description: string;
  default?: unknown;
  /** A method signature, so that a parser taking its previous value (a repeatable option) fits too. */
  parse?(value: string, previous: unknown): unknown;
  choices?: readonly string[];
  /** An environment variable that supplies the value when the flag is not given. */
  env?: string;
  /** Left out of --help (test and expert hooks). */
  hidden?: boolean;
}

/** The commander Option for a row of an option table. */
export function commanderOption(spec: OptionSpec): Option {
  const o = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) o.default(spec.default);
  if (spec.parse) o.argParser(spec.parse);
  if (spec.choices) o.choices(spec.choices);
  if (spec.env) o.env(spec.env);
  if (spec.hidden) o.hideHelp();
  return o;
}

/** A subcommand. `Args` are its arguments as commander passes them (a variadic one as an array). */
export interface SubcommandSpec<Args extends unknown[] = unknown[], Opts = unknown> {
  name: string;
  description: string;
  /** `<name>`, `[name...]` and so on, each with its help line. */
  arguments: readonly (readonly [string, string])[];
  options: readonly OptionSpec[];
  /** Shown after the options in --help: examples and exit codes. */
  help: string;
  /** Subcommands of this one (`policies show`). */
  subcommands?: readonly SubcommandSpec[];
  /** Runs the command; resolves to the exit code. A method, so that specs of every shape fit in one table. */
  run(args: Args, opts: Opts): Promise<number>;
}

/** Adds a subcommand (and its own subcommands) to `parent`. */
export function addSubcommand(parent: Command, spec: SubcommandSpec): Command {
  const command = parent.command(spec.name).description(spec.description);
  for (const [name, description] of spec.arguments) command.argument(name, description);
  for (const option of spec.options) command.addOption(commanderOption(option));
  if (spec.help !== '') command.addHelpText('after', spec.help);
  command.exitOverride();
  command.action(async (...args: unknown[]) => {
    const count = spec.arguments.length;
    process.exitCode = await spec.run(args.slice(0, count), args[count]);
  });
  for (const sub of spec.subcommands ?? []) addSubcommand(command, sub);
  return command;
}
