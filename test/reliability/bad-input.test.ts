/**
 * Bad input, end to end: the compiled `ct` fed broken Parquet and CSV files, values that
 * break the schema, and broken or hostile configs. One repository gets a production model
 * in `beforeAll`; every case runs in its own copy of it and checks that ct either refuses
 * the input (exit code 2, one line naming the file, row, column or config field) or reports
 * the right anomaly (exit code 1, `validation.json`), and that the registry (`models/`) is
 * byte for byte what it was: bad input never promotes anything.
 *
 * Cases in a group run at the same time (as many ct processes as cores); groups run in turn.
 */
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { parse, stringify } from 'yaml';
import { ct, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from '../pipeline/repo.js';
import { treeDigest } from '../helpers.js';
import { readTable } from '../../src/data/read.js';
import { findColumn, valueAt } from '../../src/data/table.js';

const bin = path.join(root, 'bin/ct.js');
const NEWEST = '2001-02-28';
const HEADER = ['date', 'delay', 'distance', 'origin', 'destination'];
/** Airports of the shipped data, so the schema's domains accept them. */
const AIRPORTS = ['ATL', 'LAX', 'ORD', 'SFO', 'DFW', 'DEN'];
/** Preloaded into ct: writes its peak resident memory (KB) and CPU time (µs) to $CT_TEST_USAGE_FILE at exit. */
const USAGE_HOOK = `data:text/javascript,${encodeURIComponent(
  'import { writeFileSync } from "node:fs"; process.on("exit", () => { const u = process.resourceUsage(); writeFileSync(process.env.CT_TEST_USAGE_FILE, JSON.stringify({ maxRSS: u.maxRSS, cpu: u.userCPUTime + u.systemCPUTime })); });',
)}`;

// The validation and run results, read loosely: the assertions say what must be there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

interface Result {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

let base = '';
let registry = '';
const temps: string[] = [];

beforeAll(() => {
  base = tempRepo(shippedPartitions().slice(-3));
  temps.push(base);
  // A small model, gates any trained model passes on a busy machine (no latency bound), no
  // bootstrap, no infra check: the fixture only needs a production model, quickly.
  const config = smallConfig(3);
  config.training = { ...config.training, epochs: 1, maxRows: 5000 };
  config.evaluation = { ...(config.evaluation as Json), bootstrap: { samples: 0 }, infraCheck: { enabled: false } };
  config.gates = [{ metric: 'auc', lowerBound: 0 }];
  writeConfig(base, 'ct.config.yaml', config);
  const first = ct(base, ['run', '--quiet']);
  if (first.status !== 0) throw new Error(`the first ct run failed (${first.status}):\n${first.stderr}`);
  registry = JSON.stringify(treeDigest(path.join(base, 'models')));
}, 120_000);

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * A copy of the repository with the production model (config, partitions, committed
 * schema, registry, git history; not the first run's artifacts) in a fresh temp folder,
 * as `<parent>/repo`, so a case can put files beside it.
 */
function copyRepo(): { repo: string; parent: string } {
  const parent = mkdtempSync(path.join(tmpdir(), 'ct-bad-input-'));
  temps.push(parent);
  const repo = path.join(parent, 'repo');
  cpSync(base, repo, { recursive: true, filter: (source) => source !== path.join(base, 'out') });
  return { repo, parent };
}

/** ct processes running; cases waiting for one to end. One per core: more only slow each other down. */
let running = 0;
const waiting: Array<() => void> = [];

/** Runs the compiled ct without blocking this process, so cases of a group run together. */
async function runCt(cwd: string, args: string[], options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  if (running < availableParallelism()) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await spawnCt(cwd, args, options);
  } finally {
    // Hand the slot to the next case, if one waits.
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  }
}

function spawnCt(cwd: string, args: string[], options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv }): Promise<Result> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { cwd, env: { ...process.env, CI: 'true', ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
}

/** Runs ct with USAGE_HOOK: its result, peak memory (MB) and CPU time (s). */
async function ctMeasured(repo: string, args: string[], nodeArgs: string[]): Promise<{ r: Result; peakMB: number; cpuSeconds: number }> {
  const file = path.join(repo, 'usage.json');
  const r = await ctCase(repo, args, { nodeArgs: [...nodeArgs, '--import', USAGE_HOOK], env: { CT_TEST_USAGE_FILE: file } });
  const usage = JSON.parse(readFileSync(file, 'utf8')) as { maxRSS: number; cpu: number };
  return { r, peakMB: usage.maxRSS / 1024, cpuSeconds: usage.cpu / 1e6 };
}

/** Runs ct in `repo` and checks that its registry is byte for byte the production one. */
async function ctCase(repo: string, args: string[], options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  const r = await runCt(repo, args, options);
  expect(JSON.stringify(treeDigest(path.join(repo, 'models')))).toBe(registry);
  return r;
}

/** Exit code 2 and exactly one line on stderr, `ct: …`, with no stack trace, matching every pattern. */
function expectRefused(r: Result, ...patterns: Array<string | RegExp>): string {
  const lines = r.stderr.split('\n').filter((line) => line !== '');
  // Status and stderr together, so a failure shows what ct printed.
  expect({ status: r.status, signal: r.signal, lines }).toEqual({ status: 2, signal: null, lines: [expect.stringMatching(/^ct: /)] });
  const line = lines[0]!;
  expect(line).not.toMatch(/internal error|\bat .+:\d+:\d+/);
  for (const pattern of patterns) {
    if (typeof pattern === 'string') expect(line).toContain(pattern);
    else expect(line).toMatch(pattern);
  }
  return line;
}

/** The `validation.json` of a case. */
function validationOf(repo: string): Json {
  return JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8')) as Json;
}

/** Exit code 1 and, in `validation.json`, an error anomaly of `kind` on `column`. */
function expectAnomaly(repo: string, r: Result, kind: string, column: string | null): Json {
  expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 1, signal: null, stderr: expect.any(String) });
  const validation = validationOf(repo);
  expect(validation.ok).toBe(false);
  const anomaly = (validation.anomalies as Json[]).find((a) => a.kind === kind && a.column === column);
  expect({ kind, column, anomaly }).toEqual({ kind, column, anomaly: expect.objectContaining({ severity: 'error' }) });
  return anomaly!;
}

