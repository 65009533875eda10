/**
 * `ct init`: look at the user's data with ct's own readers and statistics, decide a
 * config (src/init/suggest.ts), and write the commented `ct.config.yaml`, the inferred
 * data schema, the GitHub workflows and a README section into the repository (the
 * working directory). Nothing existing is overwritten without `force`; every file is
 * checked before the first one is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { modelConfigFiles, type RepositoryModel, repositoryModel } from '../config/models.js';
import type { Task } from '../config/types.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { actionsSource, ctIsDependency, installSpec, lockfileInstallsNativeTfjs, readCtFile, schemaUrl } from '../init/ct-package.js';
import { describeSource, readInitData, sanitizeName } from '../init/data.js';
import { type PlannedFile, refuseOverwrite, rel, withIgnored, withReadmeSection, writePlanned } from '../init/files.js';
import { readmeMarker, renderAddedModelSection, renderConfig, renderReadmeSection } from '../init/render.js';
import { type Suggestion, suggestConfig } from '../init/suggest.js';
import { initialSchema, summarizeTable } from '../init/summary.js';
import { listedConfigs, pushPaths, renderWorkflows, WORKFLOW_FILES, type WorkflowOptions } from '../init/workflows.js';
import type { Logger } from '../logger.js';

/** The workflows `ct init` writes: ct's own, rewritten for the user's repository (init/workflows.ts). */
function workflowFiles(root: string, workflow: WorkflowOptions): PlannedFile[] {
  const rendered = renderWorkflows((file) => readCtFile(`.github/workflows/${file}`), workflow);
  return WORKFLOW_FILES.map((file) => ({ file: path.join(root, '.github/workflows', file), contents: rendered[file] }));
}

/**
 * The README with the model's section: the full one for the repository's first model (with
 * how to install ct when it is not a dependency), a short one for a model added later.
 * An existing README gets the section appended (or, with force, its earlier one replaced).
 */
function readmeWith(
  readme: string,
  s: Suggestion,
  files: { config: string; schema: string; dataFolder: string },
  first: { install: string | undefined } | undefined,
) {
  const marker = readmeMarker(first === undefined ? s.name : undefined);
  const section = first === undefined ? renderAddedModelSection(s, files, marker) : renderReadmeSection(s, files, first.install);
  return withReadmeSection(existsSync(readme) ? readFileSync(readme, 'utf8') : undefined, s.name, section, marker);
}

/**
 * Where the config of model `name` goes, and the repository's other models. The first model
 * gets ct.config.yaml; a repository that has models gets another, ct.<name>.yaml, unless it
 * already holds this one (then its own config is rewritten, with --force).
 */
function placeModel(root: string, name: string, config: string | undefined): { configFile: string; others: RepositoryModel[] } {
  const existing = existingModels(root);
  const loaded = existing.filter((m): m is RepositoryModel => 'name' in m);
  const configFile = path.resolve(root, config ?? loaded.find((m) => m.name === name)?.config ?? (loaded.length > 0 ? `ct.${name}.yaml` : 'ct.config.yaml'));
  const others = existing
    .filter((m) => m.config !== rel(root, configFile))
    .map((m) => {
      if ('error' in m) throw m.error;
      return m;
    });
  const clash = others.find((m) => m.name === name);
  if (clash !== undefined) throw new UserError(`${clash.config} already holds a model named ${name}; pass --name with another name`);
  return { configFile, others };
}

/**
 * The models a repository has: those its ct.yml lists, else the model configs at its root.
 * One that does not load is kept with its error: it is only an error if it is not the
 * config being written.
 */
function existingModels(root: string): Array<RepositoryModel | { config: string; error: unknown }> {
  const ctYml = path.join(root, '.github/workflows/ct.yml');
  const listed = existsSync(ctYml) ? listedConfigs(readFileSync(ctYml, 'utf8')) : [];
  return (listed.length > 0 ? listed : modelConfigFiles(root)).map((config) => {
    try {
      return repositoryModel(loadConfig(path.resolve(root, config)), root);
    } catch (error) {
      return { config, error };
    }
  });
}

/**
 * A model added to a repository that has models: each workflow is written only where it
 * changes (ct.yml's push paths), and only over the text `ct init` wrote for the models
 * before (a workflow edited by hand is refused unless --force, naming it).
 */
function addedWorkflowFiles(root: string, workflow: WorkflowOptions, before: WorkflowOptions, force: boolean): PlannedFile[] {
  const earlier = new Map(workflowFiles(root, before).map((p) => [p.file, p.contents]));
  return workflowFiles(root, workflow).filter((planned) => {
    const current = existsSync(planned.file) ? readFileSync(planned.file, 'utf8') : undefined;
    if (current === planned.contents) return false;
    if (current === undefined || current === earlier.get(planned.file) || force) return true;
    throw new UserError(
      `${rel(root, planned.file)} differs from what ct init wrote for this repository's models; pass --force to rewrite it, or add the new model's paths (${pushPaths(workflow.models).join(', ')}) to its push paths yourself`,
    );
  });
}

