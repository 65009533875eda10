/**
 * The partition history of a folder of daily partitions: each partition summarised once
 * (profile, its own schema check, the production model's score on it) and cached by its
 * content fingerprint and what the summary derives from, under `validation.history.cache`
 * (`.ct/history/` beside the config: a cache, never committed — anything in it is
 * recomputed from the partitions, and an entry that does not match is recomputed).
 *
 * Screening tests the partitions of the window against the days before them. A flagged
 * newest partition is an error anomaly (the run stops); a flagged older partition is
 * quarantined — left out of the window, with its reason — until its file changes (fixed)
 * or a person accepts it (`ct validate --accept <day>`, recorded in `accepted.json`
 * beside the schema), so one bad day stops one run, not every run after it. An accepted
 * change re-bases the statistics it moved; a change accepted as a one-off (`--one-off`)
 * keeps the day out of the history of later days instead.
 *
 * Beside it: the cache's files (`history-cache.ts`), the acceptances (`accepted.ts`), the
 * checks through the production model (`model-checks.ts`), and the rules that judge a day
 * against its history (`history.ts`).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CtConfig } from '../config/types.js';
import { fingerprintFiles, planDataset } from '../data/dataset.js';
import { dateOfDay, dayNumber, listPartitions, type MissingDay, missingDays, type Partition } from '../data/partitions.js';
import { readOnce } from '../data/read.js';
import { readChunksOf } from '../data/stream.js';
import { numberColumnOf, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { DERIVED_PREFIX, derivedInputColumns, LABEL_COLUMN } from '../features/derived.js';
import { labelColumnValues } from '../features/label.js';
import type { Logger } from '../logger.js';
import { timeOfDay } from '../time.js';
import { type Anomaly, createAnomalyChecker, createInputRepeats, rowHashes } from './checker.js';
import { createDependencies } from './dependencies.js';
import { createNumericShape } from './numeric-shape.js';
import { createRepeatsAbove } from './repeats-above.js';
import { createOrientations } from './orientation.js';
import { createLabelCorrelations } from './label-correlation.js';
import { createLabelGroups } from './label-groups.js';
import { createFrozenGroups } from './frozen-groups.js';
import { createRowSample } from './row-matches.js';
import { showFindingRows } from './finding-rows.js';
import { clockColumns } from './clock-change.js';
import { compareWithHistory, type HistoryFinding, type HistoryOptions, MODEL_HISTORY_DAYS } from './history.js';
import { describeStatistic, findingMessage, WEEKDAYS } from './history-words.js';
import { createRelations, mergeSketch, type PartitionProfile, profileOf, TIMED_SKETCH_SIZE } from './profile.js';
import { asSchemaTypes, type DataSchema, severityOf } from './schema.js';
import { createStatistics } from './statistics.js';
import type { Acceptance, QuarantinedPartition } from '../artifacts.js';
import { alternatives } from '../words.js';
import { NO_PARTITION, readAccepted } from './accepted.js';
import { cacheFolder, type CacheEntry, PROFILE_FORMAT, derivationHash, type ProfileDetail, readDetail, readEntry, writeEntry } from './history-cache.js';
import { alignmentAnomalies, type DayScore, exchangeAnomalies, type ModelCheckInput, modelScores, predictOnce, withScore } from './model-checks.js';

/** What screening found. */
export interface Screening {
  /** Why the history was not used (a single file, a --data batch, too few days), or null. */
  skipped: string | null;
  /** Days of history the newest partition was compared with. */
  historyDays: number;
  /** Anomalies of the newest partition against its history. */
  anomalies: Anomaly[];
  /** Older partitions of the window left out. */
  quarantined: QuarantinedPartition[];
  /** Days of the window without a partition where one was due (not those a person accepted as having no data). */
  missing: string[];
  /** The acceptances that still hold: of partitions whose file is the one accepted. */
  accepted: Acceptance[];
  /**
   * The newest partition: its findings (kept for `--accept`), the errors of its own schema check, and the kinds of the
   * errors the production model's checks raised (`labels_misaligned`, `columns_exchanged`: `--accept` accepts them too).
   */
  newest: { date: string; file: string; fingerprint: string; rows: number; findings: HistoryFinding[]; errors: Anomaly[]; modelErrors: string[] } | null;
  /** Profiles read from the cache and computed this run. */
  cached: number;
  computed: number;
  /** The schema was inferred from the window and written just before (its first use). */
  schemaInferred?: true;
}

