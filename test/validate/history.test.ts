/**
 * The partition history's rules on profiles made by hand: each test fails if a rule
 * stops finding its outlier, or starts flagging an ordinary day.
 */
import { createDependencies } from '../../src/validate/dependencies.js';
import { BROKEN_SIGNAL, compareWithHistory, type HistoryFinding, type HistoryOptions, mixChanges, weekdayOf } from '../../src/validate/history.js';
import { describeMetric, findingMessage } from '../../src/validate/history-words.js';
import {
  createRelations,
  HELD_SIGNAL,
  mergeSketch,
  type PartitionProfile,
  profileOf,
  SKETCH_SIZE,
  sketchSimilarity,
  TIMED_SKETCH_SIZE,
} from '../../src/validate/profile.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { aucChance, scoreNoise } from '../../src/validate/model-checks.js';
import type { Column } from '../../src/data/table.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { mulberry32 } from '../../src/train/random.js';
import { dateOf, day, history, options } from './history-days.js';

describe('compareWithHistory', () => {
  test('an ordinary day has no findings', () => {
    const h = history(28);
    const newest = day(28, { score: 0.675 });
    expect(compareWithHistory(newest, h, options)).toEqual([]);
  });

  test('a Saturday is judged against Saturdays: its lower volume is no outlier', () => {
    const h = history(35);
    const saturday = Array.from({ length: 7 }, (_, k) => 35 + k).find((i) => weekdayOf(dateOf(i)) === 6)!;
    expect(compareWithHistory(day(saturday), h.slice(0, saturday), options)).toEqual([]);
  });

  test('a partition of a header and no rows is its row count alone, with no cause read off its groups', () => {
    const none = computeStatistics(tableOf([stringColumn('origin', []), numberColumn('distance', []), numberColumn('ct:label', [])]));
    const empty = profileOf(dateOf(28), { ...none, rows: 0 }, { duplicates: 0 });
    const findings = compareWithHistory(empty, history(28), options);
    // Its mixes are of nothing, as far from every day's as a mix can be: not an incident of their own.
    expect(findings.map((f) => f.kind)).toEqual(['partition_rows']);
    expect(findings[0]!.kept).toBeUndefined();
    expect(findingMessage(findings[0]!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /row count is 0, .*100% of the expected rows missing: a partial upload\?\)/,
    );
  });

  test('a partial upload is a partition_rows outlier with a message a reviewer understands', () => {
    const findings = compareWithHistory(day(28, { rows: 2_000 }), history(28), options);
    const rows = findings.find((f) => f.kind === 'partition_rows');
    expect(rows).toBeDefined();
    expect(rows!.value).toBe(2_000);
    const message = findingMessage(rows!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15');
    expect(message).toMatch(/data\/x\/2001-01-29\.csv: row count is 2,000, expected about/);
    expect(message).toMatch(/ct validate --accept 2001-01-29/);
    // The statistics that moved with it come before what to do, so the command ends the line.
    expect(findingMessage(rows!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15', ['mean of column "delay"', 'its 90th percentile'])).toMatch(
      /\. Also beyond its history: mean of column "delay", its 90th percentile\. Fix the data, or if this change is real, accept it: ct validate --accept 2001-01-29 \(with --one-off for a one-time event\)$/,
    );
  });

  test('half the rows missing is a partition_rows outlier even where volume varies widely from day to day', () => {
    // Shop-like volume: ±15% from day to day, so a halved day scores a z-score of only about -4.
    const noisy = history(28).map((p, i) => ({ ...p, metrics: { ...p.metrics, rows: Math.round(2_000 * (1 + 0.15 * Math.sin(i * 2.3))) } }));
    const halved = compareWithHistory(day(28, { rows: 1_000 }), noisy, options).find((f) => f.kind === 'partition_rows');
    expect(halved).toBeDefined();
    expect(Math.abs(halved!.score)).toBeLessThan(options.threshold);
    expect(findingMessage(halved!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /row count is 1,000, expected about 1,943; .*robust z -2.3; 49% of the expected rows missing: a partial upload\?/,
    );
    // A quarter missing is within what such data does; so is a half where an earlier day of its weekday (a holiday) was as low.
    expect(compareWithHistory(day(28, { rows: 1_550 }), noisy, options).some((f) => f.kind === 'partition_rows')).toBe(false);
    const holiday = noisy.map((p, i) => (i === 14 ? { ...p, metrics: { ...p.metrics, rows: 900 } } : p));
    expect(compareWithHistory(day(28, { rows: 1_000 }), holiday, options).some((f) => f.kind === 'partition_rows')).toBe(false);
    // A holiday on another weekday says nothing of this one.
    const otherHoliday = noisy.map((p, i) => (i === 10 ? { ...p, metrics: { ...p.metrics, rows: 900 } } : p));
    const stillHalved = compareWithHistory(day(28, { rows: 1_000 }), otherHoliday, options).find((f) => f.kind === 'partition_rows');
    expect(stillHalved).toMatchObject({ low: expect.any(Number), weekdayRange: 4 });
    expect(findingMessage(stillHalved!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /the 4 earlier Mondays \(of 28 earlier days\) ranged [\d,]+ to [\d,]+ /,
    );
    // The allowed drop is the config's: at 0.6 the halved day passes.
    expect(compareWithHistory(day(28, { rows: 1_000 }), noisy, { ...options, maxRowDrop: 0.6 }).some((f) => f.kind === 'partition_rows')).toBe(false);
  });

  test('a unit change moves the column beyond every earlier day', () => {
    const findings = compareWithHistory(day(28, { distanceScale: 1.609 }), history(28), options);
    expect(findings.some((f) => f.kind === 'partition_statistic' && f.column === 'distance' && f.metric === 'distance.mean')).toBe(true);
  });

  test('a new category mix is found through the Jensen-Shannon distance', () => {
    const findings = compareWithHistory(day(28, { mix: [0.05, 0.05, 0.9] }), history(28), options);
    expect(findings.some((f) => f.metric === 'origin.divergence')).toBe(true);
  });

  test('a flipped label rate is a label_rate outlier', () => {
    const findings = compareWithHistory(day(28, { labelRate: 0.8 }), history(28), options);
    expect(findings.some((f) => f.kind === 'label_rate' && f.column === 'ct:label')).toBe(true);
  });

  test("a label's rate beyond every earlier day is judged by the label threshold: relabelled rows move nothing else", () => {
    // 45% late where earlier days held 17% to 23%: robust z about 10, beyond the label's 8 and short of the general 16.
    const moved = compareWithHistory(day(28, { labelRate: 0.45 }), history(28), options).find((f) => f.metric === 'ct:label.mean');
    expect(moved).toMatchObject({ kind: 'label_rate', column: 'ct:label' });
    expect(moved!.score).toBeGreaterThan(8);
    expect(moved!.score).toBeLessThan(16);
    // Judged like any statistic (a regression target's mean), the same move passes.
    const asAny = compareWithHistory(day(28, { labelRate: 0.45 }), history(28), { ...options, labelMixThreshold: null });
    expect(asAny.some((f) => f.metric === 'ct:label.mean')).toBe(false);
  });

  test("a multiclass label's class mix is judged by the label threshold too; another column's mix by the general one", () => {
    // 42% / 35% / 23% where earlier days held about 50% / 30% / 20%: robust z about 10.
    const newest = day(28, { mix: [0.42, 0.35, 0.23] });
    const asLabel = compareWithHistory(newest, history(28), { ...options, labelColumn: 'origin' }).find((f) => f.metric === 'origin.divergence');
    expect(asLabel).toMatchObject({ kind: 'label_rate', column: 'origin' });
    expect(asLabel!.score).toBeLessThan(16);
    expect(compareWithHistory(newest, history(28), options).some((f) => f.metric === 'origin.divergence')).toBe(false);
  });

  test("a collapse of the production model's score is a label_relation outlier; a rise is not", () => {
    expect(compareWithHistory(day(28, { score: 0.5 }), history(28), options).map((f) => f.kind)).toContain('label_relation');
    expect(compareWithHistory(day(28, { score: 0.95 }), history(28), options).map((f) => f.kind)).not.toContain('label_relation');
  });

  test('a mix far from its usual one names the values that moved: an airport gone, and the one that took its rows', () => {
    const newest = day(28, { mix: [0.8, 0.2, 0] });
    expect(compareWithHistory(newest, history(28), options).some((f) => f.metric === 'origin.divergence')).toBe(true);
    const moved = mixChanges(newest, history(28), 'origin', 3);
    // ATL +0.3, DEN -0.2; ORD -0.1 moved less than half as far: not named.
    expect(moved.map((m) => m.value)).toEqual(['ATL', 'DEN']);
    expect(moved[1]!.share).toBe(0);
    // Usually: on the same weekday's days, the pool the divergence was measured against.
    const sameWeekday = history(28).filter((h) => weekdayOf(h.date) === weekdayOf(newest.date));
    const usual = sameWeekday.reduce((sum, h) => sum + h.categories.origin!.shares.DEN!, 0) / sameWeekday.length;
    expect(usual).not.toBeCloseTo(0.2, 3);
    expect(moved[1]!.usual).toBeCloseTo(usual, 12);
  });

  test("a regression model's error is bad when it rises: its RMSE far above every earlier day is a label_relation outlier, a fall is not", () => {
    // Fares of $0.84 to $0.90 of error every day; +$5 on every fare: 4.85.
    const rmse = (days: PartitionProfile[]): PartitionProfile[] =>
      days.map((p, i) => ({ ...p, metrics: { rows: p.metrics.rows!, 'model.rmse': 0.87 + Math.sin(i) * 0.03 } }));
    const newest = (score: number): PartitionProfile => ({ ...day(28), metrics: { rows: day(28).metrics.rows!, 'model.rmse': score } });
    const worse = compareWithHistory(newest(4.85), rmse(history(28)), options).find((f) => f.metric === 'model.rmse');
    expect(worse).toMatchObject({ kind: 'label_relation', column: null });
    expect(findingMessage(worse!, 'data/trips/2026-03-20.csv', dateOf(28), 'fare')).toMatch(
      /production model's rmse on the labelled rows is 4\.850, expected about 0\.8\d+; .*the production model errs more on this day than on any earlier one/,
    );
    // Within its spread, or better than ever, it passes.
    expect(compareWithHistory(newest(0.9), rmse(history(28)), options).some((f) => f.metric === 'model.rmse')).toBe(false);
    expect(compareWithHistory(newest(0.2), rmse(history(28)), options).some((f) => f.metric === 'model.rmse')).toBe(false);
  });

  test('a metric whose history already holds days past the threshold (calm days of wind) is an outlier only half as far again past the farthest', () => {
    // Wind's share of zeros: about 0 on most days, 3% to 4.7% on four calm ones.
    const calm = new Map([
      [5, 0.031],
      [12, 0.047],
      [19, 0.026],
      [23, 0.04],
    ]);
    const days = history(28).map((p, i) => ({ ...p, metrics: { rows: p.metrics.rows!, 'wind.zeroShare': calm.get(i) ?? (i % 3) * 0.0003 } }));
    const newest = (share: number): PartitionProfile => ({ ...day(28), metrics: { rows: day(28).metrics.rows!, 'wind.zeroShare': share } });
    const judged = (share: number): boolean => compareWithHistory(newest(share), days, options).some((f) => f.metric === 'wind.zeroShare');
    // A calmer day than any before (5.8%) is what such a metric does; 7.1% and more (1.5 x 4.7%) is not.
    expect(judged(0.058)).toBe(false);
    expect(judged(0.071)).toBe(true);
    // Without the calm days the tail is light: the first one, at 3%, is an outlier as it always was.
    const still = days.map((p, i) => (calm.has(i) ? { ...p, metrics: { ...p.metrics, 'wind.zeroShare': 0 } } : p));
    expect(compareWithHistory(newest(0.03), still, options).some((f) => f.metric === 'wind.zeroShare')).toBe(true);
  });

  test('a production model worse than chance, after a skilled model every day, is broken labels even where its score moved widely', () => {
    // Scores that swing by ±0.08 from day to day: a robust z-score cannot single out 0.45.
    const wide = history(28).map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.7 + Math.sin(i) * 0.08 } }));
    const inverted = compareWithHistory(day(28, { score: 0.45 }), wide, options).find((f) => f.metric === 'model.auc');
    expect(inverted?.kind).toBe('label_relation');
    expect(findingMessage(inverted!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /production model's auc on the labelled rows is 0\.450.*no better than chance, 0\.500, where it was well above on every earlier day/,
    );
    // Above chance it is judged by its history as before; and a history that was itself near chance proves nothing.
    expect(compareWithHistory(day(28, { score: 0.55 }), wide, options).some((f) => f.metric === 'model.auc')).toBe(false);
    const weak = wide.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.55 + Math.sin(i) * 0.04 } }));
    expect(compareWithHistory(day(28, { score: 0.49 }), weak, options).some((f) => f.metric === 'model.auc')).toBe(false);
  });

  test("a score within what chance reaches on the day's few positives, far below every earlier day, is broken labels", () => {
    // Days of 50 positives score 0.73 to 0.81; a day whose labels were shuffled scores 0.52, and chance reaches 0.567 there.
    const h = history(28).map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.77 + Math.sin(i) * 0.04 } }));
    const shuffled = compareWithHistory({ ...day(28, { score: 0.52 }), modelChance: 0.567 }, h, options).find((f) => f.metric === 'model.auc');
    expect(shuffled).toMatchObject({ kind: 'label_relation', chance: 0.567 });
    expect(findingMessage(shuffled!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /auc on the labelled rows is 0\.520.*within what a model without skill scores on this day's labels, up to 0\.567, where it was well above on every earlier day/,
    );
    // Where chance reaches only 0.5 (a large day), 0.52 is above it, but it kept under a third of the least skill
    // an earlier day showed (0.73: a third of its 0.23 above chance is 0.577), 6 spreads below them.
    const large = compareWithHistory(day(28, { score: 0.52 }), h, options).find((f) => f.metric === 'model.auc');
    expect(large).toMatchObject({ kind: 'label_relation' });
    expect(large?.chance).toBeUndefined();
    expect(findingMessage(large!, 'data/x/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /auc on the labelled rows is 0\.520.*under a third as far above chance, 0\.500, as its least skilled earlier day, 0\.73\d*: are the labels shuffled or misaligned/,
    );
    // 0.6 kept more than a third, and is within the score's own wide spread.
    expect(compareWithHistory(day(28, { score: 0.6 }), h, options).some((f) => f.metric === 'model.auc')).toBe(false);
    // Under a third of the skill, but within 5 spreads of days that swing by ±0.08, is judged by that spread alone.
    const swinging = h.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.7 + Math.sin(i) * 0.08 } }));
    expect(compareWithHistory(day(28, { score: 0.53 }), swinging, options).some((f) => f.metric === 'model.auc')).toBe(false);
    // A weaker model's bad day is not broken labels: 0.56 is within chance, but not far below days of 0.62 to 0.70.
    const weak = h.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.66 + Math.sin(i) * 0.04 } }));
    expect(compareWithHistory({ ...day(28, { score: 0.56 }), modelChance: 0.567 }, weak, options).some((f) => f.metric === 'model.auc')).toBe(false);
  });

  test('a weak model whose every day stood four standard errors above chance: a day at chance is broken labels', () => {
    // A shop's returns: AUC 0.57 to 0.63 every day, each day's standard error 0.015 (4.7 of them above 0.5 at the least).
    const h = history(28).map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.6 + Math.sin(i) * 0.03 } }));
    const at = (score: number, noise: number): PartitionProfile => ({ ...day(28, { score }), modelNoise: noise, modelChance: 0.53 });
    // Labels shuffled among the rows: 0.49.
    const shuffled = compareWithHistory(at(0.49, 0.015), h, options).find((f) => f.metric === 'model.auc');
    expect(shuffled).toMatchObject({ kind: 'label_relation', chance: 0.53 });
    expect(findingMessage(shuffled!, 'data/x/2001-01-29.csv', dateOf(28), 'returned')).toMatch(/where it was well above on every earlier day/);
    // Shuffled labels that land above 0.5 by chance: within its reach (0.53) and three to five spreads below days of 0.58 to 0.62.
    const steady = h.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.6 + Math.sin(i) * 0.02 } }));
    expect(compareWithHistory(at(0.52, 0.015), steady, options).find((f) => f.metric === 'model.auc')).toMatchObject({ kind: 'label_relation', chance: 0.53 });
    // Just past chance's reach, the same fall is a bad day of a weak model.
    expect(compareWithHistory(at(0.535, 0.015), steady, options).some((f) => f.metric === 'model.auc')).toBe(false);
    // A poor day of the same model, 0.55, is not at chance; and days only 3.5 standard errors above chance prove nothing.
    expect(compareWithHistory(at(0.55, 0.015), h, options).some((f) => f.metric === 'model.auc')).toBe(false);
    expect(compareWithHistory(at(0.49, 0.02), h, options).some((f) => f.metric === 'model.auc')).toBe(false);
    // Its score is judged by its newest minDays days: a weak fortnight a month ago (0.535) does not unmake its skill.
    const weakLongAgo = h.map((p, i) => (i < 28 - options.minDays ? { ...p, metrics: { ...p.metrics, 'model.auc': 0.535 } } : p));
    expect(compareWithHistory(at(0.49, 0.015), weakLongAgo, options).find((f) => f.metric === 'model.auc')).toMatchObject({ kind: 'label_relation' });
  });

  test("a score's fall within its own noise on the day's few positives is not an error; the same fall on many is", () => {
    // Machines failing a few times a week: AUC 0.985 to 0.995 on earlier days; a day with one failing row scores 0.8.
    const h = history(28).map((p, i) => ({ ...p, metrics: { ...p.metrics, 'model.auc': 0.99 + Math.sin(i) * 0.005 } }));
    const labels = (n: number, positives: number): number[] => Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0));
    const judged = (positives: number): boolean =>
      compareWithHistory({ ...day(28, { score: 0.8 }), modelNoise: scoreNoise('auc', 0.8, labels(2_400, positives)) }, h, options).some(
        (f) => f.metric === 'model.auc',
      );
    expect(judged(1)).toBe(false);
    expect(judged(600)).toBe(true);
  });

  test("a score's noise: Hanley and McNeil's for AUC, a proportion's for accuracy, RMSE's own", () => {
    const labels = (n: number, positives: number): number[] => Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0));
    // AUC 0.5 with 1 of 2 rows positive: sqrt(0.25 / 1); many rows make it small.
    expect(scoreNoise('auc', 0.5, labels(2, 1))).toBeCloseTo(0.5, 6);
    expect(scoreNoise('auc', 0.69, labels(17_000, 3_000))).toBeCloseTo(0.0055, 3);
    expect(scoreNoise('auc', 0.86, labels(2_400, 1))).toBeGreaterThan(0.2);
    expect(scoreNoise('auc', 0.9, labels(100, 0))).toBe(0);
    expect(scoreNoise('accuracy', 0.9, labels(900, 0))).toBeCloseTo(0.01, 6);
    expect(scoreNoise('rmse', 2, labels(200, 0))).toBeCloseTo(0.1, 6);
  });

  test("chance for AUC: two standard errors above 0.5 for the day's positives and negatives", () => {
    const labels = (n: number, positives: number): number[] => Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0));
    expect(aucChance(labels(3_700, 50))).toBeCloseTo(0.582, 3);
    expect(aucChance(labels(15_000, 3_000))).toBeCloseTo(0.512, 3);
    expect(aucChance(labels(100, 0))).toBe(0.5);
  });

  test("a binary label's rare class gone from a day is a label_rate outlier, where its rate alone stays within its spread", () => {
    // 4 to 8 positives of 400 profiled rows a day (1.5%); the newest has none.
    const rare = Array.from({ length: 28 }, (_, i) => day(i, { labelRate: 0.015 + Math.sin(i) * 0.006 }));
    const gone = compareWithHistory(day(28, { labelRate: 0 }), rare, options);
    expect(gone.some((f) => f.metric === 'ct:label.mean')).toBe(false);
    expect(gone.find((f) => f.metric === 'ct:label.vanishedShare')).toMatchObject({ kind: 'label_rate', column: 'ct:label' });
    // Fewer positives than usual is not a class gone.
    expect(compareWithHistory(day(28, { labelRate: 0.005 }), rare, options)).toEqual([]);
  });

  test('too little history: nothing is judged', () => {
    expect(compareWithHistory(day(10, { rows: 10 }), history(10), options)).toEqual([]);
  });

  test('an accepted change restarts the history of its metrics', () => {
    const h = history(40);
    for (let i = 20; i < 40; i++) h[i]!.metrics.rows = Math.round(h[i]!.metrics.rows! / 2);
    const newest = day(40, { rows: 8_000 });
    expect(compareWithHistory(newest, h, options).some((f) => f.kind === 'partition_rows')).toBe(false);
    // Without the acceptance the halved days still dominate the median: the test above is not vacuous.
    const halved = compareWithHistory(day(40, { rows: 2_000 }), h, { ...options, accepted: [{ date: dateOf(20), metrics: ['rows'] }] });
    expect(halved.some((f) => f.kind === 'partition_rows')).toBe(true);
    const justAccepted = compareWithHistory(newest, h, { ...options, accepted: [{ date: dateOf(30), metrics: ['rows'] }] });
    expect(justAccepted.some((f) => f.kind === 'partition_rows')).toBe(false);
  });

  test("a stale copy of an earlier day's rows (dates moved) is as similar to it as no two days are", () => {
    // Each day's rows hash apart, but for 100 rows that repeat every day (the same flight, on time).
    const hash = (x: number): number => (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0) * 1_048_576 + (x % 1_048_576);
    const rowsOf = (i: number): number[] => Array.from({ length: 2_000 }, (_, k) => hash(k < 100 ? k : i * 100_000 + k));
    const h = history(28).map((p, i) => ({ ...p, sketch: mergeSketch([], rowsOf(i)) }));
    const ordinary = { ...day(28), sketch: mergeSketch([], rowsOf(28)) };
    expect(compareWithHistory(ordinary, h, options).some((f) => f.metric === 'copy.similarity')).toBe(false);
    const stale = { ...day(28), sketch: mergeSketch([], rowsOf(27)) };
    const finding = compareWithHistory(stale, h, options).find((f) => f.metric === 'copy.similarity');
    expect(finding).toBeDefined();
    expect(finding!.value).toBe(1);
    // The same weekday two weeks before, served again: four weeks are looked at, not one.
    const older = compareWithHistory({ ...day(28), sketch: mergeSketch([], rowsOf(14)) }, h, options).find((f) => f.metric === 'copy.similarity');
    expect(older?.value).toBe(1);
  });

  test("a tenth of a day served again from an earlier day (times of day kept) is found; a day's chance repeats are not", () => {
    const hash = (x: number): number => (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0) * 1_048_576 + (x % 1_048_576);
    // 10 of each day's 2,000 rows repeat every day at the same minute (a scheduled flight, on time): 0.5%.
    const rowsOf = (i: number): number[] => Array.from({ length: 2_000 }, (_, k) => hash(k < 10 ? k : i * 100_000 + k));
    const timed = (rows: number[]): number[] => mergeSketch([], rows, TIMED_SKETCH_SIZE);
    const h = history(28).map((p, i) => ({ ...p, timedSketch: timed(rowsOf(i)) }));
    const found = (p: PartitionProfile) => compareWithHistory(p, h, options).find((f) => f.metric === 'copy.timedSimilarity');
    expect(found({ ...day(28), timedSketch: timed(rowsOf(28)) })).toBeUndefined();
    // A cache served 200 of the day's rows from the same weekday two weeks before.
    const partlyStale = [...rowsOf(28).slice(0, 1_800), ...rowsOf(14).slice(1_800)];
    const finding = found({ ...day(28), timedSketch: timed(partlyStale) });
    expect(finding).toBeDefined();
    expect(finding!.value).toBeGreaterThan(0.04);
    expect(finding!.high).toBeLessThan(0.02);
    expect(describeMetric(finding!, 'delay > 15')).toContain('times of day included');
  });
});

