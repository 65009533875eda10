/**
 * Data from object storage: a data path may be a URL. Parquet is read with range
 * requests (footer and column chunks, never the whole file); CSV is streamed down;
 * credentials come from the environment and never show.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTable } from '../../src/data/read.js';
import { readChunksOf } from '../../src/data/stream.js';
import { fingerprintFiles } from '../../src/data/dataset.js';
import { displayPath } from '../../src/data/files.js';
import { learnVersions } from '../../src/data/remote.js';
import { root, runNode, shippedPartitions, smallConfig, writeConfig } from '../pipeline/repo.js';
import { type RangeServer, startRangeServer } from './range-server.js';

const TOKEN = 'objstoreSECRET0123456789';
const day = shippedPartitions()[2]!;

describe('data from a URL', () => {
  let folder: string;
  let server: RangeServer;
  let open: RangeServer;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'ct-bucket-'));
    cpSync(path.join(root, 'data/flights', day), path.join(folder, day));
    const local = await readTable(path.join(folder, day));
    const lines = ['date,delay,distance,origin,destination'];
    const [date, delay, distance, origin, destination] = local.columns as unknown as Array<{ values?: Float64Array; codes?: Int32Array; dictionary?: string[] }>;
    for (let i = 0; i < local.rowCount; i++) lines.push(`${new Date(date!.values![i]!).toISOString().slice(0, 16)},${delay!.values![i]},${distance!.values![i]},${origin!.dictionary![origin!.codes![i]!]},${destination!.dictionary![destination!.codes![i]!]}`);
    writeFileSync(path.join(folder, 'flights.csv'), `${lines.join('\n')}\n`);
    server = await startRangeServer(folder, { authorization: `Bearer ${TOKEN}` });
    open = await startRangeServer(folder);
    process.env.CT_HTTP_TOKEN = TOKEN;
  });

  afterAll(async () => {
    delete process.env.CT_HTTP_TOKEN;
    await server.close();
    await open.close();
  });

  it('Parquet by range requests: the same table as the local file, the whole file never fetched', async () => {
    const url = `${server.url}/${day}?X-Amz-Signature=abc123`;
    const remote = await readTable(url);
    const local = await readTable(path.join(folder, day));
    expect(remote.rowCount).toBe(local.rowCount);
    expect(remote.columns).toEqual(local.columns);
    expect(remote.sources[0]!.file).toBe(`${server.url}/${day}`);
    const size = statSync(path.join(folder, day)).size;
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(1);
    for (const g of gets) expect(g.range).toMatch(/^bytes=\d+-\d+$/);
    expect(gets.every((g) => g.bytes < size)).toBe(true);
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // Chunks read the same way; the fingerprint comes from the server's version, and names no secret.
    let rows = 0;
    for await (const chunk of readChunksOf([url])) rows += chunk.rowCount;
    expect(rows).toBe(local.rowCount);
    expect(fingerprintFiles([url])).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(displayPath(url)).toBe(`${server.url}/${day}`);
  });

  it('only the columns asked for are fetched', async () => {
    const fetched = async (columns?: string[]): Promise<number> => {
      open.requests.length = 0;
      await readTable(`${open.url}/${day}`, columns === undefined ? {} : { columns });
      // Column chunks: every range request after the first (the footer).
      return open.requests.filter((r) => r.method === 'GET').slice(1).reduce((n, r) => n + r.bytes, 0);
    };
    const all = await fetched();
    const one = await fetched(['delay']);
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThan(all / 2);
  });

  it('a remote file can be fingerprinted before it is read (one HEAD request), and the same version gives the same fingerprint', async () => {
    const url = `${open.url}/${day}?fresh=1`;
    open.requests.length = 0;
    await learnVersions([url]);
    expect(open.requests.map((r) => r.method)).toEqual(['HEAD']);
    const before = fingerprintFiles([url]);
    await readTable(url);
    expect(fingerprintFiles([url])).toBe(before);
  });

  it('CSV streamed down: rows and sources name the URL, not a temporary file', async () => {
    const url = `${server.url}/flights.csv`;
    const table = await readTable(url);
    expect(table.rowCount).toBe((await readTable(path.join(folder, 'flights.csv'))).rowCount);
    expect(table.sources[0]!.file).toBe(url);
  });

  it('#sha256= pins the content: the file is checked whole before use, and its fingerprint is that hash, whatever the server', async () => {
    const sha = (file: string): string => createHash('sha256').update(readFileSync(path.join(folder, file))).digest('hex');
    const csv = `${server.url}/flights.csv#sha256=${sha('flights.csv')}`;
    expect((await readTable(csv)).rowCount).toBe((await readTable(path.join(folder, 'flights.csv'))).rowCount);
    // The same bytes from another server: the same fingerprint (server versions differ).
    expect(fingerprintFiles([csv])).toBe(fingerprintFiles([`${open.url}/flights.csv#sha256=${sha('flights.csv')}`]));
    // Parquet, pinned: one whole download instead of range requests, then the same table.
    open.requests.length = 0;
    const parquet = await readTable(`${open.url}/${day}?pinned#sha256=${sha(day)}`);
    expect(parquet.columns).toEqual((await readTable(path.join(folder, day))).columns);
    expect(open.requests.filter((r) => r.method === 'GET').map((r) => r.range)).toEqual([undefined]);

    const wrong = 'f'.repeat(64);
    await expect(readTable(`${open.url}/flights.csv?other#sha256=${wrong}`)).rejects.toThrow(
      new RegExp(`/flights\\.csv: its content's SHA-256 is ${sha('flights.csv')}, the URL pins ${wrong}: the file changed since it was pinned$`),
    );
    await expect(readTable(`${open.url}/${day}?other#sha256=${wrong}`)).rejects.toThrow(/the file changed since it was pinned$/);
    await expect(readTable(`${open.url}/flights.csv#sha256=abc`)).rejects.toThrow(/#sha256= needs the 64 hex digits of the file's SHA-256, got "abc"$/);
  });

  it('ct validate --data <url>: works end to end; the token appears in no log or artifact', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'ct-remote-repo-'));
    writeConfig(repo, 'ct.config.yaml', smallConfig(3));
    const r = await runNode(path.join(root, 'bin/ct.js'), ['validate', '--data', `${server.url}/${day}`], { cwd: repo, env: { ...process.env, CT_HTTP_TOKEN: TOKEN } });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`validated ${(await readTable(path.join(folder, day))).rowCount} rows from 1 file(s): ok`);
    const validation = JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8'));
    expect(validation.files).toEqual([`${server.url}/${day}`]);
    for (const file of readdirSync(path.join(repo, 'out'))) expect(readFileSync(path.join(repo, 'out', file), 'utf8')).not.toContain(TOKEN);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('ct train --data <signed url>: the records name the file without its query, so no signature reaches an artifact', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'ct-remote-train-'));
    const config = smallConfig(3);
    config.data.split = { method: 'hash', evaluationFraction: 0.3, seed: 1 };
    writeConfig(repo, 'ct.config.yaml', config);
    const r = await runNode(path.join(root, 'bin/ct.js'), ['train', '--data', `${server.url}/${day}?X-Amz-Signature=s3cr3tSIG`], { cwd: repo, env: { ...process.env, CT_HTTP_TOKEN: TOKEN } });
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const training = JSON.parse(readFileSync(path.join(repo, 'out/model/training.json'), 'utf8'));
    expect(training.data).toMatchObject({ files: [`${server.url}/${day}`], trainParts: [`${server.url}/${day}`], evaluationParts: [`${server.url}/${day}`] });
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const file of walk(path.join(repo, 'out'))) expect([file, readFileSync(file).includes('s3cr3tSIG')]).toEqual([file, false]);
  });

  it('what cannot be used is one clear line', async () => {
    const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
      [`${server.url}/${day}`, { CT_HTTP_TOKEN: 'wrong' }, /answered 401: check CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN$/],
      [`${open.url}/missing.parquet`, {}, /^ct: data file not found: http:\/\/127\.0\.0\.1:\d+\/missing\.parquet \(404\)$/],
      [`http://user:pw@127.0.0.1:1/x.parquet`, {}, /credentials in a data URL would end up in logs; put them in CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN$/],
      ['http://example.com/x.parquet', {}, /plain http sends data and credentials in the clear; use https$/],
    ];
    const repo = mkdtempSync(path.join(tmpdir(), 'ct-remote-bad-'));
    writeConfig(repo, 'ct.config.yaml', smallConfig(3));
    for (const [url, env, line] of cases) {
      const r = await runNode(path.join(root, 'bin/ct.js'), ['validate', '--data', url], { cwd: repo, env: { ...process.env, CT_HTTP_TOKEN: '', ...env } });
      expect([url, r.status]).toEqual([url, 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(line);
      expect(r.stderr).not.toContain('pw@');
    }
  });
});

describe('redirects and sizes', () => {
  let folder: string;
  let target: RangeServer;
  let hops: RangeServer;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'ct-bucket-'));
    writeFileSync(path.join(folder, 'a.csv'), 'x,y\n1,2\n3,4\n');
    target = await startRangeServer(folder);
    hops = await startRangeServer(folder, {
      redirects: {
        '/moved.csv': '/a.csv',
        '/elsewhere.csv': `${target.url}/a.csv`,
        '/cleartext.csv': 'http://example.com/a.csv',
        '/credentials.csv': `http://user:pw@127.0.0.1:1/a.csv`,
        '/loop.csv': '/loop.csv',
      },
    });
    process.env.CT_HTTP_TOKEN = TOKEN;
  });
  afterAll(async () => {
    delete process.env.CT_HTTP_TOKEN;
    delete process.env.CT_HTTP_MAX_BYTES;
    await target.close();
    await hops.close();
  });

  it('a redirect on the same server is followed, with the token', async () => {
    const table = await readTable(`${hops.url}/moved.csv`);
    expect(table.rowCount).toBe(2);
    expect(hops.requests.filter((r) => r.path === '/a.csv').every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('a redirect to another server is followed without the token', async () => {
    const table = await readTable(`${hops.url}/elsewhere.csv`);
    expect(table.rowCount).toBe(2);
    expect(target.requests.length).toBeGreaterThan(0);
    expect(target.requests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it.each([
    ['/cleartext.csv', /plain http sends data and credentials in the clear; use https$/],
    ['/credentials.csv', /credentials in a data URL would end up in logs/],
    ['/loop.csv', /more than 5 redirects$/],
  ])('a redirect hop is checked like the first URL: %s', async (file, message) => {
    await expect(readTable(`${hops.url}${file}`)).rejects.toThrow(message);
  });

  it('a file larger than CT_HTTP_MAX_BYTES is refused before it is fetched', async () => {
    process.env.CT_HTTP_MAX_BYTES = '5';
    try {
      await expect(readTable(`${target.url}/a.csv?big`)).rejects.toThrow(/\d+ bytes is more than CT_HTTP_MAX_BYTES \(5\)$/);
    } finally {
      delete process.env.CT_HTTP_MAX_BYTES;
    }
  });

  it('a server that sends more than it announced is cut off', async () => {
    const liar = await startRangeServer(folder, { extraBytes: 1_000_000 });
    try {
      await expect(readTable(`${liar.url}/a.csv`)).rejects.toThrow(/sent more than the \d+ bytes it announced$/);
    } finally {
      await liar.close();
    }
  });
});
