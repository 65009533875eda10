/**
 * The command line itself: each verb takes only its own options, and every option value
 * or argument it cannot use is one line `ct: ...` with exit code 2, found before any config
 * or data is read (these run where there is no ct.config.yaml).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { longFlag } from '../../src/cli/options.js';
import { VERBS } from '../../src/cli/verbs.js';

/** Runs `ct argv`: exit code, stdout, stderr. */
async function ct(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { status: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let cwd: string;
let empty: string;
beforeAll(() => {
  cwd = process.cwd();
  empty = mkdtempSync(path.join(tmpdir(), 'ct-cli-'));
  process.chdir(empty);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(empty, { recursive: true, force: true });
});

describe('ct --version', () => {
  it("prints the package's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await ct([flag])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('ct <verb> --help', () => {
  it.each(VERBS.map((v) => [v.name, v]))('%s lists exactly the options it takes', async (name, verb) => {
    const r = await ct([name, '--help']);
    expect(r.status).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}(?:-h, )?(--[\w-]+)/gm)].map((m) => m[1]);
    expect(listed).toEqual([...verb.options.map(longFlag), '--help']);
  });

  it('validate takes --accept but not the options of promote or sweep', async () => {
    const { stdout } = await ct(['validate', '--help']);
    expect(stdout).toContain('--accept <day>');
    expect(stdout).not.toMatch(/--pr\b|--parallel|--leg\b/);
  });

  it('says which sub-verbs take an option, and which options are required', async () => {
    expect((await ct(['sweep', '--help'])).stdout).toMatch(/--parallel <n> +run: legs at a time/);
    expect((await ct(['replay', '--help'])).stdout).toMatch(/--to <date> +last step, inclusive \(required\)/);
  });
});

describe('an option the verb does not take', () => {
  it.each([
    [['validate', '--pr'], 'ct validate does not take --pr (it is an option of run, update, promote and rollback)'],
    [['validate', '--pr=yes'], 'ct validate does not take --pr (it is an option of run, update, promote and rollback)'],
    [['train', '--parallel', '2'], 'ct train does not take --parallel (it is an option of sweep)'],
    [['registry', 'check', '--data', 'x'], 'ct registry does not take --data (ct registry --help lists its options)'],
    [['init', '--data', 'x', '--label', 'y', '--backend', 'cpu'], 'ct init does not take --backend (ct init --help lists its options)'],
    [['validate', '--bogus'], 'ct validate: unknown option --bogus (ct validate --help lists its options)'],
    [['sweep', 'plan', '--parallel', '3'], 'ct sweep plan does not take --parallel (it is an option of sweep run)'],
    [['sweep', 'select', '--data', 'x'], 'ct sweep select does not take --data (it is an option of sweep run)'],
    [['stats', 'merge', 'a.json', '--groups', '2'], 'ct stats merge does not take --groups (it is an option of stats run)'],
    [['stats', 'run', '--data', 'x'], 'ct stats run does not take --data (it is an option of stats compute)'],
  ])('%j is refused: %s', async (argv, line) => {
    expect(await ct(argv)).toEqual({ status: 2, stdout: '', stderr: `ct: ${line}\n` });
  });
});

describe('a value or an argument the verb cannot use', () => {
  it.each([
    [['validate', '--accept', '2001-1-1'], '--accept: expected the day of a partition, YYYY-MM-DD, got "2001-1-1"'],
    [['validate', '--accept', '2001-02-30'], '--accept: expected the day of a partition, YYYY-MM-DD, got "2001-02-30"'],
    [['validate', '--reason', 'a strike'], 'ct validate: --reason needs --accept <day>'],
    [['promote', '--base', 'main'], 'ct promote: --base needs --pr'],
    [['train', '--backend', 'gpu'], '--backend: expected auto, fused, tensorflow, wasm or cpu, got "gpu"'],
    [['init', '--data', 'x', '--label', 'y', '--task', 'ranking'], '--task: expected binary, multiclass or regression, got "ranking"'],
    [['init', '--label', 'y'], 'ct init: --data <file|folder> is required'],
    [['init', '--data', 'x'], 'ct init: --label <column|comparison> is required'],
    [['sweep', 'run', '--parallel', '0'], '--parallel: expected a whole number >= 1, got 0'],
    [['sweep', 'run', '--parallel', '1.5'], '--parallel: expected a whole number >= 1, got 1.5'],
    [['stats', 'run', '--groups', 'two'], '--groups: expected a whole number >= 1, got two'],
    [['stats', 'compute', '--from', '2001-13-01'], '--from: expected a date YYYY-MM-DD, got "2001-13-01"'],
    [['replay', '--to', '2001-01-06'], 'ct replay: --from <date> is required'],
    [['replay', '--from', '2001-01-05'], 'ct replay: --to <date> is required'],
    [
      ['replay', '--from', '2001-01-05', '--to', '2001-01-06', '--every', 'weekly'],
      '--every: expected a period such as 7d, 1w or 1 (days, 1..366), got "weekly"',
    ],
    [['replay', '--from', '2001-01-05', '--to', '2001-01-06', '--window-days', '1'], '--window-days: expected a whole number of days >= 2, got 1'],
    [['sweep', 'fly'], 'ct sweep: expected plan, run or select, got "fly"'],
    [['registry', 'fix'], 'ct registry: expected check, got "fix"'],
    [['stats', 'sum'], 'ct stats: expected compute, merge or run, got "sum"'],
    [['stats', 'compute', 'extra.json'], 'ct stats compute: unexpected argument "extra.json"'],
    [['rollback'], "ct rollback: missing required argument 'version'"],
    [['train', '--config'], "ct train: option '--config <file>' argument missing"],
    [['fly'], "unknown command 'fly'"],
  ])('%j: %s', async (argv, line) => {
    expect(await ct(argv)).toEqual({ status: 2, stdout: '', stderr: `ct: ${line}\n` });
  });

  it('a valid command line goes on to read the config', async () => {
    expect(await ct(['sweep', 'run', '--parallel', '2', '--backend', 'cpu'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'ct: config file not found: ct.config.yaml\n',
    });
    expect((await ct(['registry', 'check', '--config', 'other.yaml'])).stderr).toBe('ct: config file not found: other.yaml\n');
  });

  it('no verb shows the help on stderr, exit code 2', async () => {
    const r = await ct([]);
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^Usage: ct /);
  });
});

describe('the verbs as declared', () => {
  it.each(VERBS.map((v) => [v.name, v]))('%s: each option once; --json, --quiet and --debug everywhere', (_name, verb) => {
    const flags = verb.options.map(longFlag);
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toEqual(expect.arrayContaining(['--json', '--quiet', '--debug']));
    for (const o of verb.options) {
      if (o.only !== undefined) expect(verb.what).toEqual(expect.arrayContaining([...o.only]));
      if (o.needs !== undefined) expect(flags).toContain(o.needs);
    }
  });
});
