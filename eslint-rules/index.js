/**
 * ct's own lint rules: the import graph of `src/` has no cycle, and its arrows point one
 * way (CLI and actions -> stages -> shared services -> data and config).
 */
import path from 'node:path';
import { cyclesOf, importGraph, importsOf } from './import-graph.js';

/** The cycles of each source root, computed once per lint run. */
const cyclesByRoot = new Map();

function cycleMembers(root) {
  if (!cyclesByRoot.has(root)) {
    const members = new Map();
    for (const cycle of cyclesOf(importGraph(root))) for (const file of cycle) members.set(file, cycle);
    cyclesByRoot.set(root, members);
  }
  return cyclesByRoot.get(root);
}

/** The `src` folder a file lives under, or null. */
function sourceRoot(file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('src');
  return at < 0 ? null : parts.slice(0, at + 1).join(path.sep);
}

const noImportCycle = {
  meta: { type: 'problem', docs: { description: 'no import cycles between the modules of src/' }, schema: [] },
  create(context) {
    const file = context.filename;
    const root = sourceRoot(file);
    if (root === null) return {};
    return {
      ImportDeclaration(node) {
        const cycle = cycleMembers(root).get(file);
        if (cycle === undefined || !node.source.value.startsWith('.')) return;
        const target = path.resolve(path.dirname(file), node.source.value.replace(/\.js$/, '.ts'));
        if (!cycle.includes(target)) return;
        const names = cycle.map((f) => path.relative(root, f)).join(', ');
        context.report({
          node,
          message: `import cycle: ${path.relative(root, file)} imports ${path.relative(root, target)}, which leads back to it (cycle: ${names}); move what both need into a module below them`,
        });
      },
    };
  },
};

/**
 * Options: `pipeline` (folder of the stages, relative to src), `stages` and `composers`
 * (file names without .ts), `entries` (folders allowed to import stages).
 */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'a stage imports no other stage; only entries and composers import stages' },
    schema: [
      {
        type: 'object',
        properties: {
          pipeline: { type: 'string' },
          stages: { type: 'array', items: { type: 'string' } },
          composers: { type: 'array', items: { type: 'string' } },
          entries: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { pipeline = 'pipeline', stages = [], composers = [], entries = [] } = context.options[0] ?? {};
    const file = context.filename;
    const root = sourceRoot(file);
    if (root === null) return {};
    const pipelineDir = path.join(root, pipeline);
    const stageOf = (f) => (path.dirname(f) === pipelineDir ? path.basename(f, '.ts') : null);
    const self = stageOf(file);
    const fromEntry = entries.some((e) => file.startsWith(path.join(root, e) + path.sep));
    return {
      ImportDeclaration(node) {
        if (!node.source.value.startsWith('.')) return;
        const target = path.resolve(path.dirname(file), node.source.value.replace(/\.js$/, '.ts'));
        const name = stageOf(target);
        if (name === null || !(stages.includes(name) || composers.includes(name))) return;
        if (fromEntry || composers.includes(self)) return;
        const who = self !== null ? (stages.includes(self) ? `stage ${self}` : `pipeline service ${self}`) : path.relative(root, file);
        context.report({
          node,
          message: `${who} imports ${stages.includes(name) ? 'stage' : 'composer'} ${name}: only the CLI, the actions and the composers (${composers.join(', ')}) import stages; move what both need below them (pipeline/context.ts, evaluate/score.ts, artifacts.ts)`,
        });
      },
    };
  },
};

const plugin = { meta: { name: 'ct' }, rules: { 'no-import-cycle': noImportCycle, layers } };

/**
 * ct's layering of src/, as an ESLint config block: arrows point one way, CLI and actions ->
 * composers -> stages -> shared services -> data and config.
 */
export const srcLayers = {
  files: ['src/**/*.ts'],
  plugins: { ct: plugin },
  rules: {
    'ct/no-import-cycle': 'error',
    'ct/layers': [
      'error',
      {
        pipeline: 'pipeline',
        stages: ['validate', 'train', 'evaluate', 'promote', 'predict', 'verify', 'stats', 'sweep', 'init', 'registry-check', 'report'],
        // A composer runs stages in order: run (validate -> train -> evaluate -> promote), update (run or each stage on the days since production),
        // replay (run or update over past days), monitor (validate new days, then decide).
        composers: ['run', 'update', 'replay', 'monitor'],
        entries: ['cli', 'actions'],
      },
    ],
  },
};

export { importsOf };
export default plugin;
