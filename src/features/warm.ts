/**
 * The preprocessing of a warm-started candidate: the parent's, grown by what the new
 * training rows bring, so that every id and scale the parent's weights were trained
 * on means the same thing. Pure.
 */
import type { CategoricalFeature, FittedFeature, NumericFeature, Preprocessing } from './preprocessing.js';

/** How a numeric feature's normalisation moved from the parent to the warm start. */
export interface ScaleChange {
  feature: string;
  from: { mean: number; std: number };
  to: { mean: number; std: number };
}

/** The merged preprocessing, and what changed against the parent's. */
export interface WarmPreprocessing {
  preprocessing: Preprocessing;
  /** New vocabulary values per feature, appended after the parent's (their ids start at the parent's cardinality). */
  grown: Record<string, string[]>;
  /** Numeric features whose mean or deviation was refreshed (empty when carried). */
  rescaled: ScaleChange[];
}

/**
 * Why `parent` cannot seed a model of `fresh`'s shape (a feature added, removed or
 * changed, another task or class set), or null when it can: vocabularies may grow and
 * statistics move, nothing else.
 */
export function warmStartMismatch(parent: Preprocessing, fresh: Preprocessing): string | null {
  if (parent.task !== fresh.task) return `the task changed (${parent.task} -> ${fresh.task})`;
  if (parent.label.column !== fresh.label.column || parent.label.text !== fresh.label.text) return 'the label changed';
  const classes = (p: Preprocessing): string => JSON.stringify(p.label.classes ?? null);
  if (classes(parent) !== classes(fresh)) return `the classes changed (${classes(parent)} -> ${classes(fresh)})`;
  const names = (p: Preprocessing): string => p.features.map((f) => f.name).join(', ');
  if (names(parent) !== names(fresh)) return `the features changed (${names(parent)} -> ${names(fresh)})`;
  for (const [i, f] of fresh.features.entries()) {
    const before = parent.features[i]!;
    const why = featureMismatch(before, f);
    if (why !== null) return `feature "${f.name}": ${why}`;
  }
  return null;
}

function featureMismatch(before: FittedFeature, after: FittedFeature): string | null {
  if (before.kind !== after.kind) return `${before.kind} -> ${after.kind}`;
  if (before.column !== after.column) return `column ${before.column} -> ${after.column}`;
  if (before.transform !== after.transform) return `transform ${before.transform} -> ${after.transform}`;
  if (before.kind === 'numeric' || after.kind === 'numeric') return null;
  // Its token ids would shift with a grown vocabulary: a text model retrains from scratch.
  if (before.kind === 'text' || after.kind === 'text') return 'a text feature, whose vocabulary is not grown in a warm start';
  // Its scale is not carried position by position: a sequence model retrains from scratch.
  if (before.kind === 'sequence' || after.kind === 'sequence') return 'a sequence feature, whose scale is not carried in a warm start';
  if (before.embedding !== after.embedding) return `embedding ${before.embedding} -> ${after.embedding}`;
  if ((before.vocabulary === undefined) !== (after.vocabulary === undefined)) return 'vocabulary added or removed';
  if (before.vocabulary === undefined && before.cardinality !== after.cardinality) return `cardinality ${before.cardinality} -> ${after.cardinality}`;
  if (JSON.stringify(before.boundaries ?? null) !== JSON.stringify(after.boundaries ?? null)) return 'bucket boundaries changed';
  if (JSON.stringify(before.cross ?? null) !== JSON.stringify(after.cross ?? null) || before.hashBuckets !== after.hashBuckets) return 'the cross changed';
  if (before.timeZone !== after.timeZone) return `time zone ${before.timeZone ?? 'UTC'} -> ${after.timeZone ?? 'UTC'}`;
  return null;
}

/**
 * The parent's preprocessing grown by `fresh` (fitted on the new training rows; check
 * {@link warmStartMismatch} first). Vocabularies keep the parent's ids and append values
 * the new rows kept; the label encoding is the parent's; a numeric feature's range
 * becomes the union of both, its mean and deviation stay the parent's (`carry`) or take
 * the new rows' (`refresh`, which the model's first layer must compensate).
 */
export function warmPreprocessing(parent: Preprocessing, fresh: Preprocessing, statistics: 'carry' | 'refresh'): WarmPreprocessing {
  const grown: Record<string, string[]> = {};
  const rescaled: ScaleChange[] = [];
  const features = fresh.features.map((f, i): FittedFeature => {
    const before = parent.features[i]!;
    if (before.kind === 'numeric' && f.kind === 'numeric') {
      const merged = mergedNumeric(before, f, statistics);
      if (merged.mean !== before.mean || merged.std !== before.std) {
        rescaled.push({ feature: f.name, from: { mean: before.mean, std: before.std }, to: { mean: merged.mean, std: merged.std } });
      }
      return merged;
    }
    const cat = before as CategoricalFeature;
    if (cat.vocabulary === undefined) return cat;
    const known = new Set(cat.vocabulary);
    const added = ((f as CategoricalFeature).vocabulary ?? []).filter((v) => !known.has(v));
    if (added.length > 0) grown[f.name] = added;
    const vocabulary = [...cat.vocabulary, ...added];
    return { ...cat, vocabulary, cardinality: vocabulary.length + 1, outOfVocabularyShare: (f as CategoricalFeature).outOfVocabularyShare ?? 0 };
  });
  return { preprocessing: { ...parent, features }, grown, rescaled };
}

function mergedNumeric(before: NumericFeature, after: NumericFeature, statistics: 'carry' | 'refresh'): NumericFeature {
  const scale = statistics === 'refresh' ? { mean: after.mean, std: after.std } : { mean: before.mean, std: before.std };
  const merged: NumericFeature = { ...before, ...scale };
  delete merged.min;
  delete merged.max;
  const mins = [before.min, after.min].filter((v): v is number => typeof v === 'number');
  const maxes = [before.max, after.max].filter((v): v is number => typeof v === 'number');
  return mins.length === 0 || maxes.length === 0 ? merged : { ...merged, min: Math.min(...mins), max: Math.max(...maxes) };
}