/** `ct run --json` stopped at validation: nothing trained, evaluated or promoted. */
function expectStoppedAtValidation(repo: string, r: Result): void {
  const result = JSON.parse(r.stdout) as Json;
  expect({ stoppedAt: result.stoppedAt, training: result.training, promotion: result.promotion }).toEqual({
    stoppedAt: 'validate',
    training: null,
    promotion: null,
  });
  expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `n` plausible flights of `day` as CSV fields: date, delay, distance, origin, destination. */
function flights(day: string, n = 60): string[][] {
  return Array.from({ length: n }, (_, i) => [
    `${day}T${pad(6 + (i % 12))}:${pad(i % 60)}`,
    String(((i * 7) % 40) - 5),
    String(300 + (i % 300) * 13),
    AIRPORTS[i % 6]!,
    AIRPORTS[(i + 1) % 6]!,
  ]);
}

/** CSV text with the flights header (or `header`), lines ended by `eol`. */
function csv(rows: string[][], options: { eol?: string; header?: string[] } = {}): string {
  const eol = options.eol ?? '\n';
  return [options.header ?? HEADER, ...rows].map((r) => r.join(',')).join(eol) + eol;
}

/** Writes `content` to `repo/rel`, creating folders. */
function put(repo: string, rel: string, content: string | Buffer): string {
  const file = path.join(repo, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** Replaces the newest shipped partition by `content` under `name` (the day `ct run` evaluates on). */
function replaceNewest(repo: string, name: string, content: string | Buffer): void {
  rmSync(path.join(repo, `data/flights/${NEWEST}.parquet`));
  put(repo, `data/flights/${name}`, content);
}

type ParquetColumn = Parameters<typeof parquetWriteFile>[0]['columnData'][number];

/** A valid Parquet file of `n` flights; `change` edits the columns (drop one, retype one). */
function writeFlightsParquet(file: string, change: (columns: ParquetColumn[]) => ParquetColumn[] = (c) => c, n = 60): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const date = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2001, 2, 1, 6 + (i % 12), i % 60)));
  const columns: ParquetColumn[] = [
    { name: 'date', data: date, type: 'TIMESTAMP' },
    { name: 'delay', data: Array.from({ length: n }, (_, i) => ((i * 7) % 40) - 5), type: 'INT32' },
    { name: 'distance', data: Array.from({ length: n }, (_, i) => 300 + i * 13), type: 'DOUBLE' },
    { name: 'origin', data: Array.from({ length: n }, (_, i) => AIRPORTS[i % 6]!), type: 'STRING' },
    { name: 'destination', data: Array.from({ length: n }, (_, i) => AIRPORTS[(i + 1) % 6]!), type: 'STRING' },
  ];
  parquetWriteFile({ filename: file, columnData: change(columns) });
}

/** The shipped config of the base repository, parsed, to edit. */
function baseConfig(): Json {
  return parse(readFileSync(path.join(base, 'ct.config.yaml'), 'utf8')) as Json;
}

/** Validates one CSV batch `inc/2001-03-01.csv` in a fresh copy; the result and the copy. */
async function validateCsv(content: string | Buffer): Promise<{ r: Result; repo: string }> {
  const { repo } = copyRepo();
  put(repo, 'inc/2001-03-01.csv', content);
  return { r: await ctCase(repo, ['validate', '--data', 'inc', '--json']), repo };
}

