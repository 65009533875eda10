/**
 * The grain of numeric columns: a share of values filled with one constant, capped or
 * rounded, while every value stays valid.
 */
import { describe, expect, test } from '@jest/globals';
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { profileOf } from '../../src/validate/profile.js';
import { createNumericShape, spikeIn } from '../../src/validate/numeric-shape.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, tableOf } from '../helpers.js';
import { dateOf, options } from './history-days.js';
import { mulberry32 } from '../../src/train/random.js';

/** Day `i`: temperatures in tenths of a degree around a seasonal level (near freezing), delays in whole minutes. */
function weather(i: number, n = 16_000): { temperature: number[]; delay: number[] } {
  const rand = mulberry32(i * 7_919 + 1);
  const level = 2 * Math.sin(i / 5);
  const temperature: number[] = [];
  const delay: number[] = [];
  for (let k = 0; k < n; k++) {
    const normal = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    temperature.push(Math.round((level + 6 * normal) * 10) / 10);
    delay.push(Math.round(rand() < 0.7 ? -10 + 20 * rand() : -30 * Math.log(rand() + 1e-12)));
  }
  return { temperature, delay };
}

function shapeOf(columns: Record<string, number[]>, label: string | null = null): Record<string, number> {
  const shape = createNumericShape(new Set(Object.keys(columns)), label);
  shape.add(tableOf(Object.entries(columns).map(([name, values]) => numberColumn(name, values))));
  return shape.result();
}

function profile(i: number, columns: Record<string, number[]>): ReturnType<typeof profileOf> {
  const table = tableOf(Object.entries(columns).map(([name, values]) => numberColumn(name, values)));
  return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, numericShape: shapeOf(columns) });
}

describe('one value far more frequent than its neighbours (spikeShare)', () => {
  test('a smooth column has none; 3% of it filled with 0 gives about 3%', () => {
    const { temperature } = weather(3);
    expect(shapeOf({ temperature })['temperature.spikeShare']).toBeLessThan(0.003);
    const filled = temperature.map((t, k) => (k % 33 === 0 ? 0 : t));
    expect(shapeOf({ temperature: filled })['temperature.spikeShare']).toBeGreaterThan(0.015);
  });

  test('a fill with any constant counts, not only zero: -1, or a cap at the top', () => {
    const { temperature, delay } = weather(4);
    expect(shapeOf({ temperature: temperature.map((t, k) => (k % 33 === 0 ? -1 : t)) })['temperature.spikeShare']).toBeGreaterThan(0.02);
    const capped = delay.map((d) => Math.min(d, 60));
    expect(shapeOf({ delay: capped })['delay.spikeShare']! - shapeOf({ delay })['delay.spikeShare']!).toBeGreaterThan(0.025);
  });

  test('a mean imputed into whole minutes (a value finer than the column ever is) counts', () => {
    const { delay } = weather(7);
    const imputed = delay.map((d, k) => (k % 33 === 0 ? 12.3456 : d));
    expect(shapeOf({ delay: imputed })['delay.spikeShare']).toBeGreaterThan(0.02);
  });

  test('in an input, a value popular for its own reasons (not a default, not an end of the range) does not count', () => {
    const { delay } = weather(8);
    const popular = delay.map((d, k) => (k % 20 === 0 ? 37 : d));
    expect(shapeOf({ delay: popular })['delay.spikeShare']).toBeLessThan(0.003);
  });

  test('in the label, a pile on any value counts: a quarter of the rows capped at 60 (not the highest value left)', () => {
    const { delay } = weather(8);
    expect(shapeOf({ delay }, 'delay')['delay.spikeShare']).toBeLessThan(0.003);
    const capped = delay.map((d, k) => (k % 4 === 0 ? Math.min(d, 60) : d));
    expect(Math.max(...capped)).toBeGreaterThan(60);
    expect(shapeOf({ delay: capped })['delay.spikeShare']).toBeLessThan(0.003);
    expect(shapeOf({ delay: capped }, 'delay')['delay.spikeShare']).toBeGreaterThan(0.005);
  });

  test('the spike shown to a reviewer: its value, its rows and its neighbours', () => {
    const { delay } = weather(8);
    const capped = delay.map((d, k) => (k % 4 === 0 ? Math.min(d, 60) : d));
    const table = tableOf([numberColumn('delay', capped)]);
    const spike = spikeIn(table, 'delay', true)!;
    expect(spike).toMatchObject({ value: 60, below: { value: 59 }, above: { value: 61 } });
    expect(spike.rows).toBe(capped.filter((d) => d === 60).length);
    expect(spike.excess).toBe(spike.rows - 2 * Math.max(spike.below!.rows, spike.above!.rows));
    expect(spike.excess / capped.length).toBeCloseTo(shapeOf({ delay: capped }, 'delay')['delay.spikeShare']!, 12);
    // As an input, 60 is neither a default nor an end of the range.
    expect(spikeIn(table, 'delay', false)?.value).not.toBe(60);
  });

  test('only the columns named (the model numeric inputs and the label) are measured', () => {
    const shape = createNumericShape(new Set(['delay']));
    const { temperature, delay } = weather(9);
    shape.add(tableOf([numberColumn('temperature', temperature), numberColumn('delay', delay)]));
    expect(Object.keys(shape.result()).sort()).toEqual(['delay.resolution', 'delay.roundShare', 'delay.spikeShare']);
  });

  test('codes and flags (fewer than 20 distinct values) are not measured', () => {
    expect(shapeOf({ flag: Array.from({ length: 500 }, (_, k) => k % 3) })).toEqual({});
  });
});

