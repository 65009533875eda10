/**
 * Scoring what each policy serves on the period after a step: the served models, loaded
 * once each and kept while they serve, scored on the labelled rows of that period.
 */
import type { DataFormat } from '../config/types.js';
import { displayPath } from '../data/files.js';
import type { Partition } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { scoreRows, weightedMetrics } from '../evaluate/metrics.js';
import { type LoadedModel, loadModel, predictLabelledRows } from '../evaluate/score.js';
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

/** Part of a step's period and what each policy served on it (a retried step serves two models in turn). */
export interface ServedSpan {
  first: string;
  last: string;
  served: Served;
}

/**
 * Scores what each policy served on the partitions of `spans` (consecutive days): the
 * predictions of the model served on each span, pooled over the spans and scored as one
 * (once per distinct sequence of folders); null when no partition falls in them.
 */
export async function scoreNextPeriod(
  partitions: readonly Partition[],
  spans: readonly ServedSpan[],
  models: ModelCache,
  scoring: NextPeriodScoring,
): Promise<NextPeriodScores | null> {
  const days = spans.map((s) => partitions.filter((p) => p.date >= s.first && p.date <= s.last));
  const next = days.flat();
  if (next.length === 0) return null;
  const read = scoring.format === undefined ? {} : { format: scoring.format };
  const tables: Array<Table | null> = [];
  for (const d of days)
    tables.push(
      d.length === 0
        ? null
        : await readTables(
            d.map((p) => p.file),
            read,
          ),
    );
  const scores: Record<Policy, number | null> = { never: null, always: null, gated: null };
  const bySequence = new Map<string, { value: number; rows: number }>();
  for (const policy of POLICIES) {
    const dirs = spans.map((s) => s.served[policy]?.dir ?? null);
    if (dirs.every((d) => d === null)) continue;
    const key = dirs.join('\0');
    let scored = bySequence.get(key);
    if (scored === undefined) {
      const labels: Float32Array[] = [];
      const preds: Float32Array[] = [];
      let last: LoadedModel | null = null;
      for (const [k, table] of tables.entries()) {
        const dir = dirs[k];
        if (table === null || dir === null || dir === undefined) continue;
        last = await models.get(dir);
        const predicted = predictLabelledRows(table, last);
        labels.push(predicted.labels);
        preds.push(predicted.preds);
      }
      if (last === null) continue;
      const rows = scoreRows(last.preprocessing.task, concat(labels), concat(preds), { threshold: scoring.threshold, classes: last.width });
      scored = { value: weightedMetrics(rows, null, [scoring.metric])[scoring.metric]!, rows: rows.rows };
      bySequence.set(key, scored);
    }
    scores[policy] = scored.value;
  }
  const rows = Math.max(0, ...[...bySequence.values()].map((s) => s.rows));
  return { next: { first: next[0]!.date, last: next.at(-1)!.date, rows: rows || tables.reduce((n, t) => n + (t?.rowCount ?? 0), 0) }, scores };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
