/**
 * The data incidents of the seed, end to end on real flights days: with a production model
 * in place, a bad newest partition stops `ct run` at validation (exit 1, production
 * unchanged); the next day, the bad partition is quarantined and the run goes on without it;
 * `ct validate --accept` takes it back as a real change.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTables } from '../../src/data/read.js';
import type { Column, Table } from '../../src/data/table.js';
import { type Anomaly, anomalyText } from '../../src/validate/checker.js';
import { treeDigest } from '../helpers.js';
import { ct, LOOSE_LATENCY_MS, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

interface Validation {
  ok: boolean;
  files: string[];
  anomalies: Anomaly[];
  quarantined: Array<{ date: string; file: string; reasons: string[] }>;
  history: { days: number; skipped: string | null };
}

const readValidation = (repo: string): Validation => JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8')) as Validation;
const errorKinds = (v: Validation): string[] => [...new Set(v.anomalies.filter((a) => a.severity === 'error').map((a) => a.kind))];

/** Rows of a real day as CSV text, `distance` applied to row i's distance, row i carrying the delay of row `delayOf(i)`. */
function csvOf(table: Table, rows: number, distance: (d: number, i: number) => number = (d) => d, delayOf: (i: number) => number = (i) => i): string {
  const col = (name: string): Column => table.columns.find((c) => c.name === name)!;
  const [date, delay, dist, origin, destination] = ['date', 'delay', 'distance', 'origin', 'destination'].map(col) as [
    Column & { values: Float64Array },
    Column & { values: Float64Array },
    Column & { values: Float64Array },
    Column & { codes: Int32Array; dictionary: string[] },
    Column & { codes: Int32Array; dictionary: string[] },
  ];
  let text = 'date,delay,distance,origin,destination\n';
  for (let i = 0; i < Math.min(rows, table.rowCount); i++) {
    text += `${new Date(date.values[i]!).toISOString().slice(0, 16)},${delay.values[delayOf(i)]},${distance(dist.values[i]!, i)},${origin.dictionary[origin.codes[i]!]},${destination.dictionary[destination.codes[i]!]}\n`;
  }
  return text;
}

