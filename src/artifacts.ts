/**
 * Where each stage writes its artifacts under `--out`, and the records the stages
 * pass to each other and the reports render (the contracts of SPEC.md).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelConfig, Task, TrainingConfig } from './config/types.js';
import type { GateCheck, GateFailure } from './evaluate/gates.js';
import type { ImportanceRecord } from './evaluate/importance.js';
import { type calibrationCurve, MEASURED_METRICS, type Metrics } from './evaluate/metrics.js';
import type { DeLongResult, McNemarResult } from './evaluate/significance.js';
import type { ImputedCounts } from './features/preprocessing.js';
import type { EpochRecord } from './train/loop.js';
import type { Policy, PolicySummary, StepCost } from './replay/schedule.js';
import type { Leg } from './sweep/plan.js';
import type { Anomaly } from './validate/checker.js';
import type { DriftReport } from './validate/drift.js';

/** Paths of the artifacts in an output folder. */
export function artifactPaths(outDir: string) {
  return {
    validation: path.join(outDir, 'validation.json'),
    validationReport: path.join(outDir, 'validation.md'),
    modelDir: path.join(outDir, 'model'),
    trainingReport: path.join(outDir, 'training.md'),
    evaluation: path.join(outDir, 'evaluation.json'),
    evaluationReport: path.join(outDir, 'evaluation.md'),
    promotion: path.join(outDir, 'promotion.json'),
    prediction: path.join(outDir, 'prediction.json'),
    predictionReport: path.join(outDir, 'prediction.md'),
  };
}

/**
 * The one top-level field of each JSON artifact that holds what depends on the clock or
 * the machine: timestamps, durations, throughput, measured latency. Two runs on the same
 * inputs (data, config, seed, commit, backend) write the same artifacts apart from it;
 * the Markdown twins keep those values between the two `TIMING_MARKDOWN` lines.
 */
export const TIMING_FIELD = 'timing';

/** Lines around the part of a Markdown report that shows measured values (clock, machine). */
export const TIMING_MARKDOWN = { start: '<!-- timing: measured on this machine, differs between runs -->', end: '<!-- /timing -->' } as const;

/** Files of a model folder besides the TF.js pair. */
export const MODEL_FILES = ['model.json', 'weights.bin', 'preprocessing.json', 'training.json', 'statistics.json'] as const;

/** The copy of a team's model module (`model.module`) in a model folder trained with one. */
export const MODULE_FILE = 'model-module.js';

/** The model files of a folder as name -> path, for hashing and promotion (the module's copy when there is one). */
export function modelFiles(dir: string): Record<string, string> {
  const names = existsSync(path.join(dir, MODULE_FILE)) ? [...MODEL_FILES, MODULE_FILE] : MODEL_FILES;
  return Object.fromEntries(names.map((name) => [name, path.join(dir, name)]));
}

/** Contents of `validation.json`. */
export interface ValidationResult {
  ok: boolean;
  rows: number;
  /** Content hash of the data read. */
  fingerprint: string;
  /** Whether training on this data would give a new model (null when validating a separate batch). */
  retrain: { needed: boolean; reason: string } | null;
  files: string[];
  schemaFile: string;
  /** True when this run inferred the schema (first use): review and commit it. */
  schemaInferred: boolean;
  anomalies: Anomaly[];
  /** Drift of the newest rows against the reference; null when there was nothing to compare with. */
  drift: (DriftReport & { reference: string; blocking: boolean }) | null;
  /** The newest partition against the partition history: days compared with, or why it was not. */
  history: { days: number; skipped: string | null };
  /** Older partitions of the window left out (quarantined) until fixed or accepted, with their reasons. */
  quarantined: QuarantinedPartition[];
  /** The acceptances of `accepted.json` that held in this run (absent in records before it was kept). */
  accepted?: Acceptance[];
}

/** `training.json`'s `timing`: when and how fast the model trained, on this machine. */
export interface TrainingTiming {
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  /** Training rows per second over the epochs (validation excluded). */
  samplesPerSecond: number;
  /** Per epoch, as `history`. */
  epochs: Array<{ epoch: number; seconds: number; samplesPerSecond: number }>;
  /** Threads the fused step ran on, and why fewer than two (absent before ct recorded it). */
  threads?: number;
  threadsReason?: string | null;
}

/** One epoch of `training.json`'s history: what the seed decides (its time is in `timing.epochs`). */
export type EpochHistory = Omit<EpochRecord, 'seconds' | 'samplesPerSecond'>;

