/**
 * The GitHub workflows `ct init` writes into a repository that uses ct, derived from ct's
 * own workflows (shipped in the package), so the user's
 * workflows keep ct's triggers, permissions, concurrency, timeouts and pins with one
 * source. Pure: template text in, workflow text out.
 */
import path from 'node:path';
import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { MODEL_CONFIG_FILE, type RepositoryModel } from '../config/models.js';
import { CT_PACKAGE } from '../package.js';

/**
 * Where the user's workflows take ct's actions from.
 * - `installed`: `./node_modules/ct-train/actions/<stage>` after `npm ci`: the version is the one
 *   package-lock.json pins (integrity-checked), the same ct that `npx ct run` runs locally.
 * - `remote`: `<owner>/<repo>/actions/<stage>@<sha> # <version>`: the bundled actions of a
 *   repository, pinned to a commit, for repositories that hold no Node project.
 */
export type ActionsSource = { kind: 'installed' } | { kind: 'remote'; repo: string; sha: string; version: string };

/** What the user's workflows are about. */
export interface WorkflowOptions {
  /** Every model of the repository, that one included: what each reads triggers ct.yml. */
  models: ReadonlyArray<Pick<RepositoryModel, 'config' | 'reads'>>;
  /** The registry folder, relative to the repository. */
  registry: string;
  source: ActionsSource;
  /** The repository's package-lock.json installs tfjs-node (a remote-actions train job then installs it, to train on it). */
  nativeTfjs: boolean;
}

const LOCAL_ACTION = /^\.\/actions\/([\w-]+)$/;

function header(doc: Document, text: string): void {
  const first = (doc.contents as YAMLMap).items[0]!;
  (first.key as Scalar).commentBefore = text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
}

function steps(job: unknown): YAMLSeq<YAMLMap> {
  const s = isMap(job) ? job.get('steps') : undefined;
  if (!isSeq(s)) throw new Error('workflow template: a job without steps');
  return s as YAMLSeq<YAMLMap>;
}

/** `['a', 'b']`, as ct's own workflows write path filters. */
function quotedList(doc: Document, values: string[]): YAMLSeq {
  const list = doc.createNode(values, { flow: true }) as YAMLSeq<Scalar>;
  for (const item of list.items) item.type = 'QUOTE_SINGLE';
  return list;
}

/** A step's scalar field as text ('' when absent or not a scalar). */
const scalarOf = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const usesOf = (step: YAMLMap): string => scalarOf(step.get('uses'));
const runOf = (step: YAMLMap): string => scalarOf(step.get('run'));

/** Index of the steps that install node_modules in a job: setup-node, its cache, npm ci. */
function installSteps(list: YAMLSeq<YAMLMap>): number[] {
  // The node_modules cache only: the partition-history cache of the validate job is not an install step.
  const nodeModulesCache = (step: YAMLMap): boolean =>
    /^actions\/cache@/.test(usesOf(step)) && scalarOf((step.get('with') as YAMLMap | undefined)?.get('path')) === 'node_modules';
  return list.items.flatMap((step, i) => (/^actions\/setup-node@/.test(usesOf(step)) || nodeModulesCache(step) || /^npm ci\b/.test(runOf(step)) ? [i] : []));
}

/** Whether a job's own permissions grant any write (`write-all`, or any scope `write`). */
function jobWrites(job: unknown, doc: Document): boolean {
  // pull_request_target runs with the base branch's token and cache scope on a pull request's input: held to the same rule.
  if (isMap(doc.get('on')) && (doc.get('on') as YAMLMap).has('pull_request_target')) return true;
  const permissions: unknown = isMap(job) ? job.get('permissions') : undefined;
  if (isMap(permissions)) return permissions.items.some((pair) => scalarOf(isScalar(pair.value) ? pair.value.value : pair.value) === 'write');
  return permissions === 'write-all';
}

/**
 * The install for a job that writes: setup-node without a cache, then `npm ci
 * --ignore-scripts` from the lockfile (integrity-checked). No cache is restored (a poisoned
 * one would get the write token) and no install script runs; the job does not train, so it
 * needs no tfjs-node (whose install script downloads libtensorflow).
 */
function writingInstall(install: YAMLMap[]): YAMLMap[] {
  return install
    .filter((step) => !/^actions\/cache@/.test(usesOf(step)))
    .map((step) => {
      const copy = step.clone() as YAMLMap;
      copy.commentBefore = undefined;
      if (/^npm ci\b/.test(runOf(copy))) {
        copy.delete('if');
        copy.set('run', runOf(copy).replace(/^npm ci\b/, 'npm ci --ignore-scripts'));
      }
      return copy;
    });
}

