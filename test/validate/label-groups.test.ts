/**
 * Labels overwritten on one part of a partition (label-groups.ts): days of flights from five
 * airports whose late share moves with each day's weather, and the share of a day's rows in
 * groups that hold none of a label value every earlier day held there in numbers. The whole
 * path on real days runs in the incidents benchmark (label_lost_airport, label_lost_evening).
 */
import { absentLabels, createLabelGroups, labelGroupMetrics, labelGroupPool } from '../../src/validate/label-groups.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import type { Table } from '../../src/data/table.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, options } from './history-days.js';

const AIRPORTS = ['ATL', 'ORD', 'DFW', 'DEN', 'PIT'];
/** Rows per airport and day: PIT is small. */
const ROWS = [400, 300, 250, 150, 60];

interface Row {
  origin: string;
  hour: string;
  late: number;
}

/** A seeded generator, so every day is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Day `i`: each airport's late share between 8% and 40% with the day's weather. */
function rowsOf(i: number): Row[] {
  const rand = random(i + 1);
  const rows: Row[] = [];
  AIRPORTS.forEach((origin, a) => {
    const share = 0.08 + 0.32 * ((Math.sin(i * 1.3 + a) + 1) / 2);
    for (let k = 0; k < ROWS[a]!; k++) rows.push({ origin, hour: String(6 + (k % 16)), late: rand() < share ? 1 : 0 });
  });
  return rows;
}

function tableOfRows(rows: readonly Row[]): Table {
  return tableOf([
    stringColumn(
      'origin',
      rows.map((r) => r.origin),
    ),
    stringColumn(
      'input:hour',
      rows.map((r) => r.hour),
    ),
    numberColumn(
      'ct:label',
      rows.map((r) => r.late),
    ),
  ]);
}

function profileOfRows(i: number, rows: readonly Row[]): PartitionProfile {
  const groups = createLabelGroups('ct:label');
  // Two chunks, as a partition is read.
  const half = Math.floor(rows.length / 2);
  groups.add(tableOfRows(rows.slice(0, half)));
  groups.add(tableOfRows(rows.slice(half)));
  return profileOf(dateOf(i), computeStatistics(tableOfRows(rows)), { duplicates: 0, labelGroups: groups.result() });
}

const history = Array.from({ length: 28 }, (_, i) => profileOfRows(i, rowsOf(i)));
const pool = labelGroupPool(history);

/** Rows of day `i` with the late flights of `origin` written as on time. */
function onTimeAt(i: number, origin: string): Row[] {
  return rowsOf(i).map((r) => (r.origin === origin ? { ...r, late: 0 } : r));
}

/** Day 28 with the late flights of `origin` written as on time. */
function lostDay(origin: string): { profile: PartitionProfile; rows: number } {
  const rows = onTimeAt(28, origin);
  return { profile: profileOfRows(28, rows), rows: rows.filter((r) => r.origin === origin).length };
}

/** The history with day 10 holding no late flight at ORD. */
const calm = history.map((h, i) => (i === 10 ? profileOfRows(10, onTimeAt(10, 'ORD')) : h));

describe('label classes per group', () => {
  test('a profile keeps each group of each categorical column with its rows of each class; small groups and the label itself are left out', () => {
    const rows = rowsOf(0);
    const { label, classes, groups } = history[0]!.labelGroups!;
    expect(label).toBe('ct:label');
    expect([...classes].sort()).toEqual(['0', '1']);
    expect(Object.keys(groups).sort()).toEqual(['input:hour', 'origin']);
    const late = classes.indexOf('1');
    expect(groups['origin']!['ATL']![late]).toBe(rows.filter((r) => r.origin === 'ATL' && r.late === 1).length);
    expect(groups['origin']!['ATL']!.reduce((a, b) => a + b, 0)).toBe(400);
    // 16 hours of 1,160 rows: every hour holds more than 20; PIT's 60 rows too.
    expect(Object.keys(groups['input:hour']!)).toHaveLength(16);
    const few = createLabelGroups('ct:label');
    few.add(tableOfRows(rows.filter((r) => r.origin !== 'PIT' || r.hour === '6')));
    expect(few.result()!.groups['origin']!['PIT']).toBeUndefined();
  });

  test('one chunk or two give the same profile, and it survives its cache as plain JSON', () => {
    const one = createLabelGroups('ct:label');
    one.add(tableOfRows(rowsOf(0)));
    const a = one.result()!;
    const b = history[0]!.labelGroups!;
    const order = (p: typeof a) => Object.fromEntries(Object.entries(p.groups.origin!).map(([g, counts]) => [g, p.classes.map((c, k) => [c, counts[k]])]));
    expect(order(a)).toEqual(order(b));
    const copy = JSON.parse(JSON.stringify(lostDay('ORD').profile)) as PartitionProfile;
    expect(labelGroupMetrics(copy, pool)).toEqual(labelGroupMetrics(lostDay('ORD').profile, pool));
  });

  test('a number the model reads as a category (a store id) groups rows like a text column; other numbers do not', () => {
    const rows = rowsOf(0);
    const table = tableOf([
      numberColumn(
        'store',
        rows.map((_, k) => 100 + (k % 4)),
      ),
      numberColumn(
        'distance',
        rows.map((_, k) => k),
      ),
      numberColumn(
        'ct:label',
        rows.map((r) => r.late),
      ),
    ]);
    const groups = createLabelGroups('ct:label', { codes: new Set(['store']) });
    groups.add(table);
    const { classes, groups: byColumn } = groups.result()!;
    expect(Object.keys(byColumn)).toEqual(['store']);
    expect(Object.keys(byColumn['store']!).sort()).toEqual(['100', '101', '102', '103']);
    expect(byColumn['store']!['101']![classes.indexOf('1')]).toBe(rows.filter((r, k) => k % 4 === 1 && r.late === 1).length);
    // Columns to skip (crossed inputs, whose small groups are late together in a storm) are left out.
    const skipped = createLabelGroups('ct:label', { skip: new Set(['input:hour']) });
    skipped.add(tableOfRows(rows));
    expect(Object.keys(skipped.result()!.groups)).toEqual(['origin']);
  });

  test('no classes to count: a regression target, a label of one value, a label of more than 20', () => {
    const none = createLabelGroups(null);
    none.add(tableOfRows(rowsOf(0)));
    expect(none.result()).toBeUndefined();
    const one = createLabelGroups('ct:label');
    one.add(tableOfRows(rowsOf(0).map((r) => ({ ...r, late: 0 }))));
    expect(one.result()).toBeUndefined();
    const many = createLabelGroups('ct:label');
    many.add(tableOfRows(rowsOf(0).map((r, k) => ({ ...r, late: k % 30 }))));
    expect(many.result()).toBeUndefined();
  });
});