/** Contents of `training.json`: the lineage of a model. */
export interface TrainingRecord {
  format: 'ct-training';
  version: 1;
  model: string;
  task: Task;
  /** The team's model module the network was built by (absent: ct's MLP); its source is `model-module.js` beside the model. */
  module?: { path: string; sha256: string };
  /** The topology file the network was built from (absent: none); the topology itself is in `model.json`. */
  topology?: { path: string; sha256: string };
  data: {
    fingerprint: string;
    files: string[];
    trainParts: string[];
    evaluationParts: string[];
    label: string;
    rows: { train: number; validation: number; unlabelled: number };
    /**
     * Rows of the training window (all of them, before sampling and the validation
     * holdout) the encoder could not take as given, per feature read from a column.
     * Absent in records written before ct counted them.
     */
    imputed?: ImputedRecord;
  };
  git: { commit: string; branch: string | null; dirty: boolean } | null;
  config: { file: string; sha256: string };
  seed: number;
  /** `nativePackage`: tfjs-node or tfjs-node-gpu when the `tensorflow` backend ran. */
  backend: { requested: string; name: string; nativePackage: string | null; fastKernels: string[]; fallbackReason: string | null };
  /**
   * The training path: `fused` (ct's WebAssembly SIMD step, its batches cut into `shards`
   * gradient shards) or `tfjs` (TF.js op by op on `backend`); `reason` why the fused step
   * did not run. The threads it ran on are in `timing`. Absent in records written before.
   */
  trainer?: { name: 'fused' | 'tfjs'; shards: number | null; reason: string | null };
  /**
   * Where training started: from scratch (`full`) or from the production model's weights
   * (`warm`), and why. Absent in records written before ct could warm-start.
   */
  start?: StartRecord;
  packages: Record<string, string>;
  /** `classWeights`: the weights of the loss per class, as computed (null: unweighted). */
  hyperparameters: { model: ModelConfig; training: TrainingConfig; classWeights: number[] | null };
  /** The sweep leg this candidate was trained as (`ct train --leg`); null outside a sweep. */
  leg: Leg | null;
  parameters: number;
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  history: EpochHistory[];
  timing: TrainingTiming;
}

/** `training.json`'s `start`: a full retrain or a warm start, its lineage and what the warm start changed. */
export interface StartRecord {
  mode: 'full' | 'warm';
  reason: string;
  /** The production version a warm start started from. */
  parent: string | null;
  /** The versions of the chain of warm starts, newest first, back to the last full retrain. */
  chain: string[];
  /** The newest training day of the chain's full retrain (what `fullRetrainDays` counts from). */
  fullRetrainDay: string | null;
  epochs: number;
  /** Vocabulary values added per feature (new rows of its embedding). */
  grown: Record<string, number>;
  /** Numeric features whose normalisation was refreshed (their first-layer weights compensated). */
  rescaled: string[];
}

/**
 * Rows a model's encoder imputed (null, non-finite after the transform, out of
 * vocabulary) or found far from the training range, per feature read from a column
 * (crosses derive from those and are left out), in preprocessing order.
 */
export interface ImputedRecord {
  /** Rows encoded (the denominator of every count). */
  rows: number;
  features: ImputedCounts[];
}

/** One slice of the evaluation rows, scored for both models. */
export interface SliceRecord {
  /** The slice spec (evaluation.slices[].name). */
  name: string;
  /** `origin=ORD`, `hour=[6,12)`. */
  key: string;
  value: string;
  rows: number;
  /** Why the slice was not scored (too few rows); null when it was. */
  skipped: string | null;
  candidate: Metrics;
  baseline: Metrics | null;
  deltas: Record<string, { value: number; ci: [number, number] | null }>;
}

/** Contents of `evaluation.json`. */
export interface EvaluationRecord {
  ok: boolean;
  rubberStamp: boolean;
  model: string;
  task: Task;
  /** Labelled evaluation rows both models were scored on. */
  rows: number;
  data: { fingerprint: string; parts: string[] };
  /** Settings the metrics depend on, so `ct verify` can recompute them. */
  settings: { threshold: number; calibrationBins: number };
  candidate: { contentHash: string; metrics: Metrics };
  baseline: { version: string; metrics: Metrics } | null;
  /** candidate - production per metric, with the paired-bootstrap interval (null: not resampled). */
  deltas: Record<string, { value: number; ci: [number, number] | null }>;
  /** How the intervals were drawn; null without a production model or with samples: 0. */
  bootstrap: { samples: number; seed: number; confidence: number } | null;
  tests: { deLong: DeLongResult | null; mcNemar: McNemarResult | null };
  slices: SliceRecord[];
  /** Binary only: ROC (TPR at FPR 0, 0.1, ..., 1) and calibration curves of both models. */
  curves: {
    roc: { candidate: number[]; baseline: number[] | null };
    calibration: { candidate: CalibrationBin[]; baseline: CalibrationBin[] | null };
  } | null;
  /** The infra check; its load and predict times are in `timing.infra`. */
  infra: Omit<InfraCheckResult, 'loadMs' | 'predictMs'> | null;
  /** Checks of measured metrics (latency) that passed record no value: it is in `timing.latency`. */
  checks: GateCheck[];
  failures: GateFailure[];
  /** Permutation importance of both models' features (absent: turned off, or recorded before ct computed it). */
  importance?: ImportanceRecord;
  /** Metrics measured once for the model, not per row (size, latency): no interval, no slices. */
  guardMetrics: string[];
  backend: string;
  timing: EvaluationTiming;
}

