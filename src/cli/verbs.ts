/**
 * ct's verbs: what each does, the options it takes, and its entry, which runs the stage
 * and gives the exit code (0 done, 1 the check said no) and the result `--json` prints.
 */
import path from 'node:path';
import type { ModelWatch } from '../config/models.js';
import type { Logger } from '../logger.js';
import type { StageContext } from '../pipeline/context.js';
import { runDeploy, runRelease } from '../pipeline/deploy.js';
import { runEvaluate } from '../pipeline/evaluate.js';
import { type InitOptions, runInit } from '../pipeline/init.js';
import { runUpgrade } from '../pipeline/upgrade.js';
import { describePlan, planModels } from '../pipeline/models.js';
import { runMonitor } from '../pipeline/monitor.js';
import { runPredict, type PredictOptions } from '../pipeline/predict.js';
import { runPromote, runRollback } from '../pipeline/promote.js';
import { runRegistryCheck } from '../pipeline/registry-check.js';
import { runReport } from '../pipeline/report.js';
import { runServe, type ServeOptions } from '../pipeline/serve.js';
import { type ReplayOptions, runReplay } from '../pipeline/replay.js';
import { runPipeline } from '../pipeline/run.js';
import { runStatsCompute, runStatsMerge, runStatsParallel } from '../pipeline/stats.js';
import { runSweepLocal, runSweepPlan, runSweepSelect } from '../pipeline/sweep.js';
import { runTrain } from '../pipeline/train.js';
import { evaluateUpdate, runUpdate, trainUpdate, validateUpdate } from '../pipeline/update.js';
import { acceptPartition, runValidate } from '../pipeline/validate.js';
import { runVerify, runVerifyProposal } from '../pipeline/verify.js';
import * as o from './options.js';

/** What a verb returns: its exit code and the machine-readable result for `--json`. */
export interface VerbResult {
  exitCode: number;
  result: unknown;
}

/** The shared options a verb reads itself; main makes the stage context of the others. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

/**
 * How a verb runs: `stage` on the stage context of --config, --out, --data, --backend and
 * --leg; `setup` before any config exists (`ct init` writes it).
 */
type Entry<O> =
  | { kind: 'stage'; run: (ctx: StageContext, options: O & OutputOptions, args: string[]) => Promise<VerbResult> }
  | { kind: 'setup'; run: (logger: Logger, options: O & OutputOptions) => Promise<VerbResult> };

/** A verb: its command line and its entry. `O` are its parsed options, as its option specs declare them. */
type VerbOf<O> = o.VerbShape & {
  /** Its arguments in commander's syntax, e.g. `<plan|run|select>`. */
  args?: string;
  description: string;
} & Entry<O>;

export type Verb = VerbOf<Record<string, unknown>>;

/** Type-checks one verb's entry against its options, then forgets them (commander's values are untyped). */
function verb<O = object>(spec: VerbOf<O>): Verb {
  return spec as unknown as Verb;
}

/** The verbs that read data and may run a model. */
const READS_DATA = [o.CONFIG, o.DATA, o.OUT, o.BACKEND, ...o.OUTPUT_FLAGS];
/** The verbs that only touch the registry. */
const REGISTRY = [o.CONFIG, o.OUT, ...o.OUTPUT_FLAGS];
const exit = (ok: boolean): number => (ok ? 0 : 1);

