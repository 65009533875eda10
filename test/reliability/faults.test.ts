/**
 * Fault injection: the compiled `ct` is killed (SIGKILL, nothing runs after it) at points
 * of train, evaluate, promote and rollback chosen by a seeded random generator among the
 * points it reaches (`CT_FAULT_TRACE`), or a write fails as on a full disk (`CT_FAULT=enospc@n`).
 *
 * Afterwards, once `ct registry check` has finished or undone the interrupted change, the
 * registry is exactly the old one or exactly the new one (every file, no leftovers), its
 * checksums verify, and running the same command again succeeds.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/train/random.js';
import { treeDigest } from '../helpers.js';
import { ct, LOOSE_LATENCY_MS, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from '../pipeline/repo.js';

const bin = path.join(root, 'bin/ct.js');
const MODEL = 'models/flight-delay';
const SEED = 20261126;

/** Runs ct with fault-injection settings; reports the signal that ended it, if any. */
function ctFault(cwd: string, args: string[], fault: Record<string, string>): { status: number | null; signal: string | null; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', ...fault } });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

/** The points a command reaches, in order: `[n, kind, name]`. */
function tracePoints(cwd: string, args: string[]): Array<{ n: number; kind: string; name: string }> {
  const trace = path.join(mkdtempSync(path.join(tmpdir(), 'ct-trace-')), 'points.txt');
  const r = ctFault(cwd, args, { CT_FAULT_TRACE: trace });
  expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
  return readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [n, kind, ...name] = line.split(' ');
      return { n: Number(n), kind: kind!, name: name.join(' ') };
    });
}

/** `count` distinct entries of `items`, chosen by the seeded generator. */
function pick<T>(items: readonly T[], count: number, seed: number): T[] {
  const random = mulberry32(seed);
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen;
}

