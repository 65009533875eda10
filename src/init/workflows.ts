/**
 * The GitHub workflows `ct init` writes into a repository that uses ct, derived from ct's
 * own `.github/workflows/ct.yml` and `verify.yml` (shipped in the package), so the user's
 * workflows keep ct's triggers, permissions, concurrency, timeouts and pins with one
 * source. Pure: template text in, workflow text out.
 */
import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar, visit, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Where the user's workflows take ct's actions from.
 * - `installed`: `./node_modules/ct/actions/<stage>` after `npm ci`: the version is the one
 *   package-lock.json pins (integrity-checked), the same ct that `npx ct run` runs locally.
 * - `remote`: `<owner>/<repo>/actions/<stage>@<sha> # <version>`: the bundled actions of a
 *   repository, pinned to a commit, for repositories that hold no Node project.
 */
export type ActionsSource = { kind: 'installed' } | { kind: 'remote'; repo: string; sha: string; version: string };

/** What the user's workflows are about. */
export interface WorkflowOptions {
  /** The config file, relative to the repository. */
  config: string;
  /** The folder of the data (and its schema), relative to the repository. */
  dataFolder: string;
  /** The registry folder, relative to the repository. */
  registry: string;
  source: ActionsSource;
  /** The repository has a package-lock.json (a remote-actions train job then installs it, for tfjs-node). */
  lockfile: boolean;
}

/** Splits `owner/repo@sha`; null when the text has another form. */
export function parseActionsSource(source: string): { repo: string; sha: string } | null {
  const m = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/.exec(source);
  return m === null ? null : { repo: m[1]!, sha: m[2]! };
}

