/**
 * The partition history's cache: one entry per partition (its profile summary, its own
 * schema check, the production model's scores, its verdict) and a detail file with the bulk
 * of its profile, kept by the partition's content fingerprint and what the profile derives
 * from. A cache, never committed: an entry that does not match, or is damaged, is
 * recomputed from the partition.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CtConfig } from '../config/types.js';
import { writeFileAtomic, writeJson } from '../files.js';
import type { LocatedMisalignment } from './alignment.js';
import type { Anomaly } from './checker.js';
import type { HistoryFinding } from './history.js';
import type { KeptBeside, PartitionProfile } from './profile.js';
import type { DataSchema } from './schema.js';

/** Bumped when what a profile, or the anomalies cached with it, holds changes: older cache entries are recomputed. */
export const PROFILE_FORMAT = 47;

/**
 * The parts of a profile only a comparison with the history reads (value mixes, the row
 * sketch, dependencies, pairs' directions): the bulk of it, kept in a second file
 * (`<day>.detail.json`) and read only when a verdict is computed, so a run whose verdicts are
 * all cached reads a few kilobytes per day.
 */
export type ProfileDetail = Pick<PartitionProfile, 'categories'> & KeptBeside;

/** A partition's profile without its detail: its rows and flat metrics. */
export type ProfileSummary = Omit<PartitionProfile, keyof ProfileDetail>;

interface DetailFile {
  format: 'ct-partition-detail';
  version: number;
  fingerprint: string;
  derivation: string;
  detail: ProfileDetail;
}

/** One cache entry: a partition's profile summary, its own schema check, and model scores by version. */
export interface CacheEntry {
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

/** What a profile derives from besides the partition's bytes: the schema, the features, the label, the clock. */
export function derivationHash(config: CtConfig, schema: DataSchema): string {
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
export function cacheFolder(baseDir: string, cache: string, source: string): string {
  const root = path.resolve(baseDir, cache);
  const relative = path.relative(baseDir, path.resolve(source));
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return path.join(root, inside ? relative : `external-${createHash('sha256').update(path.resolve(source)).digest('hex').slice(0, 16)}`);
}

/** Writes a partition's cache entry, and its detail when given. */
export function writeEntry(cacheDir: string, date: string, entry: CacheEntry, detail?: ProfileDetail): void {
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
export function readDetail(cacheDir: string, date: string, entry: CacheEntry): ProfileDetail | null {
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

export function readEntry(file: string, fingerprint: string, derivation: string): CacheEntry | null {
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
