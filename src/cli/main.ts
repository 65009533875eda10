/**
 * The `ct` command line. Exit codes: 0 success; 1 the check said no (anomalies,
 * gates failed, not promoted); 2 the input could not be used (one line naming the
 * file, field, column or option); 3 a bug in ct (stack trace with --debug).
 */
import path from 'node:path';
import * as tf from '../tf.js';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import type { BackendPreference } from '../config/types.js';
import { isRemote } from '../data/remote.js';
import { explainFileSystemError, isUserError, UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ctVersion } from '../package.js';
import type { StageContext } from '../pipeline/context.js';
import { checkCommandLine, DEFAULT_CONFIG, DEFAULT_OUT, foreignOption, longFlag, type OptionSpec } from './options.js';
import { terminalLogger } from './terminal.js';
import { type Verb, VERBS } from './verbs.js';

/** The options main reads itself (a verb reads the rest). */
interface SharedOptions {
  config?: string;
  out?: string;
  data?: string;
  backend?: BackendPreference;
  leg?: string;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

/** A command line, parsed and checked. */
interface Call {
  verb: Verb;
  options: SharedOptions & Record<string, unknown>;
  args: string[];
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // TF.js's own console banners (e.g. "install tfjs-node") would break the one-line
  // contract; ct says which backend runs and why itself.
  tf.enableProdMode();
  let debug = argv.includes('--debug');
  try {
    const call = await parseCommandLine(argv);
    if (call === null) return 0;
    const { verb, options, args } = call;
    debug = options.debug === true;
    const logger = terminalLogger({ quiet: options.quiet === true || options.json === true, debug });
    const { exitCode, result } = verb.kind === 'setup' ? await verb.run(logger, options) : await verb.run(stageContext(options, logger), options, args);
    if (options.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return exitCode;
  } catch (thrown) {
    return exitCodeOf(thrown, debug);
  }
}

/** Commander prints help; ct prints errors itself, as one line. */
const OUTPUT = { writeErr: (s: string) => process.stderr.write(s), outputError: () => {} };

/** The verb, options and arguments of `argv`, checked; null when help was asked for (and shown). */
async function parseCommandLine(argv: readonly string[]): Promise<Call | null> {
  let call: Call | null = null;
  const program = new Command('ct')
    .description('continuous training for TensorFlow.js models')
    .version(ctVersion(), '-V, --version', "print ct's version")
    .exitOverride(usageError())
    .configureOutput(OUTPUT);
  for (const verb of VERBS) {
    const command = new VerbCommand(verb);
    command.action(() => {
      const given = command.options.filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long!);
      checkCommandLine(verb, new Set(given), command.args);
      call = { verb, options: command.opts(), args: command.args };
    });
    program.addCommand(command);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return null;
    throw error;
  }
  return call;
}

/** A verb's command: only the options the verb takes, each checked by its parser as it is read. */
class VerbCommand extends Command {
  constructor(verb: Verb) {
    super(verb.name);
    this.description(verb.description).exitOverride(usageError(verb.name)).configureOutput(OUTPUT);
    if (verb.args !== undefined) this.arguments(verb.args);
    for (const spec of verb.options) this.addOption(commanderOption(spec));
  }

  /** Commander calls this for the first option the command does not declare (`--pr=x` included). */
  unknownOption(flag: string): never {
    throw new UserError(foreignOption(this.name(), flag.split('=')[0]!, VERBS));
  }
}

/** The commander option of a spec; its help says when it is required, and which sub-verbs take it. */
function commanderOption(spec: OptionSpec): Option {
  const description = `${spec.only === undefined ? '' : `${spec.only.join(', ')}: `}${spec.description}${spec.required === true ? ' (required)' : ''}`;
  const option = new Option(spec.flags, description);
  if (spec.default !== undefined) option.default(spec.default);
  // For the help; the parser checks the value (choices() would check it as commander words it).
  if (spec.choices !== undefined) option.choices(spec.choices);
  const { parse } = spec;
  if (parse !== undefined) option.argParser((value: string) => parse(value, longFlag(spec)));
  return option;
}

/** Commander's own usage errors (a missing argument, an unknown verb) as a UserError; help passes. */
function usageError(verb?: string): (error: CommanderError) => never {
  return (error) => {
    if (error.exitCode === 0 || error.code === 'commander.help') throw error;
    throw new UserError(`${verb === undefined ? '' : `ct ${verb}: `}${error.message.replace(/^error: /, '')}`, { cause: error });
  };
}

/** The stage context of --config, --leg, --out, --data and --backend. */
function stageContext(options: SharedOptions, logger: Logger): StageContext {
  const { config = DEFAULT_CONFIG, leg, out = DEFAULT_OUT, data, backend } = options;
  return {
    loaded: loadConfig(config, leg === undefined ? {} : { leg }),
    outDir: path.resolve(out),
    logger,
    ...(data === undefined ? {} : { data: isRemote(data) ? data : path.resolve(data) }),
    ...(backend === undefined ? {} : { backend }),
  };
}

/** Prints what went wrong and gives the exit code: 2 for the user's mistakes, 3 for ct's. */
function exitCodeOf(thrown: unknown, debug: boolean): number {
  // Help shown in place of a missing verb.
  if (thrown instanceof CommanderError) return 2;
  const error = explainFileSystemError(thrown);
  if (isUserError(error)) {
    process.stderr.write(`ct: ${error.message}\n`);
    if (debug && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  const e = error as Error;
  process.stderr.write(`ct: internal error: ${e.message}${debug ? `\n${e.stack}` : ' (run with --debug for the stack trace)'}\n`);
  return 3;
}
