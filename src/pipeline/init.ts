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
import type { Task } from '../config/types.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { actionsSource, ctIsDependency, installSpec, readCtFile, schemaUrl } from '../init/ct-package.js';
import { describeSource, readInitData, sanitizeName } from '../init/data.js';
import { type PlannedFile, refuseOverwrite, rel, withIgnored, withReadmeSection, writePlanned } from '../init/files.js';
import { renderConfig, renderReadmeSection } from '../init/render.js';
import { type Suggestion, suggestConfig } from '../init/suggest.js';
import { initialSchema, summarizeTable } from '../init/summary.js';
import { renderCtWorkflow, renderDeployWorkflow, renderVerifyWorkflow, type WorkflowOptions } from '../init/workflows.js';
import type { Logger } from '../logger.js';

/** The workflows `ct init` writes: ct's own, rewritten for the user's repository (init/workflows.ts). */
function workflowFiles(root: string, workflow: WorkflowOptions): PlannedFile[] {
  const renderers = [
    ['ct.yml', renderCtWorkflow],
    ['verify.yml', renderVerifyWorkflow],
    ['deploy.yml', renderDeployWorkflow],
  ] as const;
  return renderers.map(([name, render]) => ({
    file: path.join(root, '.github/workflows', name),
    contents: render(readCtFile(`.github/workflows/${name}`), workflow),
  }));
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
   * ct installed in the repository (`./node_modules/ct/actions/<stage>`, pinned by its lockfile).
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
  const schemaFile = path.join(folder, 'schema.json');
  const configFile = path.resolve(root, options.config ?? 'ct.config.yaml');
  const workflow = {
    config: rel(root, configFile),
    dataFolder: rel(root, folder),
    registry: 'models',
    source: actions,
    lockfile: existsSync(path.join(root, 'package-lock.json')),
  };
  const planned: PlannedFile[] = [
    ...data.files,
    { file: schemaFile, contents: `${JSON.stringify(initialSchema(data.table, suggestion), null, 2)}\n` },
    { file: configFile, contents: renderConfig(suggestion, schemaUrl(root, path.dirname(configFile)), describeSource(options.data, partitions)) },
    ...workflowFiles(root, workflow),
  ];
  // The workflows (and `npx ct`) run the ct of package.json; without it, npx would fetch an unrelated npm package named ct.
  const install = ctIsDependency(root) ? undefined : `npm install --save-dev ${await installSpec()}`;
  // An existing README gets the section appended (or, with force, its earlier section replaced).
  const readme = path.join(root, 'README.md');
  const section = renderReadmeSection(suggestion, { config: rel(root, configFile), schema: rel(root, schemaFile), dataFolder: rel(root, folder) }, install);
  const readmeUpdate = withReadmeSection(existsSync(readme) ? readFileSync(readme, 'utf8') : undefined, name, section);

  // 4. Refuse before writing anything.
  if (options.force !== true) refuseOverwrite(root, planned, readmeUpdate.replacing);
  const written = writePlanned(root, [...planned, { file: readme, contents: readmeUpdate.text }]);
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
  return { written, suggestion, next: 'npx ct run' };
}

/** The config must load as `ct run` will load it; if it does not, that is a bug in ct. */
function assertConfigLoads(configFile: string): void {
  try {
    loadConfig(configFile);
  } catch (error) {
    throw new Error(`ct init wrote a config that does not load: ${(error as Error).message}`, { cause: error });
  }
}
