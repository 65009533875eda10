/**
 * A registry is files a pull request can change: names in production.json, history.jsonl
 * and .pending.json that leave the registry, and symbolic links, are refused before
 * anything is read, verified or deleted by them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import { publishCandidate } from '../../src/registry/promotion.js';
import { type Provenance, readHistory, readProduction, recoverRegistry, rollbackTo, verifiedProductionDir } from '../../src/registry/registry.js';
import { expectUserError } from '../helpers.js';

const by: Provenance = { pullRequest: null, branch: null, commit: null, run: null };
let dir: string;
let registry: string;
let version: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ct-hostile-'));
  registry = path.join(dir, 'repo', 'models');
  const folder = path.join(dir, 'candidate');
  mkdirSync(folder);
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries({ 'model.json': '{}', 'weights.bin': 'honest weights', 'preprocessing.json': '{}', 'training.json': '{}' })) {
    files[name] = path.join(folder, name);
    writeFileSync(files[name], text);
  }
  version = publishCandidate({
    registry,
    model: 'm',
    candidate: files,
    files,
    evaluatedAgainst: null,
    when: new Date(Date.UTC(2001, 1, 1)),
    by,
    where: '',
  }).version;
  // Something outside the registry an attacker would like read or removed.
  mkdirSync(path.join(dir, 'victim'));
  writeFileSync(path.join(dir, 'victim', 'weights.bin'), 'victim');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pointerFile = (): string => path.join(registry, 'm', 'production.json');
const editPointer = (change: (p: Record<string, unknown>) => void): void => {
  const pointer = JSON.parse(readFileSync(pointerFile(), 'utf8')) as Record<string, unknown>;
  change(pointer);
  writeFileSync(pointerFile(), JSON.stringify(pointer));
};

test('an honest registry reads and verifies', () => {
  const pointer = readProduction(registry, 'm')!;
  expect(pointer.version).toBe(version);
  expect(existsSync(verifiedProductionDir(registry, pointer))).toBe(true);
});

test.each([
  ['a version that climbs out', (p: Record<string, unknown>) => (p.version = '../../victim'), /version "\.\.\/\.\.\/victim" is not a plain name/],
  ['an absolute version', (p: Record<string, unknown>) => (p.version = path.join(tmpdir(), 'x')), /version ".*" is not a plain name/],
  ['a hidden version', (p: Record<string, unknown>) => (p.version = '.staging-x'), /version "\.staging-x" is not a plain name/],
  [
    'a file name with a path',
    (p: Record<string, unknown>) => (p.files = { '../../../victim/weights.bin': 'sha256:' + '0'.repeat(64) }),
    /file name ".*victim\/weights\.bin" is not a plain name/,
  ],
  ['a checksum that is not one', (p: Record<string, unknown>) => (p.files = { 'weights.bin': 'anything' }), /checksum of weights\.bin is not sha256/],
  ['another model', (p: Record<string, unknown>) => (p.model = 'other'), /names the model "other", not m/],
])('production.json with %s is refused', (_name, change, message) => {
  editPointer(change);
  expectUserError(() => readProduction(registry, 'm'), message);
});

test('a history line whose version leaves the registry is refused', () => {
  const file = path.join(registry, 'm', 'history.jsonl');
  const line = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
  writeFileSync(file, `${readFileSync(file, 'utf8')}${JSON.stringify({ ...line, version: '../../victim' })}\n`);
  expectUserError(() => readHistory(registry, 'm'), /history\.jsonl line 2: version "\.\.\/\.\.\/victim" is not a plain name/);
});

test('a symbolic link in the version folder is refused even when its target matches the checksum', () => {
  const weights = path.join(registry, 'm', version, 'weights.bin');
  // The same bytes outside the registry, linked in: the checksum would match.
  writeFileSync(path.join(dir, 'victim', 'weights.bin'), readFileSync(weights));
  rmSync(weights);
  symlinkSync(path.join(dir, 'victim', 'weights.bin'), weights);
  expectUserError(() => verifiedProductionDir(registry, readProduction(registry, 'm')!), /weights\.bin is a symbolic link/);
});

test('a linked model folder is refused', () => {
  // The model folder moved out of the registry and linked back in.
  const real = path.join(dir, 'elsewhere');
  const model = path.join(registry, 'm');
  mkdirSync(real);
  for (const name of ['production.json', 'history.jsonl']) writeFileSync(path.join(real, name), readFileSync(path.join(model, name)));
  rmSync(model, { recursive: true });
  symlinkSync(real, model);
  expectUserError(() => verifiedProductionDir(registry, readProduction(registry, 'm')!), /registry.* is a symbolic link/);
});

test('recovery refuses a pending record that would delete outside the registry, and deletes nothing', () => {
  const pending = path.join(registry, 'm', '.pending.json');
  const entry = {
    action: 'promote',
    model: 'm',
    version: '../../victim',
    previous: null,
    at: '2001-02-01T00:00:00.000Z',
    files: { 'weights.bin': 'sha256:' + '0'.repeat(64) },
    by,
  };
  writeFileSync(pending, JSON.stringify({ entry, staging: null }));
  expect(() => recoverRegistry(registry, 'm')).toThrow(UserError);
  expect(readFileSync(path.join(dir, 'victim', 'weights.bin'), 'utf8')).toBe('victim');

  writeFileSync(pending, JSON.stringify({ entry: { ...entry, version: 'v2' }, staging: '../../victim' }));
  expectUserError(() => recoverRegistry(registry, 'm'), /staging "\.\.\/\.\.\/victim" is not a staging folder/);
  expect(existsSync(path.join(dir, 'victim'))).toBe(true);
});

test("a later history line cannot replace the checksums a version was promoted with: rollback checks the promotion's", () => {
  // A second version, so the first can be rolled back to.
  const folder = path.join(dir, 'candidate2');
  mkdirSync(folder);
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries({ 'model.json': '{}', 'weights.bin': 'newer weights', 'preprocessing.json': '{}', 'training.json': '{}' })) {
    files[name] = path.join(folder, name);
    writeFileSync(files[name], text);
  }
  publishCandidate({ registry, model: 'm', candidate: files, files, evaluatedAgainst: version, when: new Date(Date.UTC(2001, 1, 2)), by, where: '' });
  // The first version's weights swapped, and a forged line appended that records their checksum.
  writeFileSync(path.join(registry, 'm', version, 'weights.bin'), 'backdoored weights');
  const history = path.join(registry, 'm', 'history.jsonl');
  const first = readHistory(registry, 'm')[0]!;
  const forged = {
    ...first,
    action: 'rollback',
    at: '2001-02-03T00:00:00.000Z',
    files: { ...first.files, 'weights.bin': `sha256:${createHash('sha256').update('backdoored weights').digest('hex')}` },
  };
  writeFileSync(history, `${readFileSync(history, 'utf8')}${JSON.stringify(forged)}\n`);
  expectUserError(() => rollbackTo(registry, 'm', version), /checksum mismatch for .*weights\.bin: history\.jsonl says sha256:/);
});
