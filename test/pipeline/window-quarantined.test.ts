/**
 * When the quarantined partitions leave the window no day to train on, validation says so
 * as the data's fault (exit 1, the days named), not as a config error about the split.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Anomaly } from '../../src/validate/checker.js';
import { writeQuarantinedWindow } from '../validate/screen-folder.js';
import { ct } from './repo.js';

describe('a window that its quarantined days leave without a training day', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'ct-window-'));
    writeQuarantinedWindow(repo);
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('validate and run name the quarantined day and exit 1; accepting the day lets the window train on it', () => {
    const r = ct(repo, ['validate']);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/data\.split\.evaluationDays: the newest/);
    expect(r.stderr.split('\n')).toContainEqual(
      "error: data: 1 partition(s) of the window are quarantined (2001-01-18; their reasons are in out/validation.md), and the days left are for evaluation only (data.split.evaluationDays: 2): no day is left to train on. Fix those days' data, or accept their changes if they are real: ct validate --accept 2001-01-18",
    );
    expect(r.stderr).toMatch(/left out data\/2001-01-18\.csv \(quarantined until it is fixed or accepted\): [^;]*row count is 300/);
    const v = JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8')) as { ok: boolean; anomalies: Anomaly[] };
    expect(v.ok).toBe(false);
    expect(v.anomalies.filter((a) => a.severity === 'error').map((a) => a.kind)).toEqual(['window_quarantined']);

    // ct run stops at validation the same way, before it reads the window or trains.
    rmSync(path.join(repo, 'out'), { recursive: true, force: true });
    const run = ct(repo, ['run']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: data: 1 partition\(s\) of the window are quarantined \(2001-01-18;/m);
    expect(existsSync(path.join(repo, 'out/model'))).toBe(false);

    const accepted = ct(repo, ['validate', '--accept', '2001-01-18', '--reason', 'a quiet day']);
    expect(accepted.stderr).not.toMatch(/window_quarantined|no day is left to train on/);
    expect(accepted.status).toBe(0);
  });
});