describe('values rounder than the column usually is (roundShare)', () => {
  test('whole minutes: a tenth of the delays rounded to 10 minutes moves the share far beyond its usual level', () => {
    const { delay } = weather(5);
    const clean = shapeOf({ delay })['delay.roundShare']!;
    const rounded = shapeOf({ delay: delay.map((d, k) => (k % 10 === 0 ? Math.round(d / 10) * 10 : d)) })['delay.roundShare']!;
    expect(Math.abs(clean)).toBeLessThan(0.05);
    expect(rounded - clean).toBeGreaterThan(0.04);
  });

  test('tenths of a degree: the resolution is found, and whole degrees are the round values', () => {
    const { temperature } = weather(6);
    const clean = shapeOf({ temperature })['temperature.roundShare']!;
    const rounded = shapeOf({ temperature: temperature.map((t, k) => (k % 10 === 0 ? Math.round(t) : t)) })['temperature.roundShare']!;
    expect(Math.abs(clean)).toBeLessThan(0.02);
    expect(rounded - clean).toBeGreaterThan(0.05);
  });

  test('every value rounded coarser moves the resolution by a place (the round share alone would not see it)', () => {
    const { delay } = weather(10);
    expect(shapeOf({ delay })['delay.resolution']).toBe(0);
    expect(shapeOf({ delay: delay.map((d) => Math.round(d / 10) * 10) })['delay.resolution']).toBe(1);
    const { temperature } = weather(11);
    expect(shapeOf({ temperature })['temperature.resolution']).toBe(-1);
  });

  test('continuous values have no resolution and no round share', () => {
    const rand = mulberry32(9);
    expect(shapeOf({ x: Array.from({ length: 1_000 }, () => rand() * 100) })['x.roundShare']).toBeUndefined();
  });
});

describe('against the history', () => {
  const history = Array.from({ length: 28 }, (_, i) => profile(i, weather(i)));

  test('clean days raise nothing', () => {
    for (const i of [28, 29, 30]) {
      const found = compareWithHistory(profile(i, weather(i)), history, options).filter((f) => /spikeShare|roundShare/.test(f.metric));
      expect(found).toEqual([]);
    }
  });

  test('3% of temperatures filled with 0 is an error finding that says what it saw', () => {
    const { temperature, delay } = weather(28);
    const newest = profile(28, { temperature: temperature.map((t, k) => (k % 33 === 0 ? 0 : t)), delay });
    const finding = compareWithHistory(newest, history, options).find((f) => f.metric === 'temperature.spikeShare');
    expect(finding).toBeDefined();
    expect(findingMessage(finding!, 'data/x/2001-01-29.csv', dateOf(28), 'label')).toMatch(
      /column "temperature": share of rows holding one value far more often than the values next to it/,
    );
  });

  test('every delay rounded to 10 minutes is an error finding on the resolution', () => {
    const { temperature, delay } = weather(28);
    const newest = profile(28, { temperature, delay: delay.map((d) => Math.round(d / 10) * 10) });
    expect(compareWithHistory(newest, history, options).map((f) => f.metric)).toContain('delay.resolution');
  });

  test('a tenth of the delays rounded to 10 minutes is an error finding', () => {
    const { temperature, delay } = weather(28);
    const newest = profile(28, { temperature, delay: delay.map((d, k) => (k % 10 === 0 ? Math.round(d / 10) * 10 : d)) });
    expect(compareWithHistory(newest, history, options).map((f) => f.metric)).toContain('delay.roundShare');
  });
});
