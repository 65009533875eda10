/**
 * `ct update` as a user runs it: the first call has no production model and retrains
 * in full; after new partitions arrive, an update trains production on those alone from
 * its weights, is gated and promoted with its lineage; with nothing new it does nothing;
 * when the chain is older than `fullRetrainDays` it retrains in full again.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ct, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('ct update', () => {
  const days = shippedPartitions();
  const repo = tempRepo(days.slice(0, 6), 6);
  const config = smallConfig(6);
  config.training = { ...config.training, warmStart: { epochs: 1, fullRetrainDays: 6 } };
  config.gates = [{ metric: 'auc', lowerBound: 0.5 }];
  writeConfig(repo, 'ct.config.yaml', config);
  const arrive = (files: string[]): void => {
    for (const f of files) cpSync(path.join(root, 'data/flights', f), path.join(repo, 'data/flights', f));
  };
  const update = (): { status: number; result: Json; stderr: string } => {
    const r = ct(repo, ['update', '--json']);
    return { status: r.status, result: r.stdout === '' ? {} : (JSON.parse(r.stdout) as Json), stderr: r.stderr };
  };
  const training = (): Json => JSON.parse(readFileSync(path.join(repo, 'out/model/training.json'), 'utf8')) as Json;

  it('retrains in full without production, then updates on the new partitions only', () => {
    const first = update();
    expect(first.stderr).not.toMatch(/internal error/);
    expect(first.status).toBe(0);
    expect(first.result).toMatchObject({ ok: true, mode: 'full', reason: 'no production model yet: a full retrain on the configured window' });
    expect(training().start).toMatchObject({ mode: 'full', parent: null, epochs: 2 });
    const v1 = first.result.run.promotion.version as string;

    arrive(days.slice(6, 8));
    const second = update();
    expect(second.status).toBe(0);
    // Production trained through day 5 (day 6 was its evaluation day): the update reads days 6..8, trains on 6 and 7.
    expect(second.result).toMatchObject({ ok: true, mode: 'update', window: { from: days[5]!.slice(0, 10), to: days[7]!.slice(0, 10) } });
    const record = training();
    expect(record.data.trainParts).toEqual([days[5]!.slice(0, 10), days[6]!.slice(0, 10)]);
    expect(record.start).toMatchObject({ mode: 'warm', parent: v1, chain: [v1], fullRetrainDay: days[4]!.slice(0, 10), epochs: 1 });
    expect(record.epochs).toBe(1);
    expect(record.start.reason).toBe(`ct update: from production ${v1}`);
    const v2 = second.result.run.promotion.version as string;
    expect(v2).not.toBe(v1);
    // The promoted version carries its lineage.
    const promoted = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay', v2, 'training.json'), 'utf8')) as Json;
    expect(promoted.start.chain).toEqual([v1]);

    const nothing = update();
    expect(nothing.stderr).toBe('');
    expect(nothing.status).toBe(0);
    expect(nothing.result).toMatchObject({ ok: true, mode: 'nothing', run: null });
    expect(nothing.result.reason).toMatch(new RegExp(`^nothing new to train on: production ${v2} trained through ${days[6]!.slice(0, 10)}`));
  });

  it('runs job by job with --update: validate, train and evaluate read the same new days', () => {
    arrive(days.slice(8, 10));
    const job = (verb: string): Json => {
      const r = ct(repo, [verb, '--update', '--out', 'job', '--json']);
      expect({ verb, status: r.status, stderr: r.stderr }).toEqual({ verb, status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
      return JSON.parse(r.stdout) as Json;
    };
    const validation = job('validate');
    expect(validation).toMatchObject({ ok: true, update: 'update' });
    const record = job('train');
    // Production trained through day 6 (its evaluation day was day 7): the update trains on days 7 and 8, evaluates on day 9.
    expect(record.data.trainParts).toEqual([days[7]!.slice(0, 10), days[8]!.slice(0, 10)]);
    expect(record.start).toMatchObject({ mode: 'warm', chain: [expect.any(String), expect.any(String)] });
    const evaluation = job('evaluate');
    expect(evaluation).toMatchObject({ ok: true, data: { parts: [days[9]!.slice(0, 10)] } });
    // A train job with nothing new says so and leaves no candidate.
    rmSync(path.join(repo, 'job'), { recursive: true, force: true });
    const promoted = ct(repo, ['update', '--json']);
    expect(promoted.status).toBe(0);
    const nothing = ct(repo, ['train', '--update', '--out', 'job', '--json']);
    expect(nothing.status).toBe(0);
    expect((JSON.parse(nothing.stdout) as Json).update).toMatchObject({ kind: 'nothing' });
    expect(existsSync(path.join(repo, 'job/model'))).toBe(false);
  });

  it('retrains in full when the chain began fullRetrainDays of data ago', () => {
    arrive(days.slice(8, 12));
    const r = update();
    expect(r.status).toBe(0);
    expect(r.result.mode).toBe('full');
    expect(r.result.reason).toMatch(/^the last full retrain trained through 2001-01-05, 6 days before 2001-01-11 \(training.warmStart.fullRetrainDays: 6\)/);
    expect(training().start).toMatchObject({ mode: 'full', parent: null });
    expect(training().data.trainParts).toHaveLength(5);
  });

  it('refuses data that is not daily partitions, naming the settings', () => {
    writeConfig(repo, 'single.yaml', { ...config, data: { ...config.data, split: { method: 'hash', evaluationFraction: 0.2 } } });
    const r = ct(repo, ['update', '--config', 'single.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'ct: an update (ct update, --update) needs a folder of daily partitions and a time split (data.path, data.split.method: time)',
    );
  });
});
