/**
 * `ct monitor` on ct serve's prediction log (`monitoring.source: predictions`): with no
 * label it judges the inputs and the predictions against production's training statistics
 * and retrains on drift alone, saying so; labels that arrive later are joined to their
 * predictions by request id and row, and the metric is scored on them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { readTable } from '../../src/data/read.js';
import { type Table, valueAt } from '../../src/data/table.js';
import type { MonitorRecord } from '../../src/monitor/decide.js';
import { PredictionLog } from '../../src/serve/log.js';
import { ct, root, runNode, shippedPartitions, tempRepo } from './repo.js';

/** Rows of a table as plain objects, timestamps as ISO strings. */
function rowsOf(table: Table): Array<Record<string, unknown>> {
  return Array.from({ length: table.rowCount }, (_, i) => Object.fromEntries(table.columns.map((c) => [c.name, valueAt(c, i)])));
}

describe('ct monitor on the prediction log', () => {
  const partitions = shippedPartitions().slice(-3);
  const repo = tempRepo(partitions);
  let served: Array<Record<string, unknown>>;
  const monitor = (): MonitorRecord => {
    const r = ct(repo, ['monitor', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as MonitorRecord;
  };

  beforeAll(async () => {
    expect(ct(repo, ['run', '--quiet']).status).toBe(0);
    const file = path.join(repo, 'ct.config.yaml');
    const config = parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    config.monitoring = { source: 'predictions', minRows: 500, newestDays: 2 };
    writeFileSync(file, stringify(config));
    // What production was asked: a day of flights whose distances arrive in kilometres (every value plausible).
    const day = rowsOf(await readTable(path.join(repo, 'data/flights', partitions.at(-1)!))).slice(0, 3000);
    served = day.map(({ delay: _label, ...inputs }) => ({ ...inputs, distance: Math.round((inputs.distance as number) * 1.609) }));
    const log = new PredictionLog({ dir: path.join(repo, 'predictions'), sample: 1, maxBytesPerDay: 1 << 30 });
    served.forEach((row, i) =>
      log.record({
        model: 'flight-delay',
        version: 'v',
        requestId: `r${i}`,
        time: new Date('2026-12-01T12:00:00Z'),
        rows: [row],
        predictions: [{ probability: 0.5, predicted: 0 }],
      }),
    );
    log.close();
    // The labels of the first 1,000 requests, as they arrive later.
    mkdirSync(path.join(repo, 'labels/flight-delay'), { recursive: true });
    writeFileSync(
      path.join(repo, 'labels/flight-delay/2026-12-02.csv'),
      `ct_request_id,delay\n${day
        .slice(0, 1000)
        .map((r, i) => `r${i},${r.delay as number}`)
        .join('\n')}\n`,
    );
  }, 120_000);

  it('without labels: drift of what production sees decides a retrain, and the record says it judged on drift alone', () => {
    const labels = path.join(repo, 'labels');
    const moved = `${labels}.later`;
    renameSync(labels, moved);
    try {
      const record = monitor();
      expect(record.source).toEqual({ kind: 'predictions', logged: 3000, labelled: 0 });
      expect(record.rows).toBe(0);
      expect(record.value).toBeNull();
      expect(record.drift?.columns).toContain('distance');
      expect(record).toMatchObject({ outcome: 'retrain', retrain: true, judgedOn: 'drift' });
      expect(record.reasons[0]).toMatch(
        /^only 0 labelled row\(s\) to judge \(monitoring.minRows 500\); judged on drift alone \(monitoring.driftWithoutLabels\): dataset drift \(.*distance/,
      );
      expect(readFileSync(path.join(repo, 'out/monitor/monitor.md'), 'utf8')).toMatch(/Judged on: drift alone/);
    } finally {
      renameSync(moved, labels);
    }
  }, 120_000);

  it('a retrain is told to the webhook: a Slack-compatible message, retried, the URL never in the output', async () => {
    const bodies: Array<{ text: string }> = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as { text: string });
        res.writeHead(bodies.length === 1 ? 503 : 200);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-token-456`;
    const file = path.join(repo, 'ct.config.yaml');
    const before = readFileSync(file, 'utf8');
    const config = parse(before) as Record<string, Record<string, unknown>>;
    config.monitoring = { ...config.monitoring, webhook: { on: ['alert', 'retrain'] } };
    writeFileSync(file, stringify(config));
    const labels = path.join(repo, 'labels');
    renameSync(labels, `${labels}.later`);
    // The run before judged the same rows: without its record this run judges them again.
    const history = path.join(repo, 'models/flight-delay/monitor.jsonl');
    renameSync(history, `${history}.before`);
    try {
      const r = await runNode(path.join(root, 'bin/ct.js'), ['monitor', '--json', '--out', 'out-webhook'], {
        cwd: repo,
        env: { ...process.env, CI: 'true', CT_MONITOR_WEBHOOK: url, CT_WEBHOOK_RETRY_MS: '20' },
      });
      expect(r.status).toBe(0);
      const record = JSON.parse(r.stdout) as MonitorRecord;
      expect(record.outcome).toBe('retrain');
      expect(record.actions.webhook).toBe('sent');
      expect(bodies).toHaveLength(2);
      expect(bodies[1]!.text).toMatch(/^ct monitor: flight-delay is being retrained: no labelled rows\. only 0 labelled row/);
      expect(r.stdout + r.stderr).not.toMatch(/secret-token-456/);
      expect(readFileSync(path.join(repo, 'out-webhook/monitor/monitor.md'), 'utf8')).not.toMatch(/secret-token-456/);
    } finally {
      renameSync(`${labels}.later`, labels);
      renameSync(`${history}.before`, history);
      writeFileSync(file, before);
      server.close();
    }
  }, 120_000);

  it('late labels are joined to their predictions and scored', () => {
    const record = monitor();
    expect(record.source).toEqual({ kind: 'predictions', logged: 3000, labelled: 1000 });
    expect(record.rows).toBe(1000);
    expect(record.value).toBeGreaterThan(0.5);
    expect(record.judgedOn).toBe('labels');
    expect(readFileSync(path.join(repo, 'out/monitor/monitor.md'), 'utf8')).toMatch(/the prediction log \(3000 rows logged, 1000 with a late label\)/);
  }, 120_000);
});
