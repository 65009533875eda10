/**
 * One group's values stuck (frozen-groups.ts): a meter whose thermometer reads one value all
 * day is found; a group that is one value by nature, or now and then by chance, is not.
 */
import {
  createFrozenGroups,
  frozenGroupMetrics,
  frozenGroupPool,
  frozenGroups,
  type FrozenGroupsProfile,
  stuckGroups,
} from '../../src/validate/frozen-groups.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, day, history, options } from './history-days.js';

const METERS = ['m1', 'm2', 'm3'];

/** A day of `perMeter` readings per meter: temperatures that vary, a route-like `distance` fixed per meter, `items` nearly always 1. */
function readings(i: number, stuck: Partial<Record<string, number>> = {}, itemsAllOne = false, perMeter = 40): FrozenGroupsProfile {
  const meter: string[] = [];
  const temperature: number[] = [];
  const distance: number[] = [];
  const items: number[] = [];
  for (const [m, name] of METERS.entries()) {
    for (let k = 0; k < perMeter; k++) {
      meter.push(name);
      temperature.push(stuck[name] ?? Math.round((10 + m + Math.sin(i * 7 + k) * 5) * 10) / 10);
      distance.push(100 * (m + 1));
      items.push(!itemsAllOne && k === i % 40 ? 2 : 1);
    }
  }
  const frozen = createFrozenGroups();
  frozen.add(
    tableOf([stringColumn('meter', meter), numberColumn('temperature', temperature), numberColumn('distance', distance), numberColumn('items', items)]),
  );
  return frozen.result();
}

describe('createFrozenGroups', () => {
  test('keeps the groups that held many values and those that held one, with the value', () => {
    const profile = readings(0, { m2: 4.2 });
    expect(profile.varied['temperature|meter']).toEqual(['m1', 'm3']);
    expect(profile.frozen['temperature|meter']).toEqual({ m2: [40, 4.2] });
    // A value fixed per group, by nature; a count of two levels neither varied nor one value.
    expect(profile.varied['distance|meter']).toEqual([]);
    expect(Object.keys(profile.frozen['distance|meter']!)).toEqual(['m1', 'm2', 'm3']);
    expect(profile.varied['items|meter']).toEqual([]);
  });

  test('groups of fewer than 20 rows, the label ct derives, inputs it derives, ids and skipped columns are left out', () => {
    const frozen = createFrozenGroups({ codes: new Set(['store']), skip: new Set(['input:cross']) });
    const n = 30;
    frozen.add(
      tableOf([
        stringColumn(
          'meter',
          Array.from({ length: n }, (_, k) => (k < 25 ? 'big' : 'small')),
        ),
        numberColumn(
          'reading',
          Array.from({ length: n }, () => 7),
        ),
        numberColumn(
          'ct:label',
          Array.from({ length: n }, () => 1),
        ),
        numberColumn(
          'input:log_reading',
          Array.from({ length: n }, () => 2),
        ),
        numberColumn(
          'store',
          Array.from({ length: n }, () => 12),
        ),
        stringColumn(
          'input:cross',
          Array.from({ length: n }, () => 'x'),
        ),
      ]),
    );
    const profile = frozen.result();
    expect(profile.frozen).toEqual({ 'reading|meter': { big: [25, 7] }, 'reading|store': { '12': [30, 7] } });
    expect(Object.keys(profile.varied).sort()).toEqual(['reading|meter', 'reading|store']);
  });

  test('adds up chunks: a group of several chunks is one group', () => {
    const frozen = createFrozenGroups();
    for (const v of [1, 2, 3, 4, 5]) frozen.add(tableOf([stringColumn('meter', Array(10).fill('m1')), numberColumn('reading', Array(10).fill(v))]));
    expect(frozen.result().varied['reading|meter']).toEqual(['m1']);
  });
});

