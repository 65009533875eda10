/**
 * Loading `ct.config.yaml`: parse YAML, check it against the JSON Schema, fill in
 * defaults, parse the label, and check what a schema cannot (cross-field rules).
 * Every problem becomes one `UserError` line naming the file and the field.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isNode, LineCounter, parseDocument, visit } from 'yaml';
import { isRemote } from '../data/remote.js';
import type { ColumnType } from '../data/table.js';
import { UserError } from '../errors.js';
import { computeMetrics, GUARD_METRICS, metricDirection } from '../evaluate/metrics.js';
import { applyLeg, describeLeg, type Leg, planLegs } from '../sweep/plan.js';
import { configSchema } from './schema.js';
import type { CtConfig, FeatureConfig, FeatureKind, LabelConfig, LabelOperator, LoadedConfig, SliceConfig } from './types.js';
import { findRepositoryRoot } from '../files.js';
import { isTimeZone } from '../time.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, discriminator: true, strict: false, verbose: true });
const validateSchema = ajv.compile(configSchema);

/**
 * Reads, checks and completes the config file at `file`. With `options.leg`, the
 * config of that leg of the file's sweep (its values set, then checked again).
 */
export function loadConfig(file: string, options: { leg?: string } = {}): LoadedConfig {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `config file not found: ${file}` : `cannot read config file ${file}: ${code}`);
  }
  const raw = parseYaml(file, bytes.toString('utf8'));
  let config = checkConfig(file, raw);
  // A sweep that cannot be planned is a config error, whatever the command.
  const legs = config.sweep === undefined ? [] : planLegs(config.sweep, file);
  let leg: Leg | undefined;
  if (options.leg !== undefined) {
    leg = legs.find((l) => l.id === options.leg);
    if (config.sweep === undefined) throw new UserError(`--leg ${options.leg}: ${file} has no sweep section`);
    if (leg === undefined) throw new UserError(`--leg ${options.leg}: the sweep of ${file} has ${legs.map((l) => l.id).join(', ')}`);
    config = checkConfig(`${file} (sweep ${leg.id}: ${describeLeg(leg)})`, applyLeg(raw as Record<string, unknown>, leg));
  }
  checkGateMetrics(file, config);
  const baseDir = path.dirname(path.resolve(file));
  checkPathsInside(file, config, baseDir);
  return {
    config,
    file,
    baseDir,
    hash: createHash('sha256').update(bytes).digest('hex'),
    ...(leg === undefined ? {} : { leg }),
  };
}

/** Tags of YAML's core schema: plain data. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function parseYaml(file: string, text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    const where = line === undefined ? file : `${file} line ${line}`;
    throw new UserError(`${where}: invalid YAML: ${first.message.split('\n')[0]}`);
  }
  // A config is data: a tag the core schema does not define (!!js/function, !!binary, !foo)
  // is refused, not kept as text or handed to a constructor.
  visit(doc, (_key, node) => {
    if (!isNode(node) || node.tag === undefined || PLAIN_TAGS.has(node.tag)) return;
    const line = node.range === undefined || node.range === null ? undefined : lineCounter.linePos(node.range[0]).line;
    const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    throw new UserError(`${line === undefined ? file : `${file} line ${line}`}: the YAML tag ${tag} is not allowed: a config holds plain values`);
  });
  let value: unknown;
  try {
    // The yaml package stops expanding aliases that would grow the document exponentially ("billion laughs").
    value = doc.toJS();
  } catch (error) {
    throw new UserError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (value === null || value === undefined) throw new UserError(`${file}: the config file is empty`);
  return value;
}

/**
 * Refuses a gate on a metric the task's evaluation does not compute: found when the config
 * is loaded, not after training. The names are those the evaluator computes (asked of it on
 * two rows, so they cannot drift from it) and the guard metrics.
 */
function checkGateMetrics(file: string, config: CtConfig): void {
  const preds = config.task === 'multiclass' ? Float32Array.of(0.8, 0.2, 0.2, 0.8) : Float32Array.of(0.2, 0.8);
  const metrics = [...Object.keys(computeMetrics(config.task, Float32Array.of(0, 1), preds, { threshold: 0.5, classes: 2 })), ...GUARD_METRICS];
  for (const [i, g] of config.gates.entries()) {
    if (!metrics.includes(g.metric))
      throw new UserError(`${file}: gates[${i}].metric: "${g.metric}" is not a metric of a ${config.task} model (${metrics.join(', ')})`);
  }
}

/**
 * Refuses `data.path`, `data.schema` and `registry.path` that resolve (symbolic links of
 * their existing part followed) outside the repository holding the config: a pull request
 * that edits the config must not make ct read or write files elsewhere on the runner.
 * URLs are exempt; so is `--data`, which the person running ct chose.
 */