describe('bottom-k sketches', () => {
  test('keep the smallest distinct hashes and estimate the Jaccard similarity', () => {
    const a = mergeSketch(mergeSketch([], [5, 3, 3, 9]), [1, 9, 2]);
    expect(a).toEqual([1, 2, 3, 5, 9]);
    const big = (from: number): number[] =>
      mergeSketch(
        [],
        Array.from({ length: 4_000 }, (_, k) => from + k),
      );
    expect(big(0)).toHaveLength(SKETCH_SIZE);
    expect(sketchSimilarity(big(0), big(0))).toBe(1);
    // Half of each set is shared: Jaccard 1/3.
    const x = mergeSketch(
      [],
      Array.from({ length: 4_000 }, (_, k) => (k * 2_654_435_761) % 4_294_967_291),
    );
    const y = mergeSketch(
      [],
      Array.from({ length: 4_000 }, (_, k) => ((k + 2_000) * 2_654_435_761) % 4_294_967_291),
    );
    expect(sketchSimilarity(x, y)).toBeGreaterThan(0.2);
    expect(sketchSimilarity(x, y)).toBeLessThan(0.46);
  });
});

/**
 * Days built from rows, so the accumulators run as they do on partitions: 10,000 flights on
 * 40 routes (each with its own distance), 20 origins with shares of 1-9%, departures spread
 * over the whole day, and a label that depends strongly on the origin (some airports are
 * late most of the time).
 */
