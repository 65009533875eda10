/**
 * The `ct` command line. Exit codes: 0 success; 1 the check said no (anomalies,
 * gates failed, not promoted); 2 the input could not be used (one line naming the
 * file, field or column); 3 a bug in ct (stack trace with --debug).
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../config/load.js';
import { isRemote } from '../data/remote.js';
import type { BackendPreference, Task } from '../config/types.js';
import { explainFileSystemError, isUserError, UserError } from '../errors.js';
import type { StageContext } from '../pipeline/artifacts.js';
import { runEvaluate } from '../pipeline/evaluate.js';
import { runInit } from '../pipeline/init.js';
import type { Logger } from '../logger.js';
import { runPredict } from '../pipeline/predict.js';
import { type PromoteOptions, runPromote, runRollback } from '../pipeline/promote.js';
import { runMonitor } from '../pipeline/monitor.js';
import { runReplay } from '../pipeline/replay.js';
import { runStatsCompute, runStatsMerge, runStatsParallel } from '../pipeline/stats.js';
import { runSweepLocal, runSweepPlan, runSweepSelect } from '../pipeline/sweep.js';
import { runRegistryCheck } from '../pipeline/registry-check.js';
import { runPipeline } from '../pipeline/run.js';
import { runTrain } from '../pipeline/train.js';
import { runVerify } from '../pipeline/verify.js';
import { acceptPartition, runValidate } from '../pipeline/validate.js';
import { terminalLogger } from './terminal.js';

interface GlobalOptions {
  config: string;
  data?: string;
  out: string;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  backend?: BackendPreference;
  updateSchema?: boolean;
  accept?: string;
  reason?: string;
  pr?: boolean;
  base?: string;
  output?: string;
  keep?: string;
  modelVersion?: string;
  from?: string;
  to?: string;
  every?: string;
  windowDays?: string;
  keepModels?: boolean;
  github?: boolean;
  leg?: string;
  parallel?: string;
  legs?: string;
  groups?: string;
  label?: string;
  task?: Task;
  timestamp?: string;
  name?: string;
  partition?: boolean;
  force?: boolean;
  actions?: string;
}

/** What a verb returns: its exit code and the machine-readable result for `--json`. */
interface VerbResult {
  exitCode: number;
  result: unknown;
}

type Verb = (ctx: StageContext, options: GlobalOptions, args: string[]) => Promise<VerbResult>;

/** Promotion options of `--pr` and `--base`. */
function promoteOptions(options: GlobalOptions): PromoteOptions {
  return { pr: options.pr === true, ...(options.base === undefined ? {} : { base: options.base }) };
}

/** A verb that runs before any config exists (`ct init` writes it): no StageContext. */
type ConfigFreeVerb = (options: GlobalOptions, logger: Logger) => Promise<VerbResult>;

