/**
 * The options of ct's verbs, each declared once with the parser that checks its value,
 * and the checks of a whole command line (required options, options that go with another,
 * options only some sub-verbs take, an option of another verb). Every failure is a
 * `UserError` with one line naming the option (exit code 2), raised before any config
 * or data is read. Commander-free: the actions check their inputs with these parsers too.
 */
import type { ModelWatch } from '../config/models.js';
import type { BackendPreference, Task } from '../config/types.js';
import { checkedDate, dayNumber } from '../data/partitions.js';
import { UserError } from '../errors.js';
import { parsePeriod } from '../replay/schedule.js';
import { alternatives } from '../words.js';

/** A value parser: the value to use, or a `UserError` naming the option (`name`). */
export type Parser<T = unknown> = (text: string, name: string) => T;

/** One option as a verb declares it. */
export interface OptionSpec {
  /** Commander's flags, e.g. `--window-days <days>`. */
  flags: string;
  description: string;
  /** Used when the option is not given (shown in the help). */
  default?: string;
  /** The values it allows (listed in the help; the parser checks them). */
  choices?: readonly string[];
  parse?: Parser;
  /** The verb does not run without it. */
  required?: boolean;
  /** Not required when this option (its long flag) is given, and not taken with it. */
  unless?: string;
  /** Only together with this option (its long flag). */
  needs?: string;
  /** Not together with the verb's argument: it names what the argument would. */
  insteadOfArgument?: boolean;
  /** Of a verb whose first argument says what it does: the sub-verbs that take it (default all). */
  only?: readonly string[];
}

/** What the checks need to know of a verb. */
export interface VerbShape {
  name: string;
  options: readonly OptionSpec[];
  /** For a verb whose first argument says what it does (`sweep plan`): the choices. */
  what?: readonly string[];
  /** The sub-verb that takes further arguments (`stats merge <files...>`); none other does. */
  restFor?: string;
  /** Its arguments, as the help shows them (`[version]`). */
  args?: string;
}

export const BACKENDS: readonly BackendPreference[] = ['auto', 'fused', 'tensorflow', 'wasm', 'cpu'];
export const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
export const DEFAULT_CONFIG = 'ct.config.yaml';
export const DEFAULT_OUT = 'out';

/** One of `choices`, as given. */
export function oneOf<T extends string>(choices: readonly T[]): Parser<T> {
  return (text, name) => {
    if (!(choices as readonly string[]).includes(text)) throw new UserError(`${name}: expected ${alternatives(choices)}, got "${text}"`);
    return text as T;
  };
}

/** A whole number >= `min` (digits only); `unit` names what it counts in the message. */
export function wholeNumber(min: number, unit = ''): Parser<number> {
  return (text, name) => {
    const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!(Number.isSafeInteger(n) && n >= min)) throw new UserError(`${name}: expected a whole number${unit} >= ${min}, got ${text}`);
    return n;
  };
}

/** A calendar date `YYYY-MM-DD`, kept as text. */
export const date: Parser<string> = (text, name) => {
  checkedDate(text, name);
  return text;
};

/** The day of a partition to accept, `YYYY-MM-DD`. */
export const partitionDay: Parser<string> = (text, name) => {
  if (dayNumber(text) === undefined) throw new UserError(`${name}: expected the day of a partition, YYYY-MM-DD, got "${text}"`);
  return text;
};

/** A period such as `7d`, `1w` or `1` (days), kept as text. */
export const period: Parser<string> = (text, name) => {
  parsePeriod(text, name);
  return text;
};

/** Comma-separated names, trimmed, empty ones dropped. */
export const names: Parser<string[]> = (text) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');

/** The long flag of an option, e.g. `--window-days`. */
export function longFlag(option: OptionSpec): string {
  return /--[\w-]+/.exec(option.flags)![0];
}

/** Copies of `options` that only the sub-verbs `what` take. */
export function only(what: readonly string[], ...options: OptionSpec[]): OptionSpec[] {
  return options.map((o) => ({ ...o, only: what }));
}