/** What `ct init` was asked for. */
export interface InitOptions {
  /** `--data`: a folder of daily partitions, or one file (`.parquet`, `.csv`, `.jsonl`, or a `.json` array of objects). */
  data: string;
  label: string;
  task?: Task;
  timestamp?: string;
  name?: string;
  /** Split one file into daily partitions `data/<name>/YYYY-MM-DD.<ext>` by its timestamp. */
  partition?: boolean;
  force?: boolean;
  /**
   * `owner/repo@<commit sha>` of ct's actions in the workflows. Default: the actions of the
   * ct installed in the repository (`./node_modules/ct-train/actions/<stage>`, pinned by its lockfile).
   */
  actions?: string;
  /** Config file to write (default `ct.config.yaml` in the repository). */
  config?: string;
  /** The repository root (default the working directory). */
  cwd?: string;
}

/** What `ct init` did. */
export interface InitResult {
  /** Files written, relative to the repository, in the order written. */
  written: string[];
  suggestion: Suggestion;
  /** The command to run next. */
  next: string;
}

/**
 * Runs `ct init`. A `UserError` (exit code 2) for unusable data or options, and for an
 * existing file that would be overwritten without `force` (naming it; nothing is written).
 */
export async function runInit(options: InitOptions, logger: Logger): Promise<InitResult> {
  const root = path.resolve(options.cwd ?? process.cwd());
  const source = path.resolve(root, options.data);
  if (!existsSync(source)) throw new UserError(`--data: not found: ${options.data}`);
  const name = sanitizeName(options.name ?? path.basename(source, path.extname(source)));
  const actions = actionsSource(options.actions);

  // 1. Read the data as ct will read it (--partition: one file becomes daily files, and the config points at their folder).
  const data = await readInitData(root, source, name, options);
  const { dataPath, folder, partitions } = data;

  // 2. Decide.
  const suggestion = suggestConfig(summarizeTable(data.table, partitions), {
    name,
    label: options.label,
    ...(options.task === undefined ? {} : { task: options.task }),
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    dataPath: rel(root, dataPath),
  });

  // 3. The files: the data (when copied or split), its schema, the config, the workflows.
  const { configFile, others } = placeModel(root, name, options.config);
  const schemaFile = path.join(folder, 'schema.json');
  const model = { config: rel(root, configFile), reads: [rel(root, configFile), rel(root, schemaFile), rel(root, dataPath)] };
  const workflow: WorkflowOptions = {
    models: [...others, model],
    registry: 'models',
    source: actions,
    nativeTfjs: lockfileInstallsNativeTfjs(root),
  };
  const adding = others.length > 0;
  const planned: PlannedFile[] = [
    ...data.files,
    { file: schemaFile, contents: `${JSON.stringify(initialSchema(data.table, suggestion), null, 2)}\n` },
    { file: configFile, contents: renderConfig(suggestion, schemaUrl(root, path.dirname(configFile)), describeSource(options.data, partitions)) },
  ];
  const workflows = adding ? addedWorkflowFiles(root, workflow, { ...workflow, models: others }, options.force === true) : workflowFiles(root, workflow);
  // The workflows (and `npx ct`) run the ct of package.json; without it, npx would fetch an unrelated npm package named ct.
  const install = ctIsDependency(root) ? undefined : `npm install --save-dev ${await installSpec()}`;
  const readme = path.join(root, 'README.md');
  const files = { config: rel(root, configFile), schema: rel(root, schemaFile), dataFolder: rel(root, folder) };
  const readmeUpdate = readmeWith(readme, suggestion, files, adding ? undefined : { install });

  // 4. Refuse before writing anything.
  if (options.force !== true) refuseOverwrite(root, adding ? planned : [...planned, ...workflows], readmeUpdate.replacing);
  const written = writePlanned(root, [...planned, ...workflows, { file: readme, contents: readmeUpdate.text }]);
  const gitignore = path.join(root, '.gitignore');
  const ignored = withIgnored(existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '');
  if (ignored !== null) {
    writeFileAtomic(gitignore, ignored);
    written.push('.gitignore');
  }
  if (install !== undefined)
    logger.warning(
      `ct is not a dependency of this repository: install it (${install}), then commit package.json and package-lock.json; the workflows run that ct`,
    );
  assertConfigLoads(configFile);
  return { written, suggestion, next: configFile === path.join(root, 'ct.config.yaml') ? 'npx ct run' : `npx ct run --config ${rel(root, configFile)}` };
}

/** The config must load as `ct run` will load it; if it does not, that is a bug in ct. */
function assertConfigLoads(configFile: string): void {
  try {
    loadConfig(configFile);
  } catch (error) {
    throw new Error(`ct init wrote a config that does not load: ${(error as Error).message}`, { cause: error });
  }
}