const verbs: Record<string, { description: string; args?: string } & ({ action: Verb } | { withoutConfig: ConfigFreeVerb })> = {
  init: {
    description: 'look at the data and write a commented ct.config.yaml, its schema, the workflows and a README section',
    withoutConfig: async (options, logger) => {
      if (options.data === undefined) throw new UserError('ct init: --data <folder|file> is required');
      if (options.label === undefined) throw new UserError('ct init: --label <column|comparison> is required');
      const result = await runInit(
        {
          data: options.data,
          label: options.label,
          ...(options.task === undefined ? {} : { task: options.task }),
          ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
          ...(options.name === undefined ? {} : { name: options.name }),
          ...(options.actions === undefined ? {} : { actions: options.actions }),
          partition: options.partition === true,
          force: options.force === true,
          config: options.config,
        },
        logger,
      );
      if (options.json !== true && options.quiet !== true) {
        process.stdout.write(`${result.written.map((f) => `wrote ${f}\n`).join('')}next: ${result.next}\n`);
      }
      return { exitCode: 0, result };
    },
  },
  run: {
    description: 'run validate -> train -> evaluate -> promote on the configured data',
    action: async (ctx, options) => {
      const r = await runPipeline(ctx, promoteOptions(options));
      return { exitCode: r.ok ? 0 : 1, result: r };
    },
  },
  validate: {
    description: 'check a batch of data against the schema (inferred on first use) and for drift',
    action: async (ctx, options) => {
      if (options.accept !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(options.accept)) throw new UserError(`--accept: expected the day of a partition, YYYY-MM-DD, got "${options.accept}"`);
        await acceptPartition(ctx, options.accept, options.reason ?? 'accepted as a real change');
      }
      const { result } = await runValidate(ctx, undefined, { updateSchema: options.updateSchema === true });
      return { exitCode: result.ok ? 0 : 1, result };
    },
  },
  train: {
    description: 'train a candidate model into <out>/model',
    action: async (ctx) => ({ exitCode: 0, result: (await runTrain(ctx)).record }),
  },
  evaluate: {
    description: 'score candidate and production model on the same rows; apply the gates',
    action: async (ctx) => {
      const record = await runEvaluate(ctx);
      return { exitCode: record.ok ? 0 : 1, result: record };
    },
  },
  promote: {
    description: 'write the evaluated candidate into the registry (or, with --pr, propose it in a pull request)',
    action: async (ctx, options) => {
      const record = await runPromote(ctx, promoteOptions(options));
      return { exitCode: record.promoted || record.unchanged ? 0 : 1, result: record };
    },
  },
  verify: {
    description: 'check a registry version against its checksums and re-score it on its recorded evaluation rows',
    args: '[version]',
    action: async (ctx, _options, args) => {
      const record = await runVerify(ctx, args[0]);
      return { exitCode: record.ok ? 0 : 1, result: record };
    },
  },
  registry: {
    description: 'check: finish or undo a registry change a killed run left behind, then check every version against its recorded checksums',
    args: '<what>',
    action: async (ctx, _options, args) => {
      if (args[0] !== 'check') throw new UserError(`ct registry: expected check, got "${args[0]}"`);
      const record = runRegistryCheck(ctx);
      return { exitCode: record.ok ? 0 : 1, result: record };
    },
  },
  monitor: {
    description: 'score production on new labelled data, test drift, and decide: nothing to do, retrain, or alert (--github: act on it)',
    action: async (ctx, options) => {
      const record = await runMonitor(ctx, { github: options.github === true });
      return { exitCode: record.outcome === 'alert' ? 1 : 0, result: record };
    },
  },
  sweep: {
    description: 'hyperparameter sweep: plan (the legs as a GitHub Actions matrix), run (every leg locally, then select), select (the best leg becomes the candidate)',
    args: '<plan|run|select>',
    action: async (ctx, options, args) => {
      const what = args[0];
      if (what === 'plan') {
        const plan = runSweepPlan(ctx);
        // The matrix goes to stdout as one line, for `echo "matrix=$(ct sweep plan)" >> $GITHUB_OUTPUT`.
        if (options.json !== true) process.stdout.write(`${JSON.stringify(plan.matrix)}\n`);
        return { exitCode: 0, result: plan };
      }
      if (what === 'run' || what === 'select') {
        const parallel = options.parallel === undefined ? undefined : Number(options.parallel);
        if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1)) throw new UserError(`--parallel: expected a whole number >= 1, got ${options.parallel}`);
        const record =
          what === 'run'
            ? await runSweepLocal(ctx, parallel === undefined ? {} : { parallel })
            : runSweepSelect(ctx, options.legs === undefined ? {} : { legsDir: path.resolve(options.legs) });
        const selected = record.legs.find((l) => l.id === record.selected)!;
        return { exitCode: selected.gatesPassed ? 0 : 1, result: record };
      }
      throw new UserError(`ct sweep: expected plan, run or select, got "${what}"`);
    },
  },
  stats: {
    description: 'data statistics per group of partitions, mergeable: compute (one group), merge <files...>, run --groups N (in parallel, then merged)',
    args: '<compute|merge|run> [files...]',
    action: async (ctx, options, args) => {
      const [what, ...files] = args;
      if (what === 'compute') return { exitCode: 0, result: await runStatsCompute(ctx, { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) }) };
      if (what === 'merge') return { exitCode: 0, result: runStatsMerge(ctx, files.map((f) => path.resolve(f))) };
      if (what === 'run') return { exitCode: 0, result: await runStatsParallel(ctx, { groups: options.groups === undefined ? 2 : Number(options.groups) }) };
      throw new UserError(`ct stats: expected compute, merge or run, got "${what}"`);
    },
  },
  replay: {
    description: 'backtest the pipeline over historical partitions: gated policy vs never and always retraining',
    action: async (ctx, options) => {
      const windowDays = options.windowDays === undefined ? undefined : Number(options.windowDays);
      const result = await runReplay(ctx, {
        from: options.from!,
        to: options.to!,
        every: options.every!,
        ...(windowDays === undefined ? {} : { windowDays }),
        keepModels: options.keepModels === true,
      });
      return { exitCode: 0, result };
    },
  },
  predict: {
    description: 'batch-score data with the production model (the newest partition unless --data); refuses data with error anomalies',
    action: async (ctx, options) => {
      const record = await runPredict(ctx, {
        ...(options.output === undefined ? {} : { output: path.resolve(options.output) }),
        ...(options.keep === undefined ? {} : { keep: options.keep.split(',').map((c) => c.trim()).filter((c) => c !== '') }),
        ...(options.modelVersion === undefined ? {} : { modelVersion: options.modelVersion }),
      });
      return { exitCode: record.ok ? 0 : 1, result: record };
    },
  },
  rollback: {
    description: 'point production back at an earlier version (or, with --pr, propose it in a pull request)',
    args: '<version>',
    action: async (ctx, options, args) => {
      const record = await runRollback(ctx, args[0]!, promoteOptions(options));
      return { exitCode: 0, result: record };
    },
  },
};

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // TF.js's own console banners (e.g. "install tfjs-node") would break the one-line
  // contract; ct says which backend runs and why itself.
  tf.enableProdMode();
  let exitCode = 0;
  let debug = argv.includes('--debug');
  const program = new Command('ct')
    .description('continuous training for TensorFlow.js models')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);

  for (const [name, verb] of Object.entries(verbs)) {
    const command = program
      .command(verb.args === undefined ? name : `${name} ${verb.args}`)
      .description(verb.description)
      .option('--config <file>', 'config file', 'ct.config.yaml')
      .option('--data <file|folder>', 'use this batch instead of the configured data')
      .option('--out <dir>', 'folder for artifacts', 'out')
      .addOption(new Option('--backend <name>', 'TF.js backend (overrides training.backend)').choices(['auto', 'tensorflow', 'wasm', 'cpu']))
      .option('--json', 'print the result as JSON on stdout; logs only warnings')
      .option('--quiet', 'print only warnings and errors')
      .option('--debug', 'show debug output and stack traces');
    if (name === 'init') {
      command
        .option('--label <column|comparison>', 'the label: a column, or a comparison such as "delay > 15"')
        .addOption(new Option('--task <task>', 'default: inferred from the label').choices(['binary', 'multiclass', 'regression']))
        .option('--timestamp <column>', 'the time column (default: the only timestamp column)')
        .option('--name <model>', 'model name in the registry (default: from the data file or folder)')
        .option('--partition', 'split one file into daily partitions data/<name>/YYYY-MM-DD.<ext> by its timestamp')
        .option('--force', 'overwrite files that exist')
        .option('--actions <owner/repo@sha>', "take ct's bundled actions from this repository and commit (default: ./node_modules/ct/actions, the installed ct)");
    }
    if (name === 'validate') {
      command
        .option('--update-schema', 'propose the schema change that would accept this batch, as a diff')
        .option('--accept <day>', "accept a partition's change against its history as real (recorded in accepted.json beside the schema), then validate")
        .option('--reason <text>', 'with --accept: why the change is real, kept in accepted.json');
    }
    if (name === 'predict') {
      command
        .option('--output <file>', 'predictions file (default <out>/predictions.csv; a .jsonl name writes JSON Lines)')
        .option('--keep <columns>', 'input columns to copy into every output row, comma-separated')
        .option('--model-version <version>', 'score with this registry version instead of production');
    }
    if (name === 'train' || name === 'evaluate') command.option('--leg <id>', "use the values of this leg of the config's sweep (ct sweep plan lists them)");
    if (name === 'sweep') {
      command.option('--parallel <n>', 'run: legs at a time (default sweep.maxParallel)').option('--legs <dir>', 'select: folder of the legs (default <out>/legs)');
    }
    if (name === 'stats') {
      command
        .option('--from <date>', 'compute: first partition day (default: the configured window)')
        .option('--to <date>', 'compute: last partition day')
        .option('--groups <n>', 'run: groups of partitions computed at once (default 2)');
    }
    if (name === 'monitor') {
      command.option('--github', 'dispatch the retraining workflow, open/update/close the alert issue and commit the history to monitoring.historyBranch (token in GITHUB_TOKEN)');
    }
    if (name === 'replay') {
      command
        .requiredOption('--from <date>', 'first step (YYYY-MM-DD): the data before it has arrived')
        .requiredOption('--to <date>', 'last step, inclusive')
        .option('--every <period>', 'time between steps: 7d, 1w, 1 (days)', '7d')
        .option('--window-days <days>', 'training window at each step (default data.window.newestDays)')
        .option('--keep-models', "keep each step's candidate model folder under <out>/replay/steps");
    }
    if (name === 'run' || name === 'promote' || name === 'rollback') {
      command
        .option('--pr', 'propose the change in a pull request (GitHub; token in GITHUB_TOKEN) instead of changing the working tree')
        .option('--base <branch>', 'base branch of the pull request (default promotion.base, else the default branch)');
    }
    command.action(async (...received: unknown[]) => {
      // commander passes the declared arguments first, then the options and the command.
      // A variadic argument arrives as an array, an optional one missing as undefined.
      const args = (received.slice(0, -2) as Array<string | string[] | undefined>).flat().filter((a): a is string => a !== undefined);
      const options = received[received.length - 2] as GlobalOptions;
      debug = options.debug === true;
      const logger = terminalLogger({ quiet: options.quiet === true || options.json === true, debug });
      if ('withoutConfig' in verb) {
        const { exitCode: code, result } = await verb.withoutConfig(options, logger);
        if (options.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        exitCode = code;
        return;
      }
      const loaded = loadConfig(options.config, options.leg === undefined ? {} : { leg: options.leg });
      const ctx: StageContext = {
        loaded,
        outDir: path.resolve(options.out),
        logger,
        ...(options.data === undefined ? {} : { data: isRemote(options.data) ? options.data : path.resolve(options.data) }),
        ...(options.backend === undefined ? {} : { backend: options.backend }),
      };
      const { exitCode: code, result } = await verb.action(ctx, options, args);
      if (options.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      exitCode = code;
    });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and version are not errors; usage mistakes are bad input.
      return thrown.exitCode === 0 ? 0 : 2;
    }
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
}
