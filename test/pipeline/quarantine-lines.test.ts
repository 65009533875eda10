import { describe, expect, test } from '@jest/globals';
import { quarantineLines } from '../../src/pipeline/validate.js';

const day = (d: number, reasons = ['row count is 2,000, expected about 16,800']) => ({
  file: `data/flights/2001-03-${String(d).padStart(2, '0')}.csv`,
  reasons,
});

describe("the log's lines on partitions left out", () => {
  test('a few: one line each, with the first reason and how many more the report holds', () => {
    const lines = quarantineLines([day(1), day(2, ['a', 'b', 'c'])], 'out/validation.md');
    expect(lines).toEqual([
      'left out data/flights/2001-03-01.csv (quarantined until it is fixed or accepted): row count is 2,000, expected about 16,800',
      'left out data/flights/2001-03-02.csv (quarantined until it is fixed or accepted): a (and 2 more in out/validation.md)',
    ]);
  });

  test("many: one line counting them all, then the newest three, so the day's own findings are not buried", () => {
    const lines = quarantineLines(
      Array.from({ length: 23 }, (_, i) => day(i + 1)),
      'out/validation.md',
    );
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('left out 23 partitions of the window (quarantined until fixed or accepted); all listed in out/validation.md, the newest 3 here');
    expect(lines.slice(1).map((l) => l.slice('left out '.length, 'left out data/flights/2001-03-23.csv'.length))).toEqual([
      'data/flights/2001-03-21.csv',
      'data/flights/2001-03-22.csv',
      'data/flights/2001-03-23.csv',
    ]);
  });
});
