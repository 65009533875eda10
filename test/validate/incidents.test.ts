/**
 * The incident corpus (bench/lib/incidents.js, measured at scale by `npm run bench -- incidents`)
 * on small real data: every kind of pipeline failure, put into the newest partition of a
 * folder of real days, must make `ct validate` exit 1 with an error anomaly, while the
 * clean version of the same day passes.
 *
 * Data: the shipped partitions 2001-02-01..02-28 (data/flights), every 11th row (about
 * 1,500 rows a day), as CSV. The newest day, 2001-02-28, is clean or carries one incident at
 * the kind's largest severity (the share of rows touched); the 27 days before it are
 * history. One production model is trained once (`ct run` on the 14 days before the newest
 * day) and copied into every repository: the label checks (a misaligned label keeps every value
 * real; the production model finds that each row fits its neighbour's label better than its
 * own — label_shift) and the model's input-domain checks need it; the other kinds are schema
 * or history findings.
 * All repositories share one history cache (`.ct/history`), filled by the clean run first.
 * The validations run in beforeAll, two at a time; each test reads its result.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { INCIDENTS, incidentFile, KINDS, parseCsv, type Row, seedOf, STANDARD, toCsv } from '../../bench/lib/incidents.js';
import { readTable } from '../../src/data/read.js';
import { valueAt } from '../../src/data/table.js';
import { LOOSE_LATENCY_MS } from '../pipeline/repo.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/ct.js');
const NEWEST = '2001-02-28';
const DAYS = Array.from({ length: 28 }, (_, i) => `2001-02-${String(i + 1).padStart(2, '0')}`);
const HISTORY = DAYS.slice(0, -1);
/** Every EVERY-th row of a day: about 1,500 of its 16,500. */
const EVERY = 11;
/**
 * Severity tested: the kind's largest (the bench measures every severity on full days), or
 * one where the kind's own check must decide: every row sent again would double the row count,
 * half a day stale repeats the day's own rows but for their labels (a tenth does not), and
 * every label joined from the day before breaks the label's relations (a tenth does not).
 */
const TESTED_SEVERITY: Record<string, number> = { corrections_appended: 0.1, stale_rows_mixed: 0.1, labels_from_previous_day: 0.1 };
const severityOf = (kind: string): number => TESTED_SEVERITY[kind] ?? Math.max(...INCIDENTS[kind]!.severities);
/**
 * Kinds ct does not stop here. label_shift at its largest severity slides every label of the
 * day by one row. The day's own airport-hour rates are then made of slid labels and cannot
 * judge; only the production model can, and one trained on this 1-in-11 sample knows too
 * little: its labels fit their own rows better than their neighbours' by 18 nats over the
 * whole day, within chance (the check needs 24, and more than the walk's chance excursion).
 * Stopped on full days by the incidents bench, and on real days without a model in
 * alignment.test.ts (a block of a tenth of the rows).
 * label_lost_airport and label_lost_evening write one airport's or the last hours' late
 * flights as on time. A group lacking a label value counts when at least 10 rows of it were
 * due at the share of the group's worst earlier day; in this sample an airport or an hour
 * holds about 90 rows and is due fewer, so their loss could be chance. Stopped on full days
 * by the incidents bench, and on small data by label-groups.test.ts.
 */
const NOT_YET_STOPPED = new Set(['label_shift', 'label_lost_airport', 'label_lost_evening']);

interface Outcome {
  kind: string;
  severity: number | null;
  description: string;
  status: number;
  errors: string[];
  warnings: string[];
  stderr: string;
}