/** What a clean LF file of the same flights gives, to compare the accepted variants with (computed once). */
let lfResult: Promise<Json> | undefined;
function cleanResult(): Promise<Json> {
  lfResult ??= validateCsv(csv(flights('2001-03-01'))).then(({ r }) => {
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    return JSON.parse(r.stdout) as Json;
  });
  return lfResult;
}

/** The parts of a validation result that depend on the values read. */
function valuesSeen(result: Json): Json {
  return { rows: result.rows, anomalies: result.anomalies, drift: result.drift.columns };
}

describe('Parquet', () => {
  it.concurrent('a truncated file in a --data batch is refused, naming the file', async () => {
    const { repo } = copyRepo();
    const bytes = readFileSync(path.join(repo, `data/flights/${NEWEST}.parquet`));
    put(repo, 'inc/2001-03-01.parquet', bytes.subarray(0, bytes.length >> 1));
    expectRefused(await ctCase(repo, ['validate', '--data', 'inc']), 'inc/2001-03-01.parquet', /not a Parquet file|corrupt/);
  });

  it.concurrent('a truncated partition stops ct run before training, naming the file', async () => {
    const { repo } = copyRepo();
    const file = path.join(repo, `data/flights/${NEWEST}.parquet`);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 20));
    expectRefused(await ctCase(repo, ['run', '--json']), `data/flights/${NEWEST}.parquet`);
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
  });

  it.concurrent('an empty (0 bytes) partition is refused, naming the file', async () => {
    const { repo } = copyRepo();
    writeFileSync(path.join(repo, `data/flights/${NEWEST}.parquet`), '');
    expectRefused(await ctCase(repo, ['run', '--json']), `data/flights/${NEWEST}.parquet`, /not a Parquet file/);
  });

  it.concurrent('random bytes with a .parquet name are refused, naming the file', async () => {
    const { repo } = copyRepo();
    // Seeded, so a failure reproduces.
    let x = 12345;
    const noise = Buffer.from(Array.from({ length: 4096 }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff));
    put(repo, 'inc/2001-03-01.parquet', noise);
    expectRefused(await ctCase(repo, ['validate', '--data', 'inc']), 'inc/2001-03-01.parquet', /not a Parquet file/);
  });

  it.concurrent('corrupt column data behind an intact footer is refused, naming the file and the column', async () => {
    const { repo } = copyRepo();
    const file = path.join(repo, `data/flights/${NEWEST}.parquet`);
    const bytes = readFileSync(file);
    const footer = bytes.readUInt32LE(bytes.length - 8) + 8;
    for (let i = 100; i < bytes.length - footer; i += 7) bytes[i]! ^= 0x5a;
    writeFileSync(file, bytes);
    expectRefused(await ctCase(repo, ['validate']), `data/flights/${NEWEST}.parquet`, /column "(date|delay|distance|origin|destination)"/);
  });

  it.concurrent('a valid Parquet file without the distance column: missing_column', async () => {
    const { repo } = copyRepo();
    writeFlightsParquet(path.join(repo, 'inc/2001-03-01.parquet'), (columns) => columns.filter((c) => c.name !== 'distance'));
    const anomaly = expectAnomaly(repo, await ctCase(repo, ['validate', '--data', 'inc', '--json']), 'missing_column', 'distance');
    expect(anomaly.message).toContain('column "distance" (number) is missing');
  });

  it.concurrent('a valid Parquet file with distance as booleans: type_mismatch', async () => {
    const { repo } = copyRepo();
    writeFlightsParquet(path.join(repo, 'inc/2001-03-01.parquet'), (columns) =>
      columns.map((c) => (c.name === 'distance' ? { name: 'distance', data: Array.from(c.data, (_, i) => i % 2 === 0), type: 'BOOLEAN' } : c)),
    );
    const anomaly = expectAnomaly(repo, await ctCase(repo, ['validate', '--data', 'inc', '--json']), 'type_mismatch', 'distance');
    expect(anomaly).toMatchObject({ count: 60, examples: expect.arrayContaining([{ file: 'inc/2001-03-01.parquet', row: 1 }]) });
  });
});

