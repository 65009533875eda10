/**
 * `ct init`: look at the user's data with ct's own readers and statistics, decide a
 * config (src/init/suggest.ts), and write the commented `ct.config.yaml`, the inferred
 * data schema, the GitHub workflows and a README section into the repository (the
 * working directory). Nothing existing is overwritten without `force`; every file is
 * checked before the first one is written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Task } from '../config/types.js';
import { DATA_EXTENSIONS, formatOf } from '../data/files.js';
import { dateOfDay, listPartitions } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { type Column, nullCount, type Table, valueAt } from '../data/table.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import type { Logger } from '../logger.js';
import { csvLine } from '../report/csv.js';
import { README_MARKER, renderConfig, renderReadmeSection } from '../init/render.js';
import { type ActionsSource, parseActionsSource, renderCtWorkflow, renderVerifyWorkflow } from '../init/workflows.js';
import { type ColumnSummary, type DataSummary, type Suggestion, suggestConfig } from '../init/suggest.js';
import { inferSchema } from '../validate/schema.js';
import { computeStatistics } from '../validate/statistics.js';

/** What `ct init` was asked for. */
export interface InitOptions {
  /** `--data`: a folder of daily partitions, or one file (`.parquet`, `.csv`, `.jsonl`, or a `.json` array of objects). */
  data: string;
  label: string;
  task?: Task;
  timestamp?: string;
  name?: string;
  /** Split one file into daily partitions `data/<name>/YYYY-MM-DD.<ext>` by its timestamp. */
  partition?: boolean;
  force?: boolean;
  /**
   * `owner/repo@<commit sha>` of ct's actions in the workflows. Default: the actions of the
   * ct installed in the repository (`./node_modules/ct/actions/<stage>`, pinned by its lockfile).
   */
  actions?: string;
  /** Config file to write (default `ct.config.yaml` in the repository). */
  config?: string;
  /** The repository root (default the working directory). */
  cwd?: string;
}

/** What `ct init` did. */
export interface InitResult {
  /** Files written, relative to the repository, in the order written. */
  written: string[];
  suggestion: Suggestion;
  /** The command to run next. */
  next: string;
}

const MS_PER_DAY = 86_400_000;

/** Repository-relative path with forward slashes. */
function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function inside(root: string, file: string): boolean {
  const r = path.relative(root, file);
  return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
}

/** A file ct will write: its absolute path and contents. */
interface PlannedFile {
  file: string;
  contents: string | Uint8Array;
}

/**
 * Runs `ct init`. A `UserError` (exit code 2) for unusable data or options, and for an
 * existing file that would be overwritten without `force` (naming it; nothing is written).
 */
