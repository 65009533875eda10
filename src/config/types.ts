/**
 * The shape of `ct.config.yaml` after loading: defaults filled in, the label parsed.
 * `schema.ts` holds the JSON Schema that checks the file; the two are kept in step
 * by the config tests.
 */
import type { Leg, SweepConfig } from '../sweep/plan.js';

export type Task = 'binary' | 'multiclass' | 'regression';
export type DataFormat = 'parquet' | 'csv' | 'jsonl';
/** The TF.js backend asked for; `auto` tries tfjs-node, then wasm, then cpu. */
export type BackendPreference = 'auto' | 'fused' | 'tensorflow' | 'wasm' | 'cpu';

/** Which days of a partitioned folder a run reads. */
export interface WindowConfig {
  /** The newest N calendar days, ending at the newest partition. */
  newestDays?: number;
  /** First day, inclusive (YYYY-MM-DD). */
  from?: string;
  /** Last day, inclusive (YYYY-MM-DD). */
  to?: string;
}

/** How the window is split into training and evaluation rows. */
export type SplitConfig = { method: 'time'; evaluationDays: number } | { method: 'hash'; evaluationFraction: number; seed: number; key?: string[] };

export interface DataConfig {
  /** A folder of daily partitions (`YYYY-MM-DD.<ext>`) or a single file. */
  path: string;
  format?: DataFormat;
  /** Column holding each row's time; needed for derived time features. */
  timestamp?: string;
  /** IANA time zone whose clock time features and time-of-day checks read; default: timestamps as UTC. */
  timezone?: string;
  window: WindowConfig;
  split: SplitConfig;
  /** Where the data schema lives; default `<path>/schema.json` (or beside a single file). */
  schema?: string;
}

export type LabelOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/**
 * The label: a column, optionally compared with a literal (`delay > 15`).
 * Declarative: parsed, never evaluated as code.
 */
export interface LabelConfig {
  column: string;
  op?: LabelOperator;
  value?: number | string | boolean;
  /** The label as written in the config, for reports. */
  text: string;
}

export type FeatureTransform = 'none' | 'log1p' | 'hourOfDay' | 'dayOfWeek' | 'bucketize' | 'cross';
export type FeatureKind = 'numeric' | 'categorical' | 'text' | 'sequence';
/** How a text feature splits its column into tokens. */
export type TextTokens = 'words' | 'characters';

export interface FeatureConfig {
  /** Name of the model input. */
  name: string;
  /** Source column in the data; for a cross, its features joined with " x " (for reports). */
  column: string;
  /** A hashed cross of these earlier categorical features (by name). */
  cross?: string[];
  /** Buckets of a hashed cross. */
  hashBuckets?: number;
  transform: FeatureTransform;
  /**
   * Numeric features are normalised; categorical ones go through an embedding; a text
   * feature is a fixed-length sequence of token ids from a string column; a sequence
   * feature is a fixed number of numbers per row, normalised.
   * Unset: categorical for string columns, numeric otherwise (settled when the data is read).
   */
  kind?: FeatureKind;
  /** Text features: words (letters and digits) or characters. */
  tokens?: TextTokens;
  /** Text features: tokens kept per row (the last ones; shorter rows are padded at the start). Sequence features: numbers per row. */
  length?: number;
  /** Bucket edges for `bucketize` (ascending). */
  boundaries?: number[];
  /** Embedding width for categorical features. */
  embedding?: number;
  /** Largest vocabulary kept for string categoricals (most frequent first). */
  maxVocabulary?: number;
  /** Values seen fewer times than this in training go to the out-of-vocabulary bucket. */
  minCount?: number;
}

export interface ModelConfig {
  hidden: number[];
  activation: 'relu' | 'elu' | 'tanh' | 'gelu';
  dropout: number;
  /** A team's own model module (relative to the config file); absent: ct's MLP. */
  module?: string;
  /** A model topology file (model.json) whose layers are trained afresh; absent: ct's MLP. */
  topology?: string;
}

export interface TrainingConfig {
  backend: BackendPreference;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Share of the training rows held out for validation (early stopping, per-epoch metric). */
  validationFraction: number;
  /** Stop after this many epochs without validation improvement; 0 = never stop early. */
  earlyStoppingPatience: number;
  /** Train on at most this many rows (a seeded sample); unset = all rows. */
  maxRows?: number;
  /** Class weights in the loss (classification only). */
  classWeight?: 'balanced' | Record<string, number>;
  warmStart: WarmStartConfig;
}

/** `training.warmStart`: candidates that start from production's weights, and when a full retrain is due instead. */
export interface WarmStartConfig {
  /** `ct run` / `ct train` warm-start (on the whole window); `ct update` always does. */
  enabled: boolean;
  /** Epochs of a warm-started candidate. */
  epochs: number;
  /** Numeric normalisation: production's (`carry`) or refitted with the first layer compensated (`refresh`). */
  statistics: 'carry' | 'refresh';
  /** Full retrain when the chain's full retrain trained on data this many days older than the new data; 0: never for age. */
  fullRetrainDays: number;
  /** Full retrain when validation reports drift. */
  fullOnDrift: boolean;
}

export interface ChangeThreshold {
  direction: 'higherIsBetter' | 'lowerIsBetter';
  /** Passes when delta >= absolute (higherIsBetter) or delta <= absolute (lowerIsBetter). */
  absolute?: number;
  /** The same on delta / |baseline|. */
  relative?: number;
}

