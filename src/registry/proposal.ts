/**
 * What a registry change proposed by a pull request may be, checked on the base
 * branch's and the pull request's trees as data (see git-tree.ts). A promotion adds one
 * new version folder, points production at it and appends one history line; a rollback
 * points production at a version the base branch already has, with the files its history
 * recorded, and appends one line. Nothing else may change: no file outside the model's
 * folder, no older version, no history line rewritten. Pure, but for hashing.
 */
import type { EvaluationRecord } from '../artifacts.js';
import { UserError } from '../errors.js';
import { sha256Of } from '../files.js';
import type { ChangedPath, RegistryTree } from './git-tree.js';
import { plainFileNames } from './names.js';
import { type HistoryEntry, parseHistory, type ProductionPointer, sameFiles } from './registry.js';

/** One check of a proposal, passed or not. */
export interface ProposalCheck {
  check: string;
  ok: boolean;
  message: string;
}

export interface ProposalInput {
  model: string;
  /** The model's folder, relative to the repository root (`models/flight-delay`). */
  folder: string;
  /** What the pull request changed: from the merge base to its head. */
  changed: readonly ChangedPath[];
  /** The model's folder on the base branch's tip and at the pull request's head. */
  base: RegistryTree;
  head: RegistryTree;
}

export interface ProposalVerdict {
  kind: 'promote' | 'rollback' | null;
  /** The version production would point at. */
  version: string | null;
  /** Production on the base branch (null: nothing promoted yet). */
  baseProduction: string | null;
  /** A promotion's evaluation.json, when its files are what the history records. */
  evaluation: EvaluationRecord | null;
  checks: ProposalCheck[];
}