describe('groups that lost a label value', () => {
  test('an ordinary day has none, and every history day measured against the others has none', () => {
    expect(labelGroupMetrics(profileOfRows(28, rowsOf(28)), pool)).toEqual({
      'ct:label|origin.absentLabelShare': 0,
      'ct:label|input:hour.absentLabelShare': 0,
    });
    for (const day of history) expect(Object.values(labelGroupMetrics(day, pool)).every((v) => v === 0)).toBe(true);
  });

  test("an airport whose late flights were all written as on time: its rows' share, with the least late share its earlier days had", () => {
    const { profile, rows } = lostDay('ORD');
    expect(labelGroupMetrics(profile, pool)['ct:label|origin.absentLabelShare']).toBeCloseTo(rows / profile.rows, 9);
    const [absent] = absentLabels(profile, pool);
    expect(absent).toMatchObject({ column: 'origin', group: 'ORD', rows: 300, label: '1', days: 28 });
    const lowest = Math.min(...history.map((h) => h.labelGroups!.groups.origin!.ORD![h.labelGroups!.classes.indexOf('1')]! / 300));
    expect(absent!.lowest).toBeCloseTo(lowest, 9);
  });

  test('a group too small to be due 10 rows of the class, at its worst day, may lack it by chance', () => {
    // PIT: 60 rows, at least 8% late on its worst day: under 10 rows due.
    const { profile } = lostDay('PIT');
    expect(labelGroupMetrics(profile, pool)['ct:label|origin.absentLabelShare']).toBe(0);
  });

  test('a class a group lacked on any earlier day is no loss', () => {
    expect(absentLabels(lostDay('ORD').profile, labelGroupPool(calm))).toEqual([]);
  });

  test('that earlier day, measured against the others, is the loss', () => {
    expect(absentLabels(calm[10]!, labelGroupPool(calm)).map((a) => a.group)).toEqual(['ORD']);
  });

  test('a pool of fewer than 14 days says nothing', () => {
    expect(absentLabels(lostDay('ORD').profile, labelGroupPool(history.slice(-13)))).toEqual([]);
  });

  test('a multiclass label: a class missing from a group', () => {
    const teams = (i: number, lost: boolean): PartitionProfile => {
      const rand = random(100 + i);
      const rows = Array.from({ length: 600 }, (_, k) => {
        const channel = ['email', 'phone', 'chat'][k % 3]!;
        const u = rand();
        const team = u < 0.3 ? 'billing' : u < 0.5 ? 'sales' : 'tech';
        return { channel, team: lost && channel === 'chat' && team === 'sales' ? 'tech' : team };
      });
      const groups = createLabelGroups('team');
      groups.add(
        tableOf([
          stringColumn(
            'channel',
            rows.map((r) => r.channel),
          ),
          stringColumn(
            'team',
            rows.map((r) => r.team),
          ),
        ]),
      );
      return { date: dateOf(i), rows: rows.length, metrics: {}, categories: {}, labelGroups: groups.result()! };
    };
    const days = Array.from({ length: 20 }, (_, i) => teams(i, false));
    const [absent, ...others] = absentLabels(teams(20, true), labelGroupPool(days));
    expect(others).toEqual([]);
    expect(absent).toMatchObject({ column: 'channel', group: 'chat', label: 'sales', rows: 200 });
    expect(Object.keys(days[0]!.labelGroups!.groups)).toEqual(['channel']);
  });

  test('beyond the history, a lost group is a label finding a reviewer can read', () => {
    const { profile, rows } = lostDay('ORD');
    const finding = compareWithHistory(profile, history, options).find((f) => f.metric === 'ct:label|origin.absentLabelShare');
    expect(finding).toBeDefined();
    expect(finding!.kind).toBe('label_rate');
    expect(finding!.value).toBeCloseTo(rows / profile.rows, 9);
    expect(findingMessage(finding!, 'data/flights/2001-01-29.csv', dateOf(28), 'delay > 15')).toMatch(
      /the label \(delay > 15\) by column "origin": share of rows in groups that hold none of a label value every earlier day had there in numbers/,
    );
    expect(compareWithHistory(profileOfRows(28, rowsOf(28)), history, options).filter((f) => f.metric.endsWith('.absentLabelShare'))).toEqual([]);
  });
});
