/**
 * The pure parts of `ct init`'s file plan: the README and `.gitignore` updates, the
 * repository-relative paths, and `--partition`'s daily files.
 */
import path from 'node:path';
import { inside, rel, withIgnored, withReadmeSection } from '../../src/init/files.js';
import { onlyTimestamp, partitionTable } from '../../src/init/partition.js';
import { README_MARKER } from '../../src/init/render.js';
import { expectUserError, numberColumn, stringColumn, tableOf } from '../helpers.js';

const DAY = 86_400_000;

test('the README: a new one titled with the model, an existing one with the section appended, an earlier ct section replaced', () => {
  const section = `${README_MARKER}\n## ct\n`;
  expect(withReadmeSection(undefined, 'flights', section)).toEqual({ text: `# flights\n\n${section}`, replacing: false });
  expect(withReadmeSection('# Mine\n\nText.\n\n\n', 'flights', section)).toEqual({ text: `# Mine\n\nText.\n\n${section}`, replacing: false });
  expect(withReadmeSection(`# Mine\n\n${README_MARKER}\nold section\n`, 'flights', section)).toEqual({ text: `# Mine\n\n${section}`, replacing: true });
});

test('.gitignore: out/, .ct/ and node_modules/ added when missing, in any spelling ct recognises; null when all are there', () => {
  expect(withIgnored('')).toBe('out/\n.ct/\nnode_modules/\n');
  expect(withIgnored('dist')).toBe('dist\nout/\n.ct/\nnode_modules/\n');
  expect(withIgnored('/out\n.ct/\n')).toBe('/out\n.ct/\nnode_modules/\n');
  expect(withIgnored('out/\n/.ct\nnode_modules\n')).toBeNull();
  // "xct" is not ".ct": the dot is literal.
  expect(withIgnored('out\nxct\nnode_modules\n')).toBe('out\nxct\nnode_modules\n.ct/\n');
});

test('paths: repository-relative with forward slashes; inside means strictly below the root', () => {
  const root = path.resolve('/repo');
  expect(rel(root, path.join(root, 'data', 'x.csv'))).toBe('data/x.csv');
  expect([
    inside(root, path.join(root, 'data')),
    inside(root, root),
    inside(root, path.resolve('/elsewhere')),
    inside(root, path.resolve('/repo-2/x')),
  ]).toEqual([true, false, false, false]);
});

test('--partition: rows grouped by UTC day into daily files in order; the timestamp column found or refused', () => {
  const t = [2 * DAY + 5, 1 * DAY, 2 * DAY + 7, 1 * DAY + 3];
  const table = tableOf([numberColumn('at', t, 'timestamp'), stringColumn('city', ['a', 'b,c', 'd', 'e'])]);
  expect(onlyTimestamp(table)).toBe('at');
  const csv = partitionTable(table, 'at', '/repo/data/x', 'csv');
  expect(csv.summary).toEqual({ count: 2, first: '1970-01-02', last: '1970-01-03' });
  expect(csv.files.map((f) => f.file)).toEqual([path.join('/repo/data/x', '1970-01-02.csv'), path.join('/repo/data/x', '1970-01-03.csv')]);
  expect(csv.files[0]!.contents).toBe('at,city\n1970-01-02T00:00:00.000Z,"b,c"\n1970-01-02T00:00:00.003Z,e\n');
  const jsonl = partitionTable(table, 'at', '/repo/data/x', 'jsonl');
  expect(
    (jsonl.files[1]!.contents as string)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).city),
  ).toEqual(['a', 'd']);

  expectUserError(() => partitionTable(table, 'when', '/f', 'csv'), '--timestamp: column "when" is not in the data');
  expectUserError(() => partitionTable(table, 'city', '/f', 'csv'), '--timestamp: column "city" is string, expected timestamps');
  expectUserError(
    () => partitionTable(tableOf([numberColumn('at', [DAY, null], 'timestamp')]), 'at', '/f', 'csv'),
    '--partition: row 2 has no "at"; every row needs a time to go into a daily file',
  );
  expectUserError(() => onlyTimestamp(tableOf([numberColumn('n', [1])])), '--partition: the data has no timestamp column; name one with --timestamp');
});