export interface ScreeningInput extends ModelCheckInput {
  /** Folder of the config: the cache path is relative to it. */
  baseDir: string;
  /** The data folder (or file: then nothing is screened). */
  source: string;
  schema: DataSchema;
  schemaFile: string;
  logger: Logger;
}

/** A screening that did not run, and why. */
export const skippedScreening = (reason: string): Screening => ({
  skipped: reason,
  historyDays: 0,
  anomalies: [],
  quarantined: [],
  missing: [],
  accepted: [],
  newest: null,
  cached: 0,
  computed: 0,
});

/**
 * Screens the window of a folder of daily partitions against its history: profiles
 * (cached), the newest partition's findings as anomalies, and older flagged partitions
 * quarantined.
 */
export async function screenPartitions(input: ScreeningInput): Promise<Screening> {
  const { config, source, schema } = input;
  const options = config.validation.history;
  if (!options.enabled) return skippedScreening('validation.history.enabled is false');
  let partitions: Partition[];
  try {
    partitions = listPartitions(source);
  } catch {
    // A single file, a URL, or a folder without partitions: validated as a whole, with no history.
    return skippedScreening('the data is not a folder of daily partitions');
  }
  const window = planDataset(config.data, source);
  const windowDays = new Set(window.trainParts.concat(window.evaluationParts));
  const windowPartitions = partitions.filter((p) => windowDays.has(p.date));
  const newest = windowPartitions.at(-1);
  if (newest === undefined) return skippedScreening('the window holds no partitions');
  const firstNeeded = dayNumber(windowPartitions[0]!.date)! - options.maxDays;
  const needed = partitions.filter((p) => dayNumber(p.date)! >= firstNeeded && p.date <= newest.date);

  const cacheDir = cacheFolder(input.baseDir, options.cache, source);
  const { entries, complete, cached, computed } = await openHistory(needed, cacheDir, config, schema);

  const acceptances = readAccepted(input.schemaFile);
  const accepted = acceptances.filter((a) => entries.get(a.date)?.fingerprint === a.fingerprint);
  // A newest day its own schema check refused stops the run whatever else is found: the model reads nothing then.
  const newestReadable = entries.get(newest.date)!.anomalies.every((a) => a.severity !== 'error');
  // The model is scored only where its score can be judged: a readable newest day with enough days before it.
  const judgeable = newestReadable && needed.length > MODEL_HISTORY_DAYS;
  // The newest partition is read whole at most once, however many checks score it.
  const readNewest = readOnce(newest.file, config.data.format);
  // ...and predicted by the production model at most once: its own score and the alignment check share the predictions.
  const predictNewest = input.production === null ? null : predictOnce(readNewest, input.production);
  const scored = judgeable
    ? await modelScores(input, needed, entries, { firstDay: windowPartitions[0]!.date, newest }, predictNewest, cacheDir)
    : { metric: '', days: new Map<string, DayScore>() };
  const profiles = needed.map((p) => withScore({ ...entries.get(p.date)!.profile, categories: {} }, scored.metric, scored.days.get(p.date)));
  // The production model's checks of a day, cached per model version. Every day of the window is checked, not only the
  // newest: a day refused when it was the newest stays out of the window after it, and of days that arrive together
  // each is checked. A day its own schema check refused is not read again; the kinds a person accepted of a day are left out.
  const modelChecks = async (p: Partition, read = readOnce(p.file, config.data.format)): Promise<Anomaly[]> => {
    const entry = entries.get(p.date)!;
    if (!newestReadable || entry.anomalies.some((a) => a.severity === 'error')) return [];
    const predict = p === newest ? predictNewest : input.production === null ? null : predictOnce(read, input.production);
    const exchanged = scored.days.has(p.date) ? await exchangeAnomalies(input, needed, p, read, entries, scored.days, cacheDir) : [];
    const acceptedKinds = accepted.find((a) => a.date === p.date)?.metrics ?? [];
    return [...exchanged, ...(await alignmentAnomalies(input, p, read, predict, entry, cacheDir))].filter((a) => !acceptedKinds.includes(a.kind));
  };
  const { newestFindings, newestHistory, historyDays, quarantined } = await judgeWindow(windowPartitions, {
    entries,
    profiles,
    accepted,
    options: compareOptionsOf(config, accepted),
    complete,
    modelChecks,
    cacheDir,
    config,
  });
  const anomalies = findingAnomalies(newestFindings, newest, entries.get(newest.date)!.profile.rows, config);
  await showFindingRows(
    anomalies,
    newestFindings,
    profiles.find((h) => h.date === newest.date)!,
    newestHistory,
    complete,
    readNewest,
    config,
  );
  const checked = await modelChecks(newest, readNewest);
  anomalies.push(...checked);
  const noData = new Set(acceptances.flatMap((a) => (a.fingerprint === NO_PARTITION ? [a.date] : [])));
  const missing = missingWindowDays(config, partitions, windowPartitions, dateOfDay(firstNeeded), noData);
  if (missing.anomaly !== null) anomalies.push(missing.anomaly);
  if (historyDays < options.minDays) {
    input.logger.debug(
      `history: ${newest.date} has ${historyDays} earlier day(s); partitions are tested against their history from ${options.minDays} days on`,
    );
  }
  return {
    skipped: null,
    historyDays,
    anomalies,
    quarantined,
    missing: missing.dates,
    accepted,
    newest: {
      date: newest.date,
      file: newest.file,
      fingerprint: entries.get(newest.date)!.fingerprint,
      rows: entries.get(newest.date)!.profile.rows,
      findings: newestFindings,
      errors: entries.get(newest.date)!.anomalies.filter((a) => a.severity === 'error'),
      modelErrors: checked.filter((a) => a.severity === 'error').map((a) => a.kind),
    },
    cached,
    computed,
  };
}

