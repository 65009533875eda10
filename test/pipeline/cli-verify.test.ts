/**
 * `ct verify` re-reads the evaluation rows of a recorded evaluation for every kind of
 * split (the time split of a folder is covered with the promotion pull request in
 * test/github/promote-pr.test.ts): a hash split of a folder of partitions, and a hash
 * split of one file. The metrics must reproduce on the same number of rows the evaluation
 * scored, and data changed since is a failed check naming what changed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ct, penguinRows, penguinsConfig, penguinsFolder, writeConfig } from './repo.js';

function evaluatedRows(dir: string): number {
  return (JSON.parse(readFileSync(path.join(dir, 'out/evaluation.json'), 'utf8')) as { rows: number }).rows;
}

describe('ct verify on hash splits', () => {
  it('a folder of daily partitions: the recorded days, split again, reproduce; an edited partition fails the check', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-verify-folder-'));
    const rows = penguinRows();
    const days = ['2024-03-01', '2024-03-02', '2024-03-03'];
    days.forEach((day, k) =>
      writeFileSync(
        path.join(dir, `${day}.jsonl`),
        rows
          .filter((_, i) => i % 3 === k)
          .map((r) => JSON.stringify(r))
          .join('\n'),
      ),
    );
    writeConfig(dir, 'ct.config.yaml', penguinsConfig({ data: { path: '.', split: { method: 'hash', evaluationFraction: 0.3, seed: 1 } } }));
    expect(ct(dir, ['run', '--json']).status).toBe(0);
    const scored = evaluatedRows(dir);
    expect(scored).toBeGreaterThan(50);
    expect(scored).toBeLessThan(rows.length / 2);

    const ok = ct(dir, ['verify', '--out', 'verify-out']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(new RegExp(`^ok: metrics of \\S+: \\d+ metrics reproduce on ${scored} rows$`, 'm'));

    const day = path.join(dir, '2024-03-02.jsonl');
    writeFileSync(day, readFileSync(day, 'utf8').split('\n').slice(1).join('\n'));
    const changed = ct(dir, ['verify', '--out', 'verify-out']);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(
      /^warning: FAILED: evaluation data: the partitions of \. the evaluation read \(2024-03-01 \.\. 2024-03-03\) have changed since$/m,
    );
  });

  it('one file: split again as the evaluation did; the record names the file relative to the repository', () => {
    const dir = penguinsFolder('ct-verify-file-');
    writeConfig(dir, 'ct.config.yaml', penguinsConfig());
    expect(ct(dir, ['run', '--json']).status).toBe(0);
    const evaluation = JSON.parse(readFileSync(path.join(dir, 'out/evaluation.json'), 'utf8')) as { rows: number; data: { parts: string[] } };
    expect(evaluation.data.parts).toEqual(['penguins.jsonl']);
    const ok = ct(dir, ['verify', '--out', 'verify-out']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(new RegExp(`^ok: metrics of \\S+: \\d+ metrics reproduce on ${evaluation.rows} rows$`, 'm'));
  });
});