function checkPathsInside(file: string, config: CtConfig, baseDir: string): void {
  // Outside a repository the paths must stay within the config's folder.
  const root = findRepositoryRoot(baseDir) ?? realpathSync(baseDir);
  const fields: Array<[string, string | undefined]> = [
    ['data.path', isRemote(config.data.path) ? undefined : config.data.path],
    ['data.schema', config.data.schema],
    ['registry.path', config.registry.path],
  ];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    const target = realTarget(path.resolve(baseDir, value), 0);
    const relative = path.relative(root, target);
    if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) continue;
    const hint = field === 'data.path' ? ' (for a batch elsewhere, use --data)' : '';
    throw new UserError(`${file}: ${field}: "${value}" resolves to ${target}, outside the repository ${root}${hint}`);
  }
}

/** `p` with every symbolic link of its existing part followed (dangling links too); the missing rest kept as written. */
function realTarget(p: string, depth: number): string {
  try {
    return realpathSync(p);
  } catch {
    // Missing (or a dangling link): resolve the parent, then this entry.
  }
  const parent = path.dirname(p);
  if (parent === p || depth > 40) return p;
  const realParent = realTarget(parent, depth + 1);
  let link: string | undefined;
  try {
    link = lstatSync(p).isSymbolicLink() ? readlinkSync(p) : undefined;
  } catch {
    link = undefined;
  }
  return link === undefined ? path.join(realParent, path.basename(p)) : realTarget(path.resolve(realParent, link), depth + 1);
}

/**
 * Checks a parsed config object and returns it completed with defaults.
 * `file` only names the source in error messages.
 */
export function checkConfig(file: string, raw: unknown): CtConfig {
  const data = structuredClone(raw);
  if (!validateSchema(data)) {
    throw new UserError(`${file}: ${describeSchemaError(validateSchema.errors ?? [])}`);
  }
  const c = data as Record<string, unknown> &
    Omit<CtConfig, 'label' | 'features'> & {
      label: string | Omit<LabelConfig, 'text'>;
      features: Array<Partial<FeatureConfig>>;
    };
  const label = parseLabel(file, c.label);
  const features = c.features.map((f, i) => completeFeature(file, f, i));
  const names = new Set<string>();
  features.forEach((f, i) => {
    if (names.has(f.name)) throw new UserError(`${file}: features[${i}].name: "${f.name}" is used twice`);
    names.add(f.name);
  });
  if (c.data.timezone !== undefined && !isTimeZone(c.data.timezone)) {
    throw new UserError(`${file}: data.timezone: "${c.data.timezone}" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)`);
  }
  if (c.data.split.method === 'hash') c.data.split.seed ??= 42;
  const w = c.data.window;
  if (w.newestDays !== undefined && (w.from !== undefined || w.to !== undefined)) {
    throw new UserError(`${file}: data.window: give either newestDays or from/to, not both`);
  }
  if (w.from !== undefined && w.to !== undefined && w.from > w.to) {
    throw new UserError(`${file}: data.window: from (${w.from}) is after to (${w.to})`);
  }
  // A history that may hold fewer days than a partition needs would never test one, without a word.
  const history = c.validation.history;
  if (history.maxDays < history.minDays) {
    throw new UserError(`${file}: validation.history.maxDays (${history.maxDays}) is below minDays (${history.minDays}): no partition would ever be tested`);
  }
  const evaluation = c.evaluation;
  const slices = evaluation.slices.map((sl, i) => completeSlice(file, sl, i));
  const sliceNames = new Set<string>();
  slices.forEach((sl, i) => {
    if (sliceNames.has(sl.name)) throw new UserError(`${file}: evaluation.slices[${i}].name: "${sl.name}" is used twice (give each slice its own name)`);
    sliceNames.add(sl.name);
  });
  for (const [i, g] of c.gates.entries()) {
    const where = `${file}: gates[${i}]`;
    if (g.lowerBound === undefined && g.upperBound === undefined && g.change === undefined && g.significance === undefined) {
      throw new UserError(`${where} (${g.metric}): set lowerBound, upperBound, change or significance`);
    }
    if (g.change !== undefined && g.change.absolute === undefined && g.change.relative === undefined) {
      throw new UserError(`${where}.change: set absolute or relative`);
    }
    if (g.significance !== undefined) {
      if (g.significance.direction === undefined && metricDirection(g.metric) === undefined) {
        throw new UserError(`${where}.significance.direction: "${g.metric}" has no natural direction; set higherIsBetter or lowerIsBetter`);
      }
      if (evaluation.bootstrap.samples === 0) throw new UserError(`${where}.significance: needs evaluation.bootstrap.samples > 0`);
      if (GUARD_METRICS.includes(g.metric)) throw new UserError(`${where}.significance: ${g.metric} is measured once, not per row; use lowerBound/upperBound`);
    }
    if (g.slice !== undefined) {
      const name = g.slice.includes('=') ? g.slice.slice(0, g.slice.indexOf('=')) : g.slice;
      if (!sliceNames.has(name)) {
        throw new UserError(
          `${where}.slice: "${g.slice}" names no slice of evaluation.slices${sliceNames.size > 0 ? ` (${[...sliceNames].join(', ')})` : ' (none is configured)'}`,
        );
      }
      if (GUARD_METRICS.includes(g.metric)) throw new UserError(`${where}.slice: ${g.metric} is measured for the whole model, not per slice`);
    }
  }
  return { ...c, label, features, evaluation: { ...evaluation, slices } };
}