function flightsDay(
  i: number,
  change: Partial<{
    rows: number;
    edit: (row: { origin: string; region: string; destination: string; distance: number; delay: number; label: number; time: number }, k: number) => void;
    drop: (origin: string, time: number) => boolean;
    shiftLabels: boolean;
  }> = {},
): PartitionProfile {
  const date = dateOf(i);
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const rows: Array<{ origin: string; region: string; destination: string; distance: number; delay: number; label: number; time: number }> = [];
  const n = change.rows ?? 10_000;
  for (let k = 0; k < n; k++) {
    // Origins o0..o19 with weights 1..20 (o19 the busiest); a day-dependent rotation keeps days apart.
    const u = ((k * 7_919 + i * 104_729) % n) / n;
    let o = 0;
    for (let acc = 0; o < 19; o++) if ((acc += (o + 1) / 210) > u) break;
    const d = (o + 1 + ((k + i) % 2)) % 20;
    const route = o * 20 + d;
    const jitter = ((k * 2_654_435_761 + i * 97) >>> 0) / 4_294_967_296;
    const spin = ((k * 40_503 + i * 7_919 + 1) % 65_536) / 65_536;
    const tail = (((k * 69_069 + i * 1_013) % 10_007) + 1) / 10_008;
    rows.push({
      origin: `o${o}`,
      // Each airport lies in one region.
      region: `r${o % 4}`,
      destination: `d${d}`,
      distance: 150 + ((route * 37) % 2_400),
      // Minutes late: a few early, most near on time, a long tail of late flights (as real delays).
      delay: Math.round(-12 + 20 * spin + (jitter < 0.2 ? -40 * Math.log(tail) : 0)),
      label: jitter < (o % 4 === 0 ? 0.8 : 0.1) ? 1 : 0,
      time: midnight + Math.floor((k / n) * 86_400_000),
    });
  }
  let kept = rows.filter((r) => !(change.drop?.(r.origin, r.time - midnight) ?? false));
  kept.forEach((r, k) => change.edit?.(r, k));
  if (change.shiftLabels === true) {
    // Each row gets the label of another row, chosen at random (rows of one day are not ordered by origin).
    const order = kept.map((_, k) => k);
    let seed = 12_345;
    for (let k = order.length - 1; k > 0; k--) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      const j = seed % (k + 1);
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    kept = kept.map((r, k) => ({ ...r, label: kept[order[k]!]!.label }));
  }
  const table = tableOf([
    numberColumn(
      'date',
      kept.map((r) => r.time),
      'timestamp',
    ),
    stringColumn(
      'origin',
      kept.map((r) => r.origin),
    ),
    stringColumn(
      'destination',
      kept.map((r) => r.destination),
    ),
    stringColumn(
      'region',
      kept.map((r) => r.region),
    ),
    numberColumn(
      'distance',
      kept.map((r) => r.distance),
    ),
    numberColumn(
      'delay',
      kept.map((r) => r.delay),
    ),
    numberColumn(
      'ct:label',
      kept.map((r) => r.label),
    ),
  ]);
  const relations = createRelations();
  relations.add(table);
  const dependencies = createDependencies();
  dependencies.add(table);
  return profileOf(date, computeStatistics(table), { duplicates: 0, relations: relations.result(), dependencies: dependencies.result() });
}

