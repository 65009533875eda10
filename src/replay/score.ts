/**
 * Scoring what each policy serves on the period after a step: the served models, loaded
 * once each and kept while they serve, scored on the labelled rows of that period.
 */
import type { DataFormat } from '../config/types.js';
import { displayPath } from '../data/files.js';
import type { Partition } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { weightedMetrics } from '../evaluate/metrics.js';
import { type LoadedModel, loadModel, scoreLabelledRows } from '../evaluate/score.js';
import { POLICIES, type Policy } from './schedule.js';
import type { Served } from './served.js';

/** Loaded models by folder, so a model that serves several steps loads once. */
export class ModelCache {
  private readonly models = new Map<string, LoadedModel>();

  /** The model in `dir`, loaded on first use. */
  async get(dir: string): Promise<LoadedModel> {
    let model = this.models.get(dir);
    if (model === undefined) {
      model = await loadModel(dir, `model in ${displayPath(dir)}`);
      this.models.set(dir, model);
    }
    return model;
  }

  /** Disposes every model whose folder is not listed. */
  keepOnly(dirs: ReadonlyArray<string | undefined>): void {
    for (const [dir, model] of this.models) {
      if (!dirs.includes(dir)) {
        model.model.dispose();
        this.models.delete(dir);
      }
    }
  }
}

/** How the served models are scored: the config's threshold, the replay's metric, the data's format. */
export interface NextPeriodScoring {
  threshold: number;
  metric: string;
  format: DataFormat | undefined;
}

/** The period a step's models were scored on, and the metric of each policy's model there. */
export interface NextPeriodScores {
  next: { first: string; last: string; rows: number };
  scores: Record<Policy, number | null>;
}

/**
 * Scores each served model (once per distinct folder) on the partitions from `first`
 * through `last`; null when no partition falls in that period.
 */
export async function scoreNextPeriod(
  partitions: readonly Partition[],
  period: { first: string; last: string },
  served: Served,
  models: ModelCache,
  scoring: NextPeriodScoring,
): Promise<NextPeriodScores | null> {
  const next = partitions.filter((p) => p.date >= period.first && p.date <= period.last);
  if (next.length === 0) return null;
  const table = await readTables(
    next.map((p) => p.file),
    scoring.format === undefined ? {} : { format: scoring.format },
  );
  const scores: Record<Policy, number | null> = { never: null, always: null, gated: null };
  const byDir = new Map<string, number>();
  let rows = 0;
  for (const policy of POLICIES) {
    const model = served[policy];
    if (model === null) continue;
    let value = byDir.get(model.dir);
    if (value === undefined) {
      const loaded = await models.get(model.dir);
      const { scored } = scoreLabelledRows(table, loaded, { threshold: scoring.threshold, classes: loaded.width });
      rows = scored.rows;
      value = weightedMetrics(scored, null, [scoring.metric])[scoring.metric]!;
      byDir.set(model.dir, value);
    }
    scores[policy] = value;
  }
  return { next: { first: next[0]!.date, last: next.at(-1)!.date, rows: rows || table.rowCount }, scores };
}