describe('frozenGroups against the earlier days', () => {
  const pool = frozenGroupPool(Array.from({ length: 20 }, (_, i) => ({ date: dateOf(i), frozenGroups: readings(i) })));

  test('a group one value today that held many on every earlier day is frozen', () => {
    const today = { date: dateOf(20), rows: 120, frozenGroups: readings(20, { m3: 4.2 }) };
    expect(frozenGroups(today, pool)).toEqual([{ relation: 'temperature|meter', group: 'm3', rows: 40, value: 4.2, days: 20 }]);
    expect(frozenGroupMetrics(today, pool)['temperature|meter.frozenShare']).toBeCloseTo(40 / 120);
    expect(frozenGroupMetrics({ date: dateOf(20), rows: 120, frozenGroups: readings(20) }, pool)['temperature|meter.frozenShare']).toBe(0);
  });

  test('one value by nature, or a group that was one value on an earlier day, or without 14 earlier days, is not', () => {
    // items: all 1 on a day is chance, and happened before.
    const chance = frozenGroupPool(Array.from({ length: 20 }, (_, i) => ({ date: dateOf(i), frozenGroups: readings(i, i === 5 ? { m3: 3 } : {}) })));
    expect(frozenGroups({ date: dateOf(20), frozenGroups: readings(20, { m3: 4.2 }, true) }, chance)).toEqual([]);
    const short = frozenGroupPool(Array.from({ length: 13 }, (_, i) => ({ date: dateOf(i), frozenGroups: readings(i) })));
    expect(frozenGroups({ date: dateOf(13), frozenGroups: readings(13, { m3: 4.2 }) }, short)).toEqual([]);
  });

  test('a history day is measured without itself', () => {
    const days = Array.from({ length: 20 }, (_, i) => ({ date: dateOf(i), rows: 120, frozenGroups: readings(i, i === 19 ? { m1: 0 } : {}) }));
    const withFrozenDay = frozenGroupPool(days);
    expect(frozenGroups(days[19]!, withFrozenDay).map((f) => f.group)).toEqual(['m1']);
  });
});

describe('compareWithHistory', () => {
  test('a stuck meter is a finding that names the column and the group', () => {
    const h = history(28).map((p, i) => ({ ...p, frozenGroups: readings(i, {}, false, 400) }));
    // A day of 1,200 readings: the stuck meter's 400 are a third of them.
    const newest = { ...day(28, { rows: 1_200 }), frozenGroups: readings(28, { m2: 4.2 }, false, 400) };
    const finding = compareWithHistory(newest, h, options).find((f) => f.metric === 'temperature|meter.frozenShare');
    expect(finding).toMatchObject({ kind: 'partition_statistic', column: 'temperature|meter' });
    expect(findingMessage(finding!, 'data/x.csv', dateOf(28), 'delay > 15')).toMatch(
      /^data\/x\.csv: column "temperature" by column "meter": share of rows in groups whose values are all one value, where each held many on every earlier day \(a stuck sensor, a default written for one group\?\) is /,
    );
    expect(
      compareWithHistory({ ...day(28, { rows: 1_200 }), frozenGroups: readings(28, {}, false, 400) }, h, options).filter((f) =>
        f.metric.endsWith('.frozenShare'),
      ),
    ).toEqual([]);
  });
});

const STATIONS = Array.from({ length: 40 }, (_, i) => `ST${String(i + 1).padStart(3, '0')}`);

/**
 * A day of 24 hourly readings at each of 40 stations: temperature, humidity and wind that vary
 * through the day, and an elevation fixed per station. `stuck` stations resend their first
 * reading all day; `still` sets one column of one station to one value (a calm or foggy day).
 */
