/**
 * Determinism (issue 10): the same run twice gives the same artifacts byte for byte,
 * timestamps aside, kept in one field.
 *
 * Two temp repositories with the same partitions, config and commit (author and committer
 * dates fixed, so the commit id is the same) each run, at the same time, two stages of
 * `ct run`: the first on 3 days (cpu backend, seed 42: trains, evaluates with a rubber
 * stamp, promotes into models/), the second after an older partition is added and the
 * window grows to 4 days (evaluated against production with the paired bootstrap, DeLong,
 * McNemar and slices, promoted again) into `out-2/`. Then every file under `out/`,
 * `out-2/` and `models/` of one repository must equal its twin after this normalisation,
 * and nothing else:
 *
 * 1. JSON (`.json`, and each line of `.jsonl`): the top-level field `timing` (TIMING_FIELD:
 *    timestamps, durations, samples/s, measured latency) is removed; in the registry's own
 *    files the timestamp field is `promotedAt` (production.json) and `at` (history.jsonl
 *    lines), removed likewise. A file (line) with such a field must be in the canonical
 *    form ct writes (`JSON.stringify(value, null, 2)` and a newline; one `JSON.stringify`
 *    per line), so comparing the re-serialised rest compares the bytes; one without it
 *    (model.json, preprocessing.json, statistics.json, validation.json, ...) is compared as it is.
 * 2. Markdown: the lines from `TIMING_MARKDOWN.start` through `TIMING_MARKDOWN.end` (the
 *    body of a report's last section, "Timing") are removed; a report has at most one.
 * 3. Version ids (`20010228T120501Z-3fa9c2d1`, in folder names and in text) become
 *    `<version N>`, N in promotion order. The time part is the promotion time; the hash part
 *    is the registry's hash over all files of the version, `training.json` and
 *    `evaluation.json` with their `timing` included, so it differs with them: it is checked
 *    to be the hash of its folder, whose files are compared one by one.
 * 4. A checksum (`sha256:<64 hex>`) or content hash of a file or model folder that holds a
 *    `timing` field or block (production.json's checksums of evaluation.json, the candidate's
 *    content hash in evaluation.json, ...) becomes `<sha256 of PATH>`: the same bytes in
 *    either run once normalised, and the file itself is compared. Every other digest (of
 *    the weights, the data fingerprints) is compared as it is.
 *
 * The model weights must be byte-identical: training on the cpu backend is seeded
 * (initializers, shuffling, holdout and sampling) and single-threaded.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hashFiles } from '../../src/registry/registry.js';
import { MODEL_FILES, TIMING_FIELD, TIMING_MARKDOWN } from '../../src/artifacts.js';
import { type Config, LOOSE_LATENCY_MS, root, runNode, shippedPartitions, smallConfig, tempRepo, writeConfig } from '../pipeline/repo.js';

const bin = path.join(root, 'bin/ct.js');
const MODEL = 'flight-delay';
const VERSION = /\b\d{8}T\d{6}Z-[0-9a-f]{8}\b/g;
const DIGEST = /sha256:[0-9a-f]{64}/g;
/** Fixed commit dates: the same files and message then give the same commit id in both repositories. */
const GIT_DATES = { GIT_AUTHOR_DATE: '2001-03-01T00:00:00Z', GIT_COMMITTER_DATE: '2001-03-01T00:00:00Z' };

/** smallConfig (its latency bounds a loaded machine cannot trip: latency is measured, not decided by the seed), with `gates` if given. */
function config(days: number, gates?: unknown[]): Config {
  const c = smallConfig(days);
  if (gates !== undefined) c.gates = gates;
  return c;
}

/** A temp repository of `partitions` with `config(days)`, committed at a fixed date. */
function repository(partitions: readonly string[]): string {
  const repo = tempRepo(partitions);
  writeConfig(repo, 'ct.config.yaml', config(partitions.length));
  const git = (args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, env: { ...process.env, ...GIT_DATES } });
  git(['add', '.']);
  git(['commit', '-q', '--amend', '--no-edit', '--reset-author']);
  return repo;
}

function ctRun(repo: string, args: string[]) {
  return runNode(bin, ['run', ...args], { cwd: repo, env: { ...process.env, CI: 'true' } });
}

/** Files under `dir` (recursively), relative, with `/`. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = `${prefix}${e.name}`;
    return e.isDirectory() ? filesUnder(path.join(dir, e.name), `${rel}/`) : [rel];
  });
}

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Rule 1: the timing field of a JSON value (the registry's: `promotedAt`, `at`), if it has one. */
function timingKey(rel: string, value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const key = rel.endsWith('/production.json') ? 'promotedAt' : rel.endsWith('/history.jsonl') ? 'at' : TIMING_FIELD;
  return key in value ? key : null;
}