// Shared by the verbs that read the config.
export const CONFIG: OptionSpec = { flags: '--config <file>', description: 'config file', default: DEFAULT_CONFIG };
export const DATA: OptionSpec = { flags: '--data <file|folder>', description: 'use this batch instead of the configured data' };
export const OUT: OptionSpec = { flags: '--out <dir>', description: 'folder for artifacts', default: DEFAULT_OUT };
export const BACKEND: OptionSpec = {
  flags: '--backend <name>',
  description: 'TF.js backend (overrides training.backend)',
  choices: BACKENDS,
  parse: oneOf(BACKENDS),
};
// Shared by every verb.
export const JSON_OUTPUT: OptionSpec = { flags: '--json', description: 'print the result as JSON on stdout; logs only warnings' };
export const QUIET: OptionSpec = { flags: '--quiet', description: 'print only warnings and errors' };
export const DEBUG: OptionSpec = { flags: '--debug', description: 'show debug output and stack traces' };
export const OUTPUT_FLAGS: readonly OptionSpec[] = [JSON_OUTPUT, QUIET, DEBUG];

// models
export const SINCE: OptionSpec = {
  flags: '--since <commit>',
  description: 'choose the models that the change from this commit to HEAD touches (default: every model)',
};
/** The items of a comma- (or newline-) separated list, trimmed, empty ones dropped. */
export function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export const WATCHES: readonly ModelWatch[] = ['inputs', 'production'];
export const WATCH: OptionSpec = {
  flags: '--watch <what>',
  description: 'with --since: the models whose inputs changed (to retrain), or whose production pointer changed (to release)',
  choices: WATCHES,
  parse: oneOf(WATCHES),
  needs: '--since',
};
export const CONFIGS: OptionSpec = {
  flags: '--configs <files>',
  description: "comma-separated config files of the repository's models (default: ct.config.yaml and every ct.<model>.yaml at its root)",
};
export const MODEL: OptionSpec = { flags: '--model <config>', description: 'only this model, by its config file' };
export const SHARED: OptionSpec = {
  flags: '--shared <paths>',
  description: 'comma-separated paths every model depends on: a change under one runs every model',
  needs: '--since',
};

// init
export const INIT_CONFIG: OptionSpec = {
  flags: '--config <file>',
  description: 'config file to write (default: ct.config.yaml; ct.<model>.yaml when the repository already has a model)',
};
export const INIT_DATA: OptionSpec = {
  flags: '--data <file|folder>',
  description: 'the data: a folder of daily partitions, or one file',
  required: true,
  unless: '--upgrade',
};
export const LABEL: OptionSpec = {
  flags: '--label <column|comparison>',
  description: 'the label: a column, or a comparison such as "delay > 15"',
  required: true,
  unless: '--upgrade',
};
export const UPGRADE: OptionSpec = {
  flags: '--upgrade',
  description: "pin the workflows' ct actions to this ct's release (or --actions), and say what changed; writes nothing else",
};
export const TASK: OptionSpec = { flags: '--task <task>', description: 'default: inferred from the label', choices: TASKS, parse: oneOf(TASKS) };
export const TIMESTAMP: OptionSpec = { flags: '--timestamp <column>', description: 'the time column (default: the only timestamp column)' };
export const NAME: OptionSpec = { flags: '--name <model>', description: 'model name in the registry (default: from the data file or folder)' };
export const PARTITION: OptionSpec = {
  flags: '--partition',
  description: 'split one file into daily partitions data/<name>/YYYY-MM-DD.<ext> by its timestamp',
};
export const FORCE: OptionSpec = { flags: '--force', description: 'overwrite files that exist' };
export const ACTIONS: OptionSpec = {
  flags: '--actions <npm|owner/repo@sha>',
  description:
    "where the workflows take ct's actions: npm (./node_modules/ct-train/actions, the installed ct) or a repository and commit of the bundled actions (default: the release this ct was installed from, else npm)",
};