describe('Parquet partitions typed otherwise by their writer', () => {
  it.concurrent('delay and distance written as text are read as their numbers: validated and trained on as the original', async () => {
    const { repo } = copyRepo();
    const original = await ctCase(repo, ['validate', '--json']);
    expect(original.status).toBe(0);
    const file = path.join(repo, `data/flights/${NEWEST}.parquet`);
    const table = await readTable(file);
    const values = (name: string): Array<string | number | boolean | null> =>
      Array.from({ length: table.rowCount }, (_, i) => valueAt(findColumn(table, name)!, i));
    parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'date', data: values('date').map((v) => new Date(v as string)), type: 'TIMESTAMP' },
        ...['delay', 'distance', 'origin', 'destination'].map((name): ParquetColumn => ({ name, data: values(name).map(String), type: 'STRING' })),
      ],
    });
    const text = await ctCase(repo, ['validate', '--json']);
    expect({ status: text.status, stderr: text.stderr }).toEqual({ status: 0, stderr: '' });
    expect(valuesSeen(JSON.parse(text.stdout) as Json)).toEqual(valuesSeen(JSON.parse(original.stdout) as Json));
    const run = await runCt(repo, ['run', '--json']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    // The same values train the same model as production's, trained on the original file.
    expect((JSON.parse(run.stdout) as Json).promotion).toMatchObject({
      promoted: false,
      unchanged: true,
      reason: expect.stringContaining('identical to production'),
    });
  });

  it.concurrent('distance as booleans beside partitions of numbers: a type_mismatch error naming the file, not a stopped tool', async () => {
    const { repo } = copyRepo();
    rmSync(path.join(repo, `data/flights/${NEWEST}.parquet`));
    writeFlightsParquet(path.join(repo, `data/flights/${NEWEST}.parquet`), (columns) =>
      columns.map((c) => (c.name === 'distance' ? { name: 'distance', data: Array.from(c.data, (_, i) => i % 2 === 0), type: 'BOOLEAN' } : c)),
    );
    const anomaly = expectAnomaly(repo, await ctCase(repo, ['validate', '--json']), 'type_mismatch', 'distance');
    expect(anomaly.examples).toContainEqual({ file: `data/flights/${NEWEST}.parquet`, row: 1 });
  });
});

describe('CSV', () => {
  it.concurrent('a row with too many fields is refused, naming the file, row and line', async () => {
    const rows = flights('2001-03-01');
    rows[9]!.push('extra');
    expectRefused((await validateCsv(csv(rows))).r, 'inc/2001-03-01.csv row 10 (line 11): expected 5 fields, found 6');
  });

  it.concurrent('a row with too few fields in a partition stops ct run before training, naming the file, row and line', async () => {
    const { repo } = copyRepo();
    const rows = flights(NEWEST);
    rows[4]!.pop();
    replaceNewest(repo, `${NEWEST}.csv`, csv(rows));
    expectRefused(await ctCase(repo, ['run', '--json']), `data/flights/${NEWEST}.csv row 5 (line 6): expected 5 fields, found 4`);
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
  });

  it.concurrent('a quote left open is refused, naming the file and line', async () => {
    const rows = flights('2001-03-01');
    rows[9]![3] = `"${rows[9]![3]}`;
    expectRefused((await validateCsv(csv(rows))).r, 'inc/2001-03-01.csv line 11: quoted field is never closed');
  });

  it.concurrent('a UTF-8 byte-order mark is accepted: the first column is "date", values as without it', async () => {
    const { r } = await validateCsv(`\ufeff${csv(flights('2001-03-01'))}`);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(r.stdout) as Json;
    expect((result.anomalies as Json[]).filter((a) => String(a.column).includes('date'))).toEqual([]);
    expect(valuesSeen(result)).toEqual(valuesSeen(await cleanResult()));
  });

  it.concurrent('CRLF line ends are accepted: the same values as the LF file (no \\r in the last column)', async () => {
    const { r } = await validateCsv(csv(flights('2001-03-01'), { eol: '\r\n' }));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(r.stdout) as Json;
    expect(valuesSeen(result)).toEqual(valuesSeen(await cleanResult()));
  });

  it.concurrent('semicolons instead of commas: one error that names the file and the delimiter, not one per column', async () => {
    const { r, repo } = await validateCsv(csv(flights('2001-03-01')).replaceAll(',', ';'));
    expect(r.status).toBe(1);
    const anomalies = validationOf(repo).anomalies as Json[];
    expect(anomalies.filter((a) => a.kind === 'missing_column' || a.kind === 'new_column')).toEqual([
      expect.objectContaining({ kind: 'missing_column', column: null, severity: 'error' }),
    ]);
    expect(r.stderr).toContain(
      'inc/2001-03-01.csv: its header "date;delay;distance;origin;destination" is the schema\'s columns joined by ";", so the file separates its fields with ";", not commas. Export it with commas',
    );
  });

  it.concurrent('a file without its header row: one error that says so and names the columns it needs', async () => {
    const content = csv(flights('2001-03-01'));
    const { r, repo } = await validateCsv(content.slice(content.indexOf('\n') + 1));
    expect(r.status).toBe(1);
    const anomalies = validationOf(repo).anomalies as Json[];
    expect(anomalies.filter((a) => a.kind === 'missing_column' || a.kind === 'new_column')).toHaveLength(1);
    expect(r.stderr).toMatch(/inc\/2001-03-01\.csv has no header row: its first row \(2001-03-01T\d\d:\d\d, .*\) was read as the column names/);
    expect(r.stderr).toContain(`(the schema's: ${HEADER.join(', ')})`);
  });

  it.concurrent('a Latin-1 byte (0xE9) in a string field is refused, naming the file, row and column', async () => {
    const rows = flights('2001-03-01');
    rows[9]![4] = 'Z\u00e9R';
    // Latin-1 encodes é as the single byte 0xE9, which is not UTF-8.
    expectRefused((await validateCsv(Buffer.from(csv(rows), 'latin1'))).r, 'inc/2001-03-01.csv row 10, column "destination": not valid UTF-8 text');
  });

  it.concurrent('a header without rows is an empty batch', async () => {
    const { r, repo } = await validateCsv(`${HEADER.join(',')}\n`);
    expectAnomaly(repo, r, 'empty_batch', null);
  });
});