export async function runInit(options: InitOptions, logger: Logger): Promise<InitResult> {
  const root = path.resolve(options.cwd ?? process.cwd());
  const source = path.resolve(root, options.data);
  if (!existsSync(source)) throw new UserError(`--data: not found: ${options.data}`);
  const isFolder = statSync(source).isDirectory();
  const name = sanitizeName(options.name ?? path.basename(source, path.extname(source)));
  const actions = actionsSource(options.actions);

  const planned: PlannedFile[] = [];
  let temp: string | undefined;
  try {
    // 1. Read the data as ct will read it.
    let files: string[];
    let dataPath: string; // absolute: where the config's data.path points
    let partitions: DataSummary['partitions'] = null;
    let jsonArray: string | undefined; // a .json array, as JSON Lines
    if (isFolder) {
      if (options.partition === true) throw new UserError('--partition: splits one file; --data is already a folder');
      if (!inside(root, source)) throw new UserError(`--data: ${options.data} is outside the repository ${root}; move the folder under data/`);
      const list = listPartitions(source);
      files = list.map((p) => path.join(source, path.basename(p.file)));
      partitions = { count: list.length, first: list[0]!.date, last: list.at(-1)!.date };
      dataPath = source;
    } else {
      const ext = path.extname(source).toLowerCase();
      if (ext === '.json') {
        jsonArray = jsonArrayAsLines(source, options.data);
        temp = mkdtempSync(path.join(tmpdir(), 'ct-init-'));
        files = [path.join(temp, `${name}.jsonl`)];
        writeFileAtomic(files[0]!, jsonArray);
      } else if (formatOf(source) === undefined) {
        throw new UserError(`--data: cannot tell the format of ${options.data}: use a ${[...DATA_EXTENSIONS, '.json'].join(', ')} file, or a folder of daily partitions`);
      } else files = [source];
      const copy = jsonArray !== undefined || !inside(root, source);
      dataPath = copy ? path.join(root, 'data', name, `${name}${jsonArray !== undefined ? '.jsonl' : ext}`) : source;
    }
    const table = await readTables(files);
    if (table.rowCount === 0) throw new UserError(`--data: ${options.data} holds no rows`);

    // 2. --partition: one file becomes daily files, and the config points at their folder.
    if (options.partition === true) {
      const column = options.timestamp ?? onlyTimestamp(table);
      const split = partitionTable(table, column, path.join(root, 'data', name), formatOf(source) === 'csv' ? 'csv' : 'jsonl');
      planned.push(...split.files);
      partitions = split.summary;
      dataPath = path.join(root, 'data', name);
      jsonArray = undefined;
    } else if (!isFolder && dataPath !== source) {
      // The config's paths must stay inside the repository: a copy (or the .json array as JSON Lines) goes under data/.
      planned.push({ file: dataPath, contents: jsonArray ?? readFileSync(source) });
    }

    // 3. Decide.
    const summary: DataSummary = { rows: table.rowCount, columns: table.columns.map((c) => summarize(c, table.rowCount)), partitions };
    const folder = isFolder || options.partition === true ? dataPath : path.dirname(dataPath);
    const suggestion = suggestConfig(summary, {
      name,
      label: options.label,
      ...(options.task === undefined ? {} : { task: options.task }),
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
      dataPath: rel(root, dataPath),
    });

    // 4. The schema ct validate would infer, less the domains of identifier-like columns
    // (every new row brings new values there; they are not features).
    const schema = inferSchema(computeStatistics(table));
    const noDomain = new Set(suggestion.skipped.filter((k) => /identifier|one value per row/.test(k.reason)).map((k) => k.column));
    for (const c of schema.columns) if (noDomain.has(c.name)) delete c.domain;
    const schemaFile = path.join(folder, 'schema.json');
    planned.push({ file: schemaFile, contents: `${JSON.stringify(schema, null, 2)}\n` });

    const configFile = path.resolve(root, options.config ?? 'ct.config.yaml');
    const configText = renderConfig(suggestion, schemaUrl(root, path.dirname(configFile)), describeSource(options, partitions));
    planned.push({ file: configFile, contents: configText });
    const workflow = { config: rel(root, configFile), dataFolder: rel(root, folder), registry: 'models', source: actions, lockfile: existsSync(path.join(root, 'package-lock.json')) };
    planned.push({ file: path.join(root, '.github/workflows/ct.yml'), contents: renderCtWorkflow(readCtFile('.github/workflows/ct.yml'), workflow) });
    planned.push({ file: path.join(root, '.github/workflows/verify.yml'), contents: renderVerifyWorkflow(readCtFile('.github/workflows/verify.yml'), workflow) });
    // The workflows (and `npx ct`) run the ct of package.json; without it, npx would fetch an unrelated npm package named ct.
    const install = ctIsDependency(root) ? undefined : `npm install --save-dev ${installSpec()}`;

    const readme = path.join(root, 'README.md');
    const section = renderReadmeSection(suggestion, { config: rel(root, configFile), schema: rel(root, schemaFile), dataFolder: rel(root, folder) }, install);
    // An existing README gets the section appended (or, with force, its earlier section replaced).
    const old = existsSync(readme) ? readFileSync(readme, 'utf8') : undefined;
    const at = old?.indexOf(README_MARKER) ?? -1;
    const readmeText = old === undefined ? `# ${name}\n\n${section}` : `${(at >= 0 ? old.slice(0, at) : old).replace(/\s*$/, '')}\n\n${section}`;

    // 5. Refuse before writing anything.
    if (options.force !== true) {
      const existing = planned.find((p) => existsSync(p.file));
      if (existing !== undefined) throw new UserError(`${rel(root, existing.file)} exists; pass --force to overwrite it`);
      if (at >= 0) throw new UserError('README.md already has a ct init section; pass --force to replace it');
    }
    const written: string[] = [];
    for (const p of planned) {
      writeFileAtomic(p.file, p.contents);
      written.push(rel(root, p.file));
    }
    writeFileAtomic(readme, readmeText);
    written.push('README.md');
    // `ct run`'s artifacts (out/), the partition-history cache (.ct/) and the installed packages are not things to commit.
    const gitignore = path.join(root, '.gitignore');
    const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
    const missing = ['out', '.ct', 'node_modules'].filter((dir) => !new RegExp(`^/?${dir.replace('.', '\\.')}/?$`, 'm').test(ignored)).map((dir) => `${dir}/\n`);
    if (missing.length > 0) {
      writeFileAtomic(gitignore, `${ignored}${ignored === '' || ignored.endsWith('\n') ? '' : '\n'}${missing.join('')}`);
      written.push('.gitignore');
    }
    if (install !== undefined) logger.warning(`ct is not a dependency of this repository: install it (${install}), then commit package.json and package-lock.json; the workflows run that ct`);

    // The config must load as `ct run` will load it; if it does not, that is a bug in ct.
    try {
      loadConfig(configFile);
    } catch (error) {
      throw new Error(`ct init wrote a config that does not load: ${(error as Error).message}`, { cause: error });
    }
    return { written, suggestion, next: 'npx ct run' };
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
}

function sanitizeName(raw: string): string {
  const name = raw.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (name === '') throw new UserError(`--name: "${raw}" leaves no usable model name (letters, digits, . _ -)`);
  return name;
}

function describeSource(options: InitOptions, partitions: DataSummary['partitions']): string {
  const base = path.basename(options.data);
  if (partitions === null) return base;
  return `${base} (${partitions.count} daily partitions, ${partitions.first}..${partitions.last})`;
}

/** A `.json` file holding an array of objects, as JSON Lines (ct reads those). */
function jsonArrayAsLines(file: string, shown: string): string {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--data: ${shown} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new UserError(`--data: ${shown} is not an array of objects (write JSON Lines: one object per line, .jsonl)`);
  const bad = rows.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw new UserError(`--data: ${shown}: element ${bad} is not an object`);
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/**
 * The schema link of the config's first line, relative to the config: ct's schema in
 * node_modules when ct is installed as a dependency (where verify.yml expects it), ct's own
 * docs/ inside ct's repository, else the node_modules path it will have once installed.
 */
export function schemaUrl(root: string, configDir: string): string {
  const installed = path.join(root, 'node_modules/ct/docs/ct.config.schema.json');
  const own = path.join(root, 'docs/ct.config.schema.json');
  let target = installed;
  if (!existsSync(installed) && existsSync(own)) {
    try {
      if ((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string }).name === 'ct') target = own;
    } catch {
      // no package.json: not ct's repository
    }
  }
  const r = path.relative(configDir, target).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** A file of ct's own package (its workflows are the templates of the user's). */
function readCtFile(file: string): string {
  return readFileSync(path.resolve(import.meta.dirname, '../..', file), 'utf8');
}

function ctVersion(): string {
  return (JSON.parse(readCtFile('package.json')) as { version: string }).version;
}

/** `--actions`: the remote form, checked; unset: the installed ct's actions. */
function actionsSource(text: string | undefined): ActionsSource {
  if (text === undefined) return { kind: 'installed' };
  const parsed = parseActionsSource(text);
  if (parsed === null) throw new UserError(`--actions: expected <owner>/<repo>@<full commit sha> (a tag can be moved to other code), got "${text}"`);
  return { kind: 'remote', ...parsed, version: `v${ctVersion()}` };
}

/**
 * How to install the running ct: its clone's `origin` and commit when it runs from a git
 * checkout (credentials stripped from the URL), else a description of that form.
 */
export function installSpec(ctRoot = path.resolve(import.meta.dirname, '../..')): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', ctRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (realpathSync(git('rev-parse', '--show-toplevel')) !== realpathSync(ctRoot)) throw new Error('not ct\'s own checkout');
    const url = new URL(git('remote', 'get-url', 'origin').replace(/^git@([^:]+):/, 'ssh://git@$1/'));
    const commit = git('rev-parse', 'HEAD');
    const github = /^(?:www\.)?github\.com$/.test(url.hostname) ? /^\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url.pathname) : null;
    if (github !== null) return `github:${github[1]}#${commit}`;
    url.username = '';
    url.password = '';
    return `git+${url.href}#${commit}`;
  } catch {
    return 'github:<owner>/<repo>#<commit>';
  }
}