function completeSlice(file: string, sl: Omit<SliceConfig, 'name'> & { name?: string }, i: number): SliceConfig {
  const where = `${file}: evaluation.slices[${i}]`;
  const ways = [sl.top, sl.values, sl.boundaries].filter((w) => w !== undefined).length;
  if (ways > 1) throw new UserError(`${where}: give one of top, values or boundaries`);
  if (sl.boundaries !== undefined) {
    for (let k = 1; k < sl.boundaries.length; k++) {
      if (!(sl.boundaries[k]! > sl.boundaries[k - 1]!)) throw new UserError(`${where}.boundaries: must be strictly ascending`);
    }
  }
  return { ...sl, name: sl.name ?? (sl.transform === undefined ? sl.column : `${sl.column}.${sl.transform}`) };
}

const LABEL_PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:(>=|<=|==|!=|>|<)\s*(.+?))?\s*$/;

/** Parses `delay > 15`, `species`, `status == "late"` or the object form. Never evaluates code. */
export function parseLabel(file: string, label: string | Omit<LabelConfig, 'text'>): LabelConfig {
  if (typeof label !== 'string') {
    if ((label.op === undefined) !== (label.value === undefined)) {
      throw new UserError(`${file}: label: give both op and value, or neither`);
    }
    const text = label.op === undefined ? label.column : `${label.column} ${label.op} ${JSON.stringify(label.value)}`;
    return { ...label, text };
  }
  const m = LABEL_PATTERN.exec(label);
  if (m === null) {
    throw new UserError(`${file}: label: "${label}" is not a column name or a comparison like "delay > 15"`);
  }
  const [, column, op, literal] = m;
  if (op === undefined || literal === undefined) return { column: column!, text: label.trim() };
  return { column: column!, op: op as LabelOperator, value: parseLiteral(file, label.trim(), literal), text: label.trim() };
}

/**
 * Why the comparison `label` cannot tell rows apart on a column of `type`: its value is of
 * another type (a string column compared with a number), so every row gets one class; null
 * when the types fit or the label is a column as it is.
 */
export function labelTypeMismatch(label: LabelConfig, type: ColumnType): string | null {
  if (label.op === undefined) return null;
  const value = typeof label.value;
  const fits = type === 'number' || type === 'timestamp' ? value === 'number' : type === 'boolean' ? value === 'boolean' : value === 'string';
  if (fits) return null;
  const given = value === 'number' ? 'a number' : value === 'boolean' ? 'true/false' : 'a string';
  return `"${label.text}" compares "${label.column}", a ${type} column, with ${given}: every row would get the same class`;
}

function parseLiteral(file: string, label: string, literal: string): number | string | boolean {
  if (literal === 'true' || literal === 'false') return literal === 'true';
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(literal);
  if (quoted !== null) return quoted[1] ?? quoted[2] ?? '';
  const n = Number(literal);
  if (literal.trim() !== '' && Number.isFinite(n)) return n;
  throw new UserError(`${file}: label: in "${label}", ${literal} is not a number, true/false or a quoted string`);
}

