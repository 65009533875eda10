/** The registry side of promotion and rollback, and checksum verification for `ct verify`. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import { notPromoted, publishCandidate, rollbackOnBranch, Unchanged, versionFolder } from '../../src/registry/promotion.js';
import { checkRecordedChecksums, modelDir, type Provenance, readProduction } from '../../src/registry/registry.js';

const by: Provenance = { pullRequest: null, branch: null, commit: null, run: null };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ct-promotion-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A candidate folder whose weights are `weights` and whose lineage is `run`. */
function candidate(name: string, weights: string, run = name): Record<string, string> {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  const contents: Record<string, string> = { 'model.json': '{}', 'weights.bin': weights, 'preprocessing.json': '{}', 'training.json': run };
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(contents)) {
    files[file] = path.join(folder, file);
    writeFileSync(files[file], text);
  }
  return files;
}

function publish(files: Record<string, string>, evaluatedAgainst: string | null, when: Date, where = ''): { version: string; previous: string | null } {
  return publishCandidate({ registry: path.join(dir, 'models'), model: 'm', candidate: files, files, evaluatedAgainst, when, by, where });
}

test('notPromoted lists the record fields in a fixed order, nothing changed', () => {
  expect(Object.keys(notPromoted('m', null))).toEqual([
    'promoted',
    'unchanged',
    'model',
    'version',
    'dir',
    'previous',
    'reason',
    'pullRequest',
    'branch',
    'commit',
  ]);
  expect(notPromoted('m', 'v1')).toMatchObject({ promoted: false, unchanged: false, model: 'm', version: 'v1', reason: '' });
});

test('publishCandidate publishes, refuses a stale evaluation, and reports the same model as unchanged', () => {
  const first = publish(candidate('a', 'w1'), null, new Date('2001-01-01T00:00:00Z'));
  expect(first.previous).toBeNull();
  expect(readProduction(path.join(dir, 'models'), 'm')?.version).toBe(first.version);

  // Same weights and preprocessing, other lineage: nothing to promote.
  expect(() => publish(candidate('b', 'w1', 'other run'), first.version, new Date('2001-01-02T00:00:00Z'))).toThrow(Unchanged);
  // Evaluated against no production model, but there is one now.
  expect(() => publish(candidate('c', 'w2'), null, new Date('2001-01-03T00:00:00Z'), ' on main')).toThrow(
    new UserError(
      `production on main is ${first.version} but the candidate was evaluated against no production model: run \`ct evaluate\` again before promoting`,
    ),
  );
  const second = publish(candidate('d', 'w2'), first.version, new Date('2001-01-04T00:00:00Z'));
  expect(second.previous).toBe(first.version);
  expect(versionFolder(path.join(dir, 'models'), 'm', second.version)).toBe(
    path.relative(process.cwd(), path.join(modelDir(path.join(dir, 'models'), 'm'), second.version)),
  );
});

test('rollbackOnBranch rolls back, and says unchanged when the version already is production', () => {
  const registry = path.join(dir, 'models');
  const first = publish(candidate('a', 'w1'), null, new Date('2001-01-01T00:00:00Z'));
  const second = publish(candidate('b', 'w2'), first.version, new Date('2001-01-02T00:00:00Z'));
  expect(() => rollbackOnBranch(registry, 'm', second.version, by, ' on main')).toThrow(Unchanged);
  expect(rollbackOnBranch(registry, 'm', first.version, by, ' on main')).toEqual({ version: first.version, previous: second.version });
  expect(readProduction(registry, 'm')?.version).toBe(first.version);
});

test('checkRecordedChecksums: matching files, a changed file, a version nothing records', () => {
  const registry = path.join(dir, 'models');
  const first = publish(candidate('a', 'w1'), null, new Date('2001-01-01T00:00:00Z'));
  const pointer = readProduction(registry, 'm');
  expect(checkRecordedChecksums(registry, 'm', first.version, pointer)).toEqual({
    dir: path.join(modelDir(registry, 'm'), first.version),
    message: '4 files match their recorded sha256',
  });
  expect(checkRecordedChecksums(registry, 'm', 'nope', pointer)).toEqual({
    dir: null,
    message: 'no checksums of nope are recorded in production.json or history.jsonl',
  });
  writeFileSync(path.join(modelDir(registry, 'm'), first.version, 'weights.bin'), 'tampered');
  const tampered = checkRecordedChecksums(registry, 'm', first.version, pointer);
  expect(tampered.dir).toBeNull();
  expect(tampered.message).toMatch(/^registry: checksum mismatch for .*weights\.bin: production\.json says sha256:/);
});
