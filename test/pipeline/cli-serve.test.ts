/**
 * `ct serve` end to end on loopback: the compiled CLI with two worker processes serving the
 * production model of a real registry. Answers in JSON and CSV are the model's own scores;
 * a bad request is a 400 naming its field; under steady load a new production version is
 * swapped in with no failed request, and a version whose files do not match its checksums
 * is refused while the old one keeps serving; the prediction log reads back as data; the
 * metrics sum both workers; SIGTERM lets a request in flight finish.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJsonLines } from '../../src/data/jsonl.js';
import { readTable } from '../../src/data/read.js';
import { type Table, valueAt } from '../../src/data/table.js';
import { ct, shippedPartitions, startServe, tempRepo } from './repo.js';

/** Rows of a table as plain objects (timestamps as ISO strings), the label left out. */
function requestRows(table: Table, count: number): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) rows.push(Object.fromEntries(table.columns.filter((c) => c.name !== 'delay').map((c) => [c.name, valueAt(c, i)])));
  return rows;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('ct serve', () => {
  const partitions = shippedPartitions().slice(-3);
  const repo = tempRepo(partitions);
  const registry = path.join(repo, 'models/flight-delay');
  let server: Awaited<ReturnType<typeof startServe>>;
  let rows: Array<Record<string, unknown>>;
  let pointer: { version: string; files: Record<string, string> };

  /** Production switched to a copy of the first version named `version` (its files changed by `tamper`), written atomically. */
  const promoteCopy = (version: string, tamper?: (dir: string) => void): void => {
    cpSync(path.join(registry, pointer.version), path.join(registry, version), { recursive: true });
    tamper?.(path.join(registry, version));
    writeFileSync(path.join(registry, 'production.json.tmp'), JSON.stringify({ ...pointer, version, previous: pointer.version }));
    renameSync(path.join(registry, 'production.json.tmp'), path.join(registry, 'production.json'));
  };

  beforeAll(async () => {
    expect(ct(repo, ['run', '--quiet']).status).toBe(0);
    pointer = JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8'));
    rows = requestRows(await readTable(path.join(repo, 'data/flights', partitions.at(-1)!)), 64);
    writeConfigReload(repo);
    server = await startServe(repo, ['--workers', '2']);
  }, 120_000);

  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it("answers one row, a batch and CSV with the production model's scores, the same for the same row", async () => {
    const one = await post(`${server.url}/v1/models/flight-delay/predict`, rows[0]);
    expect(one.status).toBe(200);
    expect(one.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const single = (await one.json()) as Record<string, unknown>;
    expect(single).toMatchObject({ model: 'flight-delay', version: pointer.version, predicted: expect.any(Number) });
    expect(single.probability).toBeGreaterThan(0);
    expect(single.probability).toBeLessThan(1);
    const batch = (await (await post(`${server.url}/v1/predict`, rows, { 'x-request-id': 'batch-1' })).json()) as {
      requestId: string;
      predictions: Array<Record<string, number>>;
    };
    expect(batch.requestId).toBe('batch-1');
    expect(batch.predictions).toHaveLength(64);
    expect(batch.predictions[0]!.probability).toBe(single.probability);
    const csvBody = `date,distance,origin,destination\n${rows
      .slice(0, 3)
      .map((r) => [r.date, r.distance, r.origin, r.destination].join(','))
      .join('\n')}\n`;
    const csv = await post(`${server.url}/v1/predict`, csvBody, { 'content-type': 'text/csv', accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('probability,predicted');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(batch.predictions.slice(0, 3).map((p) => p.probability));
    expect(((await (await fetch(`${server.url}/healthz`)).json()) as { status: string }).status).toBe('ok');
  });

  it('refuses a request the model would answer with an imputed or NaN value: 400 naming the field', async () => {
    const negative = await post(`${server.url}/v1/predict`, { ...rows[0], distance: -500 });
    expect(negative.status).toBe(400);
    expect(await negative.json()).toMatchObject({ field: 'distance', error: expect.stringMatching(/^row 1: column "distance": .*negative/) });
    const missing = await post(`${server.url}/v1/predict`, [rows[0], { ...rows[1], distance: undefined }]);
    expect(missing.status).toBe(400);
    const text = await post(`${server.url}/v1/predict`, [rows[0], { ...rows[1], distance: 'far' }]);
    expect(await text.json()).toMatchObject({ field: 'distance', error: expect.stringMatching(/^row 2: /) });
    expect((await post(`${server.url}/v1/models/nope/predict`, rows[0])).status).toBe(404);
    expect((await post(`${server.url}/v1/predict`, '{not json')).status).toBe(400);
  });

  it('swaps in a new production version under load with no failed request, and refuses one that fails its checksums', async () => {
    let stop = false;
    const failures: string[] = [];
    const versions = new Set<string>();
    let answered = 0;
    const loop = async (k: number): Promise<void> => {
      for (let i = k; !stop; i += 4) {
        try {
          const r = await post(`${server.url}/v1/predict`, rows[i % rows.length]);
          const body = (await r.json()) as { version?: string; error?: string };
          if (r.status !== 200) failures.push(`${r.status} ${body.error}`);
          else versions.add(body.version!);
          answered++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const loops = [0, 1, 2, 3].map(loop);
    const until = async (what: () => boolean): Promise<void> => {
      for (let t = 0; t < 300 && !what(); t++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => answered > 50);
    promoteCopy('20990101T000000Z-second');
    // Both workers have swapped once the metrics say each serves the new version.
    await until(() => /ct_serve_reloads_total\{model="flight-delay",outcome="loaded"\} 4/.test(lastMetrics));
    promoteCopy('20990101T000000Z-tampered', (dir) => writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(16)));
    await until(() => /outcome="refused"\} 2/.test(lastMetrics));
    const before = answered;
    await until(() => answered > before + 50);
    stop = true;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    expect(versions).toEqual(new Set([pointer.version, '20990101T000000Z-second']));
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { models: Array<{ version: string }> };
    expect(health.models[0]!.version).toBe('20990101T000000Z-second');
    expect(server.output()).toMatch(/20990101T000000Z-tampered refused, 20990101T000000Z-second keeps serving: registry: checksum mismatch/);
  }, 120_000);

  let lastMetrics = '';
  const poll = setInterval(() => {
    if (server === undefined) return;
    fetch(`${server.url}/metrics`)
      .then((r) => r.text())
      .then((t) => (lastMetrics = t))
      .catch(() => undefined);
  }, 200);

  it('metrics sum both workers', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/# TYPE ct_serve_requests_total counter/);
    const ok = Number(/ct_serve_requests_total\{model="flight-delay",status="200"\} (\d+)/.exec(text)?.[1]);
    expect(ok).toBeGreaterThan(100);
    expect(text).toMatch(/ct_serve_requests_total\{model="flight-delay",status="400"\} [3-9]/);
    expect(text).toMatch(/ct_serve_prediction_log_rows_total\{outcome="logged"\} \d+/);
  });

  it('on SIGTERM a request in flight finishes; the prediction log then reads back as data', async () => {
    clearInterval(poll);
    const inFlight = post(`${server.url}/v1/predict`, Array.from({ length: 40 }, () => rows).flat());
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { predictions: unknown[] }).predictions).toHaveLength(40 * 64);
    const code = await new Promise<number | null>((resolve) =>
      server.child.exitCode !== null ? resolve(server.child.exitCode) : server.child.on('exit', resolve),
    );
    expect(code).toBe(0);
    const folder = path.join(repo, 'predictions/flight-delay');
    expect(existsSync(folder)).toBe(true);
    const days = readdirSync(folder);
    expect(days.every((d) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(d))).toBe(true);
    const logged = days.map((d) => readJsonLines(path.join(folder, d)));
    const total = logged.reduce((n, t) => n + t.rowCount, 0);
    expect(total).toBeGreaterThan(100);
    const names = logged[0]!.columns.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(['date', 'distance', 'origin', 'destination', 'ct_request_id', 'ct_version', 'ct_probability', 'ct_predicted']),
    );
    const versions = new Set(
      logged.flatMap((t) =>
        Array.from({ length: t.rowCount }, (_, i) =>
          valueAt(
            t.columns.find((c) => c.name === 'ct_version')!,
            i,
          ),
        ),
      ),
    );
    expect(versions).toEqual(new Set([pointer.version, '20990101T000000Z-second']));
    // The log feeds ct monitor: what production was asked, judged without a label (production pointed back at a sound version).
    writeFileSync(path.join(registry, 'production.json'), JSON.stringify({ ...pointer, version: '20990101T000000Z-second' }));
    writeFileSync(path.join(repo, 'ct.config.yaml'), `${readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8')}monitoring:\n  source: predictions\n`);
    const monitor = ct(repo, ['monitor', '--json']);
    expect(monitor.status).toBe(0);
    expect(JSON.parse(monitor.stdout)).toMatchObject({ source: { kind: 'predictions', logged: total, labelled: 0 }, rows: 0 });
  }, 60_000);
});

/** The repository's config with a fast reload, so the test does not wait for the default. */
function writeConfigReload(repo: string): void {
  const file = path.join(repo, 'ct.config.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}serving:\n  reloadSeconds: 0.2\n`);
}