/** The push paths of ct.yml: every file and folder a model reads, and any model config to come. */
export function pushPaths(models: WorkflowOptions['models']): string[] {
  const paths = models.flatMap((m) => m.reads.filter((r) => !MODEL_CONFIG_FILE.test(r)).map((r) => (path.posix.extname(r) === '' ? `${r}/**` : r)));
  return [...new Set(['ct.*.yaml', ...paths])];
}

/** The workflows `ct init` writes, by file name: ct's own of these names, rewritten. */
export const WORKFLOW_FILES = ['ct.yml', 'ct-model.yml', 'verify.yml', 'deploy.yml', 'deploy-model.yml'] as const;
export type WorkflowFile = (typeof WORKFLOW_FILES)[number];

/**
 * The workflows for a repository that uses ct, from ct's own (`template` reads one by
 * name). Differences: the headers; pushes that change what a model reads trigger ct.yml
 * (not ct's `src/`, which is no model's input there); pushes of a production pointer under
 * the user's registry trigger deploy.yml; each `uses: ./actions/<stage>` points at
 * `options.source`; with installed actions every ct job first installs node_modules
 * (cached by lockfile) as ct's own train job does, except that a job that writes (or runs
 * on pull_request_target) restores no cache and runs `npm ci --ignore-scripts`; with remote
 * actions no job installs anything, but the train job of a repository whose lockfile
 * installs tfjs-node.
 */
export function renderWorkflows(template: (file: WorkflowFile) => string, options: WorkflowOptions): Record<WorkflowFile, string> {
  const docs = Object.fromEntries(WORKFLOW_FILES.map((file) => [file, parseDocument(template(file))])) as Record<WorkflowFile, Document>;
  for (const [file, lines] of Object.entries(headers(options))) header(docs[file as WorkflowFile], lines.join('\n'));
  const ct = docs['ct.yml'];
  ct.setIn(['on', 'push', 'paths'], quotedList(ct, pushPaths(options.models)));
  // ct's own source is no input of a user's models.
  (modelsStep(ct).get('with') as YAMLMap).delete('shared');
  // Configs ct would not find at the root by name are listed for both plans.
  const configs = options.models.map((m) => m.config);
  if (configs.some((c) => !MODEL_CONFIG_FILE.test(c)))
    for (const doc of [ct, docs['deploy.yml']])
      modelsStep(doc).set('with', doc.createNode({ ...(modelsStep(doc).toJSON() as { with?: object }).with, configs: configs.join(', ') }));
  docs['deploy.yml'].setIn(['on', 'push', 'paths'], quotedList(docs['deploy.yml'], [`${options.registry}/**/production.json`]));
  docs['verify.yml'].setIn(['on', 'pull_request_target', 'paths'], quotedList(docs['verify.yml'], [`${options.registry}/**`]));
  const install = templateInstall(docs['ct-model.yml']);
  for (const file of WORKFLOW_FILES) pointActions(docs[file], options, install);
  return Object.fromEntries(WORKFLOW_FILES.map((file) => [file, docs[file].toString({ lineWidth: 0, flowCollectionPadding: false })])) as Record<
    WorkflowFile,
    string
  >;
}

/** The step of a workflow's plan job that runs the models action. */
function modelsStep(doc: Document): YAMLMap {
  const step = steps(doc.getIn(['jobs', 'plan'])).items.find((s) => usesOf(s) === './actions/models');
  if (step === undefined) throw new Error('workflow template: a plan job without the models action');
  return step;
}