/** How partitions are compared with their history, from the config; `accepted`, the acceptances that hold. */
function compareOptionsOf(config: CtConfig, accepted: readonly Acceptance[]): HistoryOptions {
  const options = config.validation.history;
  const clock = clockColumns(config.features, config.data.timezone);
  const source = labelSource(config);
  return {
    minDays: options.minDays,
    maxDays: options.maxDays,
    threshold: options.threshold,
    maxRowDrop: options.maxRowDrop,
    labelColumn: profiledLabel(config),
    ...(source === undefined ? {} : { labelSource: source }),
    labelMixThreshold: config.task === 'regression' ? null : options.labelThreshold,
    ...(clock === undefined ? {} : { clock }),
    // Only a lasting change re-bases what it moved; a one-off leaves the history as it was.
    accepted: accepted.filter((a) => a.oneOff !== true),
  };
}

/** What {@link judgeWindow} works from. */
interface WindowJudging {
  entries: ReadonlyMap<string, CacheEntry>;
  /** Every needed partition's profile, oldest first. */
  profiles: readonly PartitionProfile[];
  accepted: readonly Acceptance[];
  options: HistoryOptions;
  complete: (profile: PartitionProfile) => Promise<PartitionProfile>;
  /** The production model's checks of a partition: its anomalies of every severity, less the kinds a person accepted of it. */
  modelChecks: (p: Partition) => Promise<Anomaly[]>;
  cacheDir: string;
  config: CtConfig;
}

