/**
 * Text `ct init` writes: the commented `ct.config.yaml` and the README section. Pure string
 * building, so the output is the same for the same decisions. The workflows are in
 * workflows.ts.
 */
import { MAX_SLICE_VALUES, type Suggestion } from './suggest.js';

/** Marks the README section ct init writes, so it is found again (and not appended twice). */
export const README_MARKER = '<!-- ct init -->';

/** The marker of the README section of the repository's first model, or of a model added later by name. */
export function readmeMarker(added?: string): string {
  return added === undefined ? README_MARKER : `<!-- ct init: ${added} -->`;
}

/** A YAML scalar: plain when that reads back as the same string, else JSON-quoted (valid YAML). */
export function yamlString(s: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')} }`;
  if (typeof value === 'string') return yamlString(value);
  return String(value);
}

/** `key: [a, b]` when it fits on a line, else a block list (a flow list of 100 columns reads badly). */
function listLines(key: string, items: readonly string[]): string[] {
  const line = `${key}: ${flow(items)}`;
  if (line.length <= 100) return [line];
  const indent = key.length - key.trimStart().length;
  return [`${key}:`, ...items.map((x) => `${' '.repeat(indent + 2)}- ${yamlString(x)}`)];
}

/** `text` as `# ` comment lines at `indent`, wrapped at word boundaries near 100 characters. */
function commentLines(indent: string, text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + 2 + line.length + 1 + word.length > 100) {
      lines.push(`${indent}# ${line}`);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(`${indent}# ${line}`);
  return lines;
}

/** Appends `# comment` to a line, aligned for reading. */
function withComment(line: string, comment: string | undefined): string {
  if (comment === undefined || comment === '') return line;
  return `${line.padEnd(Math.max(line.length + 1, 28))}# ${comment}`;
}

/** `evaluation.minSliceRows` and `evaluation.slices`, each slice with why it was chosen. */
function evaluationSliceLines({ slices, minSliceRows }: Suggestion['evaluation']): string[] {
  const L: string[] = [];
  if (minSliceRows !== undefined) L.push(withComment(`  minSliceRows: ${minSliceRows.value}`, minSliceRows.reason));
  if (slices.length === 0) return [...L, `  # No slices: no string or true/false input has 2-${MAX_SLICE_VALUES} values with enough evaluation rows each.`];
  const first = slices[0]!;
  const key = first.name ?? first.column;
  L.push("  # Slices: metrics per segment, reported, not gated (a segment's metric is noisier than the whole's).");
  L.push(`  # To gate one, give a gate \`slice: ${key}\` (each of its values) or \`slice: ${key}=${first.values[0]}\`.`);
  L.push('  slices:');
  for (const sl of slices) {
    L.push(`    # ${sl.column}: ${sl.reason}`);
    if (sl.name !== undefined) L.push(`    - name: ${yamlString(sl.name)}`, `      column: ${yamlString(sl.column)}`);
    else L.push(`    - column: ${yamlString(sl.column)}`);
    L.push(...listLines('      values', sl.values));
  }
  return L;
}