describe('quantiles of a column of few values', () => {
  // A price quantile sits on one of a few prices; which one moves with the day's mix.
  const level = (i: number): number => [3.935, 4.179, 4.179, 3.935, 4.179, 4.437, 4.179][i % 7]!;
  const priced = (i: number, q75: number): PartitionProfile => ({
    date: dateOf(i),
    rows: 3_000,
    metrics: { rows: 3_000, 'log_price.q75': q75, 'log_price.std': 0.8 },
    categories: {},
  });
  const days = Array.from({ length: 28 }, (_, i) => priced(i, level(i)));

  test('moving to the next value below is no finding (it jumps by a step with a small change of mix)', () => {
    expect(compareWithHistory(priced(28, 3.857), days, options)).toEqual([]);
  });

  test('moving far beyond the values it took is', () => {
    expect(compareWithHistory(priced(28, -2), days, options).map((f) => f.metric)).toEqual(['log_price.q75']);
  });

  // A count of support calls: its 75th percentile sat on 1 on every day; a small day's mix carries it to 2.
  const calls = (i: number, q75: number): PartitionProfile => ({
    date: dateOf(i),
    rows: 170,
    metrics: { rows: 170, 'calls.q75': q75, 'calls.std': 1.1, 'calls.nonIntegerShare': 0 },
    categories: {},
  });
  const countDays = Array.from({ length: 21 }, (_, i) => calls(i, 1));

  test('one that sat on one whole number on every day may move to the next by chance', () => {
    expect(compareWithHistory(calls(21, 2), countDays, options)).toEqual([]);
  });

  test('but not to a value a unit change gives', () => {
    expect(compareWithHistory(calls(21, 100), countDays, options).map((f) => f.metric)).toEqual(['calls.q75']);
  });
});