function runCt(cwd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

async function dayRows(day: string): Promise<Row[]> {
  const table = await readTable(path.join(root, 'data/flights', `${day}.parquet`));
  const rows: Row[] = [];
  for (let i = 0; i < table.rowCount; i += EVERY) {
    const row: Row = {};
    for (const c of table.columns) {
      const v = valueAt(c, i);
      row[c.name] = c.name === 'date' && typeof v === 'string' ? v.slice(0, 16) : (v as string | number | null);
    }
    rows.push(row);
  }
  return rows;
}

/** 'stopped', or what ct did with the incident. */
function verdict(o: Outcome): string {
  if (o.status === 1 && o.errors.length > 0) return 'stopped';
  // A file that cannot be read at all is input that could not be used: one line naming it, exit 2 (the spec's contract).
  if (o.status === 2 && /^ct: .*2001-\d\d-\d\d\.csv/.test(o.stderr) && !o.stderr.includes('\n')) return 'stopped';
  return [
    `not stopped: ${o.kind} at severity ${o.severity} (${o.description}): exit ${o.status}`,
    ...o.errors.map((e) => `  error ${e}`),
    ...o.warnings.map((w) => `  warning ${w}`),
    ...(o.status === 0 || o.stderr === '' ? [] : [`  stderr: ${o.stderr}`]),
  ].join('\n');
}

describe('incident corpus: ct validate stops every kind in the newest partition', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'ct-incidents-'));
  const days = path.join(base, 'days');
  const history = path.join(base, 'history');
  const outcomes = new Map<string, Outcome>();
  let config = '';

  /** A repository: the config, the history days, the newest partition's bytes, the schema, the production registry. */
  function repo(name: string, newest: Buffer, models: string | null): string {
    const dir = path.join(base, name);
    const data = path.join(dir, 'data/flights');
    mkdirSync(data, { recursive: true });
    for (const day of HISTORY) copyFileSync(path.join(days, `${day}.csv`), path.join(data, `${day}.csv`));
    writeFileSync(path.join(data, `${NEWEST}.csv`), newest);
    copyFileSync(path.join(root, 'data/flights/schema.json'), path.join(data, 'schema.json'));
    writeFileSync(path.join(dir, 'ct.config.yaml'), config);
    if (models !== null) cpSync(models, path.join(dir, 'models'), { recursive: true });
    mkdirSync(path.join(dir, '.ct'), { recursive: true });
    symlinkSync(history, path.join(dir, '.ct/history'));
    return dir;
  }

  async function validate(kind: string, severity: number | null, description: string, newest: Buffer, models: string | null): Promise<Outcome> {
    const dir = repo(kind, newest, models);
    const r = await runCt(dir, ['validate', '--quiet']);
    const file = path.join(dir, 'out/validation.json');
    const anomalies: Array<{ kind: string; column: string | null; severity: string; message: string }> = existsSync(file)
      ? JSON.parse(readFileSync(file, 'utf8')).anomalies
      : [];
    const outcome: Outcome = {
      kind,
      severity,
      description,
      status: r.status,
      errors: anomalies.filter((a) => a.severity === 'error').map((a) => `${a.kind}: ${a.message}`),
      warnings: anomalies.filter((a) => a.severity !== 'error').map((a) => `${a.kind}: ${a.message}`),
      stderr: r.stderr.trim().split('\n').slice(-3).join('\n'),
    };
    rmSync(dir, { recursive: true, force: true });
    return outcome;
  }

  beforeAll(async () => {
    mkdirSync(days);
    mkdirSync(history);
    const rows = new Map<string, Row[]>();
    for (const day of DAYS) {
      rows.set(day, await dayRows(day));
      writeFileSync(path.join(days, `${day}.csv`), toCsv(rows.get(day)!));
    }
    // The shipped config, trained quickly on the small days; one loose gate so the first model is promoted on a busy machine.
    const c = parse(readFileSync(path.join(root, 'ct.config.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    c.training = { ...c.training, epochs: 2 };
    c.evaluation = { ...c.evaluation, bootstrap: { samples: 0 }, infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } };
    c.gates = [{ metric: 'auc', lowerBound: 0.5 }] as unknown as Record<string, unknown>;
    config = stringify(c);

    // The production model: ct run on the 14 clean days before the newest one.
    const production = path.join(base, 'production');
    const data = path.join(production, 'data/flights');
    mkdirSync(data, { recursive: true });
    for (const day of HISTORY) copyFileSync(path.join(days, `${day}.csv`), path.join(data, `${day}.csv`));
    copyFileSync(path.join(root, 'data/flights/schema.json'), path.join(data, 'schema.json'));
    writeFileSync(path.join(production, 'ct.config.yaml'), config);
    mkdirSync(path.join(production, '.ct'));
    symlinkSync(history, path.join(production, '.ct/history'));
    const trained = await runCt(production, ['run', '--quiet']);
    if (trained.status !== 0) throw new Error(`ct run for the production model failed (exit ${trained.status}):\n${trained.stderr}`);
    const models = path.join(production, 'models');

    const clean = rows.get(NEWEST)!;
    const previousDayRows = rows.get(HISTORY.at(-1)!)!;
    const twoWeeksBeforeRows = rows.get(HISTORY.at(-14)!)!;
    outcomes.set('clean', await validate('clean', null, `clean ${NEWEST}`, readFileSync(path.join(days, `${NEWEST}.csv`)), models));
    const queue = [...KINDS];
    const worker = async (): Promise<void> => {
      for (let kind = queue.shift(); kind !== undefined; kind = queue.shift()) {
        const severity = severityOf(kind);
        const made = incidentFile(kind, clean, { severity, seed: seedOf(kind, severity, NEWEST), previousDayRows, twoWeeksBeforeRows });
        outcomes.set(kind, await validate(kind, severity, made.description, made.bytes, models));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 600_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it(`the clean ${NEWEST} passes: exit 0, no error anomaly`, () => {
    const o = outcomes.get('clean')!;
    expect({ status: o.status, errors: o.errors, stderr: o.status === 0 ? '' : o.stderr }).toEqual({ status: 0, errors: [], stderr: '' });
  });

  it.each(KINDS.filter((kind) => !NOT_YET_STOPPED.has(kind)).map((kind) => [kind, severityOf(kind), INCIDENTS[kind]!.summary]))(
    '%s (severity %s: %s): stopped at validation (an error anomaly, or an unreadable file named in one line)',
    (kind) => {
      // On failure the received text says what ct did instead: the exit code, its last lines, the warnings it gave.
      expect(verdict(outcomes.get(String(kind))!)).toBe('stopped');
    },
  );

  it('delays capped at 60: the error names the value and the rows beside it', () => {
    const o = outcomes.get('delay_capped')!;
    expect(o.errors.find((e) => e.includes('share of rows holding one value'))).toMatch(/The value 60 is in [\d,]+ rows; beside it, 59 in [\d,]+ rows?\./);
  });

  it('corrections appended to a tenth of the rows: the error counts rows that repeat an earlier one but for the label', () => {
    const o = outcomes.get('corrections_appended')!;
    expect(o.errors).toEqual([expect.stringContaining('share of rows that repeat an earlier row in every column but the label, delay > 15')]);
  });

  it('origin and destination exchanged on every row: the production model scores the day better with them exchanged back', () => {
    const o = outcomes.get('origin_destination_swapped')!;
    expect(o.errors.find((e) => e.includes('look exchanged'))).toMatch(
      /columns "destination" and "origin" look exchanged: production \S+ scores auc 0\.\d+ on the day as delivered/,
    );
  });
});

describe('incident corpus: severities between the recorded ones (`--severities`)', () => {
  const rows: Row[] = Array.from({ length: 1_000 }, (_, i) => ({
    date: `2001-02-28T${String(i % 24).padStart(2, '0')}:00`,
    delay: (i % 90) - 20,
    distance: 300 + i,
    origin: 'ORD',
    destination: 'LGA',
  }));
  const options = (severity: number) => ({ severity, seed: 7, previousDayRows: rows, twoWeeksBeforeRows: rows });

  it('a kind graded by its share of rows takes any share: 2% of the rows negated are 20 rows', () => {
    expect(INCIDENTS.distance_negative!.severities).toBe(STANDARD);
    const made = incidentFile('distance_negative', rows, options(0.02));
    const written = parseCsv(made.bytes.toString('utf8'));
    expect(written).toHaveLength(1_000);
    expect(written.filter((r) => Number(r.distance) < 0)).toHaveLength(20);
  });

  it('a kind with levels of its own refuses any other: the share it was not built for', () => {
    const own = KINDS.find((k) => INCIDENTS[k]!.severities !== STANDARD && INCIDENTS[k]!.severities.every((s) => s !== 0.02))!;
    expect(() => incidentFile(own, rows, options(0.02))).toThrow(`${own}: severity 0.02 is not one of`);
    expect(() => incidentFile('distance_negative', rows, options(0))).toThrow('distance_negative: severity 0 is not one of');
  });
});