/**
 * Judges the window's partitions in date order, each against the days before it and by the
 * production model's checks: an older one flagged is quarantined and left out of the
 * history of those after it, as is one accepted as a one-off; the newest's findings, and
 * the history they were judged against, are returned for the report.
 */
async function judgeWindow(
  windowPartitions: readonly Partition[],
  { entries, profiles, accepted, options, complete, modelChecks, cacheDir, config }: WindowJudging,
): Promise<{ newestFindings: HistoryFinding[]; newestHistory: PartitionProfile[]; historyDays: number; quarantined: QuarantinedPartition[] }> {
  const flagged = new Set<string>();
  const quarantined: QuarantinedPartition[] = [];
  const historyOf = (p: Partition): PartitionProfile[] => profiles.filter((h) => h.date < p.date && !flagged.has(h.date));
  // A partition's findings against `history`, less those of the statistics a person accepted.
  const findingsOf = async (p: Partition, history: readonly PartitionProfile[]): Promise<HistoryFinding[]> => {
    const entry = entries.get(p.date)!;
    const own = accepted.find((a) => a.date === p.date);
    const findings = await verdictOf(
      entry,
      profiles.find((h) => h.date === p.date)!,
      history,
      entries,
      options,
      complete,
      () => writeEntry(cacheDir, p.date, entry),
    );
    return findings.filter((f) => own === undefined || !own.metrics.includes(f.metric));
  };
  for (const p of windowPartitions.slice(0, -1)) {
    const entry = entries.get(p.date)!;
    const findings = await findingsOf(p, historyOf(p));
    // The newest partition's own schema errors are reported by the window's check; an older one's leave it out.
    const errors = entry.anomalies.filter((a) => a.severity === 'error');
    const blocking = rowCountFirst(
      findings.filter((f) => severityOf(f.kind, config.validation.severity) === 'error'),
      (f) => f,
    );
    // A one-off is trained on; later days are judged as if it had not happened.
    if (accepted.some((a) => a.date === p.date && a.oneOff === true)) flagged.add(p.date);
    // Every reason at once, the history's and the model's, so that one acceptance covers what a person read.
    const refused = (await modelChecks(p)).filter((a) => a.severity === 'error');
    if (blocking.length === 0 && errors.length === 0 && refused.length === 0) continue;
    flagged.add(p.date);
    quarantined.push({
      date: p.date,
      file: p.file,
      fingerprint: entry.fingerprint,
      reasons: [
        ...errors.map((a) => a.message),
        ...blocking.map((f) => findingMessage(f, p.file, p.date, config.label.text)),
        ...refused.map((a) => a.message),
      ],
      metrics: [...blocking.map((f) => f.metric), ...refused.map((a) => a.kind)],
    });
  }
  const newest = windowPartitions.at(-1)!;
  const history = historyOf(newest);
  return {
    newestFindings: await findingsOf(newest, history),
    newestHistory: history.slice(-options.maxDays),
    historyDays: Math.min(history.length, options.maxDays),
    quarantined,
  };
}

/** `items` with the row count's first (stable otherwise): the plainest sign of a partial or doubled upload. */
function rowCountFirst<T>(items: readonly T[], finding: (item: T) => HistoryFinding): T[] {
  return [...items].sort((a, b) => Number(finding(b).kind === 'partition_rows') - Number(finding(a).kind === 'partition_rows'));
}