describe('small partitions', () => {
  // A shop's days: about 300 rows on weekdays, half on weekends; η² of an id by plan is chance alone.
  const shopDay = (i: number, change: { rows?: number; eta2?: number } = {}): PartitionProfile => {
    const weekend = weekdayOf(dateOf(i)) >= 6;
    const rows = change.rows ?? Math.round((weekend ? 170 : 320) * (1 + 0.05 * Math.sin(i * 2.1)));
    return {
      date: dateOf(i),
      rows,
      metrics: {
        rows,
        'id|plan.eta2': change.eta2 ?? 0.002 + 0.006 * (1 + Math.sin(i * 1.3)) ** 3,
        'id|plan.signal': -0.5 + Math.sin(i * 0.7),
        'fee|plan.eta2': 0.98 + 0.003 * Math.sin(i),
        'fee|plan.signal': 5_000,
      },
      categories: {},
    };
  };
  const shop = Array.from({ length: 35 }, (_, i) => shopDay(i));

  test('a relation held by chance differences that wander is not gone when it falls below 3; a steady one is', () => {
    // pressure by machine kind: every day above 10, but wandering 10 to 100; fee by plan: 5,000 every day.
    const wandering = shop.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'pressure|kind.signal': 10 * 10 ** (0.5 + 0.5 * Math.sin(i * 1.7)) } }));
    const newest = { ...shopDay(35), metrics: { ...shopDay(35).metrics, 'pressure|kind.signal': 1.5, 'fee|plan.signal': 1.5 } };
    const gone = compareWithHistory(newest, wandering, options).filter((f) => f.metric.endsWith('.signal'));
    expect(gone.map((f) => f.metric)).toEqual(['fee|plan.signal']);
  });

  test('the third Saturday is judged against the two before it: fewer rows than any earlier day, and no partial upload', () => {
    const saturday = Array.from({ length: 7 }, (_, k) => 14 + k).find((i) => weekdayOf(dateOf(i)) === 6)!;
    expect(Math.min(...shop.slice(0, saturday).map((p) => p.rows))).toBeGreaterThan(160);
    expect(compareWithHistory(shopDay(saturday, { rows: 160 }), shop.slice(0, saturday), options)).toEqual([]);
  });

  test("a weekday cut to a weekend's volume is a partial upload, though weekends held as few rows", () => {
    const weekday = Array.from({ length: 7 }, (_, k) => 35 + k).find((i) => weekdayOf(dateOf(i)) === 3)!;
    const findings = compareWithHistory(shopDay(weekday, { rows: 175 }), shop, options);
    expect(findings.map((f) => f.kind)).toEqual(['partition_rows']);
    expect(findingMessage(findings[0]!, 'data/shop/x.csv', dateOf(weekday), 'churned')).toMatch(/the 5 earlier Wednesdays \(of 35 earlier days\)/);
  });

  test('η² of a relation that never held above chance is not judged, however far a small day carries it', () => {
    // Chance alone gives η² near (groups - 1) / rows: a small day of a column of many values carries it far.
    expect(compareWithHistory(shopDay(35, { eta2: 0.6 }), shop, options)).toEqual([]);
  });

  test('a defect no row of any earlier day had is an error from 8 rows of a small day; one earlier days had needs 48 or so', () => {
    // Sessions of exactly 0 minutes: none in 35 days of 170 to 320 rows, then 20 of a Wednesday's 221.
    const zeroShare = (shares: (i: number) => number): PartitionProfile[] =>
      shop.map((p, i) => ({ ...p, metrics: { ...p.metrics, 'minutes.zeroShare': shares(i) } }));
    const wednesday = Array.from({ length: 7 }, (_, k) => 35 + k).find((i) => weekdayOf(dateOf(i)) === 3)!;
    const withZeros = (rows: number): PartitionProfile => {
      const p = shopDay(wednesday, { rows: 221 });
      return { ...p, metrics: { ...p.metrics, 'minutes.zeroShare': rows / 221 } };
    };
    const found = (h: PartitionProfile[], rows: number): string[] => compareWithHistory(withZeros(rows), h, options).map((f) => f.metric);
    const never = zeroShare(() => 0);
    expect(found(never, 20)).toEqual(['minutes.zeroShare']);
    expect(found(never, 8)).toEqual(['minutes.zeroShare']);
    expect(found(never, 7)).toEqual([]);
    // A column that had a zero now and then (one day in five, one row) allows chance three rows of spread.
    const sometimes = zeroShare((i) => (i % 5 === 0 ? 1 / shop[i]!.rows : 0));
    expect(found(sometimes, 20)).toEqual([]);
    expect(found(sometimes, 50)).toEqual(['minutes.zeroShare']);
  });

  test('one that held is: a fee no longer follows its plan', () => {
    expect(compareWithHistory({ ...shopDay(35), metrics: { ...shopDay(35).metrics, 'fee|plan.eta2': 0.5 } }, shop, options).map((f) => f.metric)).toEqual([
      'fee|plan.eta2',
    ]);
  });

  // A sample of 400 flights a day over 3,000 routes: most routes are seen once a day, some twice.
  const sampledDay = (i: number, edit: (distance: number, k: number) => number = (d) => d): PartitionProfile => {
    const random = mulberry32(1_000 + i);
    const origins: string[] = [];
    const destinations: string[] = [];
    const distances: number[] = [];
    const delays: number[] = [];
    const ids: string[] = [];
    for (let k = 0; k < 400; k++) {
      // Busy routes first: route r is drawn in proportion to 1 / (r + 20).
      const route = Math.floor(20 * (151 ** random() - 1));
      origins.push(`o${route % 60}`);
      destinations.push(`d${Math.floor(route / 60)}`);
      distances.push(edit(150 + ((route * 37) % 2_400), k));
      delays.push(Math.round(-10 + 60 * random() ** 3));
      ids.push(`flight-${i}-${k}`);
    }
    const table = tableOf([
      stringColumn('origin', origins),
      stringColumn('destination', destinations),
      stringColumn('flight', ids),
      numberColumn('distance', distances),
      numberColumn('delay', delays),
    ]);
    const dependencies = createDependencies();
    dependencies.add(table);
    return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, dependencies: dependencies.result() });
  };
  const sampled = Array.from({ length: 28 }, (_, i) => sampledDay(i));
  const dependencyFindings = (newest: PartitionProfile): string[] =>
    compareWithHistory(newest, sampled, options)
      .map((f) => f.metric)
      .filter((m) => m.includes('<-'));

  test("a route's distance is learnt across days where a day repeats few routes: kilometres on every row, or a tenth, stop it", () => {
    const dependencies = sampled[0]!.dependencies!;
    // The route repeats on a few rows of each day, always at its distance: kept, with its values.
    expect(dependencies['distance<-origin+destination']).toMatchObject({ consistency: 1 });
    expect(dependencies['distance<-origin+destination']!.keys).toBeDefined();
    // Its delays disagree on their repeats, and an id never repeats: nothing learnt from either.
    expect(dependencies['delay<-origin+destination']?.keys).toBeUndefined();
    expect(Object.keys(dependencies).filter((name) => name.split('<-')[1]!.includes('flight'))).toEqual([]);
    expect(Object.entries(dependencies).filter(([name, d]) => name.startsWith('flight<-') && d.keys !== undefined)).toEqual([]);
    expect(dependencyFindings(sampledDay(28))).toEqual([]);
    expect(dependencyFindings(sampledDay(28, (d) => Math.round(d * 1.609)))).toContain('distance<-origin+destination.mismatchShare');
    expect(dependencyFindings(sampledDay(28, (d, k) => (k % 10 === 0 ? Math.round(d * 1.609) : d)))).toContain('distance<-origin+destination.mismatchShare');
    // On a small day one row off its key is the floor of chance, not three: 22 rows of 400 (one in 18) are no chance.
    expect(dependencyFindings(sampledDay(28, (d, k) => (k % 18 === 0 ? Math.round(d * 1.609) : d)))).toContain('distance<-origin+destination.mismatchShare');
  });

  // A small day's measure: its spread and quartiles wander by up to 8% from day to day (sampling alone).
  const measureDay = (i: number, factor = 1, shift = 0): PartitionProfile => {
    const random = mulberry32(500 + i);
    const wander = (): number => 1 + 0.16 * (random() - 0.5);
    const metrics = {
      rows: 300,
      'amount.std': 500 * factor * wander(),
      'amount.q25': 300 * factor * wander() + shift,
      'amount.q50': 550 * factor * wander() + shift,
      'amount.q75': 950 * factor * wander() + shift,
    };
    return { date: dateOf(i), rows: 300, metrics, categories: {} };
  };
  const measures = Array.from({ length: 28 }, (_, i) => measureDay(i));

  test('a measure in other units moves its spread and quartiles by one factor, each short of 16 spreads: an error that says so', () => {
    expect(compareWithHistory(measureDay(28), measures, options)).toEqual([]);
    const findings = compareWithHistory(measureDay(28, 1.609), measures, options);
    expect(findings).toHaveLength(1);
    const [scaled] = findings;
    expect(scaled).toMatchObject({ kind: 'partition_statistic', column: 'amount', metric: 'amount.q50' });
    expect(Math.abs(scaled!.score)).toBeLessThan(16);
    expect(scaled!.scale!.factor).toBeCloseTo(1.609, 1);
    expect(findingMessage(scaled!, 'data/x/2001-01-29.csv', dateOf(28), 'label')).toMatch(
      /^data\/x\/2001-01-29\.csv: column "amount": median is .*; its spread and quartiles all moved by about ×1\.[5-7]\d, each beyond every earlier day: standard deviation .* \(expected about .*\), 25th percentile .*: the column in other units\?\)\. Fix the data/,
    );
    // Every value up by one amount, as much as the median moved: the spread stays, and so does the finding away.
    expect(compareWithHistory(measureDay(28, 1, 330), measures, options)).toEqual([]);
  });
});

describe('a heavy tail', () => {
  // Invoices: about 400 a day, amounts log-normal (a median of 400, one in a thousand above 15,000).
  const invoiceDay = (i: number, edit: (amounts: number[]) => void = () => {}): PartitionProfile => {
    const random = mulberry32(100 + i);
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const amounts = Array.from({ length: 380 + Math.round(40 * random()) }, () => Math.round(Math.exp(6 + 1.2 * gauss()) * 100) / 100);
    edit(amounts);
    return profileOf(dateOf(i), computeStatistics(tableOf([numberColumn('amount', amounts)])), { duplicates: 0 });
  };
  const invoices = Array.from({ length: 35 }, (_, i) => invoiceDay(i));
  const found = (newest: PartitionProfile): string[] => compareWithHistory(newest, invoices, options).map((f) => f.metric);

  test('one invoice of 200,000 among 400 is no outlier day: the moments leave out the few extremes', () => {
    const whale = invoiceDay(35, (a) => (a[17] = 200_000));
    expect(whale.metrics['amount.std']).toBeLessThan(3_000);
    expect(found(whale)).toEqual([]);
  });

  test('a hundred times the amount on 2% of the rows is', () => {
    expect(found(invoiceDay(35, (a) => a.forEach((x, k) => k % 50 === 0 && (a[k] = x * 100))))).toEqual(expect.arrayContaining(['amount.std']));
  });
});

describe('values beyond the far-out fences', () => {
  // Flights' days: 0 to 3 delays beyond the low fence on every day (early departures are short), 300 to 744 beyond the high one.
  const fenced = (i: number, low: number, high: number): PartitionProfile => {
    const p = day(i, { rows: 16_500 });
    p.metrics['distance.lowTailShare'] = low / p.rows;
    p.metrics['distance.highTailShare'] = high / p.rows;
    return p;
  };
  const days = Array.from({ length: 56 }, (_, i) => fenced(i, [0, 1, 0, 3, 2, 0, 1][i % 7]!, 300 + ((i * 37) % 445)));
  const found = (low: number, high: number): string[] => compareWithHistory(fenced(56, low, high), days, options).map((f) => f.metric);

  test('signs flipped on some rows put dozens of values past a fence no day had more than 3 beyond: an outlier short of 16 spreads', () => {
    // 43 values: robust z 14 (spreads of three rows), but a Poisson chance of 3e-34 at the rate of the earlier days' most.
    const flipped = compareWithHistory(fenced(56, 43, 700), days, options).find((f) => f.metric === 'distance.lowTailShare');
    expect(flipped).toBeDefined();
    expect(flipped!.score).toBeLessThan(16);
    expect(findingMessage(flipped!, 'data/x/2001-02-26.csv', dateOf(56), 'label')).toMatch(
      /column "distance": share of extreme low values .* \(robust z 14\.\d; 43 values, where the highest rate of any earlier day puts 3\.0 in a day of this size: a chance of 3e-34\)/,
    );
    expect(found(12, 700)).toEqual([]);
    expect(found(25, 700)).toEqual(['distance.lowTailShare']);
  });

  test("a storm's longer delays are a rise of the high tail's usual level, not beyond chance at its highest", () => {
    expect(found(1, 822)).toEqual([]);
    expect(found(1, 1_400)).toEqual([]);
    // Under four times the earlier days' most, however unlikely at that rate; then both (robust z 15, short of 16).
    expect(found(1, 2_900)).toEqual([]);
    expect(found(1, 3_000)).toEqual(['distance.highTailShare']);
  });
});

