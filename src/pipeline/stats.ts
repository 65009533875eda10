/**
 * `ct stats compute | merge | run`: data statistics computed per group of partitions
 * and merged, so a large window can be summarised by many jobs (a matrix) or processes
 * at once. The statistics are mergeable by design (counts, extremes, exact frequencies,
 * DDSketch quantiles, Chan's mean and variance): merging the groups' files gives what
 * one pass over all of them gives (mean and standard deviation up to rounding).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { planBatch, planDataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { checkedDate, listPartitions } from '../data/partitions.js';
import { readChunksOf } from '../data/stream.js';
import { UserError } from '../errors.js';
import { makeFolder, readJson, writeJson } from '../files.js';
import { createStatistics, type DatasetStatistics, mergeStatistics, parseStatistics } from '../validate/statistics.js';
import { dataSource, type StageContext } from './context.js';
import { ctBinary, runCtProcess } from './ct-process.js';

/** What `compute`, `merge` and `run` wrote. */
export interface StatsResult {
  /** The statistics file written. */
  file: string;
  rows: number;
  /** Data files summarised (compute), or statistics files merged (merge, run). */
  inputs: string[];
  seconds: number;
  /** `run`: how many groups, computed at once. */
  groups?: number;
}

/** Where a command writes its statistics. */
export function statisticsFile(outDir: string): string {
  return path.join(outDir, 'statistics.json');
}

/**
 * The data files of a stats command: `--data` (a file or every partition of a folder),
 * else the partitions of data.path from `from` to `to` (inclusive), else the configured window.
 */
export function statsFiles(ctx: StageContext, range: { from?: string; to?: string }): string[] {
  if (ctx.data !== undefined) return planBatch(ctx.data).files;
  if (range.from === undefined && range.to === undefined) return planDataset(ctx.loaded.config.data, dataSource(ctx)).files;
  const from = range.from === undefined ? undefined : (checkedDate(range.from, '--from'), range.from);
  const to = range.to === undefined ? undefined : (checkedDate(range.to, '--to'), range.to);
  const files = listPartitions(dataSource(ctx))
    .filter((p) => (from === undefined || p.date >= from) && (to === undefined || p.date <= to))
    .map((p) => p.file);
  if (files.length === 0) throw new UserError(`no partitions of ${displayPath(dataSource(ctx))} in ${from ?? '…'}..${to ?? '…'} (--from, --to)`);
  return files;
}

/** `ct stats compute`: one streaming pass over the files into `<out>/statistics.json`. */
export async function runStatsCompute(ctx: StageContext, range: { from?: string; to?: string } = {}): Promise<StatsResult> {
  const started = performance.now();
  const files = statsFiles(ctx, range);
  const format = ctx.loaded.config.data.format;
  const statistics = createStatistics();
  for await (const table of readChunksOf(files, format === undefined ? {} : { format })) statistics.add(table);
  const file = statisticsFile(ctx.outDir);
  writeJson(file, statistics.result());
  const result: StatsResult = { file: displayPath(file), rows: statistics.rows, inputs: files.map(displayPath), seconds: (performance.now() - started) / 1000 };
  ctx.logger.info(`statistics of ${result.rows} rows from ${files.length} file(s) written to ${result.file} in ${result.seconds.toFixed(1)} s`);
  return result;
}

/** Merges statistics files (in the order given) into one. */
export function mergeStatisticsFiles(files: readonly string[]): DatasetStatistics {
  if (files.length === 0) throw new UserError('ct stats merge: give the statistics files to merge');
  const [first, ...rest] = files.map((f) => parseStatistics(readJson(f, 'statistics'), displayPath(f)));
  return rest.reduce((merged, next) => mergeStatistics(merged, next), first!);
}

/** `ct stats merge <files...>`: one statistics file for all of them, in `<out>/statistics.json`. */
export function runStatsMerge(ctx: StageContext, files: readonly string[]): StatsResult {
  const started = performance.now();
  const merged = mergeStatisticsFiles(files);
  const file = statisticsFile(ctx.outDir);
  writeJson(file, merged);
  const result: StatsResult = { file: displayPath(file), rows: merged.rows, inputs: files.map(displayPath), seconds: (performance.now() - started) / 1000 };
  ctx.logger.info(`merged ${files.length} statistics file(s), ${merged.rows} rows, into ${result.file}`);
  return result;
}

/**
 * Splits the files into `groups` contiguous groups of about equal size (file order
 * kept), fewer when there are fewer files.
 */
export function groupFiles<T>(files: readonly T[], groups: number): T[][] {
  const n = Math.max(1, Math.min(groups, files.length));
  return Array.from({ length: n }, (_, k) => files.slice(Math.floor((k * files.length) / n), Math.floor(((k + 1) * files.length) / n)));
}

/**
 * `ct stats run --groups N`: the window's partitions in N contiguous groups, each
 * summarised by its own process at once, then merged into `<out>/statistics.json`.
 */
export async function runStatsParallel(ctx: StageContext, options: { groups: number; bin?: string }): Promise<StatsResult> {
  if (!(Number.isInteger(options.groups) && options.groups >= 1)) throw new UserError(`--groups: expected a whole number >= 1, got ${options.groups}`);
  const started = performance.now();
  const bin = options.bin ?? ctBinary();
  if (ctx.data !== undefined)
    throw new UserError('ct stats run splits the partitions of data.path; for other data use ct stats compute --data, then ct stats merge');
  const partitions = listPartitions(dataSource(ctx));
  const window = new Set(planDataset(ctx.loaded.config.data, dataSource(ctx)).files.map(displayPath));
  const groups = groupFiles(
    partitions.filter((p) => window.has(p.file)),
    options.groups,
  );
  const outputs = groups.map((_, k) => path.join(ctx.outDir, 'groups', `group-${k + 1}`));
  await Promise.all(
    groups.map(async (group, k) => {
      makeFolder(outputs[k]!);
      const args = ['stats', 'compute', '--config', ctx.loaded.file, '--from', group[0]!.date, '--to', group.at(-1)!.date, '--out', outputs[k]!, '--quiet'];
      const { status, stderr } = await runCtProcess(args, bin);
      if (status !== 0)
        throw new UserError(
          `stats of group ${k + 1} (${group[0]!.date}..${group.at(-1)!.date}) failed: ${stderr.trim().split('\n').at(-1) ?? `exit ${status}`}`,
        );
    }),
  );
  const merged = runStatsMerge(ctx, outputs.map(statisticsFile));
  const result: StatsResult = { ...merged, seconds: (performance.now() - started) / 1000, groups: groups.length };
  ctx.logger.info(`statistics of ${groups.length} group(s) computed at once and merged in ${result.seconds.toFixed(1)} s`);
  return result;
}