/** One anomaly per kind and column of the newest partition's findings: its strongest, naming the other statistics that moved with it. */
function findingAnomalies(findings: readonly HistoryFinding[], newest: Partition, rows: number, config: CtConfig): Anomaly[] {
  const groups = new Map<string, HistoryFinding[]>();
  for (const f of findings) {
    const key = `${f.kind}\0${f.column ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const labelText = config.label.text;
  return rowCountFirst([...groups.values()], (group) => group[0]!).map(([strongest, ...others]): Anomaly => ({
    column: strongest!.column,
    kind: strongest!.kind,
    severity: severityOf(strongest!.kind, config.validation.severity),
    count: rows,
    share: 1,
    examples: [{ file: newest.file, row: 1 }],
    message: findingMessage(
      strongest!,
      newest.file,
      newest.date,
      labelText,
      others.map((o) => describeStatistic(o, labelText)),
    ),
  }));
}

/**
 * A partition's findings against its history. What its data and its history's data
 * decide comes from its cache entry when none of it changed (its profile, the history's
 * partitions, the options), so a run compares only the partitions that are new; the
 * production model's scores, which change with every promotion, are judged afresh (cheap).
 */
async function verdictOf(
  entry: CacheEntry,
  profile: PartitionProfile,
  history: readonly PartitionProfile[],
  entries: ReadonlyMap<string, CacheEntry>,
  options: HistoryOptions,
  complete: (profile: PartitionProfile) => Promise<PartitionProfile>,
  save: () => void,
): Promise<HistoryFinding[]> {
  const used = history.slice(-options.maxDays);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        self: [entry.fingerprint, dataMetrics(profile.metrics)],
        history: used.map((h) => [h.date, entries.get(h.date)?.fingerprint]),
        options,
        version: VERDICT_FORMAT,
      }),
    )
    .digest('hex');
  let findings = entry.verdict?.key === key ? entry.verdict.findings : undefined;
  if (findings === undefined) {
    findings = compareWithHistory(await complete(profile), await Promise.all(used.map(complete)), options, 'data');
    entry.verdict = { key, findings };
    save();
  }
  return [...findings, ...compareWithHistory(profile, used, options, 'model')].sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
}

/**
 * Bumped when what a cached verdict holds, or how it is judged, changes (2: the model's
 * scores left out of it; 3: η² judged only where its relation held, a row count against one
 * same weekday; 4: a class of a binary label gone, judged as its mix; 5: group effects;
 * 9: each numeric input's correlation with the label; 10: the hour a clock change skipped or
 * repeated left out of the hour mixes; 11: an hour mix moved by one hour named; 12: a
 * column's matches at the same row numbers, against the closest of the week before; 13:
 * a dependency's mismatched share judged with a smaller floor; 14: a keyed partition's
 * values against those its keys held the day before; 15: ... by three keys at least; 16:
 * a keyed number's step; 17: a model's error bad when it rises, heavy tails by their tail;
 * 18: a group stuck whole; 19: a defect no earlier row had allowed half a row of chance;
 * 20: earlier days' new values measured against the days before them; 21: a month's first
 * and last days by the months before; 22: ranges of the label's number gone, where a cut
 * explains them; 23: a model's score that kept under a third of its least skill; 24: the
 * top edge of the label's number; 25: values repeating the row above beyond the row two above;
 * 26: a reverse combination usual on half the days a combination usually recurs on; 27: far-out
 * values beyond chance at the earlier days' highest rate; 28: an hour mix's afternoon folded
 * back 12 hours; 30: a multiclass label's classes against their recent levels; 31: a row count short
 * alike in every group; 32: dependencies of keys that seldom repeat within a day; 33: a column's
 * spread and quartiles moved by one factor; 34: a pair's two directions moved opposite ways).
 */
const VERDICT_FORMAT = 34;

/** A profile's metrics without the production model's scores. */
function dataMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([metric]) => !metric.startsWith('model.')));
}

/**
 * The window's days without a partition where one was due, less those a person accepted as
 * having no data (`noData`), and their anomaly (null when there are none). The history counts from
 * `historyStart` or the folder's first partition, whichever is later: before it, the
 * folder had not begun.
 */
function missingWindowDays(
  config: CtConfig,
  partitions: readonly Partition[],
  windowPartitions: readonly Partition[],
  historyStart: string,
  noData: ReadonlySet<string>,
): { dates: string[]; anomaly: Anomaly | null } {
  const newest = windowPartitions.at(-1)!;
  const since = historyStart > partitions[0]!.date ? historyStart : partitions[0]!.date;
  const start = windowStart(config, newest, windowPartitions[0]!);
  const missing = missingDays(
    partitions.filter((p) => p.date <= newest.date),
    start,
    since,
  ).filter((m) => !noData.has(m.date));
  const windowDays = dayNumber(newest.date)! - dayNumber(start)! + 1;
  return { dates: missing.map((m) => m.date), anomaly: missing.length === 0 ? null : missingPartitionAnomaly(missing, windowDays, newest, since, config) };
}

/** The first calendar day of the window (a missing first day is missing too), not its first partition. */
function windowStart(config: CtConfig, newest: Partition, first: Partition): string {
  const { window } = config.data;
  const start = window.newestDays === undefined ? first.date : dateOfDay(dayNumber(newest.date)! - window.newestDays + 1);
  return window.from !== undefined && window.from > start ? window.from : start;
}

/**
 * Days of the window with no partition where their weekday nearly always has one (a
 * missing upload): a warning by default, since the window trains on the days it has and no
 * bad row gets in; a team whose uploads must be complete makes it an error.
 */
function missingPartitionAnomaly(missing: readonly MissingDay[], windowDays: number, newest: Partition, since: string, config: CtConfig): Anomaly {
  const dates = missing.map((m) => m.date);
  const usual = [...new Map(missing.map((m) => [m.weekday, `${m.present} of the ${m.weekdays} ${WEEKDAYS[m.weekday]}`])).values()];
  const one = missing.length === 1;
  return {
    kind: 'missing_partition',
    severity: severityOf('missing_partition', config.validation.severity),
    column: null,
    count: missing.length,
    share: missing.length / windowDays,
    examples: [],
    message:
      `${path.dirname(newest.file)}: no partition for ${alternatives(dates, 'and')}, where ${alternatives(usual, 'and')} from ${since} on have one: a missing upload? ` +
      `The window is trained without ${one ? 'that day' : 'those days'}. Add the ${one ? 'file' : 'files'}, or if there was no data, ` +
      `say so: ct validate --accept ${dates[0]}`,
  };
}

/**
 * The cache entries of `needed` (read, or computed and written when missing or stale), and
 * `complete`, which gives a profile its detail: read from its file the first time it is
 * asked for, or computed again when that file does not match.
 */
async function openHistory(
  needed: readonly Partition[],
  cacheDir: string,
  config: CtConfig,
  schema: DataSchema,
): Promise<{ entries: Map<string, CacheEntry>; complete: (profile: PartitionProfile) => Promise<PartitionProfile>; cached: number; computed: number }> {
  const derivation = derivationHash(config, schema);
  let cached = 0;
  let computed = 0;
  const entries = new Map<string, CacheEntry>();
  const details = new Map<string, ProfileDetail>();
  for (const p of needed) {
    const fingerprint = fingerprintFiles([p.file]);
    let entry = readEntry(path.join(cacheDir, `${p.date}.json`), fingerprint, derivation);
    if (entry === null) {
      const profiled = await computeEntry(p, fingerprint, derivation, config, schema);
      writeEntry(cacheDir, p.date, (entry = profiled.entry), profiled.detail);
      details.set(p.date, profiled.detail);
      computed++;
    } else cached++;
    entries.set(p.date, entry);
  }
  const complete = async (profile: PartitionProfile): Promise<PartitionProfile> => {
    let detail = details.get(profile.date) ?? null;
    if (detail === null) {
      const entry = entries.get(profile.date)!;
      detail = readDetail(cacheDir, profile.date, entry);
      if (detail === null) {
        const p = needed.find((n) => n.date === profile.date)!;
        detail = (await computeEntry(p, entry.fingerprint, entry.derivation, config, schema)).detail;
        writeEntry(cacheDir, p.date, entry, detail);
      }
      details.set(profile.date, detail);
    }
    return { ...profile, ...detail };
  };
  return { entries, complete, cached, computed };
}

/** The number column a classification label is read off by a threshold (`delay` of `delay > 15`), if it is. */
function labelSource(config: CtConfig): string | undefined {
  return config.task !== 'regression' && config.label.op !== undefined ? config.label.column : undefined;
}

/** The label's column in a profile: a multiclass label is its own column; a binary label or a regression target is the derived label. */
function profiledLabel(config: CtConfig): string {
  return config.task === 'multiclass' ? config.label.column : LABEL_COLUMN;
}

/**
 * How the model reads its source columns: `quantities`, the numbers it takes as numbers
 * (its numeric and bucketized inputs, and the label's column), and `codes`, the numbers it
 * takes as they are as categories (a store id). A cross or a time transform is neither.
 * `inputs` names its numeric inputs as a profile holds them: one it reads as it is by its
 * column, one it transforms (`log1p`) by its derived column; never the label's column.
 */
export function columnRoles(config: CtConfig): { quantities: Set<string>; codes: Set<string>; inputs: Set<string> } {
  const direct = config.features.filter((f) => f.cross === undefined);
  const numeric = direct.filter((f) => (f.kind ?? 'numeric') === 'numeric' && f.transform !== 'bucketize' && f.column !== config.label.column);
  return {
    inputs: new Set(numeric.map((f) => (f.transform === 'none' ? f.column : `${DERIVED_PREFIX}${f.name}`))),
    quantities: new Set([
      ...direct.filter((f) => (f.kind ?? 'numeric') === 'numeric' || f.transform === 'bucketize').map((f) => f.column),
      config.label.column,
    ]),
    codes: new Set(direct.filter((f) => f.kind === 'categorical' && f.transform === 'none').map((f) => f.column)),
  };
}

/**
 * The columns a profile summarises: the raw ones, the model's derived inputs and the label.
 * A label that is a column as it is (a regression target) is summarised once, as the label.
 */
function profileTable(table: Table, config: CtConfig): Table {
  const extra = derivedInputColumns(table, config.features, config.data.timezone);
  let raw = table.columns;
  if (config.task !== 'multiclass') {
    try {
      extra.push(numberColumnOf(LABEL_COLUMN, labelColumnValues(table, { ...config.label, task: config.task })));
      if (config.label.op === undefined) raw = raw.filter((c) => c.name !== config.label.column);
    } catch {
      // No label column (or one of another type): the schema check says so; no label statistics.
    }
  }
  return { ...table, columns: [...raw, ...extra] };
}

/** The table with each instant as its time of day: rows sent again with their dates moved by whole days hash alike. */
function withTimesOfDay(table: Table): Table {
  return { ...table, columns: table.columns.map((c) => (c.type === 'timestamp' ? { ...c, values: c.values.map(timeOfDay) } : c)) };
}

async function computeEntry(
  p: Partition,
  fingerprint: string,
  derivation: string,
  config: CtConfig,
  schema: DataSchema,
): Promise<{ entry: CacheEntry; detail: ProfileDetail }> {
  const checker = createAnomalyChecker(schema, {
    severity: config.validation.severity,
    duplicates: true,
    ...(config.data.timestamp === undefined ? {} : { partitionTime: config.data.timestamp }),
  });
  const stats = createStatistics();
  const readOptions = config.data.format === undefined ? {} : { format: config.data.format };
  // Times left out of the sketch: a stale copy with its dates moved to the new day is still a copy.
  const times = new Set(schema.columns.filter((c) => c.type === 'timestamp').map((c) => c.name));
  let sketch: number[] = [];
  let timedSketch: number[] = [];
  // Numbers the model reads as categories (a store id): no mean, quantiles or variance to explain.
  const { quantities, codes, inputs } = columnRoles(config);
  const relations = createRelations(codes);
  const dependencies = createDependencies(codes);
  const orientations = createOrientations(config.data.timestamp, config.data.timezone);
  // A regression target has no classes to lose; a multiclass label is profiled as its own column.
  // Crossed inputs are left out: their small groups (an airport in one hour) are all late together in a storm.
  const crossed = new Set(config.features.filter((f) => f.cross !== undefined).map((f) => `${DERIVED_PREFIX}${f.name}`));
  const labelGroups = createLabelGroups(config.task === 'regression' ? null : profiledLabel(config), { codes, skip: crossed });
  const frozenGroups = createFrozenGroups({ codes, skip: crossed });
  const rowSampler = createRowSample(times);
  const numericShape = createNumericShape(quantities, config.label.column);
  // The model's inputs as they are (numbers and categories) and the label: where a fill from above changes what it learns.
  const repeatsAbove = createRepeatsAbove(new Set([...quantities, ...codes]));
  const labelCorrelations = createLabelCorrelations(LABEL_COLUMN, inputs);
  const inputRepeats = createInputRepeats(config.label.column);
  const entry = (
    { categories, sketch, timedSketch, dependencies, orientations, labelGroups, frozenGroups, rowSample, effects, ...summary }: PartitionProfile,
    anomalies: Anomaly[],
  ) => ({
    entry: {
      format: 'ct-partition-profile',
      version: PROFILE_FORMAT,
      file: path.basename(p.file),
      fingerprint,
      derivation,
      profile: summary,
      anomalies,
      scores: {},
    } as CacheEntry,
    detail: { categories, sketch, timedSketch, dependencies, orientations, labelGroups, frozenGroups, rowSample, effects },
  });
  try {
    for await (const raw of readChunksOf([p.file], readOptions)) {
      checker.add(raw);
      // The checker reports values of the wrong type; the profile reads the rest as the schema says.
      const chunk = asSchemaTypes(raw, schema);
      const profiled = profileTable(chunk, config);
      stats.add(profiled);
      relations.add(profiled);
      labelCorrelations.add(profiled);
      labelGroups.add(profiled);
      frozenGroups.add(profiled);
      rowSampler.add(chunk);
      dependencies.add(chunk);
      orientations.add(chunk);
      numericShape.add(chunk);
      repeatsAbove.add(chunk);
      inputRepeats.add(chunk);
      sketch = mergeSketch(sketch, rowHashes(chunk, times));
      timedSketch = mergeSketch(timedSketch, rowHashes(withTimesOfDay(chunk)), TIMED_SKETCH_SIZE);
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // A partition that cannot be read is bad data of that day: an error anomaly, not a stopped tool.
    const unreadable: Anomaly = {
      kind: 'unreadable_file',
      severity: 'error',
      column: null,
      count: 0,
      share: 1,
      message: `${error.message}: the file cannot be read (an interrupted copy, another encoding or format?); fix or replace it`,
      examples: [{ file: p.file, row: 1 }],
    };
    return entry({ date: p.date, rows: 0, metrics: {}, categories: {} }, [unreadable]);
  }
  const anomalies = checker.result();
  const duplicates = anomalies.find((a) => a.kind === 'duplicate_rows')?.count ?? 0;
  return entry(
    profileOf(p.date, stats.result(), {
      duplicates,
      inputRepeats: inputRepeats.result(),
      codes,
      sketch,
      timedSketch,
      relations: { ...relations.result(), ...labelCorrelations.result() },
      effects: relations.effects(),
      numericShape: numericShape.result(),
      repeatsAbove: repeatsAbove.result(),
      dependencies: dependencies.result(),
      orientations: orientations.result(),
      labelGroups: labelGroups.result(),
      frozenGroups: frozenGroups.result(),
      rowSample: rowSampler.result(),
      timeZone: config.data.timezone,
      ranges: labelSource(config),
    }),
    anomalies,
  );
}