function completeFeature(file: string, f: Partial<FeatureConfig>, i: number): FeatureConfig {
  const where = `${file}: features[${i}]`;
  if (f.cross !== undefined) {
    if (f.column !== undefined) throw new UserError(`${where}: a cross names features in "cross", not a "column"`);
    // 'none' is the schema default every feature gets.
    if (f.transform !== undefined && f.transform !== 'cross' && f.transform !== 'none') throw new UserError(`${where}.transform: a cross takes no transform`);
    if (f.kind === 'numeric') throw new UserError(`${where}.kind: a cross is categorical`);
    return { ...f, name: f.name!, column: f.cross.join(' x '), transform: 'cross', kind: 'categorical', hashBuckets: f.hashBuckets ?? 1000 };
  }
  if (f.column === undefined) throw new UserError(`${where}.column: is required`);
  if (f.transform === 'cross') throw new UserError(`${where}.transform: cross needs "cross: [feature, feature]"`);
  const transform = f.transform ?? 'none';
  if (transform === 'bucketize') {
    if (f.boundaries === undefined) throw new UserError(`${where}.boundaries: bucketize needs boundaries`);
    for (let k = 1; k < f.boundaries.length; k++) {
      if (!(f.boundaries[k]! > f.boundaries[k - 1]!)) throw new UserError(`${where}.boundaries: must be strictly ascending`);
    }
  } else if (f.boundaries !== undefined) {
    throw new UserError(`${where}.boundaries: only used with transform: bucketize`);
  }
  const fixedCategorical = transform === 'hourOfDay' || transform === 'dayOfWeek' || transform === 'bucketize';
  const kind: FeatureKind | undefined = f.kind ?? (fixedCategorical ? 'categorical' : undefined);
  if (f.kind === 'numeric' && fixedCategorical && transform === 'bucketize') {
    throw new UserError(`${where}.kind: a bucketized feature is categorical`);
  }
  if ((kind === 'text' || kind === 'sequence') && transform !== 'none') throw new UserError(`${where}.transform: a ${kind} feature takes no transform`);
  if (kind !== 'text' && f.tokens !== undefined) throw new UserError(`${where}.tokens: only used with kind: text`);
  if (kind !== 'text' && kind !== 'sequence' && f.length !== undefined) throw new UserError(`${where}.length: only used with kind: text or sequence`);
  if (kind === 'sequence' && f.length === undefined) throw new UserError(`${where}.length: a sequence feature needs its length (numbers per row)`);
  if (kind === 'sequence' && f.embedding !== undefined)
    throw new UserError(`${where}.embedding: a sequence feature holds numbers, not ids; it has no embedding`);
  const { hashBuckets: _unused, ...rest } = f;
  return {
    ...rest,
    column: f.column,
    name: f.name ?? f.column.replace(/[^A-Za-z0-9_]/g, '_'),
    transform,
    // An unset kind is settled from the column type once the data is read (strings: categorical).
    ...(kind === undefined ? {} : { kind }),
    ...(kind === 'text' ? { tokens: f.tokens ?? 'words', length: f.length ?? (f.tokens === 'characters' ? 16 : 32) } : {}),
  };
}

/** One line from ajv's errors: the most specific one, with the field path in config terms. */
export function describeSchemaError(errors: readonly ErrorObject[]): string {
  // oneOf/anyOf wrappers say nothing a user can act on when a branch error exists.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const error = pickError(specific.length > 0 ? specific : errors);
  if (error === undefined) return 'invalid config';
  const field = fieldPath(error);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${joinField(field, String(p.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${joinField(field, String(p.additionalProperty))}: unknown field${suggest(error)}`;
    case 'enum':
      if (error.propertyName !== undefined)
        return `${joinField(field, error.propertyName)}: unknown key, must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      return `${field || '(top level)'}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${field}: must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      // A key of a map (propertyNames), not a value: name the key.
      if (error.propertyName !== undefined) return `${joinField(field, error.propertyName)}: unknown key, must match ${String(p.pattern)}`;
      return `${field || '(top level)'}: ${error.message ?? 'is invalid'}`;
    case 'discriminator': {
      const branches = (error.parentSchema as { oneOf?: Array<{ properties: Record<string, { const?: unknown }> }> }).oneOf ?? [];
      const allowed = branches.map((b) => JSON.stringify(b.properties[String(p.tag)]?.const)).join(', ');
      return `${joinField(field, String(p.tag))}: must be one of ${allowed}`;
    }
    default:
      return `${field || '(top level)'}: ${error.message ?? 'is invalid'}`;
  }
}

/** Prefer errors about the value itself over type errors of branches the value did not take. */
function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const rank = (e: ErrorObject): number => (e.keyword === 'type' ? 1 : 0) + (e.schemaPath.includes('oneOf') && e.keyword === 'type' ? 1 : 0);
  return [...errors].sort((a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length)[0];
}

function fieldPath(error: ErrorObject): string {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}

function joinField(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

/** "did you mean batchSize?" for a misspelt key, from the properties the schema allows there. */
function suggest(error: ErrorObject): string {
  const wrong = String((error.params as { additionalProperty: string }).additionalProperty).toLowerCase();
  const allowed = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
  const match = allowed.find((k) => k.toLowerCase() === wrong || editDistance(k.toLowerCase(), wrong) <= 2);
  return match === undefined ? ` (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})` : ` (did you mean ${match}?)`;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}