/** ct's own default config name, replaced in the template by the user's. */
const TEMPLATE_CONFIG = 'ct.config.yaml';
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
function jobWrites(job: unknown): boolean {
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

/**
 * `.github/workflows/ct.yml` for a repository that uses ct, from ct's own. Differences:
 * the header; pushes under the data folder or to the config trigger it (not ct's `src/`);
 * the user's config name everywhere ct's default stands; each `uses: ./actions/<stage>`
 * points at `options.source`; with installed actions every ct job first installs
 * node_modules (cached by lockfile) as ct's own train job does, except that the job that
 * writes (promote) restores no cache and runs `npm ci --ignore-scripts`; with remote actions
 * only a repository with a lockfile keeps the train job's install (for tfjs-node).
 */
export function renderCtWorkflow(template: string, options: WorkflowOptions): string {
  const doc = parseDocument(template);
  const { source } = options;
  header(
    doc,
    [
      'Continuous training, written by `ct init`: new data, the daily schedule or a manual',
      'dispatch runs validate -> train -> evaluate -> promote. Promotion opens (or updates) a pull',
      'request that a person reviews and merges; nothing reaches production without it.',
      source.kind === 'installed'
        ? "ct's actions run from node_modules/ct: the version package-lock.json pins, the ct that\n`npx ct run` runs locally. Upgrade ct with npm, and this workflow follows."
        : `ct's actions come from ${source.repo}, pinned to a commit (a tag can be moved to other code).`,
      'Schedules run on the default branch only, and GitHub disables them after 60 days without',
      'repository activity: pushes of data keep it active.',
    ].join('\n'),
  );
  doc.setIn(['on', 'push', 'paths'], quotedList(doc, [`${options.dataFolder}/**`, options.config]));
  doc.setIn(['on', 'workflow_dispatch', 'inputs', 'model', 'default'], options.config);
  // `${{ inputs.model || 'ct.config.yaml' }}` in the concurrency group and every config input.
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes(`'${TEMPLATE_CONFIG}'`))
        node.value = node.value.replaceAll(`'${TEMPLATE_CONFIG}'`, `'${options.config}'`);
    },
  });

  const jobs = doc.get('jobs') as YAMLMap;
  const withInstall = jobs.items.map((pair) => steps(pair.value)).find((list) => installSteps(list).length === 3);
  if (withInstall === undefined) throw new Error('workflow template: no job installs node_modules');
  const install = installSteps(withInstall).map((i) => withInstall.items[i]!);
  for (const pair of jobs.items) {
    const list = steps(pair.value);
    const ctSteps = list.items.filter((step) => LOCAL_ACTION.test(usesOf(step)));
    if (ctSteps.length === 0) continue;
    for (const step of ctSteps) {
      const stage = LOCAL_ACTION.exec(usesOf(step))![1]!;
      const uses = step.get('uses', true) as Scalar;
      if (source.kind === 'installed') uses.value = `./node_modules/ct/actions/${stage}`;
      else {
        uses.value = `${source.repo}/actions/${stage}@${source.sha}`;
        uses.comment = ` ${source.version}`;
      }
    }
    const present = installSteps(list);
    if (source.kind === 'remote') {
      if (options.lockfile || present.length === 0) continue;
      for (const i of [...present].reverse()) list.items.splice(i, 1);
      ctSteps[0]!.commentBefore = ' The bundled action trains on the wasm backend it ships; no npm ci needed.';
      continue;
    }
    if (jobWrites(pair.value)) {
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
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * `.github/workflows/verify.yml` for a repository that uses ct, from ct's own: the header
 * says what it needs, and pull requests that touch the user's registry folder trigger it.
 * It runs the repository's own ct (`npx --no-install`: never a download of another package
 * of that name).
 */
export function renderVerifyWorkflow(template: string, options: Pick<WorkflowOptions, 'registry'>): string {
  const doc = parseDocument(template);
  header(
    doc,
    [
      'Written by `ct init`. A promotion (or rollback) pull request claims numbers; this checks',
      "them before a person merges, with the base branch's ct, config and gates: the pull",
      "request's commit is fetched as git objects and never checked out or run. It must come from",
      "this repository's promotion branch, change only the model's registry folder, add one",
      'version whose files match their checksums to an append-only history, carry an evaluation',
      "that passed against the base branch's production and its gates, and give the same metrics",
      "again on the recorded rows. It runs the ct of the base branch's package-lock.json.",
    ].join('\n'),
  );
  doc.setIn(['on', 'pull_request_target', 'paths'], quotedList(doc, [`${options.registry}/**`]));
  dropBuildSteps(doc);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * `.github/workflows/deploy.yml` for a repository that uses ct, from ct's own: a changed
 * production pointer under the user's registry folder triggers it, `ct release` reads the
 * user's config, and ct comes built from the package (no build step).
 */
export function renderDeployWorkflow(template: string, options: Pick<WorkflowOptions, 'registry' | 'config'>): string {
  const doc = parseDocument(template);
  header(
    doc,
    [
      'Written by `ct init`. When a merged promotion or rollback changes a production pointer on',
      'the default branch, `ct release` packs the production version (files, release.json,',
      'SHA256SUMS) with a read-only token, a GitHub release `<model>-<version>` publishes it (the',
      "only job that may write runs no code of the repository or of npm, only the runner's gh),",
      'and, when the secret CT_DEPLOY_URL is set, a request signed with the secret',
      'CT_DEPLOY_SECRET tells `ct serve` to install it (its POST /v1/deploy). Any host can also',
      'install a release with `npx ct deploy <folder or download URL>`. See docs/serving.md of ct.',
    ].join('\n'),
  );
  doc.setIn(['on', 'push', 'paths'], quotedList(doc, [`${options.registry}/**/production.json`]));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes(`--config ${TEMPLATE_CONFIG}`))
        node.value = node.value.replaceAll(`--config ${TEMPLATE_CONFIG}`, `--config ${options.config}`);
    },
  });
  dropBuildSteps(doc);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Removes `npm run build` steps: ct's own repository builds its CLI, a user's gets it built in the package. */
function dropBuildSteps(doc: Document): void {
  for (const pair of (doc.get('jobs') as YAMLMap).items) {
    const list = steps(pair.value);
    list.items = list.items.filter((step) => runOf(step) !== 'npm run build');
  }
}