/** A copy of a prepared repository, for one fault. */
function copyOf(repo: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-fault-'));
  cpSync(repo, dir, { recursive: true });
  return dir;
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n');

describe('SIGKILL and a full disk at seeded points: the registry is the old one or the new one', () => {
  /** A repository with production v1, and in out2/ a second candidate evaluated against it (gates pass). */
  let prepared: string;
  let oldRegistry: Record<string, string>;
  const stages = ['--config', 'seed7.yaml', '--out', 'out2'];

  beforeAll(() => {
    prepared = tempRepo(shippedPartitions().slice(-3));
    const config = smallConfig(3) as ReturnType<typeof smallConfig> & { gates: unknown };
    config.gates = [
      { metric: 'auc', lowerBound: 0.55 },
      { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.05 } },
    ];
    writeConfig(prepared, 'ct.config.yaml', config);
    expect(ct(prepared, ['run']).status).toBe(0);
    writeConfig(prepared, 'seed7.yaml', { ...config, training: { ...config.training, seed: 7 } });
    // For killing train and evaluate: the same model on fewer rows, fewer bootstrap draws, and
    // a gate any sound model passes (these tests are about faults, not quality).
    writeConfig(prepared, 'tiny.yaml', {
      ...config,
      training: { ...config.training, seed: 7, maxRows: 4000 },
      evaluation: { bootstrap: { samples: 100 }, infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } },
      gates: [{ metric: 'logLoss', upperBound: 5 }],
    });
    for (const stage of ['validate', 'train', 'evaluate']) expect([stage, ct(prepared, [stage, ...stages]).status]).toEqual([stage, 0]);
    oldRegistry = treeDigest(path.join(prepared, 'models'));
  }, 180_000);

  /**
   * The registry after the promotion of out2/: the old files unchanged except the two
   * that record it, one new version folder holding the candidate, production.json pointing
   * at it with the files' checksums, and one more history line. Nothing else.
   */
  function isNewRegistry(repo: string): boolean {
    const now = treeDigest(path.join(repo, 'models'));
    const added = Object.keys(now).filter((f) => !(f in oldRegistry));
    const version = added.find((f) => /^flight-delay\/[^/.]+\/$/.test(f))?.slice('flight-delay/'.length, -1);
    if (version === undefined) return false;
    const changed = Object.keys(oldRegistry).filter((f) => now[f] !== oldRegistry[f]);
    if (changed.sort().join() !== 'flight-delay/history.jsonl,flight-delay/production.json') return false;
    if (!added.every((f) => f.startsWith(`flight-delay/${version}/`))) return false;
    const pointer = JSON.parse(readFileSync(path.join(repo, MODEL, 'production.json'), 'utf8')) as { version: string; files: Record<string, string> };
    const candidate = JSON.parse(readFileSync(path.join(repo, 'out2/evaluation.json'), 'utf8')) as { candidate: { contentHash: string } };
    const history = lines(path.join(repo, MODEL, 'history.jsonl'));
    return (
      pointer.version === version &&
      Object.entries(pointer.files).every(([name, sum]) => now[`flight-delay/${version}/${name}`] === sum.replace('sha256:', '')) &&
      ['model.json', 'weights.bin', 'preprocessing.json'].every((f) => now[`flight-delay/${version}/${f}`] === treeDigest(path.join(repo, 'out2/model'))[f]) &&
      candidate.candidate.contentHash.startsWith('sha256:') &&
      history.length === lines(path.join(prepared, MODEL, 'history.jsonl')).length + 1 &&
      (JSON.parse(history.at(-1)!) as { version: string }).version === version
    );
  }

  /** The points `ct train --config tiny.yaml --out out3` reaches (traced once). */
  let trainTrace: ReturnType<typeof tracePoints> | undefined;
  let promoteTrace: ReturnType<typeof tracePoints> | undefined;
  /** The points `ct promote` of out2/ reaches (traced once). */
  const promotePoints = (): ReturnType<typeof tracePoints> => (promoteTrace ??= tracePoints(copyOf(prepared), ['promote', ...stages]));
  const trainPoints = (): ReturnType<typeof tracePoints> => (trainTrace ??= tracePoints(copyOf(prepared), ['train', '--config', 'tiny.yaml', '--out', 'out3']));

  const isOldRegistry = (repo: string): boolean => JSON.stringify(treeDigest(path.join(repo, 'models'))) === JSON.stringify(oldRegistry);

  it('ct promote killed at seeded points: registry check leaves old or new, and a rerun promotes', () => {
    const points = promotePoints();
    // The registry's own steps are among the points, in this order.
    expect(points.map((p) => p.name).filter((n) => n.startsWith('registry:'))).toEqual([
      'registry: change recorded',
      'registry: version staged',
      'registry: version in place',
      'registry: history written',
      'registry: production written',
    ]);
    const outcomes = new Set<string>();
    for (const point of pick(points, 4, SEED)) {
      const repo = copyOf(prepared);
      const killed = ctFault(repo, ['promote', ...stages], { CT_FAULT: `kill@${point.n}` });
      expect([point.name, killed.signal]).toEqual([point.name, 'SIGKILL']);

      const check = ct(repo, ['registry', 'check', '--json']);
      expect([point.name, check.status, check.stderr]).toEqual([point.name, 0, expect.not.stringMatching(/internal error|checksum mismatch/)]);
      const state = isOldRegistry(repo) ? 'old' : isNewRegistry(repo) ? 'new' : 'mixed';
      expect([point.name, state]).toEqual([point.name, expect.stringMatching(/^(old|new)$/)]);
      outcomes.add(state);

      const rerun = ct(repo, ['promote', ...stages, '--json']);
      expect([point.name, rerun.status]).toEqual([point.name, 0]);
      // Promoted now, or found already promoted by the completed change.
      expect(JSON.parse(rerun.stdout)).toMatchObject(state === 'old' ? { promoted: true } : { unchanged: true });
      expect([point.name, isNewRegistry(repo)]).toEqual([point.name, true]);
    }
    // The seeded points hit both sides of the commit point.
    expect([...outcomes].sort()).toEqual(['new', 'old']);
  }, 240_000);

  it('a promotion killed after its version folder is in place is completed by the next ct promote itself', () => {
    const repo = copyOf(prepared);
    const point = promotePoints().find((p) => p.name === 'registry: history written')!;
    expect(ctFault(repo, ['promote', ...stages], { CT_FAULT: `kill@${point.n}` }).signal).toBe('SIGKILL');
    // Killed between the history line and the pointer: production still says v1, and a reader sees v1.
    expect(existsSync(path.join(repo, MODEL, '.pending.json'))).toBe(true);
    const rerun = ct(repo, ['promote', ...stages, '--json']);
    expect(rerun.status).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ unchanged: true });
    expect(isNewRegistry(repo)).toBe(true);
  }, 60_000);

  it('ct rollback killed at seeded points: the old production or the rolled-back one, never a mix', () => {
    const promoted = copyOf(prepared);
    expect(ct(promoted, ['promote', ...stages]).status).toBe(0);
    const before = treeDigest(path.join(promoted, 'models'));
    const v1 = (JSON.parse(lines(path.join(promoted, MODEL, 'history.jsonl'))[0]!) as { version: string }).version;
    const points = tracePoints(copyOf(promoted), ['rollback', v1]);
    for (const point of pick(points, 1, SEED + 1)) {
      const repo = copyOf(promoted);
      expect([point.name, ctFault(repo, ['rollback', v1], { CT_FAULT: `kill@${point.n}` }).signal]).toEqual([point.name, 'SIGKILL']);
      expect(ct(repo, ['registry', 'check']).status).toBe(0);
      const now = treeDigest(path.join(repo, 'models'));
      const production = (JSON.parse(readFileSync(path.join(repo, MODEL, 'production.json'), 'utf8')) as { version: string }).version;
      if (production === v1) {
        // Rolled back: only the pointer and one history line changed.
        expect(
          Object.keys(now)
            .filter((f) => now[f] !== before[f])
            .sort(),
        ).toEqual(['flight-delay/history.jsonl', 'flight-delay/production.json']);
        expect(lines(path.join(repo, MODEL, 'history.jsonl'))).toHaveLength(lines(path.join(promoted, MODEL, 'history.jsonl')).length + 1);
      } else {
        expect([point.name, now]).toEqual([point.name, before]);
        expect(ct(repo, ['rollback', v1]).status).toBe(0);
      }
    }
  }, 120_000);

  it('ct train and ct evaluate killed mid-way leave the registry alone and no half candidate; a rerun succeeds', () => {
    const repo = copyOf(prepared);
    const trainArgs = ['train', '--config', 'tiny.yaml', '--out', 'out3'];
    const points = trainPoints();
    expect(points.some((p) => p.name.startsWith('train: epoch'))).toBe(true);
    for (const point of pick(points, 1, SEED + 2)) {
      expect([point.name, ctFault(repo, trainArgs, { CT_FAULT: `kill@${point.n}` }).signal]).toEqual([point.name, 'SIGKILL']);
      expect(isOldRegistry(repo)).toBe(true);
      // Either no candidate, or a whole one: never a model.json without its weights and records.
      const files = existsSync(path.join(repo, 'out3/model')) ? readdirSync(path.join(repo, 'out3/model')).sort() : [];
      expect([point.name, files.length === 0 || files.join() === 'model.json,preprocessing.json,statistics.json,training.json,weights.bin']).toEqual([
        point.name,
        true,
      ]);
    }
    expect(ct(repo, trainArgs).status).toBe(0);

    const evaluateArgs = ['evaluate', '--config', 'tiny.yaml', '--out', 'out3'];
    const evaluatePoints = tracePoints(copyOf(repo), evaluateArgs);
    for (const point of pick(evaluatePoints, 1, SEED + 3)) {
      expect([point.name, ctFault(repo, evaluateArgs, { CT_FAULT: `kill@${point.n}` }).signal]).toEqual([point.name, 'SIGKILL']);
      expect(isOldRegistry(repo)).toBe(true);
      // A promotion never acts on a half-written evaluation: it is whole JSON or absent.
      const file = path.join(repo, 'out3/evaluation.json');
      if (existsSync(file)) expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown).not.toThrow();
    }
    expect(ct(repo, evaluateArgs).status).toBe(0);
    expect(ct(repo, ['promote', '--config', 'tiny.yaml', '--out', 'out3']).status).toBe(0);
  }, 240_000);

  it('a full disk while writing the model or the registry: one line, exit 2, registry old or new, rerun succeeds', () => {
    const writes = promotePoints().filter((p) => p.kind === 'write');
    expect(writes.length).toBeGreaterThan(5);
    for (const point of pick(writes, 1, SEED + 4)) {
      const repo = copyOf(prepared);
      const full = ctFault(repo, ['promote', ...stages], { CT_FAULT: `enospc@${point.n}` });
      expect([point.name, full.status]).toEqual([point.name, 2]);
      expect(full.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ct: .*no space left on the device/)]);
      expect(ct(repo, ['registry', 'check']).status).toBe(0);
      expect([point.name, isOldRegistry(repo) || isNewRegistry(repo)]).toEqual([point.name, true]);
      expect(ct(repo, ['promote', ...stages]).status).toBe(0);
      expect(isNewRegistry(repo)).toBe(true);
    }

    const trainArgs = ['train', '--config', 'tiny.yaml', '--out', 'out3'];
    const weights = trainPoints().find((p) => p.kind === 'write' && p.name === 'write weights.bin')!;
    const repo = copyOf(prepared);
    const full = ctFault(repo, trainArgs, { CT_FAULT: `enospc@${weights.n}` });
    expect(full.status).toBe(2);
    // Training logs its progress on stderr; the error is one line, the last.
    const errors = full.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('ct: '));
    expect(errors).toEqual([expect.stringMatching(/^ct: cannot write model file .*weights\.bin: no space left on the device/)]);
    expect(full.stderr.trim().split('\n').pop()).toBe(errors[0]);
    expect(existsSync(path.join(repo, 'out3/model'))).toBe(false);
    expect(existsSync(path.join(repo, 'out3/model.partial'))).toBe(false);
    expect(isOldRegistry(repo)).toBe(true);
  }, 240_000);
});