/** A day's weather, as its delays show it: the share of early arrivals, and of late ones in the long tail. */
interface DelayWeather {
  early: number;
  long: number;
}

/**
 * A day's delays as flights have them, from `seed`: `rows` plus up to `jitter` of them, half
 * early, a long tail of late ones (one in a hundred past two hours on an ordinary day).
 */
function flightDelays(seed: number, rows: number, jitter: number, weather: DelayWeather = { early: 0.5, long: 0.2 }): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: rows + Math.round(jitter * random()) }, () =>
    random() < weather.early ? -Math.round(25 * random()) : Math.round(-10 * Math.log(1 - random()) * (random() < weather.long ? 6 : 1)),
  );
}

/** The delays of an export sorted by delay and cut short by `share` of its rows. */
const sortedCut = (share: number) => (delays: number[]) => [...delays].sort((a, b) => a - b).slice(0, Math.round(delays.length * (1 - share)));

describe('a range of values gone', () => {
  // Delays of about 3,000 flights a day.
  const delayDay = (i: number, edit: (delays: number[]) => number[] = (d) => d, weather?: DelayWeather): PartitionProfile => {
    const rows = edit(flightDelays(300 + i, 2_900, 200, weather));
    const labels = rows.map((d) => (d > 15 ? 1 : 0));
    const distances = rows.map((_, k) => 100 + ((k * 37) % 2_000));
    const table = tableOf([numberColumn('delay', rows), numberColumn('distance', distances), numberColumn('ct:label', labels)]);
    return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, ranges: 'delay' });
  };
  const days = Array.from({ length: 35 }, (_, i) => delayDay(i));
  const labelled: HistoryOptions = { ...options, labelSource: 'delay' };
  const vanished = (newest: PartitionProfile, how = labelled): HistoryFinding | undefined =>
    compareWithHistory(newest, days, how).find((f) => f.metric === 'delay.vanishedShare');

  test("the label's number is listed in ranges, for ranges gone only; other numbers are not", () => {
    const profile = days[0]!;
    expect(profile.categories.delay?.ranges).toBe(true);
    expect(Object.values(profile.categories.delay!.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(profile.categories.distance).toBeUndefined();
    expect(profile.categories['ct:label']?.ranges).toBeUndefined();
    const metrics = Object.keys(compareWithHistory(delayDay(35), days, { ...labelled, threshold: 1e-9, labelMixThreshold: 1e-9 }).map((f) => f.metric));
    expect(metrics).not.toContain('delay.divergence');
    expect(metrics).not.toContain('delay.unseenShare');
  });

  test('an ordinary day, a calm one and a stormy one lose no range', () => {
    expect(vanished(delayDay(35))).toBeUndefined();
    expect(vanished(delayDay(35, undefined, { early: 0.65, long: 0.1 }))).toBeUndefined();
    expect(vanished(delayDay(35, undefined, { early: 0.3, long: 0.45 }))).toBeUndefined();
  });

  test('an export sorted by delay and cut short loses the longest delays: judged as the label is', () => {
    const finding = vanished(delayDay(35, sortedCut(0.02)));
    expect(finding).toMatchObject({ kind: 'label_rate', column: 'delay', expected: 0 });
    expect(finding!.value).toBeGreaterThan(0.005);
    // The same column, not a label's: a cut of 2% is within the general threshold, a tenth is not.
    expect(vanished(delayDay(35, sortedCut(0.02)), options)).toBeUndefined();
    expect(vanished(delayDay(35, sortedCut(0.1)), options)).toMatchObject({ kind: 'partition_statistic', column: 'delay' });
  });

  test('the longest delays gone from a day that holds its usual rows moved, they were not cut', () => {
    const refilled = (d: number[]): number[] => {
      const kept = sortedCut(0.1)(d);
      return [...kept, ...kept.slice(0, d.length - kept.length)];
    };
    expect(vanished(delayDay(35, refilled))).toBeUndefined();
  });
});

describe("the top end of the label's number", () => {
  // Delays of about 10,000 flights a day.
  const delayDay = (i: number, edit: (delays: number[]) => number[] = (d) => d, weather?: DelayWeather): PartitionProfile => {
    const rows = edit(flightDelays(700 + i, 9_800, 400, weather));
    const table = tableOf([
      numberColumn('delay', rows),
      numberColumn(
        'ct:label',
        rows.map((d) => (d > 15 ? 1 : 0)),
      ),
    ]);
    return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, ranges: 'delay' });
  };
  const days = Array.from({ length: 30 }, (_, i) => delayDay(i));
  const labelled: HistoryOptions = { ...options, labelSource: 'delay' };
  const edge = (newest: PartitionProfile, history = days): HistoryFinding | undefined =>
    compareWithHistory(newest, history, labelled).find((f) => f.metric === 'delay.topEdge');

  test('a long tail thins out to its end on an ordinary, a calm and a stormy day, and with rows dropped at random', () => {
    expect(Math.min(...days.map((d) => d.metrics['delay.topEdge']!))).toBeGreaterThan(3);
    expect(edge(delayDay(30))).toBeUndefined();
    expect(edge(delayDay(30, undefined, { early: 0.65, long: 0.1 }))).toBeUndefined();
    expect(edge(delayDay(30, undefined, { early: 0.3, long: 0.45 }))).toBeUndefined();
    expect(edge(delayDay(30, (d) => d.filter((_, k) => k % 10 !== 3)))).toBeUndefined();
  });

  test('an export sorted by delay with the longest 1% cut ends as densely as its body: judged as the label is', () => {
    const finding = edge(delayDay(30, sortedCut(0.01)));
    expect(finding).toMatchObject({ kind: 'label_rate', column: 'delay' });
    expect(finding!.value).toBeLessThan(finding!.low / 2);
    expect(findingMessage(finding!, 'data/x/2001-01-31.csv', dateOf(30), 'delay > 15')).toMatch(
      /column "delay": span of its top 0\.5% of values for that of the 0\.5% below them is .*its largest values end as densely as its body, where they thinned out on every earlier day/,
    );
    // So does a filter that drops every delay over 2 hours (1.4% of the rows).
    expect(edge(delayDay(30, (d) => d.filter((v) => v <= 120)))).toMatchObject({ kind: 'label_rate' });
  });

  test('a number whose top end is dense on every day (a bounded reading) is not judged by it; nor a small day', () => {
    const bounded = (i: number, share = 0): PartitionProfile => {
      const random = mulberry32(900 + i);
      const values = sortedCut(share)(Array.from({ length: 10_000 }, () => Math.round(1000 * random())));
      return profileOf(dateOf(i), computeStatistics(tableOf([numberColumn('delay', values)])), { duplicates: 0, ranges: 'delay' });
    };
    const history = Array.from({ length: 30 }, (_, i) => bounded(i));
    expect(edge(bounded(30, 0.01), history)).toBeUndefined();
    expect(delayDay(0, (d) => d.slice(0, 3_000)).metrics['delay.topEdge']).toBeUndefined();
  });
});

describe("a month's rhythm", () => {
  // Invoices: about 320 on weekdays, 170 on weekends, and three times as many on a month's last day.
  const invoiceRows = (i: number, monthEnd = 3): PartitionProfile => {
    const weekend = weekdayOf(dateOf(i)) >= 6;
    const last = dateOf(i + 1).endsWith('-01');
    const rows = Math.round((weekend ? 170 : 320) * (1 + 0.03 * Math.sin(i * 2.1)) * (last ? monthEnd : 1));
    return { date: dateOf(i), rows, metrics: { rows }, categories: {} };
  };
  // Day 211 is Tuesday 2001-07-31; its 56 earlier days hold one month-end, Saturday 06-30, with 510 rows.
  const tuesday = 211;
  const found = (rows: number, monthEnd = 3): HistoryFinding[] => {
    const days = Array.from({ length: tuesday }, (_, i) => invoiceRows(i, monthEnd));
    return compareWithHistory({ date: dateOf(tuesday), rows, metrics: { rows }, categories: {} }, days, options);
  };

  test('a month-end holding what the month-end before held, for its weekday, is no outlier', () => {
    expect(dateOf(tuesday)).toBe('2001-07-31');
    expect(found(960)).toEqual([]);
    // Without that rhythm, the same day is one.
    expect(found(960, 1).map((f) => f.metric)).toEqual(['rows']);
  });

  test('a month-end doubled is an outlier by the month-end before too, and says so', () => {
    const [doubled] = found(1920);
    expect(doubled?.metric).toBe('rows');
    expect(findingMessage(doubled!, 'data/invoices/2001-07-31.csv', dateOf(tuesday), 'label')).toMatch(
      /^data\/invoices\/2001-07-31\.csv: row count is 1,920, expected about 9\d\d; the last day of the month before held 3\.\d times its weekday's rows, 9\d\d on a Tuesday \(robust z \d+/,
    );
  });

  test("a month-end holding a weekday's rows is no outlier: the rhythm only spares days, it makes none an outlier", () => {
    expect(found(320)).toEqual([]);
  });
});