describe('Values', () => {
  it.concurrent('text in a numeric column: unparseable_value with file, row and value', async () => {
    const rows = flights('2001-03-01');
    rows[4]![1] = 'late';
    const { r, repo } = await validateCsv(csv(rows));
    const anomaly = expectAnomaly(repo, r, 'unparseable_value', 'delay');
    expect(anomaly.examples).toEqual([{ file: 'inc/2001-03-01.csv', row: 5, value: 'late' }]);
  });

  it.concurrent('text in a numeric column of the newest partition stops ct run at validation, naming file, row and column', async () => {
    // Bad data of that day (exit 1, an error anomaly), checked on the partition alone: it no longer makes the whole window unreadable.
    const { repo } = copyRepo();
    const rows = flights(NEWEST);
    rows[4]![1] = 'late';
    replaceNewest(repo, `${NEWEST}.csv`, csv(rows));
    const r = await ctCase(repo, ['run', '--json']);
    const anomaly = expectAnomaly(repo, r, 'unparseable_value', 'delay');
    expect(anomaly.examples).toEqual([{ file: `data/flights/${NEWEST}.csv`, row: 5, value: 'late' }]);
    expectStoppedAtValidation(repo, r);
  });

  it.concurrent('a column null in every row: all_null', async () => {
    const rows = flights('2001-03-01').map((r) => r.map((v, j) => (j === 2 ? '' : v)));
    const { r, repo } = await validateCsv(csv(rows));
    expect(expectAnomaly(repo, r, 'all_null', 'distance').count).toBe(60);
  });

  it.concurrent('NaN and Infinity in number columns: non_finite, with the rows', async () => {
    const rows = flights('2001-03-01');
    rows[3]![1] = 'NaN';
    rows[5]![2] = 'Infinity';
    rows[6]![2] = '-Infinity';
    const { r, repo } = await validateCsv(csv(rows));
    expect(expectAnomaly(repo, r, 'non_finite', 'delay').examples).toEqual([{ file: 'inc/2001-03-01.csv', row: 4, value: 'NaN' }]);
    expect(expectAnomaly(repo, r, 'non_finite', 'distance').examples).toEqual([
      { file: 'inc/2001-03-01.csv', row: 6, value: 'Infinity' },
      { file: 'inc/2001-03-01.csv', row: 7, value: '-Infinity' },
    ]);
  });

  it.concurrent('a negative distance where the schema says min 0: out_of_range (error), ct run stops at validation', async () => {
    const { repo } = copyRepo();
    const schemaFile = path.join(repo, 'data/flights/schema.json');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Json;
    schema.columns.find((c: Json) => c.name === 'distance').min = 0;
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    const rows = flights(NEWEST);
    rows[7]![2] = '-250';
    replaceNewest(repo, `${NEWEST}.csv`, csv(rows));
    const r = await ctCase(repo, ['run', '--json']);
    const anomaly = expectAnomaly(repo, r, 'out_of_range', 'distance');
    expect(anomaly).toMatchObject({ count: 1, examples: [{ file: `data/flights/${NEWEST}.csv`, row: 8, value: '-250' }] });
    expect(anomaly.message).toContain('below the minimum 0');
    expectStoppedAtValidation(repo, r);
  });

  it.concurrent('an impossible date (month 13): unparseable_value on the date column', async () => {
    const rows = flights('2001-03-01');
    rows[2]![0] = '2001-13-45T99:00';
    const { r, repo } = await validateCsv(csv(rows));
    expect(expectAnomaly(repo, r, 'unparseable_value', 'date').examples).toEqual([{ file: 'inc/2001-03-01.csv', row: 3, value: '2001-13-45T99:00' }]);
  });

  it.concurrent('rows out of time order are accepted: the same result as in order', async () => {
    const { r } = await validateCsv(csv(flights('2001-03-01').reverse()));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const clean = valuesSeen(await cleanResult());
    const result = valuesSeen(JSON.parse(r.stdout) as Json);
    expect(result.anomalies).toEqual(clean.anomalies);
    expect(result.drift.map((c: Json) => [c.column, c.drifted])).toEqual(clean.drift.map((c: Json) => [c.column, c.drifted]));
  });

  it.concurrent('the label column missing from a batch: missing_column', async () => {
    const { r, repo } = await validateCsv(
      csv(
        flights('2001-03-01').map((row) => row.filter((_, j) => j !== 1)),
        { header: HEADER.filter((h) => h !== 'delay') },
      ),
    );
    expect(expectAnomaly(repo, r, 'missing_column', 'delay').message).toContain('column "delay" (number) is missing');
  });

  it.concurrent('a single-class label (every flight on time): refused before training, naming the label and the rows', async () => {
    const { repo } = copyRepo();
    for (const day of ['2001-02-26', '2001-02-27', NEWEST]) {
      rmSync(path.join(repo, `data/flights/${day}.parquet`));
      put(repo, `data/flights/${day}.csv`, csv(flights(day, 400).map((row, i) => [row[0]!, String((i % 15) - 5), ...row.slice(2)])));
    }
    const r = await ctCase(repo, ['run', '--json']);
    expect({ status: r.status, lines: r.stderr.trim().split('\n') }).toEqual({
      status: 2,
      lines: [
        expect.stringMatching(
          /^ct: label "delay > 15" is false for all \d+ training rows \(2001-02-26, 2001-02-27\): a classifier needs at least two classes$/,
        ),
      ],
    });
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
  });

  it.concurrent('a million distinct values in a string column: reported, in bounded memory', async () => {
    const { repo } = copyRepo();
    // One column of a million short distinct strings (8 MB): the other columns are reported missing.
    mkdirSync(path.join(repo, 'inc'));
    const fd = openSync(path.join(repo, 'inc/2001-03-01.csv'), 'w');
    let lines = ['origin'];
    for (let i = 0; i < 1_000_000; i++) {
      lines.push(`o${i}`);
      if (lines.length === 50_000) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines = [];
      }
    }
    writeSync(fd, `${lines.join('\n')}\n`);
    closeSync(fd);
    const { r, peakMB } = await ctMeasured(repo, ['validate', '--data', 'inc', '--json'], ['--max-old-space-size=512']);
    const anomaly = expectAnomaly(repo, r, 'unseen_category', 'origin');
    expect({ count: anomaly.count, examples: anomaly.examples.length, rows: validationOf(repo).rows }).toEqual({
      count: 1_000_000,
      examples: 20,
      rows: 1_000_000,
    });
    // ct itself (Node, TF.js loaded) takes about 120 MB; this batch about 200 MB in all.
    expect(peakMB).toBeLessThan(400);
  });

  it.concurrent('two partitions for the same day are refused, naming both files', async () => {
    const { repo } = copyRepo();
    put(repo, 'data/flights/2001-02-27.csv', csv(flights('2001-02-27')));
    expectRefused(
      await ctCase(repo, ['run', '--json']),
      /two partitions for 2001-02-27: data\/flights\/2001-02-27\.(csv|parquet) and data\/flights\/2001-02-27\.(parquet|csv)/,
    );
  });

  it.concurrent('a partition named for a day that has not come yet is refused, naming the file', async () => {
    const { repo } = copyRepo();
    const future = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    put(repo, `data/flights/${future}.csv`, csv(flights(future)));
    expectRefused(await ctCase(repo, ['run', '--json']), `data/flights/${future}.csv: named for ${future}, a day that has not come yet`);
  });
});

