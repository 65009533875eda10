/**
 * Text `ct init` writes: the commented `ct.config.yaml`, the workflows adapted to run
 * ct's published actions, and the README section. Pure string building, so the output
 * is the same for the same decisions.
 */
import type { Suggestion } from './suggest.js';

/**
 * Where the generated workflows take ct's actions from until the user says
 * (`ct init --actions owner/repo@<commit sha>`): a placeholder that reads as one, in the
 * pinned form the workflow rules demand (a full commit sha, its version in a comment).
 */
export const PLACEHOLDER_ACTIONS = 'YOUR-ORG/ct@0000000000000000000000000000000000000000';

/** Marks the README section ct init writes, so it is found again (and not appended twice). */
export const README_MARKER = '<!-- ct init -->';

/** A YAML scalar: plain when that reads back as the same string, else JSON-quoted (valid YAML). */
export function yamlString(s: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${flow(v)}`).join(', ')} }`;
  if (typeof value === 'string') return yamlString(value);
  return String(value);
}

/** Appends `# comment` to a line, aligned for reading. */
function withComment(line: string, comment: string | undefined): string {
  if (comment === undefined || comment === '') return line;
  return `${line.padEnd(Math.max(line.length + 1, 28))}# ${comment}`;
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
  if (s.data.window !== undefined) L.push(withComment(`  window: { newestDays: ${s.data.window.newestDays} }`, 'retrain on recent days; older ones stay in the folder'));
  L.push('  split:');
  L.push(withComment(`    method: ${s.data.split.method}`, s.data.splitReason));
  if (s.data.split.method === 'time') L.push(`    evaluationDays: ${s.data.split.evaluationDays}`);
  else {
    L.push(`    evaluationFraction: ${s.data.split.evaluationFraction}`);
    L.push(`    seed: ${s.data.split.seed}`);
  }
  L.push('');
  L.push(withComment(`label: ${yamlString(s.label)}`, s.labelReason));
  L.push('');
  L.push('features:');
  for (const f of s.features) {
    L.push(`  # ${f.column}: ${f.reason}`);
    L.push(`  - name: ${yamlString(f.name)}`);
    L.push(`    column: ${yamlString(f.column)}`);
    if (f.transform !== undefined) L.push(`    transform: ${f.transform}`);
    if (f.embedding !== undefined) L.push(`    embedding: ${f.embedding}`);
    if (f.maxVocabulary !== undefined) L.push(`    maxVocabulary: ${f.maxVocabulary}`);
  }
  if (s.skipped.length > 0) {
    L.push('  # Left out:');
    for (const k of s.skipped) L.push(`  #   ${k.column}: ${k.reason}`);
  }
  L.push('');
  L.push(withComment('model:', s.trainingReason));
  L.push(`  hidden: ${flow(s.model.hidden)}`);
  L.push('  activation: relu');
  L.push(`  dropout: ${s.model.dropout}`);
  L.push('');
  L.push('training:');
  L.push(withComment('  backend: auto', 'tfjs-node when installed, else wasm, else cpu'));
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

/** Splits `owner/repo@ref`; a UserError-free parse (the caller checks the form). */
export function parseActionsSource(source: string): { repo: string; ref: string } | null {
  const m = /^([\w.-]+\/[\w.-]+)@([\w./-]+)$/.exec(source);
  return m === null ? null : { repo: m[1]!, ref: m[2]! };
}

function usesLine(source: string, stage: string, version: string | undefined): string {
  const { repo, ref } = parseActionsSource(source)!;
  return `uses: ${repo}/actions/${stage}@${ref}${version === undefined ? '' : ` # ${version}`}`;
}

/**
 * `.github/workflows/ct.yml` for a repository that uses ct: this repository's workflow
 * with `uses: ./actions/<stage>` pointing at `source` (`owner/repo@sha`), the same
 * triggers, permissions, concurrency and timeouts. `version` is the comment the pin rule
 * asks for (`v1.2.3`).
 */
export function renderCtWorkflow(source: string, version: string | undefined, placeholder: boolean): string {
  const use = (stage: string): string => usesLine(source, stage, version);
  const note = placeholder
    ? `# ct's actions come from ${source}: a PLACEHOLDER. Replace it with ct's repository and a full
# commit sha (and its version in the comment), or run \`ct init --actions <owner/repo@sha> --force\`.
`
    : `# ct's actions come from ${source}, pinned to a commit (a tag can be moved to other code).
`;
  return `# Continuous training, written by \`ct init\`: new data, the daily schedule or a manual
# dispatch runs validate -> train -> evaluate -> promote. Promotion opens (or updates) a pull
# request that a person reviews and merges; nothing reaches production without it.
${note}#
# Schedules run on the default branch only, and GitHub disables them after 60 days without
# repository activity: pushes of data keep it active.
name: ct

on:
  push:
    branches: [main]
    paths: ['data/**', 'ct.config.yaml']
  schedule:
    - cron: '17 6 * * *'
  workflow_dispatch:
    inputs:
      dry-run:
        description: 'Validate, train and evaluate, but open no pull request'
        type: boolean
        default: false
      force-retrain:
        description: 'Retrain even when no new data arrived since the production model was trained'
        type: boolean
        default: false
      model:
        description: 'Config file of the model to retrain'
        type: string
        default: ct.config.yaml

permissions:
  contents: read

# One run per model at a time; a run in progress is never cancelled (a queued one waits).
concurrency:
  group: ct-\${{ inputs.model || 'ct.config.yaml' }}
  cancel-in-progress: false

jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    outputs:
      retrain-needed: \${{ steps.validate.outputs.retrain-needed }}
      drift-detected: \${{ steps.validate.outputs.drift-detected }}
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - ${use('validate')}
        id: validate
        with:
          config: \${{ inputs.model || 'ct.config.yaml' }}
          out: out
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        if: always()
        with:
          name: validation
          path: out/
          retention-days: 14

  train:
    needs: validate
    # A schedule with no new data (same files and config as production's training) skips
    # training; validate's log and summary say so. Pushes and forced dispatches always train.
    if: \${{ needs.validate.outputs.retrain-needed == 'true' || github.event_name == 'push' || inputs.force-retrain }}
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: validation
          path: out/
      # The bundled action trains on the wasm backend it ships; no npm ci needed.
      - ${use('train')}
        with:
          config: \${{ inputs.model || 'ct.config.yaml' }}
          out: out
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: candidate
          path: out/
          retention-days: 14

  evaluate:
    needs: train
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: candidate
          path: out/
      - ${use('evaluate')}
        with:
          config: \${{ inputs.model || 'ct.config.yaml' }}
          out: out
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        if: always()
        with:
          name: evaluation
          path: out/
          retention-days: 14

  promote:
    needs: evaluate
    if: \${{ !inputs.dry-run }}
    runs-on: ubuntu-latest
    timeout-minutes: 10
    # The only job that writes: the branch, the pull request, the ct/gates check.
    permissions:
      contents: write
      pull-requests: write
      checks: write
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
          fetch-depth: 0
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: evaluation
          path: out/
      - ${use('promote')}
        with:
          config: \${{ inputs.model || 'ct.config.yaml' }}
          out: out
          token: \${{ github.token }}
`;
}

/**
 * `.github/workflows/verify.yml`: re-checks a promotion pull request's numbers with the
 * repository's own ct (a dev dependency, run with npx after npm ci).
 */
export function renderVerifyWorkflow(): string {
  return `# Written by \`ct init\`. A promotion pull request claims numbers; this checks them before a
# person merges: every file of the proposed version matches its recorded checksum, the model
# loads, and scoring it (and the model it was compared with) again on the recorded
# evaluation days gives the metrics in its evaluation.json. Needs ct in package.json
# (npm install --save-dev ct) and a committed package-lock.json.
name: verify

on:
  pull_request:
    paths: ['models/**']

permissions:
  contents: read

jobs:
  verify:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
        with:
          persist-credentials: false
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0
        with:
          node-version: 20
          cache: npm
      - run: npm ci --no-audit --no-fund
      - run: npx ct verify --out verify-out
`;
}

/** The README section: what runs, where things are, what to do next. */
export function renderReadmeSection(s: Suggestion, files: { config: string; schema: string }, placeholder: boolean): string {
  return `${README_MARKER}
## Continuous training with ct

\`${s.name}\` (${s.task}, label \`${s.label}\`) is retrained by ct from
\`${s.data.path}\`: **validate** (the data against \`${files.schema}\`, and for drift) →
**train** (a TensorFlow.js model) → **evaluate** (candidate and production model on the same
rows, the gates of \`${files.config}\`) → **promote** (into \`models/${s.name}/\`, only when
the gates pass).

Next steps:

1. Review \`${files.config}\` (each feature and each left-out column says why) and
   \`${files.schema}\` (the data contract, inferred from the data: tighten it where you know
   better, e.g. \`min: 0\`).
2. \`npx ct run\` runs the whole loop locally; \`out/evaluation.md\` is the report.
3. Commit the config, the schema, \`.github/workflows/\` and \`models/\`.
${placeholder ? `4. **Set the source of ct's actions**: \`.github/workflows/ct.yml\` names \`YOUR-ORG/ct@000…\`, a
   placeholder; put ct's repository and a full commit sha (and its version in the comment)
   there, or run \`npx ct init ... --actions <owner/repo@sha> --force\`.
5.` : '4.'} Settings → Actions → General → Workflow permissions: allow GitHub Actions to create
   and approve pull requests. Then every push of data under \`data/\`, and the daily schedule,
   ends in a pull request \`Promote ${s.name} <version>\` to review; \`verify.yml\` re-checks its numbers.
`;
}
