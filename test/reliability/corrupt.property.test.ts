/**
 * Reliability (issue 10): real files corrupted at random. A shipped Parquet partition,
 * CSV and JSON Lines renderings of its first rows and ct.config.yaml get bytes flipped,
 * cut off, inserted, deleted, overwritten and duplicated (the text formats also lose or
 * gain delimiters, quotes, fields, line ends and unicode). Whatever comes out, ct either
 * reads it into a well-formed table that the schema checker, statistics and drift test
 * accept as input, or stops with a one-line UserError naming the file. Anything else
 * (TypeError, RangeError, a hang) is a bug in ct. End to end, `ct run` on a corrupted
 * newest partition exits 1 or 2 without a stack trace and leaves the registry alone
 * (or exits 0 on data that still reads back valid).
 *
 * The properties are seeded, so a failure reproduces; fast-check prints the shrunk
 * mutation list, which goes into a plain case under "regressions" once the bug is fixed.
 * A run that does not end fails too: a run may use RUN_MS of CPU time (not wall time, which
 * a busy machine stretches), synchronous code runs under a vm time limit, and a watchdog
 * thread ends the process (naming the run) if the Parquet reader hangs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { loadConfig } from '../../src/config/load.js';
import { readCsvChunks } from '../../src/data/csv.js';
import { displayPath } from '../../src/data/files.js';
import { readJsonLinesChunks } from '../../src/data/jsonl.js';
import { readTable } from '../../src/data/read.js';
import { readChunks } from '../../src/data/stream.js';
import { type Column, columnLength, type Table, valueAt } from '../../src/data/table.js';
import { UserError } from '../../src/errors.js';
import { type Anomaly, createAnomalyChecker } from '../../src/validate/checker.js';
import { detectDrift } from '../../src/validate/drift.js';
import { type DataSchema, parseSchema } from '../../src/validate/schema.js';
import { computeStatistics, type DatasetStatistics } from '../../src/validate/statistics.js';
import { ct, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from '../pipeline/repo.js';
import { cpuTimeOf, processCpuMs, treeDigest } from '../helpers.js';

/**
 * CPU time one run may use (reading a 16k-row partition takes ~10 ms); more is a hang. CPU
 * time, not wall time: other processes sharing the machine slow a run down but add none.
 */
const RUN_MS = 5000;
/**
 * Wall time after which a run is stopped whatever CPU time it used: a backstop, so a run
 * that never ends (or waits forever) fails instead of stalling the test run. A run takes
 * milliseconds: no busy machine stretches it this far.
 */
const BACKSTOP_MS = 60_000;
const PARTITION = 'data/flights/2001-02-28.parquet';
/** Of PARTITION as shipped: the regression cases name byte offsets in it. */
const PARTITION_SHA256 = 'd58db48d95df8131';
const TEXT_ROWS = 300;

// ---------------------------------------------------------------------------
// Mutations: plain data, so fast-check can print and shrink them and a regression case
// can replay one exactly. Positions past the end of the (already mutated) bytes clamp.

type Mutation =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; length: number }
  | { op: 'overwrite'; at: number; bytes: number[] }
  | { op: 'duplicate'; from: number; length: number; at: number }
  /** The k-th delimiter (`,` in CSV and JSON, `:` in YAML) removed. */
  | { op: 'dropDelimiter'; k: number; delimiter: string }
  | { op: 'insertText'; at: number; text: string }
  /** Field `field` of line `line` removed with its delimiter. */
  | { op: 'dropField'; line: number; field: number; delimiter: string }
  /** LFs number k, k + every, k + 2 * every, ... become CRLF or a lone CR (a file of mixed line ends). */
  | { op: 'lineEnds'; k: number; every: number; to: '\r\n' | '\r' };

function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = input;
  for (const m of mutations) b = apply(b, m);
  return b;
}