/** `ct.config.yaml`: every decision with its reason beside it; loads with ct's loadConfig. */
export function renderConfig(s: Suggestion, schemaUrl: string, source: string): string {
  const L: string[] = [];
  L.push(`# yaml-language-server: $schema=${schemaUrl}`);
  L.push(`# Written by \`ct init\` from ${source}. Every choice says why; edit freely, then \`npx ct run\`.`);
  L.push(`name: ${yamlString(s.name)}`);
  L.push(withComment(`task: ${s.task}`, s.taskReason));
  L.push('');
  L.push('data:');
  L.push(`  path: ${yamlString(s.data.path)}`);
  if (s.timestamp !== undefined) L.push(withComment(`  timestamp: ${yamlString(s.timestamp)}`, 'the time column: time features and the time split read it'));
  if (s.data.window !== undefined)
    L.push(withComment(`  window: { newestDays: ${s.data.window.newestDays} }`, 'retrain on recent days; older ones stay in the folder'));
  L.push('  split:');
  L.push(withComment(`    method: ${s.data.split.method}`, s.data.splitReason));
  if (s.data.split.method === 'time') L.push(`    evaluationDays: ${s.data.split.evaluationDays}`);
  else {
    L.push(`    evaluationFraction: ${s.data.split.evaluationFraction}`);
    L.push(`    seed: ${s.data.split.seed}`);
  }
  L.push('');
  L.push(withComment(`label: ${flow(s.labelConfig)}`, s.labelReason));
  L.push('');
  L.push('features:');
  for (const f of s.features) {
    L.push(`  # ${f.column}: ${f.reason}`);
    L.push(`  - name: ${yamlString(f.name)}`);
    L.push(`    column: ${yamlString(f.column)}`);
    if (f.transform !== undefined) L.push(`    transform: ${f.transform}`);
    if (f.kind !== undefined) L.push(`    kind: ${f.kind}`);
    if (f.embedding !== undefined) L.push(`    embedding: ${f.embedding}`);
    if (f.maxVocabulary !== undefined) L.push(`    maxVocabulary: ${f.maxVocabulary}`);
  }
  if (s.skipped.length > 0) {
    L.push('  # Left out:');
    for (const k of s.skipped) L.push(`  #   ${k.column}: ${k.reason}`);
  }
  L.push('');
  L.push('validation:');
  L.push('  drift:');
  L.push(...commentLines('    ', `Drift-tested: ${s.validation.drift.reason}`));
  L.push(...listLines('    columns', s.validation.drift.columns));
  L.push('');
  L.push(withComment('model:', s.trainingReason));
  L.push(`  hidden: ${flow(s.model.hidden)}`);
  L.push('  activation: relu');
  L.push(`  dropout: ${s.model.dropout}`);
  L.push('');
  L.push('training:');
  L.push(withComment('  backend: auto', "ct's fused WebAssembly step; TF.js (tfjs-node, else wasm) for the rest"));
  L.push('  optimizer: adam');
  L.push(`  learningRate: ${s.training.learningRate}`);
  L.push(`  batchSize: ${s.training.batchSize}`);
  L.push(`  epochs: ${s.training.epochs}`);
  L.push(withComment(`  earlyStoppingPatience: ${s.training.earlyStoppingPatience}`, 'stop when the held-out metric stops improving'));
  if (s.training.maxRows !== undefined) L.push(`  maxRows: ${s.training.maxRows}`);
  L.push('  seed: 42');
  L.push('  validationFraction: 0.1');
  L.push('');
  L.push('evaluation:');
  L.push(withComment('  bootstrap: { samples: 1000, seed: 42, confidence: 0.95 }', 'paired intervals of every delta'));
  L.push(...evaluationSliceLines(s.evaluation));
  L.push('');
  L.push('# No latency gate: prediction time depends on the machine that measures it.');
  L.push('gates:');
  for (const g of s.gates) {
    const [first, ...rest] = Object.entries(g.gate);
    L.push(withComment(`  - ${first![0]}: ${flow(first![1])}`, g.reason));
    for (const [k, v] of rest) L.push(`    ${k}: ${flow(v)}`);
  }
  L.push('');
  L.push('registry:');
  L.push('  path: models');
  return `${L.join('\n')}\n`;
}

/**
 * The README section: what runs, where things are, what to do next. `install` is the
 * command that adds ct to the repository, when it is not a dependency yet.
 */
export function renderReadmeSection(s: Suggestion, files: { config: string; schema: string; dataFolder: string }, install: string | undefined): string {
  const steps = [
    ...(install === undefined
      ? []
      : [
          `Add ct to the repository: \`${install}\`. The workflows and \`npx ct\` run that version
   (npm's registry has an unrelated package named \`ct\`: always install ct from its repository).`,
        ]),
    `Review \`${files.config}\` (each feature and each left-out column says why) and
   \`${files.schema}\` (the data contract, inferred from the data: tighten it where you know
   better, e.g. \`min: 0\`).`,
    '`npx ct run` runs the whole loop locally; `out/evaluation.md` is the report.',
    `Commit the config, the schema, \`.github/workflows/\`, \`models/\`, \`package.json\` and
   \`package-lock.json\`.`,
    `Settings → Actions → General → Workflow permissions: allow GitHub Actions to create
   and approve pull requests. Then every push of data under \`${files.dataFolder}/\`, and the daily
   schedule, ends in a pull request \`Promote ${s.name} <version>\` to review; \`verify.yml\`
   re-checks it with the base branch's ct before you merge. Protect the default branch:
   require the \`verify\` and \`ct/gates\` checks, code-owner review of \`models/\`, and
   dismissal of stale approvals (ct's docs/your-repository.md says how and why).`,
  ];
  return `${README_MARKER}
## Continuous training with ct

\`${s.name}\` (${s.task}, label \`${s.label}\`) is retrained by ct from
\`${s.data.path}\`: **validate** (the data against \`${files.schema}\`, and for drift) →
**train** (a TensorFlow.js model) → **evaluate** (candidate and production model on the same
rows, the gates of \`${files.config}\`) → **promote** (into \`models/${s.name}/\`, only when
the gates pass).

Next steps:

${steps.map((text, i) => `${i + 1}. ${text}`).join('\n')}
`;
}

/**
 * The README section of a model added to a repository that has one: what it is, how to run
 * it, and that the workflows already cover it (its paths are in ct.yml's push paths).
 */
export function renderAddedModelSection(s: Suggestion, files: { config: string; schema: string; dataFolder: string }, marker: string): string {
  return `${marker}
### Model \`${s.name}\`

\`${s.name}\` (${s.task}, label \`${s.label}\`) is retrained by ct from \`${s.data.path}\` with
\`${files.config}\`, beside this repository's other models: \`npx ct run --config ${files.config}\`
runs it locally, \`npx ct models\` lists every model. A push that changes \`${files.dataFolder}/\` or
\`${files.config}\` retrains this model alone (its own leg of \`ct-model.yml\`, its own pull
request \`Promote ${s.name} <version>\` and \`ct/gates\` check); the daily schedule runs every model.
Review \`${files.config}\` and \`${files.schema}\`, then commit them with \`.github/workflows/\`.
`;
}
