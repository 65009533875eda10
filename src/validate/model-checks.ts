/**
 * The partition history's checks through the production model: its score on the newest
 * partition against its scores on the days before (labels detached or misaligned), the
 * columns of one domain exchanged (it scores the day better with a pair exchanged back), and
 * a stretch of labels that fits its neighbours better than its own rows. Scores are cached
 * per model version in the partitions' cache entries.
 */
import type { CtConfig, LabelConfig, Task } from '../config/types.js';
import type { Partition } from '../data/partitions.js';
import { readOnce } from '../data/read.js';
import { findColumn, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { headlineMetric, scoreRows, weightedMetrics } from '../evaluate/metrics.js';
import { alignmentInput, findMisalignment, type LocatedMisalignment, locateMisalignment, misalignmentAnomaly } from './alignment.js';
import type { Anomaly } from './checker.js';
import { EXCHANGE_REFERENCE_DAYS, exchangeablePairs, exchangeAnomaly, exchangeColumns, exchangeGain } from './exchange.js';
import { modelHistoryDays } from './history.js';
import type { PartitionProfile } from './profile.js';
import { severityOf } from './schema.js';
import { type LoadedModel, predictLabelledRows } from '../evaluate/score.js';
import { type CacheEntry, writeEntry } from './history-cache.js';

/** The production model as screening scores it. */
export interface ScreeningModel {
  version: string;
  model: () => Promise<LoadedModel['model']>;
  preprocessing: LoadedModel['preprocessing'];
}

/** What the production model's checks read: the config and the production model, if any. */
export interface ModelCheckInput {
  config: CtConfig;
  production: ScreeningModel | null;
}

/**
 * The production model's headline metric on every day of the window (from `firstDay` to the
 * newest partition) and on the days before it that an older window day is judged against
 * (at most `minDays`), cached per model version in the partitions' entries: a day whose
 * score fell is refused on every run its window holds it, not only while it is the newest.
 * Only labelled rows count; a day the model cannot read is left out.
 */
export async function modelScores(
  input: ModelCheckInput,
  needed: readonly Partition[],
  entries: Map<string, CacheEntry>,
  window: { firstDay: string; newest: Partition },
  predictNewest: (() => Promise<DayPredictions>) | null,
  cacheDir: string,
): Promise<{ metric: string; days: Map<string, DayScore> }> {
  const scores = new Map<string, DayScore>();
  const { production, config } = input;
  const { firstDay, newest } = window;
  if (production === null || predictNewest === null || !config.validation.history.model) return { metric: '', days: scores };
  const metric = headlineMetric(production.preprocessing.task).name;
  const upToNewest = needed.filter((p) => p.date <= newest.date);
  const windowStart = upToNewest.findIndex((p) => p.date >= firstDay);
  const days = upToNewest.slice(Math.max(0, windowStart - modelHistoryDays(config.validation.history.minDays)));
  for (const p of days) {
    const predict = p === newest ? predictNewest : predictOnce(readOnce(p.file, config.data.format), production);
    const score = await cachedScore(p, entries.get(p.date)!, production.version, metric, cacheDir, () => scoreDay(predict, production, config, metric));
    if (score === null || !Number.isFinite(score.value) || score.rows < 100) continue;
    scores.set(p.date, score);
  }
  return { metric, days: scores };
}

/**
 * A score of partition `p` kept under `key` in its cache entry: computed, and the entry
 * written again, when the entry lacks it or holds another metric; null when the day cannot
 * be scored.
 */
async function cachedScore(
  p: Partition,
  entry: CacheEntry,
  key: string,
  metric: string,
  cacheDir: string,
  compute: () => Promise<Omit<CacheEntry['scores'][string], 'metric'> | null>,
): Promise<CacheEntry['scores'][string] | null> {
  const kept = entry.scores[key];
  // A score kept before its chance and noise were recorded is computed again: the newest day's is judged by them.
  if (kept !== undefined && kept.metric === metric && kept.noise !== undefined && (metric !== 'auc' || kept.chance !== undefined)) return kept;
  const value = await compute();
  if (value === null) return null;
  entry.scores[key] = { metric, ...value };
  writeEntry(cacheDir, p.date, entry);
  return entry.scores[key];
}

/** The production model's headline metric on one day's predictions; null when the day cannot be scored. */
async function scoreDay(
  predict: () => Promise<DayPredictions>,
  production: ScreeningModel,
  config: CtConfig,
  metric: string,
): Promise<Omit<CacheEntry['scores'][string], 'metric'> | null> {
  try {
    const { labels, preds, width } = await predict();
    const scored = scoreRows(production.preprocessing.task, labels, preds, {
      threshold: config.evaluation.threshold,
      classes: width,
      calibrationBins: config.evaluation.calibrationBins,
    });
    const value = weightedMetrics(scored, null, [metric])[metric];
    if (typeof value !== 'number') return null;
    const noise = scoreNoise(metric, value, scored.labels);
    return { value, rows: scored.labels.length, noise, ...(metric === 'auc' ? { chance: aucChance(scored.labels) } : {}) };
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/**
 * Columns of one domain delivered exchanged (exchange.ts): the production model scores a
 * day better with a pair exchanged back than as delivered, where on the days before it
 * exchanging the pair cost it. The exchanged scores are cached in each day's entry beside
 * its own score, per model version.
 */
export async function exchangeAnomalies(
  input: ModelCheckInput,
  needed: readonly Partition[],
  day: Partition,
  readDay: () => Promise<Table>,
  entries: ReadonlyMap<string, CacheEntry>,
  scores: ReadonlyMap<string, DayScore>,
  cacheDir: string,
): Promise<Anomaly[]> {
  const { production, config } = input;
  const asDelivered = scores.get(day.date)?.value;
  const before = [...scores].filter(([date]) => date < day.date).map(([, score]) => score.value);
  if (production === null || asDelivered === undefined || before.length === 0) return [];
  const usual = { low: Math.min(...before), high: Math.max(...before) };
  const { name: metric, higherIsBetter } = headlineMetric(production.preprocessing.task);
  const reference = needed.filter((p) => p.date < day.date && scores.has(p.date)).slice(-EXCHANGE_REFERENCE_DAYS);
  const anomalies: Anomaly[] = [];
  for (const [a, b] of exchangeablePairs(production.preprocessing)) {
    const key = `${production.version} exchanged ${a} ${b}`;
    const exchangedScore = (p: Partition, read: () => Promise<Table>): Promise<CacheEntry['scores'][string] | null> =>
      cachedScore(p, entries.get(p.date)!, key, metric, cacheDir, () => scoreDay(predictOnce(read, production, [a, b]), production, config, metric));
    const score = await exchangedScore(day, readDay);
    if (score === null) continue;
    // Only a day that gains needs the days before: on most days exchanging costs the model, and nothing more is scored.
    if (!(exchangeGain(asDelivered, score.value, higherIsBetter) > 0)) continue;
    const gains: Array<{ gain: number; rows: number }> = [];
    for (const p of reference) {
      const exchanged = await exchangedScore(p, readOnce(p.file, config.data.format));
      if (exchanged !== null) gains.push({ gain: exchangeGain(scores.get(p.date)!.value, exchanged.value, higherIsBetter), rows: exchanged.rows });
    }
    const anomaly = exchangeAnomaly(
      {
        file: day.file,
        date: day.date,
        columns: [a, b],
        model: production.version,
        metric,
        higherIsBetter,
        asDelivered,
        exchanged: score.value,
        usual,
        rows: score.rows,
        before: gains,
      },
      severityOf('columns_exchanged', config.validation.severity),
    );
    if (anomaly !== null) anomalies.push(anomaly);
  }
  return anomalies;
}

/**
 * Labels misaligned with their rows (alignment.ts): a stretch of a partition whose
 * labels fit their neighbours better than their own rows, judged by the production model
 * (the day's mean label without one) and the day's own labels in each categorical input's
 * group by hour. Kept in the day's entry per model version.
 */
export async function alignmentAnomalies(
  input: ModelCheckInput,
  day: Partition,
  readDay: () => Promise<Table>,
  predictDay: (() => Promise<DayPredictions>) | null,
  entry: CacheEntry,
  cacheDir: string,
): Promise<Anomaly[]> {
  const { production, config } = input;
  const task = config.task;
  const key = production?.version ?? '';
  entry.alignment ??= {};
  // A stretch kept before the skill guard (no `skill`) is located again.
  if (!(key in entry.alignment) || (entry.alignment[key] !== null && entry.alignment[key]?.skill === undefined)) {
    entry.alignment[key] = await locateMisalignmentIn(readDay, predictDay, config, task, production);
    writeEntry(cacheDir, day.date, entry);
  }
  const found = entry.alignment[key];
  const anomaly = found ? misalignmentAnomaly(found, day.file, day.date, config.label.text, severityOf('labels_misaligned', config.validation.severity)) : null;
  return anomaly === null ? [] : [anomaly];
}

/** The newest partition's most misaligned-looking stretch of labels; null when the day cannot give its labels. */
async function locateMisalignmentIn(
  read: () => Promise<Table>,
  predict: (() => Promise<DayPredictions>) | null,
  config: CtConfig,
  task: Task,
  production: ScreeningModel | null,
): Promise<LocatedMisalignment | null> {
  // Categorical inputs read as they are: the contexts whose rows share weather, congestion, a store's day.
  const contextColumns = config.features.filter((f) => f.transform === 'none' && f.kind !== 'text' && f.kind !== 'sequence').map((f) => f.column);
  try {
    const table = await read();
    const label = alignedLabel(table, config.label, task);
    if (label === null) return null;
    // A multiclass model's prediction of the same thing: the probability of any class but that one.
    const classIndex = task === 'multiclass' ? (production?.preprocessing.label.classes?.indexOf(String(label.value)) ?? -1) : undefined;
    const predictions = predict === null ? null : await productionPredictions(predict, classIndex);
    const input = alignmentInput(table, label, contextColumns, config.data.timestamp, predictions);
    const found = findMisalignment(input);
    if (found === null) return null;
    const used = contextColumns.filter((c) => table.columns.some((t) => t.name === c && t.type === 'string'));
    const judgedBy =
      (predictions === null ? `the day's mean label` : `production ${production!.version}`) +
      (used.length === 0 ? '' : ` and the day's labels by ${used.join(', ')}${config.data.timestamp === undefined ? '' : ' and hour'}`);
    return locateMisalignment(found, input, table, judgedBy);
  } catch (error) {
    // A day whose labels cannot be read (a missing column, text where numbers belong): the schema check says so.
    if (error instanceof UserError) return null;
    throw error;
  }
}

/** The production model's predictions of one day's labelled rows (table row indices, the model's own labels) and its output width. */
export interface DayPredictions {
  selected: Int32Array;
  labels: Float32Array;
  preds: Float32Array;
  width: number;
}

/** The production model's predictions of the day `read` gives (with columns `a` and `b` exchanged when given), made at most once however many checks ask. */
export function predictOnce(read: () => Promise<Table>, production: ScreeningModel, exchanged?: readonly [string, string]): () => Promise<DayPredictions> {
  let predicted: Promise<DayPredictions> | undefined;
  const predict = async (): Promise<DayPredictions> => {
    const delivered = await read();
    const table = exchanged === undefined ? delivered : exchangeColumns(delivered, exchanged[0], exchanged[1]);
    const model = await production.model();
    const loaded: LoadedModel = { dir: '', preprocessing: production.preprocessing, model, width: (model.outputs[0]!.shape[1] as number | null) ?? 1 };
    const { selected, labels, preds } = predictLabelledRows(table, loaded);
    return { selected, labels, preds, width: loaded.width };
  };
  return () => (predicted ??= predict());
}

/**
 * The label the alignment check reads: a binary or regression label as configured; a
 * multiclass label as whether each row is of another class than the day's most frequent
 * (rain or none: a label slid by a row moves those as it moves the classes). Null when the
 * day holds one class or none.
 */
function alignedLabel(table: Table, label: LabelConfig, task: Task): (LabelConfig & { task: 'binary' | 'regression' }) | null {
  if (task !== 'multiclass') return { ...label, task };
  const column = findColumn(table, label.column);
  if (column?.type !== 'string' || column.dictionary.length < 2) return null;
  const counts = new Float64Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) counts[code]!++;
  const top = counts.indexOf(Math.max(...counts));
  return { ...label, task: 'binary', op: '!=', value: column.dictionary[top]! };
}

/**
 * The production model's prediction of each labelled row of the newest day, by table row:
 * its output for a single-output model, one less its probability of class `classIndex` for
 * a multiclass one; null when it cannot read the day or that class is not one of its own.
 */
async function productionPredictions(predict: () => Promise<DayPredictions>, classIndex?: number): Promise<Map<number, number> | null> {
  try {
    const { selected, preds, width } = await predict();
    if (width === 1) return new Map(Array.from(selected, (row, k) => [row, preds[k]!]));
    if (classIndex === undefined || classIndex < 0 || classIndex >= width) return null;
    return new Map(Array.from(selected, (row, k) => [row, 1 - preds[k * width + classIndex]!]));
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}

/**
 * The most AUC a model without skill scores on a day of these binary labels: 0.5 plus two
 * standard errors of the Mann-Whitney statistic with no relation, sqrt((n1 + n0 + 1) /
 * (12 n1 n0)). A day of 50 positives among 3,700 rows puts chance as high as 0.58; a day of
 * 15,000 rows, 0.51. Only a binary task's headline metric is AUC; a day of one class: 0.5.
 */
export function aucChance(labels: ArrayLike<number>): number {
  const positives = positivesOf(labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return 0.5 + 2 * Math.sqrt((labels.length + 1) / (12 * positives * negatives));
}

/**
 * The standard error of a day's score from its labels alone: what the score of the same model
 * would wander by on another sample of such a day. AUC by Hanley and McNeil's formula (a day
 * of one positive row puts it near 0.2; flights' 3,000 late flights of 17,000, 0.006);
 * accuracy as a proportion; RMSE as sqrt(1 / 2n) of itself; 0 where none is known.
 */
export function scoreNoise(metric: string, value: number, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) return 0;
  if (metric === 'auc') {
    const positives = positivesOf(labels);
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) return 0;
    const a = Math.min(Math.max(value, 0), 1);
    const q1 = a / (2 - a);
    const q2 = (2 * a * a) / (1 + a);
    return Math.sqrt(Math.max(0, a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives));
  }
  if (metric === 'accuracy') return Math.sqrt((value * (1 - value)) / n);
  if (metric === 'rmse') return value / Math.sqrt(2 * n);
  return 0;
}

/** The rows of binary `labels` that are 1. */
function positivesOf(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  return positives;
}

/** The production model's score on a day, what chance scores there, and the score's own sampling noise. */
export type DayScore = Pick<CacheEntry['scores'][string], 'value' | 'chance' | 'noise'>;

/** A profile with the production model's score on the day as one more metric (`model.<metric>`), what chance scores there, and its noise. */
export function withScore(profile: PartitionProfile, metric: string, score: DayScore | undefined): PartitionProfile {
  if (score === undefined) return profile;
  return {
    ...profile,
    metrics: { ...profile.metrics, [`model.${metric}`]: score.value },
    ...(score.chance === undefined ? {} : { modelChance: score.chance }),
    ...(score.noise === undefined ? {} : { modelNoise: score.noise }),
  };
}