/** Whether the repository's package.json lists ct (dependencies or devDependencies). */
function ctIsDependency(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    return pkg.dependencies?.ct !== undefined || pkg.devDependencies?.ct !== undefined;
  } catch {
    return false;
  }
}

function onlyTimestamp(table: Table): string {
  const times = table.columns.filter((c) => c.type === 'timestamp');
  if (times.length !== 1) {
    throw new UserError(`--partition: ${times.length === 0 ? 'the data has no timestamp column' : `several timestamp columns (${times.map((c) => c.name).join(', ')})`}; name one with --timestamp`);
  }
  return times[0]!.name;
}

/** Rows grouped by UTC day into `folder/YYYY-MM-DD.<ext>`; rows without a time are refused. */
function partitionTable(table: Table, name: string, folder: string, format: 'csv' | 'jsonl'): { files: PlannedFile[]; summary: NonNullable<DataSummary['partitions']> } {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) throw new UserError(`--timestamp: column "${name}" is not in the data`);
  if (column.type !== 'timestamp') throw new UserError(`--timestamp: column "${name}" is ${column.type}, expected timestamps`);
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = column.values[i]!;
    if (Number.isNaN(v)) throw new UserError(`--partition: row ${i + 1} has no "${name}"; every row needs a time to go into a daily file`);
    const day = Math.floor(v / MS_PER_DAY);
    let rows = byDay.get(day);
    if (rows === undefined) byDay.set(day, (rows = []));
    rows.push(i);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const files = days.map((day): PlannedFile => {
    const rows = byDay.get(day)!;
    let contents: string;
    if (format === 'csv') {
      contents = csvLine(table.columns.map((c) => c.name)) + rows.map((i) => csvLine(table.columns.map((c) => valueAt(c, i)))).join('');
    } else {
      contents = rows.map((i) => JSON.stringify(Object.fromEntries(table.columns.map((c) => [c.name, valueAt(c, i)])))).join('\n') + '\n';
    }
    return { file: path.join(folder, `${dateOfDay(day)}.${format}`), contents };
  });
  return { files, summary: { count: days.length, first: dateOfDay(days[0]!), last: dateOfDay(days.at(-1)!) } };
}