describe('data incidents on real flights days', () => {
  let repo: string;
  let march1: Table;
  let march2: string;
  let models: Record<string, string>;
  const partition = (): string => path.join(repo, 'data/flights/2001-03-01.csv');

  beforeAll(async () => {
    // 20 real days of history, the reviewed schema, and a production model trained on the newest 14.
    repo = tempRepo(shippedPartitions().slice(-20), 14);
    // The model only has to exist: gates that a busy machine cannot fail, no intervals or slices.
    const config = smallConfig(14);
    config.gates = [{ metric: 'auc', lowerBound: 0.55 }];
    config.evaluation = { bootstrap: { samples: 0 }, slices: [], infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } };
    writeConfig(repo, 'ct.config.yaml', config);
    cpSync(path.join(root, 'data/flights/schema.json'), path.join(repo, 'data/flights/schema.json'));
    const days = mkdtempSync(path.join(tmpdir(), 'ct-march-'));
    const made = spawnSync(process.execPath, [path.join(root, 'scripts/flights-partitions.mjs'), '--from', '2001-03-01', '--to', '2001-03-02', '--out', days], {
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
    march1 = await readTables([path.join(days, '2001-03-01.parquet')]);
    march2 = path.join(days, '2001-03-02.parquet');
    const first = ct(repo, ['run', '--quiet']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    models = treeDigest(path.join(repo, 'models'));
  }, 240_000);

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  const stopsAtValidation = (): Validation => {
    const r = ct(repo, ['run', '--quiet']);
    expect(r.status).toBe(1);
    const v = readValidation(repo);
    // Each error anomaly is one line the terminal names an error.
    for (const a of v.anomalies.filter((x) => x.severity === 'error')) expect(r.stderr.split('\n')).toContain(`error: ${anomalyText(a)}`);
    expect(v.ok).toBe(false);
    // Stopped before training: no candidate was written, and production is unchanged.
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
    expect(treeDigest(path.join(repo, 'models'))).toEqual(models);
    return v;
  };

  beforeEach(() => rmSync(path.join(repo, 'out'), { recursive: true, force: true }));

  test('2,000 rows of the day with every 20th distance negative stop the run at validation', () => {
    writeFileSync(
      partition(),
      csvOf(march1, 2_000, (d, i) => (i % 20 === 19 ? -d : d)),
    );
    const v = stopsAtValidation();
    expect(errorKinds(v)).toEqual(expect.arrayContaining(['negative_value', 'partition_rows']));
    const negative = v.anomalies.find((a) => a.kind === 'negative_value')!;
    expect(negative.message).toMatch(/column "distance": 100 of 2000 values \(5\.0%\) are negative/);
    // The terminal line says where to look: the first negative row of the file.
    expect(anomalyText(negative)).toMatch(/ \(first at data\/flights\/2001-03-01\.csv row 20: -\d+\)$/);
  });

  test('the 2,000 clean rows of the day on their own stop the run: a partial upload', () => {
    writeFileSync(partition(), csvOf(march1, 2_000));
    const v = stopsAtValidation();
    expect(errorKinds(v)).toContain('partition_rows');
    expect(v.anomalies.find((a) => a.kind === 'partition_rows')!.message).toMatch(
      /2001-03-01\.csv: row count is 2,000, expected about 1\d,\d{3}.*8\d% of the expected rows missing: a partial upload\?/,
    );
  });

  test('the whole day with distance in kilometres stops the run at validation', () => {
    writeFileSync(
      partition(),
      csvOf(march1, Infinity, (d) => Math.round(d * 1.609344)),
    );
    const v = stopsAtValidation();
    expect(v.anomalies.some((a) => a.severity === 'error' && a.column === 'distance' && a.kind === 'partition_statistic')).toBe(true);
  });

  test('a header line repeated mid-file (two exports concatenated) is found where it is, and nothing else is', () => {
    const lines = csvOf(march1, Infinity).split('\n');
    lines.splice(8_001, 0, lines[0]!);
    writeFileSync(partition(), lines.join('\n'));
    const v = stopsAtValidation();
    // The other rows' numbers are profiled as numbers: no statistic or dependency of the day moved.
    expect(errorKinds(v)).toEqual(['unparseable_value']);
    const distance = v.anomalies.find((a) => a.column === 'distance')!;
    expect(anomalyText(distance)).toMatch(
      /^column "distance": 1 value is not a number: distance \(1\) \(first at data\/flights\/2001-03-01\.csv row 8,001: distance\)$/,
    );
  });

  test('the next day, the bad partition is quarantined and validation goes on without it; --accept takes it back', () => {
    writeFileSync(partition(), csvOf(march1, 2_000));
    cpSync(march2, path.join(repo, 'data/flights/2001-03-02.parquet'));
    const next = ct(repo, ['validate']);
    expect(next.status).toBe(0);
    let v = readValidation(repo);
    expect(v.quarantined.map((q) => q.date)).toEqual(['2001-03-01']);
    expect(v.quarantined[0]!.reasons.join(' ')).toMatch(/row count is 2,000/);
    // One line in the log: the first reason, the rest counted and left to the report.
    const leftOut = next.stderr.split('\n').filter((l) => l.includes('left out data/flights/2001-03-01.csv'));
    expect(leftOut).toHaveLength(1);
    const others = v.quarantined[0]!.reasons.length - 1;
    expect(leftOut[0]).toMatch(/quarantined until it is fixed or accepted\): [^;]*row count is 2,000/);
    if (others > 0) expect(leftOut[0]).toContain(`(and ${others} more in out/validation.md)`);
    expect(v.files.some((f) => f.endsWith('2001-03-01.csv'))).toBe(false);
    expect(readFileSync(path.join(repo, 'out/validation.md'), 'utf8')).toMatch(
      /^1 partition\(s\) of the window left out \(quarantined\)[\s\S]*Left out of this window[\s\S]*2001-03-01\.csv/m,
    );

    const accepted = ct(repo, ['validate', '--accept', '2001-03-01', '--reason', 'a strike: only 2,000 flights flew']);
    expect(accepted.status).toBe(0);
    expect(accepted.stderr).toMatch(/accepted the change of 2001-03-01 \([^)]*\brows\b/);
    const record = JSON.parse(readFileSync(path.join(repo, 'data/flights/accepted.json'), 'utf8')) as { partitions: Array<{ date: string; reason: string }> };
    expect(record.partitions).toEqual([expect.objectContaining({ date: '2001-03-01', reason: 'a strike: only 2,000 flights flew' })]);
    v = readValidation(repo);
    expect(v.quarantined).toEqual([]);
    expect(v.files.some((f) => f.endsWith('2001-03-01.csv'))).toBe(true);

    // A changed file is no longer the one accepted: it is judged again.
    writeFileSync(partition(), csvOf(march1, 1_500));
    ct(repo, ['validate', '--quiet']);
    expect(readValidation(repo).quarantined.map((q) => q.date)).toEqual(['2001-03-01']);
    rmSync(path.join(repo, 'data/flights/2001-03-02.parquet'));
  });

  test('labels slid by a row stop the day; the day stays out when later days arrive, until --accept takes it back', () => {
    // A fifth of the day's rows each carry the next row's delay: every value real, the join that attaches labels broken.
    const from = Math.floor(march1.rowCount * 0.6);
    const to = Math.floor(march1.rowCount * 0.8);
    writeFileSync(
      partition(),
      csvOf(march1, Infinity, undefined, (i) => (i >= from && i < to ? i + 1 : i)),
    );
    const v = stopsAtValidation();
    expect(errorKinds(v)).toContain('labels_misaligned');
    const misaligned = v.anomalies.find((a) => a.kind === 'labels_misaligned')!;
    expect(misaligned.message).toMatch(/^data\/flights\/2001-03-01\.csv: rows \d+\.\.\d+ look misaligned with their labels \(delay > 15\)/);
    expect(misaligned.message).toContain('if these labels are right, accept the day: ct validate --accept 2001-03-01');

    // The next day arrives, and with the history cache gone (a new runner) 03-01 was never judged as the newest: still out.
    cpSync(march2, path.join(repo, 'data/flights/2001-03-02.parquet'));
    rmSync(path.join(repo, '.ct'), { recursive: true, force: true });
    try {
      const next = ct(repo, ['validate']);
      expect(next.status).toBe(0);
      let after = readValidation(repo);
      expect(after.quarantined.map((q) => q.date)).toEqual(['2001-03-01']);
      expect(after.quarantined[0]!.reasons.join(' ')).toMatch(/2001-03-01\.csv: rows \d+\.\.\d+ look misaligned with their labels/);
      expect(after.files.some((f) => f.endsWith('2001-03-01.csv'))).toBe(false);
      expect(errorKinds(after)).toEqual([]);

      const accepted = ct(repo, ['validate', '--accept', '2001-03-01', '--reason', 'labels checked against the source']);
      expect(accepted.status).toBe(0);
      expect(accepted.stderr).toMatch(/accepted the change of 2001-03-01 \(labels_misaligned; the day is trained on as delivered\)/);
      after = readValidation(repo);
      expect(after.quarantined).toEqual([]);
      expect(after.files.some((f) => f.endsWith('2001-03-01.csv'))).toBe(true);
    } finally {
      rmSync(path.join(repo, 'data/flights/2001-03-02.parquet'));
      rmSync(path.join(repo, 'data/flights/accepted.json'), { force: true });
    }
  });

  test('accepted as a one-off, the day is trained on and the same change the next day is an error again', async () => {
    const accepted = path.join(repo, 'data/flights/accepted.json');
    rmSync(accepted, { force: true });
    const km = (d: number): number => Math.round(d * 1.609344);
    writeFileSync(partition(), csvOf(march1, Infinity, km));
    const next = path.join(repo, 'data/flights/2001-03-02.csv');
    writeFileSync(next, csvOf(await readTables([march2]), Infinity, km));
    const distanceErrors = (x: Validation): Anomaly[] =>
      x.anomalies.filter((a) => a.severity === 'error' && a.column === 'distance' && a.kind === 'partition_statistic');
    try {
      const r = ct(repo, ['validate', '--accept', '2001-03-01', '--one-off', '--reason', 'one day of kilometres']);
      expect(r.stderr).toMatch(/accepted the change of 2001-03-01 \([^)]*\bdistance\b[^)]*; as a one-off: later days are judged without it\)/);
      const record = JSON.parse(readFileSync(accepted, 'utf8')) as { partitions: Array<Record<string, unknown>> };
      expect(record.partitions).toEqual([expect.objectContaining({ date: '2001-03-01', oneOff: true, reason: 'one day of kilometres' })]);
      // 03-01 is trained on; 03-02 is judged against the days before 03-01, as if 03-01 had not happened.
      let v = readValidation(repo);
      expect(v.quarantined).toEqual([]);
      expect(v.files.some((f) => f.endsWith('2001-03-01.csv'))).toBe(true);
      expect(r.status).toBe(1);
      expect(distanceErrors(v).map((a) => a.message)).toContainEqual(expect.stringMatching(/^data\/flights\/2001-03-02\.csv: column "distance"/));
      // The report shows whoever reviews the run that a person's word stood over the history's.
      expect(readFileSync(path.join(repo, 'out/validation.md'), 'utf8')).toMatch(
        /^- 2001-03-01, a one-off \(later days are judged without it\): one day of kilometres \([^)]*`distance/m,
      );

      // Accepted as a lasting change instead, kilometres are the new level from 03-01 on.
      expect(ct(repo, ['validate', '--accept', '2001-03-01']).stderr).toMatch(
        /accepted the change of 2001-03-01 \([^)]*; the new level is the reference from this day on\)/,
      );
      v = readValidation(repo);
      expect(v.quarantined).toEqual([]);
      expect(distanceErrors(v)).toEqual([]);
    } finally {
      rmSync(next);
      rmSync(accepted, { force: true });
    }
  });

  test('a day that never arrived is a warning; --accept records that it had no data', () => {
    rmSync(partition(), { force: true });
    const day = path.join(repo, 'data/flights/2001-02-20.parquet');
    const away = path.join(repo, '2001-02-20.parquet');
    renameSync(day, away);
    try {
      const r = ct(repo, ['validate']);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(
        /^warning: data\/flights: no partition for 2001-02-20, where 2 of the 3 Tuesdays from 2001-02-09 on have one: a missing upload\?/m,
      );
      expect(readValidation(repo).anomalies.filter((a) => a.kind === 'missing_partition')).toEqual([
        expect.objectContaining({ severity: 'warning', count: 1 }),
      ]);

      const accepted = ct(repo, ['validate', '--accept', '2001-02-20', '--reason', 'a strike: nothing flew']);
      expect(accepted.status).toBe(0);
      expect(accepted.stderr).toMatch(/accepted that 2001-02-20 has no data in data\/flights\/accepted\.json/);
      const record = JSON.parse(readFileSync(path.join(repo, 'data/flights/accepted.json'), 'utf8')) as { partitions: Array<Record<string, unknown>> };
      expect(record.partitions).toContainEqual({ date: '2001-02-20', fingerprint: 'none', metrics: ['missing_partition'], reason: 'a strike: nothing flew' });
      expect(ct(repo, ['validate']).stderr).not.toMatch(/no partition for/);
    } finally {
      renameSync(away, day);
    }
  });

  test('a data file not named for its day, or compressed, is a warning naming it; a day written as a folder is one line and exit 2', () => {
    rmSync(partition(), { force: true });
    const folder = path.join(repo, 'data/flights');
    const extra = [path.join(folder, '2001-02-28-part2.parquet'), path.join(folder, '2001-02-27.csv.gz')];
    for (const f of extra) cpSync(path.join(folder, '2001-02-20.parquet'), f);
    try {
      const r = ct(repo, ['validate']);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(
        /^warning: data\/flights: 2001-02-27\.csv\.gz and 2001-02-28-part2\.parquet are not read: a run reads the uncompressed files named for their day/m,
      );
      expect(readValidation(repo).anomalies.filter((a) => a.kind === 'unread_file')).toEqual([expect.objectContaining({ severity: 'warning', count: 2 })]);
      // The report lists it with no share of rows: it is about files, not rows.
      expect(readFileSync(path.join(repo, 'out/validation.md'), 'utf8')).toMatch(
        /^\| warning \| — \| unread_file \| 2 \| — \| +\| data\/flights: 2001-02-27\.csv\.gz and /m,
      );
    } finally {
      for (const f of extra) rmSync(f, { force: true });
    }
    // A day uploaded in two files, the first refused on its own (negative distances): the warning says where the rest is.
    const part2 = path.join(folder, '2001-03-01-part2.csv');
    writeFileSync(
      partition(),
      csvOf(march1, 2_000, (d, i) => (i % 20 === 19 ? -d : d)),
    );
    writeFileSync(part2, csvOf(march1, march1.rowCount));
    try {
      const r = ct(repo, ['validate']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/validated data\/flights\/2001-03-01\.csv, the newest partition, on its own: failed/);
      expect(errorKinds(readValidation(repo))).toContain('negative_value');
      expect(r.stderr).toMatch(/^warning: data\/flights: 2001-03-01-part2\.csv is not read: /m);
    } finally {
      rmSync(part2);
      rmSync(partition());
    }
    const day = path.join(folder, '2001-03-01.csv');
    cpSync(path.join(folder, '2001-02-20.parquet'), path.join(day, 'part-00000.parquet'));
    try {
      const r = ct(repo, ['validate', '--quiet']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/data\/flights\/2001-03-01\.csv is a folder, not a file: ct reads one file per day/)]);
    } finally {
      rmSync(day, { recursive: true, force: true });
    }
  });

  test('--accept of a day that is not flagged is one line and exit 2', () => {
    rmSync(partition(), { force: true });
    const r = ct(repo, ['validate', '--accept', '2001-02-20', '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--accept 2001-02-20: no partition of the window for that day is flagged/);
    // The newest day, clean: nothing to accept (not "its errors are schema errors").
    const newest = ct(repo, ['validate', '--accept', '2001-02-28', '--quiet']);
    expect(newest.status).toBe(2);
    expect(newest.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /--accept 2001-02-28: no partition of the window for that day is flagged against its history or by the production model.s checks, nor is the day missing \(newest: 2001-02-28;/,
      ),
    ]);
  });
});