/** A gate on the paired-bootstrap interval of a delta. */
export interface SignificanceConfig {
  /**
   * improvement: the interval lies beyond +margin (higherIsBetter: lower bound > margin);
   * nonInferiority: it lies beyond -margin (higherIsBetter: lower bound > -margin);
   * noHarm: it does not lie wholly below -margin (higherIsBetter: upper bound >= -margin),
   * so only a loss the interval is sure of fails: for slices whose noise dwarfs the margin.
   */
  test: 'improvement' | 'nonInferiority' | 'noHarm';
  margin: number;
  /** Default from the metric; required for metrics without one (positiveRate). */
  direction?: 'higherIsBetter' | 'lowerIsBetter';
}

/** One gate of TFX's Evaluator: value, change and/or significance thresholds on one metric. */
export interface GateConfig {
  metric: string;
  /** A slice name (every slice of it) or one slice key (`origin=ORD`); unset = all evaluation rows. */
  slice?: string;
  lowerBound?: number;
  upperBound?: number;
  change?: ChangeThreshold;
  significance?: SignificanceConfig;
}

export type AnomalySeverity = 'error' | 'warning';

export interface DriftConfig {
  method: 'auto' | 'psi';
  correction: 'benjamini-hochberg' | 'bonferroni' | 'none';
  datasetDriftShare: number;
  nullRateChange: number;
  /** Dataset drift fails validation and stops the run. */
  blocking: boolean;
  columns?: string[];
}

export interface ValidationConfig {
  /** Severity per anomaly kind. */
  severity: Record<string, AnomalySeverity>;
  maxDomainSize: number;
  rowCount: { minRatio: number; maxRatio: number };
  duplicates: boolean;
  drift: DriftConfig;
  history: HistoryConfig;
}

/** The per-partition statistics history and the rules that test new partitions against it. */
export interface HistoryConfig {
  enabled: boolean;
  /** Folder of the cached partition profiles, relative to the config file (an Actions cache, not committed). */
  cache: string;
  /** Days of history a partition needs before it is tested. */
  minDays: number;
  /** Newest days of history used at most. */
  maxDays: number;
  /** Robust z-score beyond which an outlier partition (also outside every earlier day's range) is an error. */
  threshold: number;
  /** The same for a classification label's mix (its rate, its classes' shares): relabelled rows move nothing else. */
  labelThreshold: number;
  /** Share of its expected rows a partition may lack before a drop below every earlier day is an error, whatever its z-score. */
  maxRowDrop: number;
  /** Score the production model on the newest labelled partition and the days before it (label_relation). */
  model: boolean;
}

/** A segment of the evaluation rows scored on its own. */
export interface SliceConfig {
  /** Name in reports and in `gates[].slice`. */
  name: string;
  column: string;
  transform?: 'hourOfDay' | 'dayOfWeek';
  /** The N most frequent values. */
  top?: number;
  /** These values only. */
  values?: Array<string | number | boolean>;
  /** Bucket edges (ascending) of a numeric value. */
  boundaries?: number[];
}

export interface EvaluationConfig {
  /** Decision threshold on the predicted probability for accuracy and friends. */
  threshold: number;
  calibrationBins: number;
  bootstrap: { samples: number; seed: number; confidence: number };
  slices: SliceConfig[];
  minSliceRows: number;
  latency: { batchRows: number; repeats: number };
  infraCheck: { enabled: boolean; sampleRows: number; latencyBudgetMs: number };
  importance: { enabled: boolean; repeats: number; maxRows: number; seed: number };
}

export interface RegistryConfig {
  /** Folder of the registry, relative to the config file. */
  path: string;
}

export interface GitIdentity {
  name: string;
  email: string;
}

/** How `ct promote --pr` opens its pull request. */
export interface PromotionConfig {
  /** Target branch; unset: the repository's default branch on GitHub, else the current branch. */
  base?: string;
  branchPrefix: string;
  remote: string;
  labels: string[];
  author: GitIdentity;
  committer?: GitIdentity;
}

/** `ct monitor`: when a production model needs retraining or a person. */
export interface MonitoringConfig {
  newestDays: number;
  minRows: number;
  /** Default: the task's headline metric. */
  metric?: string;
  retrainDrop: number;
  alertDrop: number;
  alertAfterRetrains: number;
  retrainOnDrift: boolean;
  source: 'data' | 'predictions';
  labelsPath: string;
  driftWithoutLabels: boolean;
  webhook: { env: string; on: Array<'alert' | 'retrain' | 'none'> };
  workflow: string;
  ref?: string;
  labels: string[];
  historyBranch: string;
}

/** `ct serve`: the HTTP server of the registry's production models. */
export interface ServingConfig {
  host: string;
  port: number;
  workers: 'auto' | number;
  maxBodyBytes: number;
  maxRows: number;
  reloadSeconds: number;
  shutdownSeconds: number;
  log: { enabled: boolean; path: string; sample: number; maxBytesPerDay: number };
  deploy: { sources: string[]; secretEnv: string };
}

export interface CtConfig {
  /** Name of the model in the registry. */
  name: string;
  task: Task;
  data: DataConfig;
  label: LabelConfig;
  features: FeatureConfig[];
  model: ModelConfig;
  training: TrainingConfig;
  validation: ValidationConfig;
  evaluation: EvaluationConfig;
  gates: GateConfig[];
  registry: RegistryConfig;
  promotion: PromotionConfig;
  monitoring: MonitoringConfig;
  serving: ServingConfig;
  /** Absent: no sweep. */
  sweep?: SweepConfig;
}

/** A loaded config with where it came from. */
export interface LoadedConfig {
  config: CtConfig;
  /** Path of the config file as given. */
  file: string;
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string;
  /** sha256 of the file's bytes, for lineage. */
  hash: string;
  /** The sweep leg whose values were set (`--leg`), if any. */
  leg?: Leg;
}
