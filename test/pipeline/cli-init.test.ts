/**
 * `ct init` then `ct run` with the compiled binary, in fresh git repositories, on two
 * vega-datasets tables ct was never tuned for: each reaches a promoted model without a
 * hand edit. The wall time from init to the promoted model is printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ct, root } from './repo.js';

const vega = (file: string): string => path.join(root, 'node_modules/vega-datasets/data', file);

/** A fresh git repository (ct records the commit in lineage when there is one). */
function gitRepo(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

describe('ct init -> ct run', () => {
  it.each([
    ['penguins', 'penguins.json', 'Species', 'multiclass', 'jsonl'],
    ['cars', 'cars.json', 'Miles_per_Gallon', 'regression', 'jsonl'],
    // One row a day over four years: a time split of one CSV file.
    ['seattle-weather', 'seattle-weather.csv', 'weather', 'multiclass', 'csv'],
    // Column names with spaces, many empty values, dates written as text.
    ['movies', 'movies.json', 'IMDB Rating', 'regression', 'jsonl'],
  ])('%s: init, then run reaches a promoted model with no edits', (name, file, label, task, ext) => {
    const dir = gitRepo(`ct-init-${name}-`);
    const t0 = Date.now();
    const init = ct(dir, ['init', '--data', vega(file), '--label', label]);
    // The one warning: ct itself is not yet a dependency of this new repository.
    expect(init.stderr).toMatch(
      /^warning: ct is not a dependency of this repository: install it \(npm install --save-dev \S+\), then commit package\.json and package-lock\.json; the workflows run that ct\n$/,
    );
    expect(init.status).toBe(0);
    expect(init.stdout.trim().split('\n')).toEqual([
      `wrote data/${name}/${name}.${ext}`,
      `wrote data/${name}/schema.json`,
      'wrote ct.config.yaml',
      'wrote .github/workflows/ct.yml',
      'wrote .github/workflows/ct-model.yml',
      'wrote .github/workflows/verify.yml',
      'wrote .github/workflows/deploy.yml',
      'wrote .github/workflows/deploy-model.yml',
      'wrote README.md',
      'wrote .gitignore',
      'next: npx ct run',
    ]);
    expect(readFileSync(path.join(dir, 'ct.config.yaml'), 'utf8')).toMatch(new RegExp(`^task: ${task} `, 'm'));
    const run = ct(dir, ['run', '--json']);
    const seconds = (Date.now() - t0) / 1000;
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(0);
    expect(existsSync(path.join(dir, `models/${name}/production.json`))).toBe(true);
    process.stderr.write(`ct init -> promoted ${name}: ${seconds.toFixed(1)} s wall\n`);
  });

  it('refuses to overwrite without --force: exit 2, one line naming the file', () => {
    const dir = gitRepo('ct-init-refuse-');
    expect(ct(dir, ['init', '--data', vega('penguins.json'), '--label', 'Species']).status).toBe(0);
    const again = ct(dir, ['init', '--data', vega('penguins.json'), '--label', 'Species']);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe('ct: data/penguins/penguins.jsonl exists; pass --force to overwrite it\n');
    const forced = ct(dir, ['init', '--data', vega('penguins.json'), '--label', 'Species', '--force', '--json']);
    expect(forced.status).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ next: 'npx ct run', suggestion: { task: 'multiclass' } });
  });

  it('a missing --label is exit 2 with one line', () => {
    const r = ct(gitRepo('ct-init-usage-'), ['init', '--data', vega('penguins.json')]);
    expect([r.status, r.stderr]).toEqual([2, 'ct: ct init: --label <column|comparison> is required\n']);
  });
});