function apply(b: Buffer, m: Mutation): Buffer {
  const clamp = (at: number): number => Math.min(at, b.length);
  switch (m.op) {
    case 'flip': {
      if (b.length === 0) return b;
      const out = Buffer.from(b);
      out[m.at % b.length]! ^= m.mask;
      return out;
    }
    case 'truncate':
      return b.subarray(0, clamp(m.at));
    case 'insert':
      return Buffer.concat([b.subarray(0, clamp(m.at)), Buffer.from(m.bytes), b.subarray(clamp(m.at))]);
    case 'delete':
      return Buffer.concat([b.subarray(0, clamp(m.at)), b.subarray(clamp(m.at + m.length))]);
    case 'overwrite': {
      const out = Buffer.from(b);
      for (let i = 0; i < m.bytes.length && clamp(m.at) + i < out.length; i++) out[clamp(m.at) + i] = m.bytes[i]!;
      return out;
    }
    case 'duplicate': {
      const region = b.subarray(clamp(m.from), clamp(m.from + m.length));
      return Buffer.concat([b.subarray(0, clamp(m.at)), region, b.subarray(clamp(m.at))]);
    }
    case 'dropDelimiter': {
      const at = nthIndex(b, m.delimiter.charCodeAt(0), m.k);
      return at < 0 ? b : Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    }
    case 'insertText':
      return Buffer.concat([b.subarray(0, clamp(m.at)), Buffer.from(m.text, 'utf8'), b.subarray(clamp(m.at))]);
    case 'dropField': {
      // latin1 maps bytes to characters one to one, so the other bytes survive as they are.
      const lines = b.toString('latin1').split('\n');
      const i = m.line % lines.length;
      const fields = lines[i]!.split(m.delimiter);
      fields.splice(m.field % fields.length, 1);
      lines[i] = fields.join(m.delimiter);
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'lineEnds': {
      const parts: Buffer[] = [];
      let from = 0;
      let n = 0;
      for (let at = b.indexOf(10); at >= 0; at = b.indexOf(10, at + 1), n++) {
        if (n < m.k || (n - m.k) % m.every !== 0) continue;
        parts.push(b.subarray(from, at), Buffer.from(m.to, 'latin1'));
        from = at + 1;
      }
      parts.push(b.subarray(from));
      return Buffer.concat(parts);
    }
  }
}

/** Index of the (k mod count)-th occurrence of `byte`, or -1 when there is none. */
function nthIndex(b: Buffer, byte: number, k: number): number {
  const at: number[] = [];
  for (let i = b.indexOf(byte); i >= 0; i = b.indexOf(byte, i + 1)) at.push(i);
  return at.length === 0 ? -1 : at[k % at.length]!;
}

/** Bytes `[from, to)` of a file where its format keeps structure, and how often to aim there. */
interface Region {
  from: number;
  to: number;
  weight: number;
}

/**
 * A position in a file of `size` bytes: anywhere, or inside one of `regions` (page
 * headers, level and compressed-stream starts, the footer), where one flipped bit
 * changes a size or a count instead of a value.
 */
function position(size: number, regions: readonly Region[] = []): fc.Arbitrary<number> {
  const anywhere = fc.nat({ max: size });
  if (regions.length === 0) return anywhere;
  return fc.oneof(
    { arbitrary: anywhere, weight: 6 },
    ...regions.map((r) => ({ arbitrary: fc.integer({ min: r.from, max: Math.min(size, r.to) }), weight: r.weight })),
  );
}

function byteMutation(size: number, regions: readonly Region[] = []): fc.Arbitrary<Mutation> {
  const at = position(size, regions);
  const bytes = fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 32 });
  return fc.oneof(
    fc.record({
      op: fc.constant('flip' as const),
      at,
      mask: fc.oneof(
        fc.integer({ min: 0, max: 7 }).map((bit) => 1 << bit),
        fc.integer({ min: 1, max: 255 }),
      ),
    }),
    fc.record({ op: fc.constant('truncate' as const), at }),
    fc.record({ op: fc.constant('insert' as const), at, bytes }),
    fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ op: fc.constant('overwrite' as const), at, bytes }),
    fc.record({ op: fc.constant('duplicate' as const), from: at, length: fc.integer({ min: 1, max: 256 }), at }),
  );
}

/** Where a varint of a Parquet file's thrift structures is: footer and page headers hold every size and count. */
interface Varint {
  at: number;
  length: number;
}

/**
 * A varint of the file changed in place (same length): its sign bit flipped (a zigzag
 * count of 16457 becomes -16458), set to zero, or set to the largest value its bytes
 * hold. Random bytes rarely hit the one byte of a row count; these always hit a number.
 */
function varintMutation(varints: readonly Varint[]): fc.Arbitrary<Mutation> {
  return fc.tuple(fc.nat({ max: varints.length - 1 }), fc.constantFrom('sign', 'zero', 'max')).map(([k, how]): Mutation => {
    const { at, length } = varints[k]!;
    if (how === 'sign') return { op: 'flip', at, mask: 1 };
    const bytes = Array.from({ length }, (_, i) => (i < length - 1 ? 0x80 : 0) | (how === 'max' ? 0x7f : 0));
    return { op: 'overwrite', at, bytes };
  });
}