/** Parses JSON read from a tree; a UserError names the file. */
function parseJson<T>(tree: RegistryTree, file: string, folder: string): T {
  try {
    return JSON.parse(tree.read(file).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${tree.commit.slice(0, 12)}: ${folder}/${file} is not JSON`, { cause: error });
  }
}

/** The one line a proposal appends to the history, its names checked (parseHistory) and its action known. */
function historyEntry(line: string, source: string): HistoryEntry {
  const entry = parseHistory(line, `${source}, history.jsonl's appended line`)[0]!;
  if (entry === null || typeof entry !== 'object' || (entry.action !== 'promote' && entry.action !== 'rollback'))
    throw new UserError(`${source}: the appended history line is neither a promotion nor a rollback`);
  return entry;
}

/**
 * Judges a proposed registry change. Every check is listed; a check that cannot run
 * because an earlier one failed is left out, so the first failure says what is wrong.
 */
export function checkProposal(input: ProposalInput): ProposalVerdict {
  const { model, folder, base, head } = input;
  const verdict: ProposalVerdict = { kind: null, version: null, baseProduction: null, evaluation: null, checks: [] };
  const check = (name: string, ok: boolean, message: string): boolean => {
    verdict.checks.push({ check: name, ok, message });
    return ok;
  };
  const source = `${folder} at ${head.commit.slice(0, 12)}`;
  try {
    const prefix = `${folder}/`;
    const outside = input.changed.filter((c) => !c.path.startsWith(prefix));
    const list = (paths: readonly ChangedPath[]): string =>
      paths
        .slice(0, 5)
        .map((c) => `${c.status} ${c.path}`)
        .join(', ') + (paths.length > 5 ? ', ...' : '');
    if (
      !check(
        'changed paths',
        outside.length === 0,
        outside.length === 0 ? `all ${input.changed.length} under ${prefix}` : `outside ${prefix}: ${list(outside)}`,
      )
    )
      return verdict;
    const inside = input.changed.map((c) => ({ status: c.status, path: c.path.slice(prefix.length) }));

    // The history only grows: the base branch's lines, byte for byte, then exactly one new line.
    const baseHistory = base.files.has('history.jsonl') ? base.read('history.jsonl').toString('utf8') : '';
    const headHistory = head.files.has('history.jsonl') ? head.read('history.jsonl').toString('utf8') : '';
    const appended = headHistory.startsWith(baseHistory) ? headHistory.slice(baseHistory.length) : null;
    const oneLine = appended !== null && /^[^\n]+\n?$/.test(appended);
    if (
      !check(
        'history is append-only',
        oneLine,
        appended === null
          ? "history.jsonl rewrites the base branch's lines (or the base branch has moved on: run ct again on its tip)"
          : oneLine
            ? 'one line appended'
            : `${appended.split('\n').filter((l) => l !== '').length} lines appended; a proposal appends exactly one`,
      )
    )
      return verdict;
    const entry = historyEntry(appended!.trim(), source);
    verdict.kind = entry.action;
    verdict.version = entry.version;

    const basePointer = base.files.has('production.json') ? parseJson<ProductionPointer>(base, 'production.json', folder) : null;
    verdict.baseProduction = basePointer?.version ?? null;
    const pointer = head.files.has('production.json') ? parseJson<ProductionPointer>(head, 'production.json', folder) : null;
    const pointerOk =
      pointer !== null &&
      pointer.model === model &&
      entry.model === model &&
      pointer.version === entry.version &&
      pointer.previous === verdict.baseProduction &&
      entry.previous === verdict.baseProduction &&
      typeof pointer.files === 'object' &&
      pointer.files !== null &&
      sameFiles(plainFileNames(pointer.files, source), entry.files);
    if (
      !check(
        'production pointer',
        pointerOk,
        pointerOk
          ? `${model}: ${verdict.baseProduction ?? '(none)'} -> ${entry.version}`
          : `production.json must name model ${model}, version ${entry.version}, previous ${verdict.baseProduction ?? 'null'} (production on the base branch) and the files of the appended history line`,
      )
    )
      return verdict;

    if (entry.action === 'promote') promotion(input, entry, check, verdict);
    else rollback(input, entry, check, inside, baseHistory);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    check('proposal', false, error.message);
  }
  return verdict;
}

type CheckFn = (name: string, ok: boolean, message: string) => boolean;

function promotion(input: ProposalInput, entry: HistoryEntry, check: CheckFn, verdict: ProposalVerdict): void {
  const { base, head, folder } = input;
  const version = entry.version;
  const inFolder = (tree: RegistryTree): string[] => [...tree.files.keys()].filter((f) => f.startsWith(`${version}/`));
  const prefix = `${folder}/`;
  const allowed = (c: ChangedPath): boolean => {
    const p = c.path.slice(prefix.length);
    return p === 'production.json' || p === 'history.jsonl' || (c.status === 'A' && p.startsWith(`${version}/`));
  };
  const other = input.changed.filter((c) => !allowed(c));
  if (
    !check(
      'one new version',
      inFolder(base).length === 0 && other.length === 0,
      inFolder(base).length > 0
        ? `${version} already exists on the base branch`
        : other.length === 0
          ? `adds ${version}, changes nothing else`
          : `changes beyond the new version: ${other
              .slice(0, 5)
              .map((c) => `${c.status} ${c.path}`)
              .join(', ')}`,
    )
  )
    return;
  const files = inFolder(head).map((f) => f.slice(version.length + 1));
  const recorded = Object.keys(entry.files);
  const plain = files.every((f) => recorded.includes(f) && ['100644', '100755'].includes(head.files.get(`${version}/${f}`)!.mode));
  if (
    !check(
      'version files',
      plain && files.length === recorded.length,
      plain && files.length === recorded.length
        ? `${files.length} plain files, as recorded`
        : `the folder holds ${files.join(', ') || 'nothing'}; the history records ${recorded.join(', ') || 'nothing'} (plain files only)`,
    )
  )
    return;
  const wrong = recorded.filter((f) => sha256Of(head.read(`${version}/${f}`)) !== entry.files[f]);
  if (!check(`checksums of ${version}`, wrong.length === 0, wrong.length === 0 ? `${recorded.length} files match` : `differ: ${wrong.join(', ')}`)) return;
  const evaluation = parseJson<EvaluationRecord>(head, `${version}/evaluation.json`, folder);
  if (
    !check(
      'evaluation passed',
      evaluation.ok === true,
      evaluation.ok === true ? 'evaluation.json says ok' : 'evaluation.json does not say ok: its gates failed',
    )
  )
    return;
  const compared = evaluation.baseline?.version ?? null;
  if (
    !check(
      'compared with production',
      compared === verdict.baseProduction,
      compared === verdict.baseProduction
        ? verdict.baseProduction === null
          ? 'the first model: nothing to compare with'
          : `compared with ${compared}, production on the base branch`
        : `compared with ${compared ?? 'nothing'}; production on the base branch is ${verdict.baseProduction ?? 'none'}`,
    )
  )
    return;
  verdict.evaluation = evaluation;
}

function rollback(input: ProposalInput, entry: HistoryEntry, check: CheckFn, inside: readonly ChangedPath[], baseHistory: string): void {
  const { base } = input;
  const other = inside.filter((c) => c.path !== 'production.json' && c.path !== 'history.jsonl');
  if (
    !check(
      'rollback changes only the pointer',
      other.length === 0,
      other.length === 0 ? 'production.json and one history line' : `also changes ${other.map((c) => `${c.status} ${c.path}`).join(', ')}`,
    )
  )
    return;
  // The files the version was promoted with, in the base branch's (append-only) history.
  const promoted = parseHistory(baseHistory, `${input.folder}/history.jsonl at ${base.commit.slice(0, 12)}`).find(
    (h) => h.action === 'promote' && h.version === entry.version,
  );
  if (
    !check(
      'an earlier version',
      promoted !== undefined && sameFiles(promoted.files, entry.files),
      promoted === undefined
        ? `${entry.version} was never promoted on the base branch`
        : sameFiles(promoted.files, entry.files)
          ? `${entry.version}, promoted at ${promoted.at}`
          : `the files named differ from those ${entry.version} was promoted with`,
    )
  )
    return;
  const wrong = Object.entries(entry.files).filter(
    ([f, sum]) => !base.files.has(`${entry.version}/${f}`) || sha256Of(base.read(`${entry.version}/${f}`)) !== sum,
  );
  check(
    `checksums of ${entry.version}`,
    wrong.length === 0,
    wrong.length === 0 ? `${Object.keys(entry.files).length} files on the base branch match` : `missing or differ: ${wrong.map(([f]) => f).join(', ')}`,
  );
}
