/**
 * A sweep end to end on a small window: plan -> three legs (each trained and evaluated
 * on its own, as matrix jobs would) -> select; then the same locally with `sweep run`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashFiles } from '../../src/registry/registry.js';
import { ct, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

const modelFiles = (dir: string): Record<string, string> =>
  Object.fromEntries(['model.json', 'weights.bin', 'preprocessing.json', 'training.json', 'statistics.json'].map((f) => [f, path.join(dir, f)]));

describe('ct sweep', () => {
  const repo = tempRepo(shippedPartitions().slice(0, 4), 4);
  const config = smallConfig(4);
  (config as Record<string, unknown>).sweep = { parameters: { 'training.learningRate': [0.0003, 0.003, 0.03] } };
  writeConfig(repo, 'ct.config.yaml', config);
  const json = (file: string) => JSON.parse(readFileSync(path.join(repo, file), 'utf8'));

  it('plan -> 3 legs -> select: the best leg by auc becomes the candidate, and the report lists all three', () => {
    const plan = ct(repo, ['sweep', 'plan']);
    expect(plan.status).toBe(0);
    const matrix = JSON.parse(plan.stdout);
    expect(matrix).toEqual({ include: [0.0003, 0.003, 0.03].map((lr, i) => ({ leg: `leg-${i + 1}`, params: `training.learningRate=${lr}` })) });

    for (const { leg } of matrix.include) {
      const out = `out/legs/${leg}`;
      expect(ct(repo, ['train', '--leg', leg, '--out', out, '--quiet']).status).toBe(0);
      const evaluated = ct(repo, ['evaluate', '--leg', leg, '--out', out, '--quiet']);
      expect([leg, evaluated.stderr]).toEqual([leg, expect.not.stringMatching(/internal error/)]);
      expect(json(`${out}/model/training.json`).hyperparameters.training.learningRate).toBe(
        Number(matrix.include.find((m: { leg: string }) => m.leg === leg).params.split('=')[1]),
      );
    }
    const aucs: number[] = matrix.include.map(({ leg }: { leg: string }) => json(`out/legs/${leg}/evaluation.json`).candidate.metrics.auc);
    const best = aucs.indexOf(Math.max(...aucs));

    const selected = ct(repo, ['sweep', 'select', '--json']);
    const record = JSON.parse(selected.stdout);
    expect(record).toMatchObject({ format: 'ct-sweep', metric: 'auc', selected: `leg-${best + 1}`, baseline: null });
    expect(record.legs.map((l: { id: string; value: number }) => [l.id, l.value])).toEqual(aucs.map((a, i) => [`leg-${i + 1}`, a]));
    expect(selected.status).toBe(record.legs[best].gatesPassed ? 0 : 1);
    // The selected leg's candidate and its own evaluation are where ct promote looks.
    expect(hashFiles(modelFiles(path.join(repo, 'out/model')))).toBe(record.legs[best].contentHash);
    expect(json('out/evaluation.json').candidate.contentHash).toBe(record.legs[best].contentHash);
    const md = readFileSync(path.join(repo, 'out/sweep.md'), 'utf8');
    for (const [i, lr] of [0.0003, 0.003, 0.03].entries())
      expect(md).toMatch(new RegExp(`\\| (\\*\\*)?leg-${i + 1}(\\*\\* \\(selected\\))? \\| training\\.learningRate=${lr} \\| ${aucs[i]!.toFixed(4)} \\|`));
  }, 180_000);

  it('legs scored on other rows cannot be compared: select refuses with one line', () => {
    writeFileSync(path.join(repo, 'other.yaml'), readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8').replace('newestDays: 4', 'newestDays: 3'));
    expect(ct(repo, ['evaluate', '--config', 'other.yaml', '--leg', 'leg-2', '--out', 'out/legs/leg-2', '--quiet']).status).not.toBe(2);
    const r = ct(repo, ['sweep', 'select']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^ct: leg-2 was evaluated on other rows or against another production model than leg-1 \(data sha256:[0-9a-f]{12} vs sha256:[0-9a-f]{12}, production none vs none\): run all legs on the same data\n$/,
    );
  }, 60_000);

  it('sweep run: the legs as parallel processes, then select; the same winner', () => {
    const r = ct(repo, ['sweep', 'run', '--parallel', '3', '--out', 'out-local', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const record = JSON.parse(r.stdout);
    expect(record.legs).toHaveLength(3);
    expect(record.run).toMatchObject({ parallel: 3 });
    const manual = json('out/sweep.json');
    expect(record.selected).toBe(manual.selected);
    expect(record.legs.map((l: { value: number }) => l.value)).toEqual(manual.legs.map((l: { value: number }) => l.value));
  }, 180_000);

  it('bad sweeps and legs: one line, exit 2', () => {
    const bad = smallConfig(4);
    (bad as Record<string, unknown>).sweep = { parameters: { 'data.window': [{ newestDays: 2 }] } };
    writeConfig(repo, 'bad.yaml', bad);
    const cases: Array<[string[], string]> = [
      [
        ['sweep', 'plan', '--config', 'bad.yaml'],
        'ct: bad.yaml: sweep.parameters.data.window: unknown key, must match ^(model|training)\\.[A-Za-z][A-Za-z0-9]*$',
      ],
      [['train', '--leg', 'leg-7'], 'ct: --leg leg-7: the sweep of ct.config.yaml has leg-1, leg-2, leg-3'],
      [['sweep', 'fly'], 'ct: ct sweep: expected plan, run or select, got "fly"'],
      [['sweep', 'run', '--parallel', '0'], 'ct: --parallel: expected a whole number >= 1, got 0'],
    ];
    for (const [args, line] of cases) {
      const r = ct(repo, args);
      expect([args.join(' '), r.status, r.stderr.trim()]).toEqual([args.join(' '), 2, line]);
    }
  });
});
