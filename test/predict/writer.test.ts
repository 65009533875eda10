/**
 * The predictions writer and `writeFileAtomic` are one mechanism (`openFileAtomic`): the
 * same temp file beside the output, the same fault points (`write <name>` before each
 * write, `rename <name>` before the rename), and a failed write leaves the output path as
 * it was and no temp file behind. The SIGKILL case runs `ct predict` end to end
 * (test/pipeline/cli-predict.test.ts).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFileAtomic, writeFileAtomic } from '../../src/files.js';
import { formatRows, openPredictionWriter, predictionFormat } from '../../src/predict/writer.js';
import { expectUserError } from '../helpers.js';

const columns = ['file', 'row', 'model', 'version', 'probability', 'predicted'];
const chunk = (offset: number): Array<Array<string | number>> => [
  ['a.csv', offset, 'm', 'v1', 0.25, 0],
  ['a.csv', offset + 1, 'm', 'v1', 0.75, 1],
];

let dir: string;
let traces = 0;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ct-writer-'));
});

/** Runs `run` with `CT_FAULT_TRACE` (and `fault`, as `CT_FAULT`) set; the points it reached, as `[n, kind, name]`. */
function traced(run: () => void, fault?: string): Array<[number, string, string]> {
  const trace = path.join(dir, `trace-${traces++}.txt`);
  writeFileSync(trace, '');
  process.env.CT_FAULT_TRACE = trace;
  if (fault !== undefined) process.env.CT_FAULT = fault;
  try {
    run();
  } finally {
    delete process.env.CT_FAULT_TRACE;
    delete process.env.CT_FAULT;
  }
  return readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [n, kind, ...name] = l.split(' ');
      return [Number(n), kind!, name.join(' ')];
    });
}

/** Writes a CSV of two chunks through the predictions writer, committing it. */
function writePredictions(output: string): void {
  const writer = openPredictionWriter(output, 'csv');
  try {
    writer.header(columns);
    writer.rows(columns, chunk(0));
    writer.rows(columns, chunk(2));
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

const tempFiles = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('the format follows the output name; rows are CSV (RFC 4180) or JSON Lines', () => {
  expect([predictionFormat('p.csv'), predictionFormat('p.JSONL'), predictionFormat('p.ndjson'), predictionFormat('p.out'), predictionFormat('p')]).toEqual([
    'csv',
    'jsonl',
    'jsonl',
    'csv',
    'csv',
  ]);
  // CSV under the name of another format would mislead whatever reads the file.
  for (const name of ['p.json', 'p.parquet', 'p.XLSX', 'p.csv.gz'])
    expectUserError(
      () => predictionFormat(name),
      new RegExp(`^--output ${name.replace('.', '\\.')}: ct predict writes CSV \\(\\.csv\\) or JSON Lines \\(\\.jsonl\\), not \\.`),
    );
  expect(
    formatRows(
      'csv',
      ['a', 'b'],
      [
        ['x,y', 1],
        [null, true],
      ],
    ),
  ).toBe('"x,y",1\n,true\n');
  expect(
    formatRows(
      'jsonl',
      ['a', 'b'],
      [
        ['x,y', 1],
        [null, true],
      ],
    ),
  ).toBe('{"a":"x,y","b":1}\n{"a":null,"b":true}\n');
});

test('nothing is at the output path until commit; the temp file is named as writeFileAtomic names it', () => {
  const output = path.join(dir, 'predictions.csv');
  const writer = openPredictionWriter(output, 'jsonl');
  writer.rows(columns, chunk(0));
  expect(existsSync(output)).toBe(false);
  expect(tempFiles()).toEqual([expect.stringMatching(new RegExp(`^\\.predictions\\.csv\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`))]);
  writer.commit();
  expect(tempFiles()).toEqual([]);
  expect(
    readFileSync(output, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l)),
  ).toEqual(chunk(0).map((row) => Object.fromEntries(columns.map((c, k) => [c, row[k]]))));
});

test('the writer reaches the fault points writeFileAtomic reaches: a write point per write, a rename point before the rename', () => {
  const atomic = traced(() => writeFileAtomic(path.join(dir, 'whole.csv'), 'x\n'));
  expect(atomic.map(([, kind, name]) => [kind, name])).toEqual([
    ['write', 'write whole.csv'],
    ['step', 'rename whole.csv'],
  ]);
  const streamed = traced(() => writePredictions(path.join(dir, 'predictions.csv')));
  expect(streamed.map(([, kind, name]) => [kind, name])).toEqual([
    ['write', 'write predictions.csv'],
    ['write', 'write predictions.csv'],
    ['write', 'write predictions.csv'],
    ['step', 'rename predictions.csv'],
  ]);
  expect(readFileSync(path.join(dir, 'predictions.csv'), 'utf8').split('\n')).toHaveLength(6);
});

test('a full disk at any write leaves the earlier predictions file whole and no temp file', () => {
  const output = path.join(dir, 'predictions.csv');
  writeFileSync(output, 'earlier predictions\n');
  const points = traced(() => writePredictions(path.join(dir, 'probe.csv'))).map(([n, kind]) => ({ n, kind }));
  let next = points.at(-1)!.n + 1;
  points.forEach(({ kind }, k) => {
    if (kind !== 'write') return;
    // This run's points are numbered on from the last one reached.
    const at = next + k;
    let thrown: unknown;
    const reached = traced(() => {
      try {
        writePredictions(output);
      } catch (error) {
        thrown = error;
      }
    }, `enospc@${at}`);
    next = reached.at(-1)![0] + 1;
    expect([k, (thrown as NodeJS.ErrnoException | undefined)?.code]).toEqual([k, 'ENOSPC']);
    expect(readFileSync(output, 'utf8')).toBe('earlier predictions\n');
    expect(tempFiles()).toEqual([]);
  });
});

test('abort after commit, or twice, is harmless; writing after commit is a programming error', () => {
  const file = openFileAtomic(path.join(dir, 'x.txt'));
  file.write('a');
  file.commit();
  expect(() => file.write('b')).toThrow(/written after commit or abort/);
  file.abort();
  file.abort();
  expect(readFileSync(path.join(dir, 'x.txt'), 'utf8')).toBe('a');
  expect(tempFiles()).toEqual([]);
});