/** `evaluation.json`'s `timing`: what was measured with a clock on this machine. */
export interface EvaluationTiming {
  durationSeconds: number;
  /** The measured guard metrics (MEASURED_METRICS: prediction latency) of each model. */
  latency: { candidate: Metrics; baseline: Metrics | null };
  infra: { loadMs: number | null; predictMs: number | null } | null;
  /** Seconds the permutation importance took (absent: not computed). */
  importanceSeconds?: number;
}

/**
 * A model's metrics in an evaluation, measured ones (latency, from `timing`) included:
 * what gates judged and reports show. Records written before `timing` had them inline.
 */
export function allMetrics(e: EvaluationRecord, who: 'candidate' | 'baseline'): Metrics {
  const metrics = who === 'candidate' ? e.candidate.metrics : (e.baseline?.metrics ?? {});
  const measured = (e.timing as EvaluationTiming | undefined)?.latency[who] ?? {};
  return { ...metrics, ...measured };
}

/** Splits metrics into those that reproduce and those measured with a clock (MEASURED_METRICS). */
export function splitMeasured(metrics: Metrics): { reproducible: Metrics; measured: Metrics } {
  const reproducible: Metrics = {};
  const measured: Metrics = {};
  for (const [name, value] of Object.entries(metrics)) (MEASURED_METRICS.includes(name) ? measured : reproducible)[name] = value;
  return { reproducible, measured };
}

export type CalibrationBin = ReturnType<typeof calibrationCurve>[number];

/**
 * Contents of `prediction.json`, written by `ct predict`: what was scored with which
 * model, or why nothing was (`ok: false`: error anomalies against the data schema).
 */
export interface PredictionRecord {
  /** True when every row was scored; false when error anomalies stopped it before scoring. */
  ok: boolean;
  model: string;
  /** The registry version that scored (production unless `--model-version`). */
  version: string;
  task: Task;
  /** The files scored, in output order. */
  files: string[];
  /** Rows read (and, when ok, predicted: one output row each). */
  rows: number;
  /** The predictions file; null when nothing was scored. */
  output: string | null;
  format: 'csv' | 'jsonl';
  /** Content hash of the data read (as `validation.json`'s). */
  fingerprint: string;
  schemaFile: string;
  /**
   * Anomalies against the schema (the label column optional) and against the model's
   * input domain (`input_*` kinds: what its preprocessing can take); errors first.
   */
  anomalies: Anomaly[];
  /**
   * Rows of the batch the model's encoder imputes or finds far from training, per
   * feature (counted while checking, so also when the batch is refused). Absent in
   * records written before ct counted them.
   */
  imputed?: ImputedRecord;
  /** The TF.js backend that scored; null when nothing was scored. */
  backend: string | null;
  startedAt: string;
  durationSeconds: number;
  /** Rows over the whole command (both passes over the data, model loading included); 0 when refused. */
  rowsPerSecond: number;
}

/** Contents of `promotion.json`, written by `ct promote` and `ct rollback`. */
export interface PromotionRecord {
  /** Production changed (locally), or a pull request that changes it was opened or updated. */
  promoted: boolean;
  /** Production already is this model: nothing to do, and not a failure. */
  unchanged: boolean;
  model: string;
  version: string | null;
  /** The version folder in the working tree (local promotion only). */
  dir: string | null;
  previous: string | null;
  reason: string;
  /** With `--pr`: the pull request that carries the change. */
  pullRequest: { number: number; url: string; created: boolean } | null;
  /** With `--pr`: the branch and the commit pushed to it. */
  branch: string | null;
  commit: string | null;
}

/** Outcome of the infra check, recorded in `evaluation.json`. */
export interface InfraCheckResult {
  ok: boolean;
  /** One line for the report: what passed or why it failed. */
  message: string;
  rows: number;
  /** Shape of the predictions the fresh process returned, e.g. [256, 1]. */
  shape: number[] | null;
  nonFinite: number | null;
  backend: string | null;
  loadMs: number | null;
  predictMs: number | null;
  latencyBudgetMs: number;
}

/** A person's acceptance of a partition's change, as `accepted.json` records it. */
export interface Acceptance {
  date: string;
  /** The fingerprint of the file accepted: a changed file is judged again. */
  fingerprint: string;
  /** The history metrics whose change was accepted: history before `date` no longer counts for them (unless `oneOff`). */
  metrics: string[];
  reason: string;
  /**
   * A one-time event (a storm, a strike): the day is trained on, but later days are judged
   * against their history without it, and nothing is re-based.
   */
  oneOff?: true;
}

