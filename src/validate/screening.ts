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
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CtConfig, LabelConfig, Task } from '../config/types.js';
import { fingerprintFiles, planDataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { dateOfDay, dayNumber, listPartitions, type MissingDay, missingDays, type Partition } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { readChunksOf } from '../data/stream.js';
import { findColumn, numberColumnOf, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { headlineMetric, scoreRows, weightedMetrics } from '../evaluate/metrics.js';
import { DERIVED_PREFIX, derivedInputColumns, LABEL_COLUMN } from '../features/derived.js';
import { labelColumnValues } from '../features/label.js';
import { readJson, writeFileAtomic, writeJson } from '../files.js';
import type { Logger } from '../logger.js';
import { timeOfDay } from '../time.js';
import { alignmentInput, findMisalignment, type LocatedMisalignment, locateMisalignment, misalignmentAnomaly } from './alignment.js';
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
import { EXCHANGE_REFERENCE_DAYS, exchangeablePairs, exchangeAnomaly, exchangeColumns, exchangeGain } from './exchange.js';
import { compareWithHistory, type HistoryFinding, type HistoryOptions, MODEL_HISTORY_DAYS } from './history.js';
import { describeStatistic, findingMessage, WEEKDAYS } from './history-words.js';
import { createRelations, mergeSketch, type PartitionProfile, profileOf, TIMED_SKETCH_SIZE } from './profile.js';
import { asSchemaTypes, type DataSchema, severityOf } from './schema.js';
import { createStatistics } from './statistics.js';
import { type LoadedModel, predictLabelledRows } from '../evaluate/score.js';
import type { Acceptance, QuarantinedPartition } from '../artifacts.js';
import { alternatives } from '../words.js';

/** Bumped when what a profile, or the anomalies cached with it, holds changes: older cache entries are recomputed. */
const PROFILE_FORMAT = 45;

/**
 * The parts of a profile only a comparison with the history reads (value mixes, the row
 * sketch, dependencies, pairs' directions): the bulk of it, kept in a second file
 * (`<day>.detail.json`) and read only when a verdict is computed, so a run whose verdicts are
 * all cached reads a few kilobytes per day.
 */
type ProfileDetail = Pick<
  PartitionProfile,
  'categories' | 'sketch' | 'timedSketch' | 'dependencies' | 'orientations' | 'labelGroups' | 'frozenGroups' | 'rowSample' | 'effects'
>;

/** A partition's profile without its detail: its rows and flat metrics. */
type ProfileSummary = Omit<PartitionProfile, keyof ProfileDetail>;

interface DetailFile {
  format: 'ct-partition-detail';
  version: number;
  fingerprint: string;
  derivation: string;
  detail: ProfileDetail;
}

/** One cache entry: a partition's profile summary, its own schema check, and model scores by version. */
interface CacheEntry {
  format: 'ct-partition-profile';
  version: number;
  file: string;
  fingerprint: string;
  derivation: string;
  profile: ProfileSummary;
  anomalies: Anomaly[];
  /** The production model's score per version; `chance`, the most a model without skill scores on the day's labels (AUC). */
  scores: Record<string, { metric: string; value: number; rows: number; chance?: number; noise?: number }>;
  /** The partition's most misaligned-looking stretch of labels, per production model version ('' without one). */
  alignment?: Record<string, LocatedMisalignment | null>;
  /** The partition's findings against its history, kept by a hash of everything they depend on. */
  verdict?: { key: string; findings: HistoryFinding[] };
}

interface AcceptedFile {
  format: 'ct-accepted';
  version: 1;
  partitions: Acceptance[];
}

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
  /** The newest partition: its findings (kept for `--accept`), and the errors of its own schema check. */
  newest: { date: string; file: string; fingerprint: string; rows: number; findings: HistoryFinding[]; errors: Anomaly[] } | null;
  /** Profiles read from the cache and computed this run. */
  cached: number;
  computed: number;
}

/** The production model as screening scores it. */
export interface ScreeningModel {
  version: string;
  model: () => Promise<LoadedModel['model']>;
  preprocessing: LoadedModel['preprocessing'];
}

export interface ScreeningInput {
  config: CtConfig;
  /** Folder of the config: the cache path is relative to it. */
  baseDir: string;
  /** The data folder (or file: then nothing is screened). */
  source: string;
  schema: DataSchema;
  schemaFile: string;
  production: ScreeningModel | null;
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

/** Where `accepted.json` lives: beside the data schema. */
export function acceptedPath(schemaFile: string): string {
  return path.join(path.dirname(schemaFile), 'accepted.json');
}

/** The acceptances recorded beside the schema (none when the file does not exist). */
export function readAccepted(schemaFile: string): Acceptance[] {
  const file = acceptedPath(schemaFile);
  if (!existsSync(file)) return [];
  const raw = readJson<Partial<AcceptedFile>>(file, 'accepted partitions');
  if (raw.format !== 'ct-accepted' || !Array.isArray(raw.partitions))
    throw new UserError(`${displayPath(file)}: not an accepted-partitions file ("format": "ct-accepted", "partitions": [...])`);
  raw.partitions.forEach((p, i) => {
    if (typeof p?.date !== 'string' || typeof p.fingerprint !== 'string' || !Array.isArray(p.metrics))
      throw new UserError(`${displayPath(file)}: partitions[${i}] needs "date", "fingerprint" and "metrics"`);
    if (p.oneOff !== undefined && p.oneOff !== true) throw new UserError(`${displayPath(file)}: partitions[${i}].oneOff: expected true or no such field`);
  });
  return raw.partitions;
}

/** The fingerprint of an acceptance that a day has no data: there is no file to fingerprint. */
export const NO_PARTITION = 'none';

/** Records a person's acceptance of a partition's change; replaces an earlier one of the same day. */
export function writeAcceptance(schemaFile: string, acceptance: Acceptance): string {
  const file = acceptedPath(schemaFile);
  const partitions = readAccepted(schemaFile).filter((p) => p.date !== acceptance.date);
  partitions.push(acceptance);
  partitions.sort((a, b) => (a.date < b.date ? -1 : 1));
  writeJson(file, { format: 'ct-accepted', version: 1, partitions } satisfies AcceptedFile);
  return file;
}

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
  // The model is scored only where its score can be judged: a readable newest day with enough days before it.
  const judgeable = entries.get(newest.date)!.anomalies.every((a) => a.severity !== 'error') && needed.length > MODEL_HISTORY_DAYS;
  // The newest partition is read whole at most once, however many checks score it.
  const readNewest = readOnce(newest, config);
  // ...and predicted by the production model at most once: its own score and the alignment check share the predictions.
  const predictNewest = input.production === null ? null : predictOnce(readNewest, input.production);
  const scored = judgeable ? await modelScores(input, needed, entries, newest, predictNewest, cacheDir) : { metric: '', days: new Map<string, DayScore>() };
  const profiles = needed.map((p) => withScore({ ...entries.get(p.date)!.profile, categories: {} }, scored.metric, scored.days.get(p.date)));
  const { newestFindings, newestHistory, historyDays, quarantined } = await judgeWindow(windowPartitions, {
    entries,
    profiles,
    accepted,
    options: compareOptionsOf(config, accepted),
    complete,
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
  if (judgeable) anomalies.push(...(await exchangeAnomalies(input, needed, newest, readNewest, entries, scored.days, cacheDir)));
  if (entries.get(newest.date)!.anomalies.every((a) => a.severity !== 'error'))
    anomalies.push(...(await alignmentAnomalies(input, newest, readNewest, predictNewest, entries.get(newest.date)!, cacheDir)));
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
  cacheDir: string;
  config: CtConfig;
}

/**
 * Judges the window's partitions in date order, each against the days before it: an older
 * one flagged is quarantined and left out of the history of those after it, as is one
 * accepted as a one-off; the newest's findings, and the history they were judged against,
 * are returned for the report.
 */
async function judgeWindow(
  windowPartitions: readonly Partition[],
  { entries, profiles, accepted, options, complete, cacheDir, config }: WindowJudging,
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
    if (blocking.length === 0 && errors.length === 0) continue;
    flagged.add(p.date);
    quarantined.push({
      date: p.date,
      file: p.file,
      fingerprint: entry.fingerprint,
      reasons: [...errors.map((a) => a.message), ...blocking.map((f) => findingMessage(f, p.file, p.date, config.label.text))],
      metrics: blocking.map((f) => f.metric),
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
 * values beyond chance at the earlier days' highest rate).
 */
const VERDICT_FORMAT = 27;

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

/** What a profile derives from besides the partition's bytes: the schema, the features, the label, the clock. */
function derivationHash(config: CtConfig, schema: DataSchema): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      format: PROFILE_FORMAT,
      schema,
      features: config.features,
      label: config.label,
      task: config.task,
      timestamp: config.data.timestamp ?? null,
      // Only when set: the profiles of data read as UTC keep their cache.
      ...(config.data.timezone === undefined ? {} : { timezone: config.data.timezone }),
    }),
  );
  return `sha256:${hash.digest('hex')}`;
}

/** The cache folder of one data folder: its path below the config's folder, or a hash of it when it is elsewhere. */
function cacheFolder(baseDir: string, cache: string, source: string): string {
  const root = path.resolve(baseDir, cache);
  const relative = path.relative(baseDir, path.resolve(source));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return path.join(root, inside ? relative : `external-${createHash('sha256').update(path.resolve(source)).digest('hex').slice(0, 16)}`);
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

/** Writes a partition's cache entry, and its detail when given. */
function writeEntry(cacheDir: string, date: string, entry: CacheEntry, detail?: ProfileDetail): void {
  // The detail without indentation: it is read by programs only, and is most of the cache.
  if (detail !== undefined)
    writeFileAtomic(
      path.join(cacheDir, `${date}.detail.json`),
      JSON.stringify({
        format: 'ct-partition-detail',
        version: PROFILE_FORMAT,
        fingerprint: entry.fingerprint,
        derivation: entry.derivation,
        detail,
      } satisfies DetailFile),
    );
  writeJson(path.join(cacheDir, `${date}.json`), entry);
}

/** A partition's profile detail from its file; null when missing, damaged or of other data. */
function readDetail(cacheDir: string, date: string, entry: CacheEntry): ProfileDetail | null {
  try {
    const file = JSON.parse(readFileSync(path.join(cacheDir, `${date}.detail.json`), 'utf8')) as DetailFile;
    if (
      file.format !== 'ct-partition-detail' ||
      file.version !== PROFILE_FORMAT ||
      file.fingerprint !== entry.fingerprint ||
      file.derivation !== entry.derivation
    )
      return null;
    return file.detail;
  } catch {
    return null;
  }
}

function readEntry(file: string, fingerprint: string, derivation: string): CacheEntry | null {
  if (!existsSync(file)) return null;
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    if (entry.format !== 'ct-partition-profile' || entry.version !== PROFILE_FORMAT || entry.fingerprint !== fingerprint || entry.derivation !== derivation)
      return null;
    return wellFormed(entry) ? entry : null;
  } catch {
    // A damaged cache entry is recomputed, as a missing one is.
    return null;
  }
}

/**
 * Whether an entry whose header matches holds what ct wrote: a row count, finite metrics,
 * anomalies and scores. An entry edited or damaged inside (a metric turned null) is
 * recomputed rather than trusted.
 */
function wellFormed(entry: CacheEntry): boolean {
  const { profile } = entry;
  return (
    typeof profile === 'object' &&
    profile !== null &&
    Number.isInteger(profile.rows) &&
    typeof profile.metrics === 'object' &&
    profile.metrics !== null &&
    Object.values(profile.metrics).every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    Array.isArray(entry.anomalies) &&
    typeof entry.scores === 'object' &&
    entry.scores !== null
  );
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

/**
 * The production model's headline metric on the newest partition and the days before it
 * (at most `minDays`), cached per model version in the partitions' entries. Only labelled
 * rows count; a day the model cannot read is left out.
 */
async function modelScores(
  input: ScreeningInput,
  needed: readonly Partition[],
  entries: Map<string, CacheEntry>,
  newest: Partition,
  predictNewest: (() => Promise<DayPredictions>) | null,
  cacheDir: string,
): Promise<{ metric: string; days: Map<string, DayScore> }> {
  const scores = new Map<string, DayScore>();
  const { production, config } = input;
  if (production === null || predictNewest === null || !config.validation.history.model) return { metric: '', days: scores };
  const metric = headlineMetric(production.preprocessing.task).name;
  const days = needed.filter((p) => p.date <= newest.date).slice(-(Math.max(config.validation.history.minDays, MODEL_HISTORY_DAYS) + 1));
  for (const p of days) {
    const predict = p === newest ? predictNewest : predictOnce(readOnce(p, config), production);
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
 * Columns of one domain delivered exchanged (exchange.ts): the production model scores the
 * newest day better with a pair exchanged back than as delivered, where on the days before
 * exchanging the pair cost it. The exchanged scores are cached in each day's entry beside
 * its own score, per model version.
 */
async function exchangeAnomalies(
  input: ScreeningInput,
  needed: readonly Partition[],
  newest: Partition,
  readNewest: () => Promise<Table>,
  entries: ReadonlyMap<string, CacheEntry>,
  scores: ReadonlyMap<string, DayScore>,
  cacheDir: string,
): Promise<Anomaly[]> {
  const { production, config } = input;
  const asDelivered = scores.get(newest.date)?.value;
  const before = [...scores].filter(([date]) => date < newest.date).map(([, score]) => score.value);
  if (production === null || asDelivered === undefined || before.length === 0) return [];
  const usual = { low: Math.min(...before), high: Math.max(...before) };
  const { name: metric, higherIsBetter } = headlineMetric(production.preprocessing.task);
  const reference = needed.filter((p) => p.date < newest.date && scores.has(p.date)).slice(-EXCHANGE_REFERENCE_DAYS);
  const anomalies: Anomaly[] = [];
  for (const [a, b] of exchangeablePairs(production.preprocessing)) {
    const key = `${production.version} exchanged ${a} ${b}`;
    const exchangedScore = (p: Partition, read: () => Promise<Table>): Promise<CacheEntry['scores'][string] | null> =>
      cachedScore(p, entries.get(p.date)!, key, metric, cacheDir, () => scoreDay(predictOnce(read, production, [a, b]), production, config, metric));
    const score = await exchangedScore(newest, readNewest);
    if (score === null) continue;
    // Only a day that gains needs the days before: on most days exchanging costs the model, and nothing more is scored.
    if (!(exchangeGain(asDelivered, score.value, higherIsBetter) > 0)) continue;
    const gains: Array<{ gain: number; rows: number }> = [];
    for (const p of reference) {
      const exchanged = await exchangedScore(p, readOnce(p, config));
      if (exchanged !== null) gains.push({ gain: exchangeGain(scores.get(p.date)!.value, exchanged.value, higherIsBetter), rows: exchanged.rows });
    }
    const anomaly = exchangeAnomaly(
      {
        file: newest.file,
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
 * Labels misaligned with their rows (alignment.ts): a stretch of the newest partition whose
 * labels fit their neighbours better than their own rows, judged by the production model
 * (the day's mean label without one) and the day's own labels in each categorical input's
 * group by hour. Kept in the day's entry per model version.
 */
async function alignmentAnomalies(
  input: ScreeningInput,
  newest: Partition,
  readNewest: () => Promise<Table>,
  predictNewest: (() => Promise<DayPredictions>) | null,
  entry: CacheEntry,
  cacheDir: string,
): Promise<Anomaly[]> {
  const { production, config } = input;
  const task = config.task;
  const key = production?.version ?? '';
  entry.alignment ??= {};
  if (!(key in entry.alignment)) {
    entry.alignment[key] = await locateMisalignmentIn(readNewest, predictNewest, config, task, production);
    writeEntry(cacheDir, newest.date, entry);
  }
  const found = entry.alignment[key];
  const anomaly = found ? misalignmentAnomaly(found, newest.file, config.label.text, severityOf('labels_misaligned', config.validation.severity)) : null;
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
interface DayPredictions {
  selected: Int32Array;
  labels: Float32Array;
  preds: Float32Array;
  width: number;
}

/** The production model's predictions of the day `read` gives (with columns `a` and `b` exchanged when given), made at most once however many checks ask. */
function predictOnce(read: () => Promise<Table>, production: ScreeningModel, exchanged?: readonly [string, string]): () => Promise<DayPredictions> {
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

/** A reader of partition `p` that reads it at most once, however many checks ask. */
function readOnce(p: Partition, config: CtConfig): () => Promise<Table> {
  let table: Promise<Table> | undefined;
  return () => (table ??= readTables([p.file], config.data.format === undefined ? {} : { format: config.data.format }));
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
type DayScore = Pick<CacheEntry['scores'][string], 'value' | 'chance' | 'noise'>;

/** A profile with the production model's score on the day as one more metric (`model.<metric>`), what chance scores there, and its noise. */
function withScore(profile: PartitionProfile, metric: string, score: DayScore | undefined): PartitionProfile {
  if (score === undefined) return profile;
  return {
    ...profile,
    metrics: { ...profile.metrics, [`model.${metric}`]: score.value },
    ...(score.chance === undefined ? {} : { modelChance: score.chance }),
    ...(score.noise === undefined ? {} : { modelNoise: score.noise }),
  };
}
