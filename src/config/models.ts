/**
 * The models of a repository: one config file per model at the repository's root
 * (`ct.config.yaml`, `ct.<model>.yaml`), and the files each model reads, so that a change
 * retrains only the models it touches. Pure except for `repositoryModels`, which reads
 * the root folder and loads each config.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isRemote } from '../data/remote.js';
import { UserError } from '../errors.js';
import { loadConfig } from './load.js';
import type { LoadedConfig } from './types.js';

/** Names a model config file may have at the repository's root. */
export const MODEL_CONFIG_FILE = /^ct\.[\w-]+\.ya?ml$/;

/** One model of a repository. */
export interface RepositoryModel {
  /** Its config file, relative to the repository (forward slashes). */
  config: string;
  /** The model's name in the registry. */
  name: string;
  /** Files and folders it reads, relative to the repository: the config, data, schema, module or topology. */
  reads: string[];
  /** Its production pointer, `<registry>/<name>/production.json`, relative to the repository. */
  production: string;
}

/** Where the data schema lives: data.schema, or schema.json in the configured data folder. */
export function schemaFileOf(loaded: LoadedConfig): string {
  const { config, baseDir } = loaded;
  if (config.data.schema !== undefined) return path.resolve(baseDir, config.data.schema);
  // Data on a server: the schema is the repository's, beside the config.
  if (isRemote(config.data.path)) return path.join(baseDir, 'schema.json');
  const configured = path.resolve(baseDir, config.data.path);
  const folder = path.extname(configured) === '' ? configured : path.dirname(configured);
  return path.join(folder, 'schema.json');
}

/** The model a loaded config describes, its paths relative to `root`. */
export function repositoryModel(loaded: LoadedConfig, root: string): RepositoryModel {
  const { config, baseDir } = loaded;
  const relative = (p: string): string => path.relative(root, path.resolve(baseDir, p)).split(path.sep).join('/');
  const reads = [relative(path.basename(loaded.file)), relative(schemaFileOf(loaded))];
  // Data on a server changes without a commit: the schedule retrains such a model.
  if (!isRemote(config.data.path)) reads.push(relative(config.data.path));
  if (config.model.module !== undefined) reads.push(relative(config.model.module));
  if (config.model.topology !== undefined) reads.push(relative(config.model.topology));
  return {
    config: relative(path.basename(loaded.file)),
    name: config.name,
    reads: [...new Set(reads)],
    production: relative(path.join(config.registry.path, config.name, 'production.json')),
  };
}

/** The model configs at the root of `root`: `ct.config.yaml` first, then `ct.<model>.yaml` by name. */
export function modelConfigFiles(root: string): string[] {
  return readdirSync(root)
    .filter((f) => MODEL_CONFIG_FILE.test(f))
    .sort((a, b) => Number(b === 'ct.config.yaml') - Number(a === 'ct.config.yaml') || a.localeCompare(b));
}

/**
 * The models of the repository at `root`, loaded and checked (a broken config is the
 * UserError that names it): those of `configs` (paths relative to `root`) when given,
 * else every model config at the root.
 */
export function repositoryModels(root: string, configs: readonly string[] = []): RepositoryModel[] {
  const files = configs.length > 0 ? configs : modelConfigFiles(root);
  const models = files.map((f) => repositoryModel(loadConfig(path.resolve(root, f)), root));
  const names = new Map<string, string>();
  for (const m of models) {
    const other = names.get(m.name);
    if (other !== undefined) throw new UserError(`${m.config}: name: "${m.name}" is also the name in ${other}; each model of a repository needs its own name`);
    names.set(m.name, m.config);
  }
  return models;
}

/** Whether `file` is `target` or lies under the folder `target` (paths relative to the repository). */
export function touches(file: string, target: string): boolean {
  const folder = target.replace(/\/+$/, '');
  return file === folder || file.startsWith(`${folder}/`);
}

/** A model chosen to run, and the changed file that chose it. */
export interface ChosenModel extends RepositoryModel {
  because: string;
}

/** What of a model a change is looked for in: what it reads (to retrain it), or its production pointer (to release it). */
export type ModelWatch = 'inputs' | 'production';

/**
 * The models a change touches: each whose config, data, schema or model source (or, with
 * `watch` 'production', whose production pointer) is among `changed` (paths relative to
 * the repository), or every model when a changed file lies under one of `shared` (files
 * every model depends on, such as ct's own source).
 */
export function changedModels(models: RepositoryModel[], changed: string[], shared: string[] = [], watch: ModelWatch = 'inputs'): ChosenModel[] {
  const everyone = changed.find((file) => shared.some((s) => touches(file, s)));
  if (everyone !== undefined) return models.map((m) => ({ ...m, because: everyone }));
  return models.flatMap((m) => {
    const watched = watch === 'inputs' ? m.reads : [m.production];
    const file = changed.find((f) => watched.some((r) => touches(f, r)));
    return file === undefined ? [] : [{ ...m, because: file }];
  });
}