describe('numbers read as categories', () => {
  test('a store id the model embeds has no mean or quantiles in the profile, only its null rate', () => {
    const stats = computeStatistics(tableOf([numberColumn('store_id', [1, 2, 3, 40, 40, 7]), numberColumn('amount', [1, 2, 3, 4, 5, 6])]));
    const profile = profileOf('2001-01-01', stats, { duplicates: 0, codes: new Set(['store_id']) });
    expect(Object.keys(profile.metrics).filter((m) => m.startsWith('store_id.'))).toEqual(['store_id.nullRate']);
    expect(profile.metrics['amount.mean']).toBe(3.5);
  });

  test('an id the model reads as a category is a key: a product always in one category', () => {
    const day = (i: number, moved: boolean): PartitionProfile => {
      const products = Array.from({ length: 2_000 }, (_, k) => 1_000 + ((k * 7 + i) % 90));
      const category = products.map((p, k) => (moved && (Math.imul(k, 2_654_435_761) >>> 0) % 20 === 3 ? 'other' : `c${p % 9}`));
      const dependencies = createDependencies(new Set(['product_id']));
      const table = tableOf([numberColumn('product_id', products), stringColumn('category', category)]);
      dependencies.add(table);
      return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, dependencies: dependencies.result() });
    };
    const history = Array.from({ length: 21 }, (_, i) => day(i, false));
    const finding = compareWithHistory(day(21, true), history, options).find((f) => f.metric === 'category<-product_id.mismatchShare');
    expect(finding?.value).toBeCloseTo(0.05, 2);
  });

  test('text columns stay pairable keys whatever their kind; an id is a key on its own', () => {
    const dependencies = createDependencies(new Set(['origin', 'destination', 'store_id']));
    const n = 400;
    dependencies.add(
      tableOf([
        stringColumn(
          'origin',
          Array.from({ length: n }, (_, k) => `o${k % 5}`),
        ),
        stringColumn(
          'destination',
          Array.from({ length: n }, (_, k) => `d${k % 7}`),
        ),
        numberColumn(
          'store_id',
          Array.from({ length: n }, (_, k) => k % 3),
        ),
        numberColumn(
          'distance',
          Array.from({ length: n }, (_, k) => (k % 5) * 100 + (k % 7)),
        ),
      ]),
    );
    const names = Object.keys(dependencies.result());
    expect(names).toContain('distance<-origin+destination');
    expect(names).toContain('distance<-store_id');
    expect(names.filter((d) => d.includes('+store_id') || d.includes('store_id+'))).toEqual([]);
  });

  test('one product on sale (its price changed on all its rows) is a real change, not a broken dependency', () => {
    const day = (i: number, sale: boolean): PartitionProfile => {
      const products = Array.from({ length: 2_000 }, (_, k) => 1_000 + ((k * 7 + i) % 90));
      const price = products.map((p) => (sale && p === 1_005 ? 7.49 : (p % 40) + 0.99));
      const dependencies = createDependencies(new Set(['product_id']));
      const table = tableOf([numberColumn('product_id', products), numberColumn('price', price)]);
      dependencies.add(table);
      return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, dependencies: dependencies.result() });
    };
    const history = Array.from({ length: 21 }, (_, i) => day(i, false));
    expect(compareWithHistory(day(21, true), history, options).filter((f) => f.metric.endsWith('.mismatchShare'))).toEqual([]);
  });

  test('nor a relation to the categories (an id has no variance to explain)', () => {
    const relations = createRelations(new Set(['store_id']));
    relations.add(
      tableOf([
        numberColumn(
          'store_id',
          Array.from({ length: 600 }, (_, i) => (i * 7) % 40),
        ),
        numberColumn(
          'amount',
          Array.from({ length: 600 }, (_, i) => (i % 3) * 10 + (i % 7)),
        ),
        stringColumn(
          'region',
          Array.from({ length: 600 }, (_, i) => ['a', 'b', 'c'][i % 3]!),
        ),
      ]),
    );
    expect(Object.keys(relations.result()).filter((m) => m.includes('store_id'))).toEqual([]);
    expect(Object.keys(relations.result())).toContain('amount|region.eta2');
  });
});