/** The kinds of anomaly the production model's checks of a day raise beside its score (what `--accept` records by kind). */
const MODEL_CHECK_KINDS: readonly string[] = ['columns_exchanged', 'labels_misaligned'];

/**
 * Whether an acceptance makes its day the new reference for some statistic of the history. A
 * one-off does not, and neither do the model's checks of the day itself: they have no level
 * to re-base, so accepting only them trains on the day as delivered.
 */
export function acceptanceRebases(a: Pick<Acceptance, 'metrics' | 'oneOff'>): boolean {
  return a.oneOff !== true && a.metrics.some((m) => !MODEL_CHECK_KINDS.includes(m));
}

/** A partition left out of the window, and why. */
export interface QuarantinedPartition {
  date: string;
  file: string;
  fingerprint: string;
  reasons: string[];
  /** The history metrics that flagged it (what `--accept` accepts). */
  metrics: string[];
}

/** One leg's result, as `select` saw it. */
export interface SweepLegResult {
  id: string;
  params: Record<string, unknown>;
  /** The selection metric of the candidate on the evaluation rows. */
  value: number;
  /** Candidate minus production on the same rows, with its interval; null without production. */
  delta: { value: number; ci: [number, number] | null } | null;
  gatesPassed: boolean;
  failures: string[];
  trainSeconds: number;
  contentHash: string;
}

/** Contents of `sweep.json`. */
export interface SweepRecord {
  format: 'ct-sweep';
  model: string;
  metric: string;
  higherIsBetter: boolean;
  /** The leg whose candidate went to the gates. */
  selected: string;
  /** Every leg was scored on these rows, against this production model. */
  rows: number;
  data: { fingerprint: string; parts: string[] };
  baseline: string | null;
  legs: SweepLegResult[];
  /** Local runs: wall time of all legs and how many ran at once. */
  run: { seconds: number; parallel: number } | null;
}

/** Wall seconds per stage of a pipeline run (null: the stage did not run): the runner time a team pays. */
export interface StageSeconds {
  validate: number;
  train: number | null;
  evaluate: number | null;
  promote: number | null;
}

/** One step of a replay. */
export interface ReplayStep {
  date: string;
  /** Days the pipeline read (training and evaluation), first..last. */
  window: { first: string; last: string } | null;
  /** The period the served models were scored on. */
  next: { first: string; last: string; rows: number };
  /** Where the pipeline stopped: null when it promoted (or production already was the candidate). */
  stoppedAt: 'validate' | 'evaluate' | 'promote' | 'error' | null;
  /** Why the candidate was not promoted: failed gates, anomalies, or the error. */
  reasons: string[];
  /** Candidate minus production on the evaluation days, headline metric, with its interval. */
  delta: { value: number; ci: [number, number] | null } | null;
  promoted: boolean;
  /**
   * A step stopped at validation runs again `--retry-days` later with the bad day
   * quarantined, as the daily schedule would; its outcome, and from when its models served.
   */
  retry?: { date: string; stoppedAt: 'validate' | 'evaluate' | 'promote' | 'error' | null; promoted: boolean; reasons: string[] };
  /** Model each policy served on the next period (registry version or step date of a candidate), null: none yet. */
  served: Record<Policy, string | null>;
  /** The headline metric of each policy's served model on the next period. */
  scores: Record<Policy, number | null>;
  /** Wall time of the step, and of its training and evaluation (null when they did not run). */
  seconds: number;
  trainSeconds: number | null;
  evaluateSeconds: number | null;
  /**
   * Runner seconds of the step's pipeline runs (the first and a retry, summed) per stage:
   * what a team pays for it on CI, the replay's own scoring left out.
   */
  cost: StepCost;
  /** How the step's candidate started: from scratch, or from production's weights (`--update`, training.warmStart). */
  start: 'full' | 'warm' | null;
  /**
   * With --calibrate, when the step promoted: the production model it started from, scored on
   * the next period (what blocking the candidate would have served).
   */
  kept?: number | null;
}

/** Contents of `replay.json`. */
export interface ReplayResult {
  format: 'ct-replay';
  version: 1;
  model: string;
  config: { file: string; sha256: string };
  data: string;
  metric: string;
  higherIsBetter: boolean;
  from: string;
  to: string;
  everyDays: number;
  windowDays: number;
  evaluationDays: number | null;
  /** The steps after the first ran `ct update` (--update) rather than `ct run`. */
  update: boolean;
  steps: ReplayStep[];
  policies: Record<Policy, PolicySummary>;
  startedAt: string;
  durationSeconds: number;
}