/** Rule 1 on one JSON text: unchanged without a timing field, else re-serialised without it (after checking it is canonical). */
function jsonWithoutTiming(rel: string, text: string, indent: number | undefined): string {
  const value = JSON.parse(text) as Record<string, unknown>;
  const key = timingKey(rel, value);
  if (key === null) return text;
  const canonical = (v: unknown): string => `${JSON.stringify(v, null, indent)}${indent === undefined ? '' : '\n'}`;
  expect({ rel, canonical: text === canonical(value) }).toEqual({ rel, canonical: true });
  return canonical(Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)));
}

/** Rules 1 and 2: the file's bytes without what the clock and the machine decide. */
function stripTiming(rel: string, raw: Buffer): Buffer | string {
  const text = raw.toString('utf8');
  if (rel.endsWith('.json')) return jsonWithoutTiming(rel, text, 2);
  if (rel.endsWith('.jsonl')) return text.replace(/^.+$/gm, (line) => jsonWithoutTiming(rel, line, undefined));
  if (rel.endsWith('.md')) {
    const lines = text.split('\n');
    const start = lines.indexOf(TIMING_MARKDOWN.start);
    if (start < 0) return text;
    const end = lines.indexOf(TIMING_MARKDOWN.end, start);
    expect({ rel, end: end > start, oneBlock: lines.indexOf(TIMING_MARKDOWN.start, start + 1) < 0 }).toEqual({ rel, end: true, oneBlock: true });
    return [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n');
  }
  return raw;
}

/** Every artifact of `repo` (out/, out-2/, models/), normalised by rules 1-4: path -> bytes or text; and the files that held timing. */
function normalisedArtifacts(repo: string): { files: Map<string, Buffer | string>; holdsTiming: Set<string> } {
  const rels = ['out', 'out-2', 'models'].flatMap((d) => filesUnder(path.join(repo, d), `${d}/`)).sort();
  // Rule 3: versions in promotion order (their ids sort by time), each checked against its folder.
  const registry = path.join(repo, 'models', MODEL);
  const versions = readdirSync(registry, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const versionNames = new Map<string, string>();
  for (const [i, version] of versions.entries()) {
    expect(version).toMatch(new RegExp(`^${VERSION.source}$`));
    const dir = path.join(registry, version);
    const files = Object.fromEntries(readdirSync(dir).map((name) => [name, path.join(dir, name)]));
    expect(hashFiles(files).slice('sha256:'.length, 'sha256:'.length + 8)).toBe(version.slice(-8));
    versionNames.set(version, `<version ${i + 1}>`);
  }
  const renameVersions = (text: string): string =>
    text.replace(VERSION, (v) => {
      expect(versionNames.has(v)).toBe(true);
      return versionNames.get(v)!;
    });

  // Rule 4: digests of files and model folders that hold timing.
  const stripped = new Map<string, Buffer | string>();
  const digests = new Map<string, string>();
  const holdsTiming = new Set<string>();
  for (const rel of rels) {
    const raw = readFileSync(path.join(repo, rel));
    const rest = stripTiming(rel, raw);
    const name = renameVersions(rel);
    stripped.set(name, rest);
    if (!(typeof rest === 'string' ? Buffer.from(rest) : rest).equals(raw)) {
      holdsTiming.add(rel);
      if (!digests.has(sha256(raw))) digests.set(sha256(raw), `<sha256 of ${name}>`);
    }
  }
  const modelDirs = [...new Set(rels.filter((r) => r.endsWith('/model.json')).map((r) => path.posix.dirname(r)))];
  for (const dir of modelDirs) {
    const files = Object.fromEntries(MODEL_FILES.map((name) => [name, path.join(repo, dir, name)]));
    if (MODEL_FILES.some((name) => holdsTiming.has(`${dir}/${name}`)) && !digests.has(hashFiles(files)))
      digests.set(hashFiles(files), `<sha256 of ${renameVersions(dir)}/>`);
  }

  const out = new Map<string, Buffer | string>();
  for (const [name, rest] of stripped) {
    out.set(name, typeof rest === 'string' ? renameVersions(rest).replace(DIGEST, (d) => digests.get(d) ?? d) : rest);
  }
  return { files: out, holdsTiming };
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(a: Buffer | string, b: Buffer | string): string {
  if (typeof a !== 'string' || typeof b !== 'string') return `binary files differ (${a.length} vs ${b.length} bytes)`;
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((line, k) => line !== lb[k]);
  return `line ${(i < 0 ? la.length : i) + 1}: ${JSON.stringify(la[i] ?? '')} vs ${JSON.stringify(lb[i < 0 ? la.length : i] ?? '')}`;
}

describe('ct run is deterministic', () => {
  const days = shippedPartitions();
  const repos = [repository(days.slice(-3)), repository(days.slice(-3))];

  it('two runs on the same inputs write the same artifacts, apart from timing, both stages', async () => {
    const started = performance.now();
    // Stage 1: first model, rubber stamp, promoted.
    const first = await Promise.all(repos.map((repo) => ctRun(repo, [])));
    for (const r of first) expect(`exit ${r.status}\n${r.stderr}`).toMatch(/^exit 0\n/);

    // Stage 2: an older day arrives and the window grows; gates loose enough that the new model is promoted.
    for (const repo of repos) {
      cpSync(path.join(root, 'data/flights', days.at(-4)!), path.join(repo, 'data/flights', days.at(-4)!));
      writeConfig(
        repo,
        'ct.config.yaml',
        config(4, [
          { metric: 'auc', lowerBound: 0.5 },
          { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.5 } },
          { metric: 'auc', slice: 'origin', change: { direction: 'higherIsBetter', absolute: -1 } },
          { metric: 'latencyP95Ms', upperBound: LOOSE_LATENCY_MS },
        ]),
      );
    }
    const second = await Promise.all(repos.map((repo) => ctRun(repo, ['--out', 'out-2'])));
    for (const r of second) expect(`exit ${r.status}\n${r.stderr}`).toMatch(/^exit 0\n/);
    const evaluation = JSON.parse(readFileSync(path.join(repos[0]!, 'out-2/evaluation.json'), 'utf8'));
    expect(evaluation).toMatchObject({ rubberStamp: false, bootstrap: { samples: 1000 } });
    expect(evaluation.tests.deLong).not.toBeNull();
    expect(evaluation[TIMING_FIELD].latency.candidate.latencyP95Ms).toBeGreaterThan(0);

    const [{ files: a, holdsTiming }, { files: b }] = repos.map(normalisedArtifacts) as [
      ReturnType<typeof normalisedArtifacts>,
      ReturnType<typeof normalisedArtifacts>,
    ];
    const names = [...a.keys()];
    // The rules are not vacuous: these files hold a timing field or block (and need them removed).
    expect([...holdsTiming]).toEqual(
      expect.arrayContaining([
        'out/model/training.json',
        'out/evaluation.json',
        'out/evaluation.md',
        'out/training.md',
        'out/MODEL_CARD.md',
        'models/flight-delay/production.json',
      ]),
    );
    // The comparison covers every artifact of both stages, the weights first of all.
    for (const expected of [
      'out/model/weights.bin',
      'out/model/model.json',
      'out/model/training.json',
      'out/model/statistics.json',
      'out/model/preprocessing.json',
      'out/validation.json',
      'out/evaluation.json',
      'out/evaluation.md',
      'out/MODEL_CARD.md',
      'out/training.md',
      'out/promotion.json',
      'out-2/model/weights.bin',
      'out-2/evaluation.json',
      'out-2/validation.json',
      'models/flight-delay/<version 1>/weights.bin',
      'models/flight-delay/<version 2>/training.json',
      'models/flight-delay/<version 2>/evaluation.json',
      `models/flight-delay/production.json`,
      `models/flight-delay/history.jsonl`,
    ]) {
      expect(names).toContain(expected);
    }
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect([...b.keys()]).toEqual(names);
    const differences = names.filter(
      (n) => !(typeof a.get(n) === 'string' ? a.get(n) === b.get(n) : Buffer.compare(a.get(n) as Buffer, b.get(n) as Buffer) === 0),
    );
    expect(differences.map((n) => `${n}: ${firstDifference(a.get(n)!, b.get(n)!)}`)).toEqual([]);

    // Nothing names where the repository lives, timing included.
    for (const [i, repo] of repos.entries()) {
      for (const rel of ['out', 'out-2', 'models'].flatMap((d) => filesUnder(path.join(repo, d), `${d}/`))) {
        if (rel.endsWith('.bin')) continue;
        expect({ rel, absolute: readFileSync(path.join(repos[i]!, rel), 'utf8').includes(repo) }).toEqual({ rel, absolute: false });
      }
    }
    // The two registries are real twins: the same weights behind both production pointers.
    const pointer = (repo: string) => JSON.parse(readFileSync(path.join(repo, 'models', MODEL, 'production.json'), 'utf8'));
    expect(pointer(repos[0]!).files['weights.bin']).toBe(pointer(repos[1]!).files['weights.bin']);
    expect(statSync(path.join(repos[0]!, 'out/model/weights.bin')).size).toBeGreaterThan(100_000);
    process.stderr.write(`determinism: ${names.length} files compared; two stages in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }, 600_000);
});