/**
 * Records every varint (integers, lengths, list sizes, long field ids) of the thrift
 * compact-protocol struct starting at `at` into `out`; returns where the struct ends.
 */
function thriftVarints(b: Uint8Array, at: number, out: Varint[]): number {
  const varint = (): number => {
    const start = at;
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const c = b[at++]!;
      value += (c & 0x7f) * 2 ** shift;
      if (c < 128) break;
    }
    out.push({ at: start, length: at - start });
    return value;
  };
  const element = (type: number): void => {
    if (type === 3)
      at++; // byte
    else if (type >= 4 && type <= 6)
      varint(); // i16, i32, i64
    else if (type === 7)
      at += 8; // double
    else if (type === 8) {
      const length = varint(); // binary: (`at += varint()` would add to `at` as it was before the varint)
      at += length;
    } else if (type === 9 || type === 10) {
      const header = b[at++]!;
      const size = header >> 4 === 15 ? varint() : header >> 4;
      const of = header & 15;
      for (let i = 0; i < size; i++) element(of === 1 || of === 2 ? 3 : of); // booleans in lists take a byte
    } else if (type === 12) struct();
    else if (type !== 1 && type !== 2) throw new Error(`thrift type ${type} at ${at}`); // booleans live in the type
  };
  const struct = (): void => {
    for (let header = b[at++]!; (header & 15) !== 0; header = b[at++]!) {
      if (header >> 4 === 0) varint(); // a field id too far from the last one
      element(header & 15);
    }
  };
  struct();
  return at;
}

/** Mutations of text structure: delimiters, quotes, fields, unicode, line ends. */
function textMutation(size: number, delimiter: string): fc.Arbitrary<Mutation> {
  const at = position(size);
  const k = fc.nat({ max: 100_000 });
  return fc.oneof(
    fc.record({ op: fc.constant('dropDelimiter' as const), k, delimiter: fc.constant(delimiter) }),
    fc.record({
      op: fc.constant('insertText' as const),
      at,
      text: fc.constantFrom(delimiter, '"', '""', '\n', '\r', '\t', ' ', '#', '\\', '{', '}', '[', ']', '-', '&a', '*a', '\uFEFF', '\u0000'),
    }),
    fc.record({ op: fc.constant('insertText' as const), at, text: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }),
    fc.record({ op: fc.constant('dropField' as const), line: k, field: fc.nat({ max: 10 }), delimiter: fc.constant(delimiter) }),
    fc.record({
      op: fc.constant('lineEnds' as const),
      k: fc.nat({ max: 400 }),
      every: fc.oneof(fc.constant(100_000), fc.integer({ min: 1, max: 50 })), // 100000: that one LF only
      to: fc.constantFrom('\r\n' as const, '\r' as const),
    }),
  );
}

/** One to three mutations, applied in order. */
function mutations(one: fc.Arbitrary<Mutation>): fc.Arbitrary<Mutation[]> {
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

// ---------------------------------------------------------------------------
// Guards: a run that does not end is a failure, not a stuck test.

const guardContext = vm.createContext({ run: (): unknown => undefined });
const guardScript = new vm.Script('run()');

/** Fails a run that used more than RUN_MS of CPU time since `started`, even one that ended (a near hang). */
function expectWithinRun(what: string, started: number): void {
  const used = processCpuMs() - started;
  if (used > RUN_MS) throw new Error(`${what}: used ${Math.round(used)} ms of CPU time (a near hang)`);
}

/**
 * Runs synchronous code within RUN_MS of CPU time. V8 stops it when BACKSTOP_MS pass, even
 * inside a loop that never yields (the text readers and the checkers are synchronous).
 */
function guarded<T>(what: string, run: () => T): T {
  guardContext.run = run;
  const started = processCpuMs();
  let value: T;
  try {
    value = guardScript.runInContext(guardContext, { timeout: BACKSTOP_MS }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new Error(`${what}: still running after ${BACKSTOP_MS} ms (a hang)`, { cause: error });
    expectWithinRun(what, started);
    throw error;
  }
  expectWithinRun(what, started);
  return value;
}

/**
 * The same limit for asynchronous code (the Parquet reader awaits every read): a timer
 * looks at the CPU time used every 100 ms. It cannot fire while a synchronous step runs,
 * so a run that ends late fails too.
 */
async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = processCpuMs();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    let looks = 0;
    const look = (): void => {
      const used = processCpuMs() - started;
      if (used > RUN_MS) reject(new Error(`${what}: still running after ${Math.round(used)} ms of CPU time (a hang)`));
      else if (++looks * 100 >= BACKSTOP_MS) reject(new Error(`${what}: still running after ${BACKSTOP_MS} ms (a hang)`));
      else timer = setTimeout(look, 100);
    };
    timer = setTimeout(look, 100);
  });
  const outcome = await Promise.race([run(), limit]).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  clearTimeout(timer);
  expectWithinRun(what, started);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/**
 * The Parquet reader decodes synchronously between its awaits, where neither a timer
 * nor the vm limit can stop it. A watchdog thread ends the process when a run uses
 * WATCHDOG_MS of the process's CPU time (or outlives 2 * BACKSTOP_MS), naming the run on
 * stderr: a hang fails the test run instead of stalling it.
 */
