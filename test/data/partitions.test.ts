import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateOfDay, dayNumber, listPartitions, missingDays, type Partition, selectWindow, unreadDataFiles } from '../../src/data/partitions.js';
import { unreadFilesAnomaly } from '../../src/validate/unread-files.js';
import { expectUserError } from '../helpers.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-partitions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder with partitions on the given days (and some files that are not partitions). */
function folderWith(name: string, dates: string[]): string {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (const date of dates) writeFileSync(join(folder, `${date}.csv`), 'a\n1\n');
  writeFileSync(join(folder, 'schema.json'), '{}');
  writeFileSync(join(folder, 'README.md'), 'notes');
  writeFileSync(join(folder, '2001-01-01.csv.bak'), 'a\n1\n');
  return folder;
}

const dates = (ps: readonly Partition[]): string[] => ps.map((p) => p.date);

describe('listPartitions', () => {
  test('lists the shipped flights partitions, sorted, with their files', () => {
    const partitions = listPartitions('data/flights');
    expect(partitions).toHaveLength(59);
    expect(partitions[0]).toEqual({ date: '2001-01-01', file: 'data/flights/2001-01-01.parquet' });
    expect(partitions.at(-1)?.date).toBe('2001-02-28');
    expect(dates(partitions)).toEqual([...dates(partitions)].sort());
  });

  test('ignores files that are not partitions and sorts by date', () => {
    const folder = folderWith('mixed', ['2001-01-10', '2001-01-02', '2001-01-05']);
    expect(dates(listPartitions(folder))).toEqual(['2001-01-02', '2001-01-05', '2001-01-10']);
  });

  test('missing folder, no partitions, impossible dates and duplicate days are UserErrors', () => {
    expectUserError(() => listPartitions(join(dir, 'nowhere')), /^data folder not found: .*nowhere$/);
    expectUserError(() => listPartitions(folderWith('empty', [])), /empty holds no daily partitions/);
    const bad = folderWith('bad-date', ['2001-01-01']);
    writeFileSync(join(bad, '2001-02-30.csv'), 'a\n');
    expectUserError(() => listPartitions(bad), /2001-02-30\.csv: 2001-02-30 is not a calendar date/);
    const twice = folderWith('twice', ['2001-01-01']);
    writeFileSync(join(twice, '2001-01-01.jsonl'), '{"a":1}\n');
    expectUserError(() => listPartitions(twice), /two partitions for 2001-01-01/);
  });

  test('a folder named as a partition (a day Spark wrote as part files) is one line naming it', () => {
    const spark = folderWith('spark', ['2001-01-01']);
    mkdirSync(join(spark, '2001-01-02.csv'));
    writeFileSync(join(spark, '2001-01-02.csv', 'part-00000-1c2d.csv'), 'a\n1\n');
    expectUserError(() => listPartitions(spark), /spark\/2001-01-02\.csv is a folder, not a file: ct reads one file per day \(Spark writes a day as a folder of part files/);
  });
});

describe('unreadDataFiles and their anomaly', () => {
  test('data files not named for a day, or compressed, are listed; partitions, other files, hidden files and folders are not', () => {
    const folder = folderWith('unread', ['2001-01-01', '2001-01-02']);
    for (const name of ['latest.csv', '2001-01-02-part2.csv', '2001-01-03.csv.gz', 'extra.PARQUET', 'more.ndjson', '.2001-01-03.csv', 'notes.txt', 'accepted.json'])
      writeFileSync(join(folder, name), 'a\n1\n');
    mkdirSync(join(folder, 'old.csv'));
    expect(unreadDataFiles(folder).map((f) => f.slice(folder.length + 1))).toEqual(['2001-01-02-part2.csv', '2001-01-03.csv.gz', 'extra.PARQUET', 'latest.csv', 'more.ndjson']);
    expect(dates(listPartitions(folder))).toEqual(['2001-01-01', '2001-01-02']);
  });

  test('the anomaly is a warning of the given severity that names the folder and the files, the rest counted', () => {
    const one = folderWith('unread-one', ['2001-01-01']);
    expect(unreadFilesAnomaly(one, 'warning')).toBeNull();
    writeFileSync(join(one, 'latest.csv'), 'a\n1\n');
    const anomaly = unreadFilesAnomaly(one, 'warning');
    expect(anomaly).toMatchObject({ kind: 'unread_file', severity: 'warning', column: null, count: 1 });
    expect(anomaly!.message).toMatch(/unread-one: latest\.csv is not read: a run reads the uncompressed files named for their day \(YYYY-MM-DD\.csv, \.parquet or \.jsonl\)\. Name it for the day/);
    const many = folderWith('unread-many', ['2001-01-01']);
    for (const name of ['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv']) writeFileSync(join(many, name), 'a\n1\n');
    expect(unreadFilesAnomaly(many, 'error')).toMatchObject({ severity: 'error', count: 5 });
    expect(unreadFilesAnomaly(many, 'error')!.message).toMatch(/unread-many: a\.csv, b\.csv, c\.csv and 2 more are not read: .* Name each for the day its rows are from \(uncompressed\), or move them out of the folder$/);
  });
});

describe('selectWindow', () => {
  // Gaps on 01-04 and 01-06..01-07.
  const partitions = ['2001-01-01', '2001-01-02', '2001-01-03', '2001-01-05', '2001-01-08', '2001-01-09']
    .map((date) => ({ date, file: `data/x/${date}.csv` }));

  test('newestDays counts calendar days back from the newest partition, gaps included', () => {
    expect(dates(selectWindow(partitions, { newestDays: 1 }))).toEqual(['2001-01-09']);
    expect(dates(selectWindow(partitions, { newestDays: 4 }))).toEqual(['2001-01-08', '2001-01-09']);
    expect(dates(selectWindow(partitions, { newestDays: 5 }))).toEqual(['2001-01-05', '2001-01-08', '2001-01-09']);
    expect(selectWindow(partitions, { newestDays: 365 })).toHaveLength(6);
  });

  test('from/to are inclusive; either may be open; with newestDays the range is cut first', () => {
    expect(dates(selectWindow(partitions, { from: '2001-01-02', to: '2001-01-05' }))).toEqual(['2001-01-02', '2001-01-03', '2001-01-05']);
    expect(dates(selectWindow(partitions, { from: '2001-01-08' }))).toEqual(['2001-01-08', '2001-01-09']);
    expect(dates(selectWindow(partitions, { to: '2001-01-01' }))).toEqual(['2001-01-01']);
    expect(dates(selectWindow(partitions, { to: '2001-01-05', newestDays: 3 }))).toEqual(['2001-01-03', '2001-01-05']);
    expect(selectWindow(partitions, {})).toHaveLength(6);
  });

  test('an empty selection says what the folder holds', () => {
    expectUserError(
      () => selectWindow(partitions, { from: '2001-01-06', to: '2001-01-07' }),
      'no partitions in the window 2001-01-06..2001-01-07: data/x holds 2001-01-01..2001-01-09 (6 partitions)',
    );
  });

  test('bad dates and day counts are UserErrors naming the setting', () => {
    expectUserError(() => selectWindow(partitions, { from: '2001-1-6' }), 'window.from: expected a date YYYY-MM-DD, got "2001-1-6"');
    expectUserError(() => selectWindow(partitions, { newestDays: 0 }), /window\.newestDays: expected a whole number of days >= 1, got 0/);
    expectUserError(() => selectWindow(partitions, { from: '2001-01-05', to: '2001-01-01' }), /from 2001-01-05 is after to 2001-01-01/);
  });

  test('day numbers round-trip through dates and reject impossible ones', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2001-01-01')).toBe(11_323);
    expect(dateOfDay(11_323 + 59)).toBe('2001-03-01');
    expect(dayNumber('2000-02-29')).toBeDefined();
    expect(dayNumber('2001-02-29')).toBeUndefined();
    expect(dayNumber('2001-13-01')).toBeUndefined();
  });
});