// validate
export const STAGE_UPDATE: OptionSpec = {
  flags: '--update',
  description:
    "as a stage of an online update (ct update run job by job): the partitions that arrived since production's training data, or the configured window when a full retrain is due",
};
export const UPDATE_SCHEMA: OptionSpec = { flags: '--update-schema', description: 'propose the schema change that would accept this batch, as a diff' };
export const ACCEPT: OptionSpec = {
  flags: '--accept <day>',
  description:
    "accept a partition's change against its history as real, or that a day reported missing had no data (recorded in accepted.json beside the schema), then validate",
  parse: partitionDay,
};
export const REASON: OptionSpec = { flags: '--reason <text>', description: 'with --accept: why the change is real, kept in accepted.json', needs: '--accept' };
export const ONE_OFF: OptionSpec = {
  flags: '--one-off',
  description:
    'with --accept: the change is a one-time event (a storm, a strike): the day is trained on, and later days are judged against their history without it',
  needs: '--accept',
};

// train, evaluate
export const LEG: OptionSpec = { flags: '--leg <id>', description: "use the values of this leg of the config's sweep (ct sweep plan lists them)" };

// run, promote, rollback
export const PR: OptionSpec = {
  flags: '--pr',
  description: 'propose the change in a pull request (GitHub; token in GITHUB_TOKEN) instead of changing the working tree',
};
export const BASE: OptionSpec = {
  flags: '--base <branch>',
  description: 'base branch of the pull request (default promotion.base, else the default branch)',
  needs: '--pr',
};

// predict
export const OUTPUT: OptionSpec = {
  flags: '--output <file>',
  description: 'predictions file (default <out>/predictions.csv; a .jsonl or .ndjson name writes JSON Lines)',
};
export const KEEP: OptionSpec = { flags: '--keep <columns>', description: 'input columns to copy into every output row, comma-separated', parse: names };
export const MODEL_VERSION: OptionSpec = { flags: '--model-version <version>', description: 'score with this registry version instead of production' };

// serve
export const HOST: OptionSpec = { flags: '--host <address>', description: 'address to listen on (default serving.host)' };
export const PORT: OptionSpec = { flags: '--port <port>', description: 'port to listen on, 0 for any free one (default serving.port)', parse: wholeNumber(0) };
export const WORKERS: OptionSpec = { flags: '--workers <n>', description: 'worker processes (default serving.workers: one per core)', parse: wholeNumber(1) };
export const NO_LOG: OptionSpec = { flags: '--no-log', description: 'do not log predictions (serving.log)' };
export const LOG_DIR: OptionSpec = { flags: '--log-dir <folder>', description: 'folder of the prediction log (default serving.log.path)' };

// monitor
export const GITHUB: OptionSpec = {
  flags: '--github',
  description: 'dispatch the retraining workflow, open/update/close the alert issue and commit the history to monitoring.historyBranch (token in GITHUB_TOKEN)',
};

// sweep
export const PARALLEL: OptionSpec = { flags: '--parallel <n>', description: 'legs at a time (default sweep.maxParallel)', parse: wholeNumber(1) };
export const LEGS: OptionSpec = { flags: '--legs <dir>', description: 'folder of the legs (default <out>/legs)' };

// stats
export const STATS_FROM: OptionSpec = { flags: '--from <date>', description: 'first partition day (default: the configured window)', parse: date };
export const STATS_TO: OptionSpec = { flags: '--to <date>', description: 'last partition day', parse: date };
export const GROUPS: OptionSpec = { flags: '--groups <n>', description: 'groups of partitions computed at once (default 2)', parse: wholeNumber(1) };

// verify
export const HEAD: OptionSpec = {
  flags: '--head <commit>',
  description: "verify the registry change a pull request proposes at this commit (fetched, never checked out) with the checkout's code, config and gates",
  insteadOfArgument: true,
};