/** The model configs a written ct.yml lists in its plan (`configs:`); empty when it lists none (ct finds them at the root). */
export function listedConfigs(ctYml: string): string[] {
  const step = steps(parseDocument(ctYml).getIn(['jobs', 'plan'])).items.find((s) => /\/actions\/models(@|$)/.test(usesOf(s)));
  const configs = scalarOf((step?.get('with') as YAMLMap | undefined)?.get('configs'));
  return configs
    .split(/[,\n]/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** The header comment of each workflow `ct init` writes. */
function headers(options: WorkflowOptions): Record<WorkflowFile, string[]> {
  return {
    'ct.yml': [
      'Continuous training, written by `ct init`: new data, the daily schedule or a manual',
      'dispatch runs validate -> train -> evaluate -> promote. Promotion opens (or updates) a pull',
      'request that a person reviews and merges; nothing reaches production without it.',
      'Each model of the repository (ct.config.yaml, ct.<model>.yaml) runs as its own leg of',
      'ct-model.yml: on a push, the models whose config, data, schema or model source changed;',
      'on the schedule or a dispatch, every model. `ct init` for another model updates the paths.',
      options.source.kind === 'installed'
        ? `ct's actions run from node_modules/${CT_PACKAGE}: the version package-lock.json pins, the ct that\n\`npx ct run\` runs locally. Upgrade ct with npm, and this workflow follows.`
        : `ct's actions come from ${options.source.repo}, pinned to a commit (a tag can be moved to other code).`,
      'Schedules run on the default branch only, and GitHub disables them after 60 days without',
      'repository activity: pushes of data keep it active.',
    ],
    'ct-model.yml': [
      "One model's continuous training, written by `ct init` and called by ct.yml once per",
      'model a run retrains: validate -> train -> evaluate -> promote.',
    ],
    'verify.yml': [
      'Written by `ct init`. A promotion (or rollback) pull request claims numbers; this checks',
      "them before a person merges, with the base branch's ct, config and gates: the pull",
      "request's commit is fetched as git objects and never checked out or run. It must come from",
      "this repository's promotion branch, change only the model's registry folder, add one",
      'version whose files match their checksums to an append-only history, carry an evaluation',
      "that passed against the base branch's production and its gates, and give the same metrics",
      "again on the recorded rows. It runs the ct of the base branch's package-lock.json.",
    ],
    'deploy.yml': [
      'Written by `ct init`. When a merged promotion or rollback changes a production pointer on',
      'the default branch, each model whose pointer changed is released by deploy-model.yml:',
      '`ct release` packs the production version (files, release.json, SHA256SUMS) with a',
      'read-only token, a GitHub release `<model>-<version>` publishes it (the only job that may',
      "write runs no code of the repository or of npm, only the runner's gh), and, when the secret",
      'CT_DEPLOY_URL is set, a request signed with the secret CT_DEPLOY_SECRET tells `ct serve` to',
      'install it (its POST /v1/deploy). Any host can also install a release with',
      '`npx ct deploy <folder or download URL>`. See docs/serving.md of ct.',
    ],
    'deploy-model.yml': [
      'Deploy after merge for one model, written by `ct init` and called by deploy.yml once per',
      'model whose production pointer a merge changed.',
    ],
  };
}

/** The install steps of the template's job that has all three (setup-node, the node_modules cache, npm ci). */
function templateInstall(doc: Document): YAMLMap[] {
  const jobs = doc.get('jobs') as YAMLMap;
  const withInstall = jobs.items.map((pair) => steps(pair.value)).find((list) => installSteps(list).length === 3);
  if (withInstall === undefined) throw new Error('workflow template: no job installs node_modules');
  return installSteps(withInstall).map((i) => withInstall.items[i]!);
}

/** Points each `uses: ./actions/<stage>` of `doc` at the user's ct, and installs it where the jobs need it. */
function pointActions(doc: Document, options: WorkflowOptions, install: YAMLMap[]): void {
  const { source } = options;
  for (const pair of (doc.get('jobs') as YAMLMap).items) {
    if (!isMap(pair.value) || !pair.value.has('steps')) continue;
    const list = steps(pair.value);
    const ctSteps = list.items.filter((step) => LOCAL_ACTION.test(usesOf(step)));
    if (ctSteps.length === 0) continue;
    for (const step of ctSteps) {
      const stage = LOCAL_ACTION.exec(usesOf(step))![1]!;
      const uses = step.get('uses', true) as Scalar;
      if (source.kind === 'installed') uses.value = `./node_modules/${CT_PACKAGE}/actions/${stage}`;
      else {
        uses.value = `${source.repo}/actions/${stage}@${source.sha}`;
        uses.comment = ` ${source.version}`;
      }
    }
    const present = installSteps(list);
    if (source.kind === 'remote') {
      if (options.nativeTfjs || present.length === 0) continue;
      for (const i of [...present].reverse()) list.items.splice(i, 1);
      ctSteps[0]!.commentBefore = ' The bundled action trains on the wasm backend it ships; no npm ci needed.';
      continue;
    }
    if (jobWrites(pair.value, doc)) {
      // The template's writing jobs install nothing; their install here is the pinned one.
      if (present.length > 0) throw new Error('workflow template: a job that writes installs node_modules');
      const copies = writingInstall(install);
      copies[0]!.commentBefore =
        ' ct from package-lock.json (integrity-checked) with no install scripts and no cache:\n this job writes, so it runs only code the lockfile pins.';
      list.items.splice(list.items.indexOf(ctSteps[0]!), 0, ...copies);
      continue;
    }
    if (present.length === 0) {
      const copies = install.map((step) => {
        const copy = step.clone() as YAMLMap;
        copy.commentBefore = undefined;
        return copy;
      });
      list.items.splice(list.items.indexOf(ctSteps[0]!), 0, ...copies);
    }
    const isTrain = isScalar(pair.key) && pair.key.value === 'train';
    list.items[installSteps(list)[0]!]!.commentBefore = isTrain
      ? ' ct (and tfjs-node, for native training speed) from package-lock.json; node_modules is\n cached by the lockfile, so later jobs and runs skip the install.'
      : ' ct from package-lock.json (node_modules cached by the lockfile).';
  }
}
