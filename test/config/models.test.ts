/**
 * The models of a repository and what each reads: a change chooses the models whose config,
 * data, schema or model source it touched, by path (a folder and its files, never a folder
 * that merely shares a prefix); paths every model shares choose all of them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { changedModels, MODEL_CONFIG_FILE, type RepositoryModel, repositoryModels, touches } from '../../src/config/models.js';
import { listedConfigs, pushPaths } from '../../src/init/workflows.js';
import { smallConfig } from '../pipeline/repo.js';

const model = (name: string, reads: string[]): RepositoryModel => ({
  config: `ct.${name}.yaml`,
  name,
  reads: [`ct.${name}.yaml`, ...reads],
  production: `models/${name}/production.json`,
});

describe('the models of a repository', () => {
  const delay = model('delay', ['data/flights', 'data/flights/schema.json', 'models-src/wide-deep.js']);
  const cars = model('cars', ['data/cars/cars.jsonl', 'data/cars/schema.json']);

  it('a path touches a file it names and everything under a folder it names, not a sibling with the same prefix', () => {
    expect(touches('data/flights/2001-03-01.csv', 'data/flights')).toBe(true);
    expect(touches('data/flights', 'data/flights/')).toBe(true);
    expect(touches('data/flights-old/2001-03-01.csv', 'data/flights')).toBe(false);
    expect(touches('data/cars/cars.jsonl.bak', 'data/cars/cars.jsonl')).toBe(false);
  });

  it('a change chooses each model whose inputs it touched, naming the file; shared paths choose all; production pointers are watched apart', () => {
    expect(changedModels([delay, cars], ['README.md', 'data/flights/2001-03-02.csv']).map((m) => [m.name, m.because])).toEqual([
      ['delay', 'data/flights/2001-03-02.csv'],
    ]);
    expect(changedModels([delay, cars], ['models-src/wide-deep.js', 'ct.cars.yaml']).map((m) => m.name)).toEqual(['delay', 'cars']);
    expect(changedModels([delay, cars], ['models/cars/production.json'])).toEqual([]);
    expect(changedModels([delay, cars], ['models/cars/production.json'], [], 'production').map((m) => m.name)).toEqual(['cars']);
    expect(changedModels([delay, cars], ['src/train/loop.ts'], ['src/']).map((m) => [m.name, m.because])).toEqual([
      ['delay', 'src/train/loop.ts'],
      ['cars', 'src/train/loop.ts'],
    ]);
    expect(changedModels([delay, cars], [])).toEqual([]);
  });

  it('config files at the root are ct.config.yaml and ct.<model>.yaml; two configs of one name are refused', () => {
    expect(['ct.config.yaml', 'ct.cars.yaml', 'ct.flight-delay.yml'].every((f) => MODEL_CONFIG_FILE.test(f))).toBe(true);
    expect(['ct.yaml', 'config.yaml', 'models/ct.cars.yaml', 'ct.cars.yaml.bak'].some((f) => MODEL_CONFIG_FILE.test(f))).toBe(false);
    const root = mkdtempSync(path.join(tmpdir(), 'ct-models-'));
    mkdirSync(path.join(root, 'data/flights'), { recursive: true });
    const config = smallConfig(3);
    writeFileSync(path.join(root, 'ct.config.yaml'), stringify(config));
    writeFileSync(path.join(root, 'ct.topology.yaml'), stringify({ ...config, name: 'from-file', model: { topology: './nets/model.json' } }));
    expect(repositoryModels(root)).toEqual([
      {
        config: 'ct.config.yaml',
        name: 'flight-delay',
        reads: ['ct.config.yaml', 'data/flights/schema.json', 'data/flights'],
        production: 'models/flight-delay/production.json',
      },
      {
        config: 'ct.topology.yaml',
        name: 'from-file',
        reads: ['ct.topology.yaml', 'data/flights/schema.json', 'data/flights', 'nets/model.json'],
        production: 'models/from-file/production.json',
      },
    ]);
    writeFileSync(path.join(root, 'ct.again.yaml'), stringify(config));
    expect(() => repositoryModels(root)).toThrow(
      'ct.again.yaml: name: "flight-delay" is also the name in ct.config.yaml; each model of a repository needs its own name',
    );
  });

  it("ct.yml's push paths cover every model's folders and files, and the configs a plan lists read back", () => {
    expect(pushPaths([delay, cars])).toEqual([
      'ct.*.yaml',
      'data/flights/**',
      'data/flights/schema.json',
      'models-src/wide-deep.js',
      'data/cars/cars.jsonl',
      'data/cars/schema.json',
    ]);
    const ctYml =
      'jobs:\n  plan:\n    steps:\n      - uses: ./node_modules/ct-train/actions/models\n        with:\n          configs: models/a.yaml, ct.config.yaml\n';
    expect(listedConfigs(ctYml)).toEqual(['models/a.yaml', 'ct.config.yaml']);
    expect(listedConfigs(ctYml.replace(/\n {8}with:.*$/s, '\n'))).toEqual([]);
  });
});