// replay
export const REPLAY_FROM: OptionSpec = {
  flags: '--from <date>',
  description: 'first step (YYYY-MM-DD): the data before it has arrived',
  parse: date,
  required: true,
};
export const REPLAY_TO: OptionSpec = { flags: '--to <date>', description: 'last step, inclusive', parse: date, required: true };
export const EVERY: OptionSpec = { flags: '--every <period>', description: 'time between steps: 7d, 1w, 1 (days)', default: '7d', parse: period };
export const WINDOW_DAYS: OptionSpec = {
  flags: '--window-days <days>',
  description: 'training window at each step (default data.window.newestDays)',
  parse: wholeNumber(2, ' of days'),
};
export const RETRY_DAYS: OptionSpec = {
  flags: '--retry-days <days>',
  description:
    'a step stopped at validation runs again this many days later (default 1), the bad day quarantined, as the daily schedule would; 0: wait for the next step',
  parse: wholeNumber(0, ' of days'),
};
export const REPLAY_UPDATE: OptionSpec = {
  flags: '--update',
  description: 'every step after the first runs `ct update` (an online update of production on the new partitions; a full retrain when one is due)',
};
export const CALIBRATE: OptionSpec = {
  flags: '--calibrate',
  description:
    "then gate every step's evaluation again under a grid of thresholds: the gates that would have served the best next period (calibration.md, calibration.yaml)",
};
export const KEEP_MODELS: OptionSpec = { flags: '--keep-models', description: "keep each step's candidate model folder under <out>/replay/steps" };

// report
export const REPORT_OUTPUT: OptionSpec = { flags: '--output <file>', description: 'the page to write (default <out>/report.html)' };

/**
 * The line for an option `verb` does not take: the verbs that do take it (when they are
 * few), or that no verb does.
 */
export function foreignOption(verb: string, flag: string, verbs: readonly VerbShape[]): string {
  const takers = verbs.filter((v) => v.options.some((o) => longFlag(o) === flag)).map((v) => v.name);
  if (takers.length === 0) return `ct ${verb}: unknown option ${flag} (ct ${verb} --help lists its options)`;
  if (takers.length > 4) return `ct ${verb} does not take ${flag} (ct ${verb} --help lists its options)`;
  return `ct ${verb} does not take ${flag} (it is an option of ${alternatives(takers, 'and')})`;
}

/**
 * Checks a parsed command line of `verb` whose values the parsers already checked:
 * `given` holds the long flags on the command line, `args` the arguments.
 */
export function checkCommandLine(verb: VerbShape, given: ReadonlySet<string>, args: readonly string[]): void {
  const what = args[0];
  if (verb.what !== undefined && !verb.what.includes(what ?? '')) throw new UserError(`ct ${verb.name}: expected ${alternatives(verb.what)}, got "${what}"`);
  if (verb.what !== undefined && args.length > 1 && verb.restFor !== what) throw new UserError(`ct ${verb.name} ${what}: unexpected argument "${args[1]}"`);
  for (const option of verb.options) {
    const flag = longFlag(option);
    if (given.has(flag) && option.only !== undefined && !option.only.includes(what ?? '')) {
      throw new UserError(
        `ct ${verb.name} ${what} does not take ${flag} (it is an option of ${alternatives(
          option.only.map((w) => `${verb.name} ${w}`),
          'and',
        )})`,
      );
    }
    if (option.unless !== undefined && given.has(option.unless)) {
      if (given.has(flag)) throw new UserError(`ct ${verb.name}: ${option.unless} takes no ${flag}`);
    } else if (option.required === true && !given.has(flag)) throw new UserError(`ct ${verb.name}: ${option.flags} is required`);
    if (option.insteadOfArgument === true && given.has(flag) && args.length > 0)
      throw new UserError(`ct ${verb.name}: give ${verb.args ?? 'an argument'} or ${flag}, not both`);
    if (option.needs !== undefined && given.has(flag) && !given.has(option.needs)) {
      const needed = verb.options.find((o) => longFlag(o) === option.needs)?.flags ?? option.needs;
      throw new UserError(`ct ${verb.name}: ${flag} needs ${needed}`);
    }
  }
}