export const VERBS: readonly Verb[] = [
  verb<InitOptions & { upgrade?: boolean }>({
    name: 'init',
    description: 'look at the data and write a commented ct.config.yaml, its schema, the workflows and a README section',
    kind: 'setup',
    options: [o.INIT_CONFIG, o.INIT_DATA, ...o.OUTPUT_FLAGS, o.LABEL, o.TASK, o.TIMESTAMP, o.NAME, o.PARTITION, o.FORCE, o.ACTIONS, o.UPGRADE],
    run: async (logger, options) => {
      if (options.upgrade === true) return { exitCode: 0, result: runUpgrade(options.actions === undefined ? {} : { actions: options.actions }, logger) };
      const result = await runInit({ ...options, partition: options.partition === true, force: options.force === true }, logger);
      if (options.json !== true && options.quiet !== true) process.stdout.write(`${result.written.map((f) => `wrote ${f}\n`).join('')}next: ${result.next}\n`);
      return { exitCode: 0, result };
    },
  }),
  verb<{ since?: string; model?: string; shared?: string; watch?: ModelWatch; configs?: string }>({
    name: 'models',
    description: "list the repository's models (ct.config.yaml, ct.<model>.yaml) and the files each reads; with --since, the ones a change touches",
    kind: 'setup',
    options: [o.CONFIGS, o.SINCE, o.MODEL, o.SHARED, o.WATCH, ...o.OUTPUT_FLAGS],
    run: async (_logger, options) => {
      const plan = await planModels({
        dir: process.cwd(),
        configs: o.listOf(options.configs),
        ...(options.model === undefined ? {} : { model: options.model }),
        ...(options.since === undefined ? {} : { change: { from: options.since, to: 'HEAD' } }),
        shared: o.listOf(options.shared),
        ...(options.watch === undefined ? {} : { watch: options.watch }),
      });
      if (options.json !== true && options.quiet !== true) process.stdout.write(`${describePlan(plan).join('\n')}\n`);
      return { exitCode: 0, result: { reason: plan.reason, models: plan.all, chosen: plan.chosen } };
    },
  }),
  verb<{ pr?: boolean; base?: string }>({
    name: 'run',
    description: 'run validate -> train -> evaluate -> promote on the configured data',
    kind: 'stage',
    options: [...READS_DATA, o.PR, o.BASE],
    run: async (ctx, options) => {
      const r = await runPipeline(ctx, { pr: options.pr === true, base: options.base });
      return { exitCode: exit(r.ok), result: r };
    },
  }),
  verb<{ pr?: boolean; base?: string }>({
    name: 'update',
    description:
      'online update: train production on the partitions that arrived since its training data, from its weights, then evaluate, gate and promote (a full retrain when one is due)',
    kind: 'stage',
    options: [...READS_DATA, o.PR, o.BASE],
    run: async (ctx, options) => {
      const r = await runUpdate(ctx, { pr: options.pr === true, base: options.base });
      return { exitCode: exit(r.ok), result: r };
    },
  }),
  verb<{ updateSchema?: boolean; accept?: string; reason?: string; oneOff?: boolean; update?: boolean }>({
    name: 'validate',
    description: 'check a batch of data against the schema (inferred on first use) and for drift',
    kind: 'stage',
    options: [...READS_DATA, o.UPDATE_SCHEMA, o.ACCEPT, o.REASON, o.ONE_OFF, o.STAGE_UPDATE],
    run: async (ctx, options) => {
      if (options.accept !== undefined)
        await acceptPartition(ctx, options.accept, { reason: options.reason ?? 'accepted as a real change', oneOff: options.oneOff === true });
      const validateOptions = { updateSchema: options.updateSchema === true };
      if (options.update === true) {
        const { scope, output } = await validateUpdate(ctx, validateOptions);
        return output === null
          ? { exitCode: 0, result: { update: scope } }
          : { exitCode: exit(output.result.ok), result: { ...output.result, update: scope.kind } };
      }
      const { result } = await runValidate(ctx, undefined, validateOptions);
      return { exitCode: exit(result.ok), result };
    },
  }),
  verb<{ update?: boolean }>({
    name: 'train',
    description: 'train a candidate model into <out>/model',
    kind: 'stage',
    options: [...READS_DATA, o.LEG, o.STAGE_UPDATE],
    run: async (ctx, options) => {
      if (options.update !== true) return { exitCode: 0, result: (await runTrain(ctx)).record };
      const { scope, output } = await trainUpdate(ctx);
      return { exitCode: 0, result: output === null ? { update: scope } : output.record };
    },
  }),
  verb<{ update?: boolean }>({
    name: 'evaluate',
    description: 'score candidate and production model on the same rows; apply the gates',
    kind: 'stage',
    options: [...READS_DATA, o.LEG, o.STAGE_UPDATE],
    run: async (ctx, options) => {
      const record = options.update === true ? await evaluateUpdate(ctx) : await runEvaluate(ctx);
      return { exitCode: exit(record.ok), result: record };
    },
  }),
  verb<{ pr?: boolean; base?: string }>({
    name: 'promote',
    description: 'write the evaluated candidate into the registry (or, with --pr, propose it in a pull request)',
    kind: 'stage',
    options: [...REGISTRY, o.PR, o.BASE],
    run: async (ctx, options) => {
      const record = await runPromote(ctx, { pr: options.pr === true, base: options.base });
      return { exitCode: exit(record.promoted || record.unchanged), result: record };
    },
  }),
  verb<{ head?: string }>({
    name: 'verify',
    args: '[version]',
    description: 'check a registry version against its checksums and re-score it on its recorded evaluation rows (--head: a proposed change)',
    kind: 'stage',
    options: [...READS_DATA, o.HEAD],
    run: async (ctx, options, args) => {
      const record = options.head === undefined ? await runVerify(ctx, args[0]) : await runVerifyProposal(ctx, options.head);
      return { exitCode: exit(record.ok), result: record };
    },
  }),
  verb({
    name: 'registry',
    args: '<what>',
    description: 'check: finish or undo a registry change a killed run left behind, then check every version against its recorded checksums',
    kind: 'stage',
    what: ['check'],
    options: [o.CONFIG, ...o.OUTPUT_FLAGS],
    run: async (ctx) => {
      const record = runRegistryCheck(ctx);
      return { exitCode: exit(record.ok), result: record };
    },
  }),
  verb<{ github?: boolean }>({
    name: 'monitor',
    description: 'score production on new labelled data, test drift, and decide: nothing to do, retrain, or alert (--github: act on it)',
    kind: 'stage',
    options: [...READS_DATA, o.GITHUB],
    run: async (ctx, options) => {
      const record = await runMonitor(ctx, { github: options.github === true });
      return { exitCode: record.outcome === 'alert' ? 1 : 0, result: record };
    },
  }),
  verb<{ parallel?: number; legs?: string }>({
    name: 'sweep',
    args: '<plan|run|select>',
    description:
      'hyperparameter sweep: plan (the legs as a GitHub Actions matrix), run (every leg locally, then select), select (the best leg becomes the candidate)',
    kind: 'stage',
    what: ['plan', 'run', 'select'],
    options: [
      o.CONFIG,
      ...o.only(['run'], o.DATA),
      ...o.only(['run', 'select'], o.OUT),
      ...o.only(['run'], o.BACKEND),
      ...o.OUTPUT_FLAGS,
      ...o.only(['run'], o.PARALLEL),
      ...o.only(['select'], o.LEGS),
    ],
    run: async (ctx, options, [what]) => {
      if (what === 'plan') {
        const plan = runSweepPlan(ctx);
        // The matrix goes to stdout as one line, for `echo "matrix=$(ct sweep plan)" >> $GITHUB_OUTPUT`.
        if (options.json !== true) process.stdout.write(`${JSON.stringify(plan.matrix)}\n`);
        return { exitCode: 0, result: plan };
      }
      const record =
        what === 'run'
          ? await runSweepLocal(ctx, { parallel: options.parallel })
          : runSweepSelect(ctx, { legsDir: options.legs === undefined ? undefined : path.resolve(options.legs) });
      const selected = record.legs.find((l) => l.id === record.selected)!;
      return { exitCode: exit(selected.gatesPassed), result: record };
    },
  }),
  verb<{ from?: string; to?: string; groups?: number }>({
    name: 'stats',
    args: '<compute|merge|run> [files...]',
    description: 'data statistics per group of partitions, mergeable: compute (one group), merge <files...>, run --groups N (in parallel, then merged)',
    kind: 'stage',
    what: ['compute', 'merge', 'run'],
    restFor: 'merge',
    options: [
      o.CONFIG,
      ...o.only(['compute'], o.DATA),
      o.OUT,
      ...o.OUTPUT_FLAGS,
      ...o.only(['compute'], o.STATS_FROM, o.STATS_TO),
      ...o.only(['run'], o.GROUPS),
    ],
    run: async (ctx, options, [what, ...files]) => {
      const result =
        what === 'compute'
          ? await runStatsCompute(ctx, { from: options.from, to: options.to })
          : what === 'merge'
            ? runStatsMerge(
                ctx,
                files.map((f) => path.resolve(f)),
              )
            : await runStatsParallel(ctx, { groups: options.groups ?? 2 });
      return { exitCode: 0, result };
    },
  }),
  verb<ReplayOptions>({
    name: 'replay',
    description: 'backtest the pipeline over historical partitions: gated policy vs never and always retraining',
    kind: 'stage',
    options: [...READS_DATA, o.REPLAY_FROM, o.REPLAY_TO, o.EVERY, o.WINDOW_DAYS, o.RETRY_DAYS, o.REPLAY_UPDATE, o.CALIBRATE, o.KEEP_MODELS],
    run: async (ctx, options) => ({
      exitCode: 0,
      result: await runReplay(ctx, {
        ...options,
        keepModels: options.keepModels === true,
        update: options.update === true,
        calibrate: options.calibrate === true,
      }),
    }),
  }),
  verb<PredictOptions>({
    name: 'predict',
    description: 'batch-score data with the production model (the newest partition unless --data); refuses data with error anomalies',
    kind: 'stage',
    options: [...READS_DATA, o.OUTPUT, o.KEEP, o.MODEL_VERSION],
    run: async (ctx, options) => {
      const record = await runPredict(ctx, { ...options, output: options.output === undefined ? undefined : path.resolve(options.output) });
      return { exitCode: exit(record.ok), result: record };
    },
  }),
  verb<ServeOptions & { logDir?: string }>({
    name: 'serve',
    description: 'serve the production models of the registry over HTTP, swapping in a new version when production changes; logs predictions',
    kind: 'stage',
    options: [o.CONFIG, o.BACKEND, ...o.OUTPUT_FLAGS, o.HOST, o.PORT, o.WORKERS, o.NO_LOG, o.LOG_DIR],
    run: async (ctx, options) => {
      await runServe(ctx, { ...options, logDir: options.logDir === undefined ? undefined : path.resolve(options.logDir) });
      return { exitCode: 0, result: null };
    },
  }),
  verb<{ output?: string }>({
    name: 'report',
    description: 'write one self-contained HTML page of the model: production versions, monitoring, drift per column, the replay',
    kind: 'stage',
    options: [...REGISTRY, o.REPORT_OUTPUT],
    run: async (ctx, options) => ({
      exitCode: 0,
      result: runReport(ctx, { output: options.output === undefined ? undefined : path.resolve(options.output) }),
    }),
  }),
  verb({
    name: 'release',
    description: 'write the production version as a release: its files, release.json and SHA256SUMS in <out>/release/, notes in <out>/release-notes.md',
    kind: 'stage',
    options: REGISTRY,
    run: async (ctx) => ({ exitCode: 0, result: runRelease(ctx) }),
  }),
  verb({
    name: 'deploy',
    args: '<release>',
    description: "make a release (a folder, or the base URL of its files) production in the config's registry, its checksums verified; ct serve swaps it in",
    kind: 'stage',
    options: REGISTRY,
    run: async (ctx, _options, args) => ({ exitCode: 0, result: await runDeploy(ctx, args[0]!) }),
  }),
  verb<{ pr?: boolean; base?: string }>({
    name: 'rollback',
    args: '<version>',
    description: 'point production back at an earlier version (or, with --pr, propose it in a pull request)',
    kind: 'stage',
    options: [...REGISTRY, o.PR, o.BASE],
    run: async (ctx, options, args) => ({ exitCode: 0, result: await runRollback(ctx, args[0]!, { pr: options.pr === true, base: options.base }) }),
  }),
];