describe('rules that see rows, not only columns', () => {
  const days = Array.from({ length: 21 }, (_, i) => flightsDay(i));
  const findingsOf = (newest: PartitionProfile): ReturnType<typeof compareWithHistory> => compareWithHistory(newest, days, options);

  test('an ordinary day breaks none of them', () => {
    expect(findingsOf(flightsDay(21))).toEqual([]);
  });

  test('a route always has one distance: 1% of rows in kilometres break the dependency, though every value is plausible', () => {
    const km = flightsDay(21, { edit: (r, k) => k % 100 === 0 && (r.distance = Math.round(r.distance * 1.609)) });
    const finding = findingsOf(km).find(
      (f) => f.metric === 'distance<-destination+origin.mismatchShare' || f.metric === 'distance<-origin+destination.mismatchShare',
    );
    expect(finding).toBeDefined();
    expect(finding!.kind).toBe('partition_statistic');
    expect(finding!.value).toBeCloseTo(0.01, 3);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'label')).toMatch(
      /dependency of "distance" on "origin" and "destination": share of rows whose distance is not the value/,
    );
  });

  test('a dependency that held on every row is held like a hard constraint: 0.6% of rows off their key stop it, 0.2% do not', () => {
    const offKey = (every: number): PartitionProfile => flightsDay(21, { edit: (r, k) => k % every === 0 && (r.distance = r.distance + 1 + (k % 90)) });
    const mismatch = (newest: PartitionProfile): ReturnType<typeof compareWithHistory>[number] | undefined =>
      findingsOf(newest).find((f) => f.metric.startsWith('distance<-') && f.metric.endsWith('.mismatchShare'));
    // 60 rows of 10,000: a row shifted in a block of a join, within the 0.8% a share of other defects may move by.
    const shifted = mismatch(offKey(167));
    expect(shifted?.value).toBeCloseTo(0.006, 3);
    expect(shifted!.score).toBeGreaterThan(options.threshold);
    expect(mismatch(offKey(500))).toBeUndefined();
  });

  test('an airport always lies in one region: 5% of rows filed under another region break the dependency, every value valid', () => {
    const moved = flightsDay(21, { edit: (r, k) => k % 20 === 0 && (r.region = r.region === 'r0' ? 'r1' : 'r0') });
    const finding = findingsOf(moved).find((f) => f.metric === 'region<-origin.mismatchShare');
    expect(finding).toBeDefined();
    expect(finding!.kind).toBe('partition_statistic');
    expect(finding!.value).toBeCloseTo(0.05, 2);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'label')).toMatch(
      /dependency of "region" on "origin": share of rows whose region is not the value their origin had on earlier days/,
    );
  });

  test('a value new on any earlier day is not new today: a new airport from day 15 on, judged on day 21 (a weekday whose days 0, 7, 14 lack it)', () => {
    const opened = (i: number): PartitionProfile => flightsDay(i, { edit: (r, k) => k % 100 === 0 && (r.origin = 'o99') });
    const history = days.map((d, i) => (i >= 15 ? opened(i) : d));
    const findings = compareWithHistory(opened(21), history, options);
    expect(findings.filter((f) => f.metric === 'origin.unseenShare')).toEqual([]);
    // The first day it appeared, it was new.
    expect(compareWithHistory(opened(15), days.slice(0, 15), options).map((f) => f.metric)).toContain('origin.unseenShare');
  });

  test('a domain that grows: an airport opening every fifth day with 1% of the rows is new on its first day, as on every earlier one', () => {
    // Airport n0 opens on day 5, n1 on day 10, ...: each takes 1% of the rows (and their routes) from then on.
    const growing = (i: number): PartitionProfile => flightsDay(i, { edit: (r, k) => k % 100 < Math.floor(i / 5) && (r.origin = `n${k % 100}`) });
    const history = Array.from({ length: 40 }, (_, i) => growing(i));
    const opened = compareWithHistory(growing(40), history, options).map((f) => f.metric);
    expect(opened.filter((m) => m.endsWith('unseenShare') || m.endsWith('unseenPairShare'))).toEqual([]);
    // Three airports at once (n7 and two more), a day's worth of new airports three times over, is more than the history shows.
    const three = flightsDay(40, { edit: (r, k) => k % 100 < 10 && (r.origin = `n${k % 100}`) });
    expect(compareWithHistory(three, history, options).map((f) => f.metric)).toContain('origin.unseenShare');
  });

  test('airport codes read with a shifted dictionary on 2% of rows: routes no day flew, every code valid', () => {
    // Each airport's code becomes another's (o3 -> o10, d3 -> d6); no airport flies to the one three below it.
    const shift = (code: string, by: number): string => `${code[0]}${(Number(code.slice(1)) + by) % 20}`;
    const remapped = flightsDay(21, {
      edit: (r, k) => k % 50 === 0 && ((r.origin = shift(r.origin, 7)), (r.destination = shift(r.destination, 3))),
    });
    const finding = findingsOf(remapped).find((f) => f.metric === 'origin+destination.unseenPairShare');
    expect(finding).toBeDefined();
    expect(finding!.value).toBeGreaterThan(0.015);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'label')).toMatch(
      /pairs of "origin" and "destination": share of rows whose pair of values no earlier day had/,
    );
  });

  test('distances rounded on every row break the dependency on every route (the day agrees with itself, not with its history)', () => {
    const rounded = flightsDay(21, { edit: (r) => (r.distance = Math.round(r.distance / 100) * 100 + 1) });
    const finding = findingsOf(rounded).find((f) => f.metric.endsWith('.mismatchShare'));
    expect(finding?.value).toBeGreaterThan(0.9);
  });

  test('an origin that every earlier day had is missing: its usual share vanished', () => {
    // o9 holds 10/210 of the rows; o1, 2/210 (about 1%).
    const finding = findingsOf(flightsDay(21, { drop: (origin) => origin === 'o1' })).find((f) => f.metric === 'origin.vanishedShare');
    expect(finding).toBeDefined();
    expect(finding!.value).toBeCloseTo(2 / 210, 2);
  });

  test('labels misaligned with their rows: a relation that held strongly on every day is gone (label_relation)', () => {
    const finding = findingsOf(flightsDay(21, { shiftLabels: true })).find((f) => f.metric === 'ct:label|origin.signal');
    expect(finding).toBeDefined();
    expect(finding!.kind).toBe('label_relation');
    expect(finding!.value).toBeLessThan(BROKEN_SIGNAL);
    expect(finding!.low).toBeGreaterThanOrEqual(HELD_SIGNAL);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'delay > 15')).toMatch(
      /relation of the label \(delay > 15\) to "origin".*a relation that held on every earlier day is gone/,
    );
  });

  test("an upload cut an hour early loses the day's last rows: the time of its last row moves, its row count barely", () => {
    const cut = flightsDay(21, { drop: (_origin, ms) => ms >= 23 * 3_600_000 });
    const findings = findingsOf(cut);
    expect(findings.find((f) => f.metric === 'date.lastHour')?.value).toBeLessThan(23);
    expect(findings.some((f) => f.kind === 'partition_rows')).toBe(false);
  });

  test('dates without their time of day (a DATE cast) on a tenth of the rows: the share of times at exactly midnight rises', () => {
    const truncated = flightsDay(21, { edit: (r, k) => k % 10 === 0 && (r.time -= r.time % 86_400_000) });
    const finding = findingsOf(truncated).find((f) => f.metric === 'date.midnightShare');
    expect(finding).toBeDefined();
    expect(finding!.value).toBeCloseTo(0.1, 2);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'label')).toMatch(/column "date": share of times at exactly midnight/);
  });

  test("signs flipped on a tenth of the rows mirror a skewed column's long tail: extreme low values appear", () => {
    const flipped = flightsDay(21, { edit: (r, k) => k % 10 === 3 && (r.delay = -r.delay) });
    const finding = findingsOf(flipped).find((f) => f.metric === 'delay.lowTailShare');
    expect(finding).toBeDefined();
    expect(finding!.kind).toBe('partition_statistic');
    expect(finding!.value).toBeGreaterThan(0.005);
    expect(findingMessage(finding!, 'data/x/2001-01-22.csv', dateOf(21), 'label')).toMatch(
      /column "delay": share of extreme low values \(below its first quartile by 3 interquartile ranges\) is/,
    );
  });

  test('the most frequent value is the most frequent, even when values look like numbers', () => {
    const stats = computeStatistics(tableOf([stringColumn('hour', ['0', '7', '7', '7', '23', '7'])]));
    expect(profileOf('2001-01-01', stats, { duplicates: 0 }).metrics['hour.topShare']).toBeCloseTo(4 / 6, 6);
  });
});

describe('flags (true/false columns) group and key rows as categories do', () => {
  // Card payments: a device type only when the card was not present; the risk score is higher then.
  const payments = (i: number, change: { inverted?: boolean; riskShuffled?: boolean } = {}): PartitionProfile => {
    let seed = 1_000 + i;
    const random = (): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const present: boolean[] = [];
    const device: Array<string | null> = [];
    const risk: number[] = [];
    for (let k = 0; k < 600; k++) {
      const p = random() < 0.45;
      present.push(change.inverted === true ? !p : p);
      device.push(p ? null : ['ios', 'android', 'web'][k % 3]!);
      risk.push(Math.round((p ? 0.05 : 0.2) * (0.5 + random()) * 1e4) / 1e4);
    }
    if (change.riskShuffled === true) risk.sort(() => random() - 0.5);
    const flag: Column = { type: 'boolean', name: 'card_present', values: Uint8Array.from(present, (p) => (p ? 1 : 0)), nulls: null };
    const table = tableOf([flag, stringColumn('device_type', device), numberColumn('risk', risk)]);
    const relations = createRelations();
    relations.add(table);
    const dependencies = createDependencies();
    dependencies.add(table);
    return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, relations: relations.result(), dependencies: dependencies.result() });
  };
  const days = Array.from({ length: 21 }, (_, i) => payments(i));

  test('an ordinary day: nothing', () => {
    expect(compareWithHistory(payments(21), days, options)).toEqual([]);
  });

  test('a flag inverted on every row keeps its share near usual, and breaks the value the device type decided', () => {
    const metrics = compareWithHistory(payments(21, { inverted: true }), days, options).map((f) => f.metric);
    expect(metrics).toContain('card_present<-device_type.mismatchShare');
  });

  test('a score shuffled within the day loses its relation to the flag', () => {
    const metrics = compareWithHistory(payments(21, { riskShuffled: true }), days, options).map((f) => f.metric);
    expect(metrics).toContain('risk|card_present.signal');
  });
});

describe('the level of the number a threshold label is read off', () => {
  /** Days whose delays' level rises with their spread (storms), the newest with `shift` added to every delay. */
  function days(newestStd: number, shift: number): PartitionProfile[] {
    const all = history(42);
    all.push(day(42));
    all.forEach((p, i) => {
      const std = i === 42 ? newestStd : 22 + ((i * 11) % 23);
      const iqr = 0.55 * std + ((i * 5) % 7) * 0.3;
      const mean = -6 + 0.45 * std + 0.1 * iqr + Math.sin(i * 2.3) * 0.8 + (i === 42 ? shift : 0);
      Object.assign(p.metrics, { 'delay.mean': mean, 'delay.std': std, 'delay.q25': mean - 0.6 * iqr, 'delay.q75': mean + 0.4 * iqr });
    });
    return all;
  }
  const withSource = { ...options, labelSource: 'delay' };

  it('every delay 15 minutes later is a label_rate error, judged by three quarters of the label threshold', () => {
    const all = days(30, 15);
    const finding = compareWithHistory(all.at(-1)!, all, withSource).find((f) => f.metric === 'delay.levelShift');
    expect(finding).toMatchObject({ kind: 'label_rate', column: 'delay' });
    expect(finding!.value).toBeGreaterThan(13);
    expect(finding!.score).toBeGreaterThan(options.labelMixThreshold! * 0.75);
    // A looser label threshold loosens it too.
    expect(
      compareWithHistory(all.at(-1)!, all, { ...withSource, labelMixThreshold: (finding!.score / 0.75) * 1.01 }).some((f) => f.metric === 'delay.levelShift'),
    ).toBe(false);
    expect(describeMetric(finding!, 'delay > 15')).toContain('every value moved by one amount');
    // Without a label read off the column, its level is not judged this way.
    expect(compareWithHistory(all.at(-1)!, all, options).some((f) => f.metric === 'delay.levelShift')).toBe(false);
  });

  it('a storm beyond every earlier day, its level risen with its spread, is not', () => {
    const all = days(60, 0);
    expect(compareWithHistory(all.at(-1)!, all, withSource).filter((f) => f.metric === 'delay.levelShift')).toEqual([]);
  });
});