describe('Config', () => {
  /** Writes `bad.yaml` into a fresh copy (text as given, or the shipped config edited) and runs `ct <verb> --config bad.yaml`. */
  async function withConfig(content: string | ((config: Json) => void), verb = 'validate'): Promise<{ r: Result; repo: string; parent: string }> {
    const { repo, parent } = copyRepo();
    if (typeof content === 'string') put(repo, 'bad.yaml', content);
    else {
      const config = baseConfig();
      content(config);
      put(repo, 'bad.yaml', stringify(config));
    }
    return { r: await ctCase(repo, [verb, '--config', 'bad.yaml', '--json']), repo, parent };
  }
  const shipped = (): string => readFileSync(path.join(base, 'ct.config.yaml'), 'utf8');

  it.concurrent('a YAML syntax error names the file and line', async () => {
    expectRefused((await withConfig('name: flight-delay\ntask: [binary\ndata: {}\n')).r, /^ct: bad\.yaml line \d+: invalid YAML: /);
  });

  it.concurrent('an empty file', async () => {
    expectRefused((await withConfig('')).r, 'ct: bad.yaml: the config file is empty');
  });

  it.concurrent('an unknown top-level key', async () => {
    expectRefused((await withConfig((c) => (c.trainig = { epochs: 2 }))).r, 'ct: bad.yaml: trainig: unknown field');
  });

  it.concurrent('an unknown nested key, with a suggestion', async () => {
    expectRefused((await withConfig((c) => (c.training.epoch = 2))).r, 'ct: bad.yaml: training.epoch: unknown field (did you mean epochs?)');
  });

  it.concurrent('a field of the wrong type', async () => {
    expectRefused((await withConfig((c) => (c.training.epochs = 'two'))).r, 'ct: bad.yaml: training.epochs: must be integer');
  });

  it.concurrent('a label that is not a comparison', async () => {
    expectRefused((await withConfig((c) => (c.label = 'delay >> 15'))).r, 'ct: bad.yaml: label: in "delay >> 15"');
  });

  it.concurrent('a label column the data lacks', async () => {
    expectRefused(
      (await withConfig((c) => (c.label = 'delai > 15'), 'run')).r,
      'ct: bad.yaml: label: "delai" is not a column of the data (data/flights/schema.json has date, delay, distance, origin, destination)',
    );
  });

  it.concurrent('a feature naming a column the data lacks: refused before training', async () => {
    const { r, repo } = await withConfig((c) => (c.features.find((f: Json) => f.column === 'distance').column = 'distnace'), 'run');
    expectRefused(r, /^ct: bad\.yaml: features\[\d\]\.column: "distnace" is not a column of the data/);
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
  });

  it.concurrent('a time column or a time feature on a column of text: refused at validation, before training', async () => {
    const { r, repo } = await withConfig((c) => (c.data.timestamp = 'origin'), 'run');
    expectRefused(r, 'ct: bad.yaml: data.timestamp: "origin" is a string column in data/flights/schema.json; data.timestamp must name a timestamp column');
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
    const hour = await withConfig((c) => (c.features.find((f: Json) => f.transform === 'hourOfDay').column = 'origin'), 'validate');
    expectRefused(
      hour.r,
      /^ct: bad\.yaml: features\[\d\]\.column: "origin" is a string column in data\/flights\/schema\.json; hourOfDay needs a timestamp column$/,
    );
  });

  it.concurrent('a label comparing a column of text with a number: refused at validation', async () => {
    expectRefused(
      (await withConfig((c) => (c.label = 'origin > 3'))).r,
      'ct: bad.yaml: label: "origin > 3" compares "origin", a string column, with a number: every row would get the same class (data/flights/schema.json)',
    );
  });

  it.concurrent('a history that can never hold the days a partition needs', async () => {
    expectRefused(
      (await withConfig((c) => (c.validation = { history: { minDays: 30, maxDays: 20 } }))).r,
      'ct: bad.yaml: validation.history.maxDays (20) is below minDays (30): no partition would ever be tested',
    );
  });

  it.concurrent('two features with the same name', async () => {
    expectRefused(
      (await withConfig((c) => (c.features.find((f: Json) => f.name === 'log_distance').name = 'origin'))).r,
      /^ct: bad\.yaml: features\[\d\]\.name: "origin" is used twice$/,
    );
  });

  it.concurrent('a gate on an unknown metric: refused before training', async () => {
    const { r, repo } = await withConfig((c) => c.gates.push({ metric: 'acuracy', lowerBound: 0.5 }), 'run');
    expectRefused(r, /^ct: bad\.yaml: gates\[\d\]\.metric: "acuracy" is not a metric of a binary model \(auc, .*accuracy/);
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);
  });

  it.concurrent('a window of 0 days', async () => {
    expectRefused((await withConfig((c) => (c.data.window = { newestDays: 0 }))).r, 'ct: bad.yaml: data.window.newestDays: must be >= 1');
  });

  it.concurrent('evaluation days that leave no day to train on', async () => {
    expectRefused((await withConfig((c) => (c.data.split.evaluationDays = 3))).r, 'data.split.evaluationDays: the newest 3 days take the whole window');
  });

  it.concurrent('a hash split fraction above 1', async () => {
    expectRefused(
      (await withConfig((c) => (c.data.split = { method: 'hash', evaluationFraction: 1.5 }))).r,
      'ct: bad.yaml: data.split.evaluationFraction: must be < 1',
    );
  });

  describe('YAML tags and aliases', () => {
    it.concurrent('a !!js/function tag is refused, naming the tag and line', async () => {
      const text = shipped().replace(/^label: .*$/m, "label: !!js/function \"function () { return require('child_process').execSync('touch pwned') }\"");
      const { r, repo } = await withConfig(text);
      expectRefused(r, /^ct: bad\.yaml line \d+: the YAML tag !!js\/function is not allowed/);
      expect(existsSync(path.join(repo, 'pwned'))).toBe(false);
    });

    it.concurrent('a custom !foo tag is refused, even on a field that would take its text', async () => {
      const text = shipped().replace(/^name: .*$/m, 'name: !foo flight-delay');
      const line = text.split('\n').findIndex((l) => l.startsWith('name:')) + 1;
      expectRefused((await withConfig(text)).r, `ct: bad.yaml line ${line}: the YAML tag !foo is not allowed`);
    });

    it.concurrent('a "billion laughs" alias bomb is refused quickly, not expanded', async () => {
      const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let k = 1; k < 9; k++) {
        const prev = String.fromCharCode(96 + k);
        const name = String.fromCharCode(97 + k);
        levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
      }
      const { repo } = copyRepo();
      put(repo, 'bad.yaml', `${shipped()}\n${levels.join('\n')}\n`);
      // 9^9 strings would not fit in 256 MB: expanding them would crash or take minutes.
      const { r, cpuSeconds } = await ctMeasured(repo, ['validate', '--config', 'bad.yaml'], ['--max-old-space-size=256']);
      expectRefused(r, 'ct: bad.yaml: invalid YAML: Excessive alias count');
      // CPU time, not wall time: other processes share the machine. Starting ct takes about 2 s.
      expect(cpuSeconds).toBeLessThan(10);
    });

    it.concurrent('an alias to an anchor that does not exist is refused (not an internal error)', async () => {
      expectRefused((await withConfig(`${shipped()}\nmonitoring: *settings\n`)).r, 'ct: bad.yaml: invalid YAML: Unresolved alias');
    });
  });

  describe('paths that escape the repository', () => {
    /** A folder beside the repository holding a partition, so reading it would succeed if allowed. */
    function elsewhere(parent: string): string {
      const dir = path.join(parent, 'elsewhere');
      put(dir, '2001-03-01.csv', csv(flights('2001-03-01')));
      return dir;
    }

    it.concurrent('data.path: ../elsewhere', async () => {
      const { repo, parent } = copyRepo();
      elsewhere(parent);
      const config = baseConfig();
      config.data.path = '../elsewhere';
      put(repo, 'bad.yaml', stringify(config));
      expectRefused(await ctCase(repo, ['validate', '--config', 'bad.yaml']), 'ct: bad.yaml: data.path: "../elsewhere" resolves to', 'outside the repository');
      // Nothing was read there, nor an inferred schema written.
      expect(existsSync(path.join(parent, 'elsewhere/schema.json'))).toBe(false);
    });

    it.concurrent('an absolute data.path outside the repository', async () => {
      const { repo, parent } = copyRepo();
      const outside = elsewhere(parent);
      const config = baseConfig();
      config.data.path = outside;
      put(repo, 'bad.yaml', stringify(config));
      expectRefused(await ctCase(repo, ['validate', '--config', 'bad.yaml']), `ct: bad.yaml: data.path: "${outside}" resolves to`, 'outside the repository');
    });

    it.concurrent('registry.path: ../x (nothing is written there)', async () => {
      const { r, parent } = await withConfig((c) => (c.registry = { path: '../x' }), 'run');
      expectRefused(r, 'ct: bad.yaml: registry.path: "../x" resolves to', 'outside the repository');
      expect(existsSync(path.join(parent, 'x'))).toBe(false);
    });

    it.concurrent('data.schema: /etc/passwd (and nothing of it is shown)', async () => {
      const line = expectRefused(
        (await withConfig((c) => (c.data.schema = '/etc/passwd'))).r,
        'ct: bad.yaml: data.schema: "/etc/passwd" resolves to /etc/passwd, outside the repository',
      );
      expect(line).not.toContain('root:');
    });

    it.concurrent('a symbolic link inside the repository to a folder outside it, as data.path', async () => {
      const { repo, parent } = copyRepo();
      symlinkSync(elsewhere(parent), path.join(repo, 'data/linked'));
      const config = baseConfig();
      config.data.path = 'data/linked';
      put(repo, 'bad.yaml', stringify(config));
      expectRefused(await ctCase(repo, ['validate', '--config', 'bad.yaml']), 'ct: bad.yaml: data.path: "data/linked" resolves to', 'outside the repository');
    });

    it.concurrent('registry.path through a dangling symbolic link to outside the repository', async () => {
      const { repo, parent } = copyRepo();
      symlinkSync(path.join(parent, 'not-yet'), path.join(repo, 'registry-link'));
      const config = baseConfig();
      config.registry = { path: 'registry-link/models' };
      put(repo, 'bad.yaml', stringify(config));
      expectRefused(
        await ctCase(repo, ['run', '--config', 'bad.yaml']),
        'ct: bad.yaml: registry.path: "registry-link/models" resolves to',
        'outside the repository',
      );
      expect(existsSync(path.join(parent, 'not-yet'))).toBe(false);
    });

    it.concurrent('--data outside the repository stays allowed: the person running ct chose it', async () => {
      const { repo, parent } = copyRepo();
      elsewhere(parent);
      const r = await ctCase(repo, ['validate', '--data', '../elsewhere', '--json']);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, rows: 60 });
    });
  });
});