/** The summary suggest.ts decides from: counts, distinct values, shape of numbers and times. */
export function summarize(c: Column, rows: number): ColumnSummary {
  const nulls = nullCount(c);
  const base = { name: c.name, type: c.type, rows, nulls };
  if (c.type === 'string') {
    const counts = new Int32Array(c.dictionary.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i]! >= 0) counts[c.codes[i]!]!++;
    const frequencies: Record<string, number> = {};
    c.dictionary.forEach((v, k) => {
      if (counts[k]! > 0) frequencies[v] = (frequencies[v] ?? 0) + counts[k]!;
    });
    return { ...base, distinct: Object.keys(frequencies).length, frequencies };
  }
  if (c.type === 'boolean') {
    let t = 0;
    let f = 0;
    for (let i = 0; i < c.values.length; i++) {
      if (c.nulls !== null && c.nulls[i] === 1) continue;
      if (c.values[i] === 1) t++;
      else f++;
    }
    const frequencies: Record<string, number> = {};
    if (t > 0) frequencies.true = t;
    if (f > 0) frequencies.false = f;
    return { ...base, distinct: Object.keys(frequencies).length, frequencies };
  }
  const values: number[] = [];
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i]!;
    if (Number.isFinite(v) && !(c.nulls !== null && c.nulls[i] === 1)) values.push(v);
  }
  const distinct = new Set(values).size;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (c.type === 'timestamp') {
    const days = new Set(values.map((v) => Math.floor(v / MS_PER_DAY)));
    return { ...base, distinct, time: { min, max, distinctDays: days.size, hasTimeOfDay: values.some((v) => v % MS_PER_DAY !== 0) } };
  }
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, n);
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  const skewness = m2 > 0 ? m3 / n / (m2 / n) ** 1.5 : 0;
  return { ...base, distinct, numeric: { min, max, integer: values.every((v) => Number.isInteger(v)), skewness } };
}