describe('missingDays', () => {
  /** Partitions for the days from 2001-01-01 (a Monday) on that `keep` keeps. */
  const days = (count: number, keep: (date: string, i: number) => boolean = () => true): Partition[] =>
    Array.from({ length: count }, (_, i) => dateOfDay(dayNumber('2001-01-01')! + i))
      .filter((date, i) => keep(date, i))
      .map((date) => ({ date, file: `data/x/${date}.csv` }));

  it('finds the day of a daily folder that never arrived, with how usual its weekday is', () => {
    const partitions = days(42, (date) => date !== '2001-02-07');
    expect(missingDays(partitions, '2001-01-29', '2001-01-01')).toEqual([{ date: '2001-02-07', weekday: 3, weekdays: 6, present: 5 }]);
    // Outside the span asked about it is not reported; a complete folder misses nothing.
    expect(missingDays(partitions, '2001-02-08', '2001-01-01')).toEqual([]);
    expect(missingDays(days(42), '2001-01-29', '2001-01-01')).toEqual([]);
  });

  it('a folder of weekdays only misses nothing at weekends, but a missing Friday is missing', () => {
    const weekdays = (date: string): boolean => new Date(`${date}T00:00:00Z`).getUTCDay() % 6 !== 0;
    expect(missingDays(days(42, weekdays), '2001-01-29', '2001-01-01')).toEqual([]);
    const noFriday = days(42, (date) => weekdays(date) && date !== '2001-02-02');
    expect(missingDays(noFriday, '2001-01-29', '2001-01-01').map((m) => m.date)).toEqual(['2001-02-02']);
  });

  it('a weekday without a partition on most of its days, or seen too few times, is not judged', () => {
    // Every other Tuesday only: half of them are no more missing than the rest.
    const alternate = days(42, (date, i) => new Date(`${date}T00:00:00Z`).getUTCDay() !== 2 || i % 14 === 1);
    expect(missingDays(alternate, '2001-01-01', '2001-01-01')).toEqual([]);
    // Two weeks hold two of each weekday: too few to call one missing.
    expect(missingDays(days(14, (date) => date !== '2001-01-10'), '2001-01-01', '2001-01-01')).toEqual([]);
  });
});