function stations(
  i: number,
  { stuck = [], still = [] }: { stuck?: string[]; still?: Array<{ station: string; column: string; value: number }> } = {},
): FrozenGroupsProfile {
  const columns: Record<string, number[]> = { temperature: [], humidity: [], wind: [], elevation: [] };
  const station: string[] = [];
  for (const [s, name] of STATIONS.entries()) {
    for (let h = 0; h < 24; h++) {
      const hour = stuck.includes(name) ? 0 : h;
      station.push(name);
      const reading: Record<string, number> = {
        temperature: Math.round((8 + s / 10 + 6 * Math.sin(((hour - 9) * Math.PI) / 12) + (i % 5)) * 10) / 10,
        humidity: Math.round(60 + 25 * Math.cos((hour * Math.PI) / 12) + (i % 7)),
        wind: Math.round((3 + 2 * Math.sin(hour + s + i)) * 10) / 10,
        elevation: 100 + s * 10,
      };
      for (const st of still) if (st.station === name) reading[st.column] = st.value;
      for (const c of Object.keys(columns)) columns[c]!.push(reading[c]!);
    }
  }
  const frozen = createFrozenGroups();
  frozen.add(tableOf([stringColumn('station', station), ...Object.entries(columns).map(([c, v]) => numberColumn(c, v))]));
  return frozen.result();
}

describe('stuckGroups: a group frozen in all its readings at once', () => {
  const pool = frozenGroupPool(Array.from({ length: 20 }, (_, i) => ({ date: dateOf(i), frozenGroups: stations(i) })));
  const today = (profile: FrozenGroupsProfile): { date: string; rows: number; frozenGroups: FrozenGroupsProfile } => ({
    date: dateOf(20),
    rows: 960,
    frozenGroups: profile,
  });

  test("a station resending its first reading all day is stuck, with each column's value; a column fixed by nature is not asked", () => {
    expect(stuckGroups(today(stations(20, { stuck: ['ST017'] })), pool)).toEqual([
      {
        grouping: 'station',
        group: 'ST017',
        rows: 24,
        values: [
          { column: 'temperature', value: expect.any(Number) },
          { column: 'humidity', value: expect.any(Number) },
          { column: 'wind', value: expect.any(Number) },
        ],
        days: 20,
      },
    ]);
    expect(frozenGroupMetrics(today(stations(20, { stuck: ['ST017'] })), pool)['station.stuckShare']).toBeCloseTo(24 / 960);
    expect(frozenGroupMetrics(today(stations(20)), pool)['station.stuckShare']).toBe(0);
  });

  test('one column still, or two (calm and fog) while the temperature moves, is not stuck', () => {
    const calm = { station: 'ST003', column: 'wind', value: 0 };
    const fog = { station: 'ST003', column: 'humidity', value: 100 };
    expect(frozenGroups(today(stations(20, { still: [calm, fog] })), pool).map((f) => f.relation)).toEqual(['humidity|station', 'wind|station']);
    expect(stuckGroups(today(stations(20, { still: [calm] })), pool)).toEqual([]);
    expect(stuckGroups(today(stations(20, { still: [calm, fog] })), pool)).toEqual([]);
  });

  test('a stuck station is an error on a day of 960 rows, where its column by column frozen share is within chance', () => {
    const h = history(28).map((p, i) => ({ ...p, frozenGroups: stations(i) }));
    const findings = compareWithHistory({ ...day(28, { rows: 960 }), frozenGroups: stations(28, { stuck: ['ST017'] }) }, h, options);
    const stuck = findings.find((f) => f.metric === 'station.stuckShare');
    expect(stuck).toMatchObject({ kind: 'partition_statistic', column: 'station' });
    expect(stuck!.score).toBeGreaterThanOrEqual(options.threshold);
    expect(findingMessage(stuck!, 'data/x.csv', dateOf(28), 'rain != none')).toMatch(
      /^data\/x\.csv: column "station": share of rows in groups stuck whole: one value in every number that varied there on every earlier day \(a sensor resending its last reading, a group copied from one row\?\) is 0\.025/,
    );
    expect(findings.filter((f) => f.metric.endsWith('.frozenShare'))).toEqual([]);
    const calm = compareWithHistory(
      { ...day(28, { rows: 960 }), frozenGroups: stations(28, { still: [{ station: 'ST003', column: 'wind', value: 0 }] }) },
      h,
      options,
    );
    expect(calm.filter((f) => f.metric.endsWith('stuckShare') || f.metric.endsWith('frozenShare'))).toEqual([]);
  });
});