const WATCHDOG_MS = 3 * RUN_MS;
const watchdog = (() => {
  const state = new Int32Array(new SharedArrayBuffer(12)); // generation, armed, note length
  const note = new Uint8Array(new SharedArrayBuffer(8192));
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const { writeSync } = require('node:fs');
     const state = new Int32Array(workerData.state);
     const note = new Uint8Array(workerData.note);
     const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; // the whole process's
     let generation = -1;
     let since = 0;
     let sinceWall = 0;
     setInterval(() => {
       const g = Atomics.load(state, 0);
       if (Atomics.load(state, 1) === 0 || g !== generation) {
         generation = g;
         since = cpu();
         sinceWall = Date.now();
       } else if (cpu() - since > workerData.limit || Date.now() - sinceWall > workerData.backstop) {
         const run = Buffer.from(note.subarray(0, Atomics.load(state, 2))).toString();
         const used = Math.round(cpu() - since) + ' ms of CPU time in ' + (Date.now() - sinceWall) + ' ms';
         writeSync(2, 'corrupt.property: a run hangs (still going after ' + used + '), ending the process: ' + run + String.fromCharCode(10));
         process.kill(process.pid, 'SIGKILL');
       }
     }, 100);`,
    { eval: true, workerData: { state: state.buffer, note: note.buffer, limit: WATCHDOG_MS, backstop: 2 * BACKSTOP_MS } },
  );
  worker.unref();
  return {
    arm(what: string): void {
      const { written } = new TextEncoder().encodeInto(what, note);
      Atomics.store(state, 2, written);
      Atomics.add(state, 0, 1);
      Atomics.store(state, 1, 1);
    },
    disarm(): void {
      Atomics.store(state, 1, 0);
    },
    stop: (): Promise<number> => worker.terminate(),
  };
})();

// ---------------------------------------------------------------------------
// What a reader may do with a corrupted file.

/**
 * Fails unless `error` is a one-line UserError naming `file` (as messages show it).
 * `lineBreak`: what breaks the line; a CR too by default (a terminal returns to the start).
 */
function expectUserErrorNaming(error: unknown, file: string, what: string, lineBreak = /[\r\n]/): void {
  if (!(error instanceof UserError)) {
    const e = error as Error;
    throw new Error(`${what}: ${e?.name ?? typeof error} instead of a UserError: ${e?.message}\n${e?.stack ?? ''}`);
  }
  if (lineBreak.test(error.message)) throw new Error(`${what}: the message is not one line: ${JSON.stringify(error.message)}`);
  if (!error.message.includes(displayPath(file))) throw new Error(`${what}: the message does not name ${displayPath(file)}: ${error.message}`);
}

/** Fails unless `table` is internally consistent: lengths, null flags, codes, sources. */
function expectWellFormed(table: Table, file: string, what: string): void {
  const fail = (why: string): never => {
    throw new Error(`${what}: malformed table: ${why}`);
  };
  const n = table.rowCount;
  if (!Number.isInteger(n) || n < 0) fail(`rowCount ${n}`);
  const names = new Set<string>();
  for (const c of table.columns) {
    if (names.has(c.name)) fail(`column "${c.name}" twice`);
    names.add(c.name);
    if (columnLength(c) !== n) fail(`column "${c.name}" has ${columnLength(c)} rows, the table ${n}`);
    if (c.nulls !== null && (c.nulls.length !== n || c.nulls.some((v) => v > 1))) fail(`null flags of "${c.name}"`);
    expectColumnValues(c, n, fail);
  }
  let start = 0;
  for (const s of table.sources) {
    if (s.file !== displayPath(file)) fail(`source names ${s.file}`);
    if (s.start !== start || s.rows < 0) fail(`sources ${JSON.stringify(table.sources)}`);
    start += s.rows;
  }
  if (start !== n) fail(`sources cover ${start} of ${n} rows`);
}

function expectColumnValues(c: Column, n: number, fail: (why: string) => never): void {
  for (let i = 0; i < n; i++) {
    const isNull = c.nulls?.[i] === 1;
    if (c.type === 'string') {
      const code = c.codes[i]!;
      if (isNull !== (code === -1)) fail(`"${c.name}" row ${i}: code ${code}, null flag ${isNull}`);
      if (code < -1 || code >= c.dictionary.length) fail(`"${c.name}" row ${i}: code ${code} of ${c.dictionary.length}`);
    } else if (c.type === 'boolean') {
      if (c.values[i]! > 1) fail(`"${c.name}" row ${i}: boolean ${c.values[i]}`);
    } else {
      if (isNull && !Number.isNaN(c.values[i]!)) fail(`"${c.name}" row ${i}: null holds ${c.values[i]}`);
      if (c.type === 'timestamp' && !isNull) valueAt(c, i); // an instant Date can hold (toISOString throws otherwise)
    }
  }
}

interface Format {
  file: string;
  clean: Buffer;
  schema: DataSchema;
  /** Statistics of the clean file: the drift reference, as production's would be. */
  reference: DatasetStatistics;
}

/**
 * Reads `format.file` (holding corrupted bytes) whole and in chunks and checks what
 * comes out. Returns the rows read, or null when both ways stopped with a UserError.
 */
async function checkRead(format: Format): Promise<number | null> {
  const { file } = format;
  const kind = path.extname(file).slice(1);
  const table = await attempt(`${kind} readTable`, file, () => timed('readTable', () => guarded('readTable', () => readTable(file))));
  if (table !== null) {
    expectWellFormed(table, file, `${kind} readTable`);
    guarded('checking the table', () => checkTable(table, format));
  }
  const chunks = await attempt(`${kind} chunks`, file, () => readAllChunks(file));
  if (chunks !== null) {
    for (const chunk of chunks) expectWellFormed(chunk, file, `${kind} chunk`);
    guarded('checking the chunks', () => {
      // Duplicates were looked for in the whole table (their hash set costs 32 MB per checker).
      const checker = createAnomalyChecker(format.schema, { duplicates: false });
      for (const chunk of chunks) checker.add(chunk);
      checker.result();
    });
  }
  // Both ways read the same bytes: they must agree on whether, and how many rows.
  const rows = (read: Table | Table[] | null): number | 'UserError' =>
    read === null ? 'UserError' : Array.isArray(read) ? read.reduce((n, t) => n + t.rowCount, 0) : read.rowCount;
  expect({ streamed: rows(chunks) }).toEqual({ streamed: rows(table) });
  return table?.rowCount ?? null;
}

/** What `read` returns, or null if it threw a one-line UserError naming `file`. */
async function attempt<T>(what: string, file: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    expectUserErrorNaming(error, file, what);
    return null;
  }
}

/** All chunks of a file, small ones (rows and blocks cross chunk ends often). */
async function readAllChunks(file: string): Promise<Table[]> {
  // Parquet decodes whole row groups and slices them: fewer, larger slices keep runs fast.
  const options = { chunkRows: file.endsWith('.parquet') ? 4099 : 97, blockBytes: 509 };
  if (file.endsWith('.csv')) return guarded('readCsvChunks', () => [...readCsvChunks(file, options)]);
  if (file.endsWith('.jsonl')) return guarded('readJsonLinesChunks', () => [...readJsonLinesChunks(file, options)]);
  return timed('readChunks', async () => {
    const chunks: Table[] = [];
    for await (const chunk of readChunks(file, options)) chunks.push(chunk);
    return chunks;
  });
}

/** What validation does with a table read: schema anomalies, statistics, drift. */
function checkTable(table: Table, format: Format): Anomaly[] {
  const checker = createAnomalyChecker(format.schema);
  checker.add(table);
  const anomalies = checker.result();
  for (const a of anomalies) {
    if (!(a.count >= 0) || !Number.isFinite(a.share)) throw new Error(`anomaly ${a.kind}: count ${a.count}, share ${a.share}`);
    for (const example of a.examples) if (example.file !== displayPath(format.file)) throw new Error(`anomaly example names ${example.file}`);
  }
  detectDrift(format.reference, computeStatistics(table));
  return anomalies;
}

// ---------------------------------------------------------------------------
// Fixtures: the real files.

let dir: string;
let schema: DataSchema;
let parquet: Format & { regions: Region[]; varints: Varint[] };
let csv: Format;
let jsonl: Format;
let config: { file: string; clean: Buffer };

/** CSV as people write it: ISO times, some string fields quoted. */
function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => c.name).join(',')];
  for (let i = 0; i < table.rowCount; i++) {
    lines.push(
      table.columns
        .map((c) => {
          const v = valueAt(c, i);
          return v === null ? '' : c.type === 'string' && i % 5 === 0 ? `"${String(v)}"` : String(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function toJsonLines(table: Table): string {
  const lines: string[] = [];
  for (let i = 0; i < table.rowCount; i++) lines.push(JSON.stringify(Object.fromEntries(table.columns.map((c) => [c.name, valueAt(c, i)]))));
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ct-corrupt-'));
  const schemaFile = path.join(root, 'data/flights/schema.json');
  schema = parseSchema(displayPath(schemaFile), JSON.parse(readFileSync(schemaFile, 'utf8')));
  const source = path.join(root, PARTITION);
  const table = await readTable(source);
  const bytes = readFileSync(source);
  // Where the structure is: the magic number, the footer, every page header (and the level
  // and compressed data right after it); and every varint of the footer and page headers.
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const footer = bytes.length - 8 - meta.metadata_length;
  const regions: Region[] = [
    { from: 0, to: 4, weight: 1 },
    { from: footer, to: bytes.length, weight: 4 },
  ];
  const varints: Varint[] = [];
  expect(thriftVarints(bytes, footer, varints)).toBe(bytes.length - 8); // the walk understood the whole footer
  for (const group of meta.row_groups) {
    for (const c of group.columns) {
      let at = Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset);
      const end = at + Number(c.meta_data!.total_compressed_size);
      while (at < end) {
        regions.push({ from: at, to: at + 128, weight: 1 });
        const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: at };
        const header = parquetHeader(reader);
        expect(thriftVarints(bytes, at, varints)).toBe(reader.offset);
        at = reader.offset + header.compressed_page_size;
      }
    }
  }
  parquet = { file: path.join(dir, 'corrupt.parquet'), clean: bytes, schema, reference: computeStatistics(table), regions, varints };

  const head = { ...table, rowCount: TEXT_ROWS, columns: table.columns.map((c) => sliceColumn(c, TEXT_ROWS)) };
  const reference = computeStatistics(head);
  csv = { file: path.join(dir, 'corrupt.csv'), clean: Buffer.from(toCsv(head)), schema, reference };
  jsonl = { file: path.join(dir, 'corrupt.jsonl'), clean: Buffer.from(toJsonLines(head)), schema, reference };
  config = { file: path.join(dir, 'ct.config.yaml'), clean: readFileSync(path.join(root, 'ct.config.yaml')) };
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await watchdog.stop();
});

function sliceColumn(c: Column, rows: number): Column {
  const nulls = c.nulls === null ? null : c.nulls.slice(0, rows);
  return c.type === 'string' ? { ...c, codes: c.codes.slice(0, rows), nulls } : ({ ...c, values: c.values.slice(0, rows), nulls } as Column);
}

/** Writes the corrupted bytes and reads them back, watched. */
async function readCorrupted(format: Format, ms: readonly Mutation[]): Promise<number | null> {
  writeFileSync(format.file, mutate(format.clean, ms));
  watchdog.arm(`${path.basename(format.file)} ${JSON.stringify(ms)}`);
  try {
    return await checkRead(format);
  } finally {
    watchdog.disarm();
  }
}

describe('corrupted data files: a well-formed table, or a one-line UserError naming the file', () => {
  it('the clean files read back whole and valid, the config loads (the properties start from good input)', async () => {
    expect(await readCorrupted(parquet, [])).toBe(16_457);
    expect(await readCorrupted(csv, [])).toBe(TEXT_ROWS);
    expect(await readCorrupted(jsonl, [])).toBe(TEXT_ROWS);
    // ... and follow the shipped schema.
    for (const format of [parquet, csv, jsonl]) {
      writeFileSync(format.file, format.clean);
      const errors = checkTable(await readTable(format.file), format).filter((a) => a.severity === 'error');
      expect(errors).toEqual([]);
    }
    writeFileSync(config.file, config.clean);
    expect(loadConfig(config.file).config.name).toBe('flight-delay');
  });

  it('Parquet: a shipped partition, bytes flipped, cut, inserted, deleted, overwritten, duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(fc.oneof(byteMutation(parquet.clean.length, parquet.regions), varintMutation(parquet.varints))), async (ms) => {
        await readCorrupted(parquet, ms);
      }),
      { seed: 1001, numRuns: 200 },
    );
  });

  it('CSV: byte corruption and broken structure (delimiters, quotes, fields, unicode, CR/CRLF)', async () => {
    const size = csv.clean.length;
    await fc.assert(
      fc.asyncProperty(mutations(fc.oneof(byteMutation(size), textMutation(size, ','))), async (ms) => {
        await readCorrupted(csv, ms);
      }),
      { seed: 1002, numRuns: 200 },
    );
  });

  it('JSON Lines: byte corruption and broken structure', async () => {
    const size = jsonl.clean.length;
    await fc.assert(
      fc.asyncProperty(mutations(fc.oneof(byteMutation(size), textMutation(size, ','))), async (ms) => {
        await readCorrupted(jsonl, ms);
      }),
      { seed: 1003, numRuns: 200 },
    );
  });
});

/**
 * Bugs the properties (and an exhaustive sweep of single-bit flips over the footer and
 * page starts that followed) found, each replayed exactly. Offsets are of PARTITION.
 */
describe('regressions: corruptions that once crashed or hung a reader', () => {
  /** Reads the corrupted file as the properties do, then returns readTable's error. */
  async function errorOf(format: Format, ms: readonly Mutation[]): Promise<string> {
    expect(await readCorrupted(format, ms)).toBeNull();
    return readTable(format.file).then(
      () => 'read',
      (error: unknown) => (error as Error).message,
    );
  }

  it('the offsets below are those of the shipped partition', () => {
    expect(createHash('sha256').update(parquet.clean).digest('hex').slice(0, 16)).toBe(PARTITION_SHA256);
  });

  it('Parquet: a data page header that lost its level lengths fails at once (hyparquet read byte 0 forever)', async () => {
    // 23 bytes gone from the header of the "delay" data page: its v2 header then has no
    // definition/repetition level lengths, and hyparquet's fallback decoder set its
    // offset to undefined, i.e. NaN, where getUint8 reads byte 0 and never ends.
    expect(await errorOf(parquet, [{ op: 'delete', at: 13068, length: 23 }])).toMatch(
      /corrupt\.parquet: column "delay" in row group 1: corrupt Parquet data: page header has repetition levels length undefined$/,
    );
  });

  it('Parquet: a negative row count in the footer or a row group is a UserError, not a RangeError', async () => {
    // One flipped bit turns the zigzag varint of 16457 rows into -16458, which went
    // straight into `new Float64Array(rows)`.
    expect(await errorOf(parquet, [{ op: 'flip', at: 93894, mask: 1 }])).toMatch(/row groups hold 16457 rows but the footer says -16458 \(corrupt\?\)$/);
    expect(await errorOf(parquet, [{ op: 'flip', at: 94305, mask: 1 }])).toMatch(/corrupt\.parquet: row group 1 holds -16458 rows \(corrupt\?\)$/);
  });

  it('Parquet: a Snappy literal length of 2^31 or more fails at once (hyparquet took ~20 s)', async () => {
    // Bit 3 of the first tag of the "delay" page's Snappy stream makes a literal's length
    // 4 bytes long and over 2^31; hyparquet's decoder turned it negative and crept back.
    const { value: message, cpuMs } = await cpuTimeOf(() => errorOf(parquet, [{ op: 'flip', at: 13082, mask: 8 }]));
    expect(message).toMatch(/column "delay" in row group 1: corrupt Parquet data: cannot decode \(snappy literal runs past the input\)$/);
    expect(cpuMs).toBeLessThan(RUN_MS);
  });

  it('CSV: lone CRs in a file with LFs end rows without losing any', async () => {
    // Every other LF a lone CR: the rows were counted, but the columns were sized by the
    // LFs alone, so they held 151 of 300 rows.
    expect(await readCorrupted(csv, [{ op: 'lineEnds', k: 0, every: 2, to: '\r' }])).toBe(TEXT_ROWS);
    const file = path.join(dir, 'mixed.csv');
    writeFileSync(file, 'a,b\n1,2\r3,4\r5,6\r7,8\n');
    const table = await readTable(file);
    expect(table.rowCount).toBe(4);
    expect(Array.from({ length: 4 }, (_, i) => valueAt(table.columns[0]!, i))).toEqual([1, 3, 5, 7]);
    expectWellFormed(table, file, 'mixed.csv');
  });
});

describe('a corrupted ct.config.yaml: a config, or a one-line UserError naming the file', () => {
  it('loadConfig on the shipped config, bytes and YAML structure corrupted', () => {
    const size = config.clean.length;
    fc.assert(
      fc.property(mutations(fc.oneof(byteMutation(size), textMutation(size, ':'))), (ms) => {
        writeFileSync(config.file, mutate(config.clean, ms));
        let loaded: ReturnType<typeof loadConfig>;
        try {
          loaded = guarded('loadConfig', () => loadConfig(config.file));
        } catch (error) {
          // LF only: a YAML key holding a lone CR comes back in the message as it is.
          expectUserErrorNaming(error, config.file, 'loadConfig', /\n/);
          return;
        }
        const c = loaded.config;
        expect(typeof c.name).toBe('string');
        expect(typeof c.label.column).toBe('string');
        expect(c.features.every((f) => typeof f.name === 'string' && typeof f.column === 'string')).toBe(true);
        expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
      }),
      { seed: 1004, numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------
// End to end: `ct run` with a production model, on a corrupted newest partition.

/** A registry as names and bytes. */
function snapshot(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(folder, full), readFileSync(full));
    }
  };
  walk(folder);
  return files;
}

function restore(folder: string, files: Map<string, Buffer>): void {
  rmSync(folder, { recursive: true, force: true });
  for (const [name, bytes] of files) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), bytes);
  }
}

/** `ct` as `ct()` runs it, stopped after `ms` (a hung run then fails with status -1). */
function ctWithin(cwd: string, args: string[], ms: number): { status: number; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ct.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: ms });
  return { status: r.status ?? -1, stderr: r.stderr };
}

describe('ct run on a corrupted newest partition', () => {
  const partitions = shippedPartitions()
    .filter((f) => f <= path.basename(PARTITION))
    .slice(-2);
  let repo: string;
  let newest: string;
  let models: string;
  let registry: Map<string, Buffer>;
  let registryDigest: Record<string, string>;

  beforeAll(() => {
    repo = tempRepo(partitions);
    // Small and quick: one short epoch, few bootstrap samples, no infra check, absolute gates a
    // weak model passes (the comparison with production stays as shipped).
    const config = smallConfig(2);
    config.training = { ...config.training, epochs: 1, maxRows: 4000 };
    config.model = { ...(config.model as object), hidden: [16] };
    const evaluation = config.evaluation as Record<string, unknown>;
    config.evaluation = {
      ...evaluation,
      bootstrap: { samples: 100, seed: 42, confidence: 0.95 },
      infraCheck: { enabled: false },
      latency: { batchRows: 256, repeats: 1 },
    };
    config.gates = [
      { metric: 'auc', lowerBound: 0.5 },
      { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.005 } },
    ];
    writeConfig(repo, 'ct.config.yaml', config);
    // The shipped schema, as reviewed, not one inferred from these two days.
    copyFileSync(path.join(root, 'data/flights/schema.json'), path.join(repo, 'data/flights/schema.json'));
    const first = ct(repo, ['run']);
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.status).toBe(0);
    newest = path.join(repo, 'data/flights', partitions.at(-1)!);
    models = path.join(repo, 'models');
    registry = snapshot(models);
    registryDigest = treeDigest(models);
    expect(Object.keys(treeDigest(models))).toContain('flight-delay/production.json');
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('exits 1 or 2 without a stack trace and leaves the registry as it was (0 only on data that reads back valid)', async () => {
    const clean = readFileSync(newest);
    expect(clean.equals(parquet.clean)).toBe(true); // the partition the regions are from
    const shown = `data/flights/${path.basename(newest)}`;
    await fc.assert(
      fc.asyncProperty(mutations(fc.oneof(byteMutation(clean.length, parquet.regions), varintMutation(parquet.varints))), async (ms) => {
        writeFileSync(newest, mutate(clean, ms));
        rmSync(path.join(repo, 'out'), { recursive: true, force: true });
        try {
          const r = ctWithin(repo, ['run'], 60_000);
          expect(r.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
          expect([0, 1, 2]).toContain(r.status);
          // Unreadable data: one line naming the file.
          if (r.status === 2) expect(r.stderr.trim().split('\n').at(-1)).toContain(shown);
          if (r.status !== 0) {
            expect(treeDigest(models)).toEqual(registryDigest);
            return;
          }
          // Passed: then the corruption left valid data (a value changed into another valid one).
          const table = await readTable(newest);
          const errors = checkTable(table, { ...parquet, file: newest }).filter((a) => a.severity === 'error');
          expect(errors).toEqual([]);
          expect(JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8'))).toMatchObject({ ok: true });
        } finally {
          writeFileSync(newest, clean);
          restore(models, registry);
        }
      }),
      { seed: 1005, numRuns: 8 },
    );
  });
});
