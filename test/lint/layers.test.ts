/**
 * The shape of `src/`: no import cycle, and no stage importing another stage. ESLint
 * enforces both (eslint-rules/); this runs the same rules in the test suite, and checks
 * that they catch what they are for.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { cyclesOf, importGraph } from '../../eslint-rules/import-graph.js';
import { srcLayers } from '../../eslint-rules/index.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Lints `files` under `cwd` with the project's config and returns the ct/ rule messages. */
async function ctMessages(cwd: string, files: string[]): Promise<string[]> {
  // Only ct's rules, with TypeScript's parser: the type-aware rules of the full config are for `npm run lint`.
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, srcLayers],
  });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith('ct/') === true).map((m) => `${path.relative(cwd, r.filePath)}: ${m.message}`));
}

test('src/ has no import cycle and no stage imports another stage', async () => {
  expect(cyclesOf(importGraph(path.join(root, 'src')))).toEqual([]);
  expect(await ctMessages(root, ['src'])).toEqual([]);
}, 60_000);

describe('the rules catch what they are for', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ct-lint-'));
    const write = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('src/report/a.ts', "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    write('src/report/b.ts', "import type { A } from './c.js';\nexport const b = (): number => 1;\nexport type B = A;\n");
    write('src/report/c.ts', "import { a } from './a.js';\nexport type A = typeof a;\n");
    write('src/pipeline/verify.ts', "import { runTrain } from './train.js';\nexport const runVerify = runTrain;\n");
    write('src/pipeline/train.ts', "import { where } from './context.js';\nexport const runTrain = (): string => where;\n");
    write('src/pipeline/context.ts', "export const where = 'here';\n");
    write('src/pipeline/run.ts', "import { runTrain } from './train.js';\nexport const runPipeline = runTrain;\n");
    write('src/cli/main.ts', "import { runPipeline } from '../pipeline/run.js';\nexport const main = runPipeline;\n");
    write('src/data/read.ts', "import { runTrain } from '../pipeline/train.js';\nexport const read = runTrain;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a cycle through a type-only import is found, on every import that closes it', async () => {
    expect(cyclesOf(importGraph(path.join(dir, 'src'))).map((c) => c.map((f) => path.basename(f)))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    const messages = (await ctMessages(dir, ['src/report'])).sort();
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^src\/report\/a\.ts: import cycle: report\/a\.ts imports report\/b\.ts/);
  });

  test('a stage importing a stage, and a lower module importing a stage, are refused; the CLI and a composer may', async () => {
    const messages = await ctMessages(dir, ['src/pipeline', 'src/cli', 'src/data']);
    expect(messages.sort()).toEqual([
      expect.stringMatching(/^src\/data\/read\.ts: data\/read\.ts imports stage train/),
      expect.stringMatching(/^src\/pipeline\/verify\.ts: stage verify imports stage train/),
    ]);
  });
});
