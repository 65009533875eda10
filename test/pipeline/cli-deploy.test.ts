/**
 * Deploy after merge, end to end on loopback: `ct release` packs the production version of
 * one repository, `ct deploy` installs it (from a folder or a URL) into the registry of a
 * serving host with the same version id and provenance, and `ct serve` takes a signed
 * POST /v1/deploy that installs a newer release and swaps it in at once. Tampered files,
 * a forged version id, a bad signature and a source not configured are refused, and the
 * registry and the server keep what they had.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTable } from '../../src/data/read.js';
import { valueAt } from '../../src/data/table.js';
import { publishVersion, readHistory, readProduction } from '../../src/registry/registry.js';
import { signDeploy } from '../../src/serve/deploy-hook.js';
import { ct, root, runNode, shippedPartitions, smallConfig, startServe, tempRepo, writeConfig } from './repo.js';

type Json = Record<string, unknown>;
const SECRET = 'a-deploy-secret-of-some-length';

/** A static file server for `dir` (a stand-in for GitHub's release downloads). */
async function serveFolder(dir: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('ct release, ct deploy and the deploy hook of ct serve', () => {
  const partitions = shippedPartitions().slice(-3);
  const source = tempRepo(partitions);
  const host = mkdtempSync(path.join(tmpdir(), 'ct-serving-host-'));
  const releases = mkdtempSync(path.join(tmpdir(), 'ct-releases-'));
  const sourceRegistry = path.join(source, 'models');
  const hostRegistry = path.join(host, 'models');
  let downloads: Awaited<ReturnType<typeof serveFolder>>;
  let first: Json;

  /** `ct release --json` in the source repository, its folder copied to `<releases>/<tag>/`. */
  const release = (): Json => {
    const r = ct(source, ['release', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(r.stdout) as Json;
    cpSync(result.dir as string, path.join(releases, result.tag as string), { recursive: true });
    return result;
  };

  beforeAll(async () => {
    expect(ct(source, ['run', '--quiet']).status).toBe(0);
    mkdirSync(path.join(host, 'data/flights'), { recursive: true });
    cpSync(path.join(source, 'data/flights/schema.json'), path.join(host, 'data/flights/schema.json'));
    downloads = await serveFolder(releases);
    writeConfig(host, 'ct.config.yaml', {
      ...smallConfig(3),
      serving: { reloadSeconds: 60, deploy: { sources: [`${downloads.url}/`] }, log: { enabled: false } },
    });
    first = release();
  }, 120_000);

  afterAll(() => downloads?.close());

  it('ct release packs the production version: its files, release.json (the promoting history line) and SHA256SUMS', () => {
    const pointer = readProduction(sourceRegistry, 'flight-delay')!;
    expect(first).toMatchObject({
      format: 'ct-release',
      model: 'flight-delay',
      version: pointer.version,
      tag: `flight-delay-${pointer.version}`,
      previous: null,
    });
    const promoted = readHistory(sourceRegistry, 'flight-delay')[0]!;
    expect(first.promotedAt).toBe(promoted.at);
    const dir = first.dir as string;
    expect(readdirSync(dir).sort()).toEqual([...Object.keys(pointer.files), 'SHA256SUMS', 'release.json'].sort());
    // sha256sum's format, every line matching the file beside it.
    const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(Object.keys(pointer.files).length);
    for (const line of sums) {
      const [hex, name] = line.split('  ');
      expect(`sha256:${sha256(path.join(dir, name!))}`).toBe(pointer.files[name!]);
      expect(hex).toBe(sha256(path.join(dir, name!)));
    }
    const notes = readFileSync(first.notes as string, 'utf8');
    expect(notes).toContain(`\`${pointer.version}\``);
    expect(notes).toMatch(/auc 0\.\d{4} on \d+ evaluation rows \(no production model to compare\)\./);
  });

  it('ct deploy installs a release from a folder with the same version id and provenance, once', () => {
    const r = ct(host, ['deploy', first.dir as string, '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ model: 'flight-delay', version: first.version, outcome: 'promoted', previous: null });
    const installed = readProduction(hostRegistry, 'flight-delay')!;
    expect(installed).toMatchObject({ version: first.version, files: first.files, promotedAt: first.promotedAt });
    expect(readHistory(hostRegistry, 'flight-delay')).toEqual(readHistory(sourceRegistry, 'flight-delay'));
    expect(ct(host, ['registry', 'check']).status).toBe(0);
    const again = ct(host, ['deploy', first.dir as string, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'unchanged' });
  });

  it('refuses a release whose files or version id were tampered with: one line, exit 2, the registry as it was', () => {
    const before = readFileSync(path.join(hostRegistry, 'flight-delay/production.json'), 'utf8');
    const forged = (name: string, change: (dir: string) => void): string => {
      const dir = path.join(mkdtempSync(path.join(tmpdir(), 'ct-forged-')), name);
      cpSync(first.dir as string, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const flipped = forged('flipped', (dir) => {
      const weights = readFileSync(path.join(dir, 'weights.bin'));
      weights[weights.length >> 1]! ^= 1;
      writeFileSync(path.join(dir, 'weights.bin'), weights);
      // Claimed as a new version, so it is not taken for the one already here.
      const m = JSON.parse(readFileSync(path.join(dir, 'release.json'), 'utf8')) as Json;
      writeFileSync(path.join(dir, 'release.json'), JSON.stringify({ ...m, version: '20990101T000000Z-00000000' }));
    });
    const renamed = forged('renamed', (dir) => {
      const m = JSON.parse(readFileSync(path.join(dir, 'release.json'), 'utf8')) as Json;
      writeFileSync(path.join(dir, 'release.json'), JSON.stringify({ ...m, version: '20990101T000000Z-00000000' }));
    });
    const escaping = forged('escaping', (dir) => {
      const m = JSON.parse(readFileSync(path.join(dir, 'release.json'), 'utf8')) as Json;
      writeFileSync(path.join(dir, 'release.json'), JSON.stringify({ ...m, model: '../flight-delay' }));
    });
    const cases: Array<[string, RegExp]> = [
      [flipped, /^ct: .*flipped\/release\.json: weights\.bin is sha256:[0-9a-f]{64}, the release says sha256:[0-9a-f]{64}\n$/],
      [renamed, /^ct: .*renamed\/release\.json: these files promoted at \S+ make version \S+, not 20990101T000000Z-00000000\n$/],
      [escaping, /^ct: .*escaping\/release\.json: model "\.\.\/flight-delay" is not a plain name/],
      [path.join(host, 'nothing-here'), /^ct: .*nothing-here: release\.json is missing\n$/],
    ];
    for (const [dir, message] of cases) {
      const r = ct(host, ['deploy', dir]);
      expect([path.basename(dir), r.status, r.stderr]).toEqual([path.basename(dir), 2, expect.stringMatching(message)]);
    }
    expect(readFileSync(path.join(hostRegistry, 'flight-delay/production.json'), 'utf8')).toBe(before);
    expect(readdirSync(path.join(hostRegistry, 'flight-delay')).filter((f) => f.startsWith('2099'))).toEqual([]);
  });

  it('ct serve installs a newer release on a signed POST /v1/deploy and answers with it at once; refuses unsigned, stale and foreign requests', async () => {
    const server = await startServe(host, ['--workers', '1'], { CT_DEPLOY_SECRET: SECRET });
    try {
      const table = await readTable(path.join(source, 'data/flights', partitions.at(-1)!));
      const row = Object.fromEntries(table.columns.filter((c) => c.name !== 'delay').map((c) => [c.name, valueAt(c, 0)]));
      const predict = async (): Promise<string> => {
        const r = await fetch(`${server.url}/v1/predict`, { method: 'POST', body: JSON.stringify(row), headers: { 'content-type': 'application/json' } });
        return ((await r.json()) as Json).version as string;
      };
      expect(await predict()).toBe(first.version);

      // A second promotion in the source repository (the same model, a new card), released.
      const pointer = readProduction(sourceRegistry, 'flight-delay')!;
      const versionDir = path.join(sourceRegistry, 'flight-delay', pointer.version);
      const card = path.join(mkdtempSync(path.join(tmpdir(), 'ct-card-')), 'MODEL_CARD.md');
      writeFileSync(card, `${readFileSync(path.join(versionDir, 'MODEL_CARD.md'), 'utf8')}\nReviewed again.\n`);
      const files = Object.fromEntries(Object.keys(pointer.files).map((name) => [name, name === 'MODEL_CARD.md' ? card : path.join(versionDir, name)]));
      const second = publishVersion({ registry: sourceRegistry, model: 'flight-delay', files, when: new Date(Date.parse(pointer.promotedAt) + 60_000) });
      const next = release();
      expect(next.version).toBe(second.version);

      const hook = async (body: Json, sign: { secret?: string; stamp?: number } = {}): Promise<[number, Json]> => {
        const text = JSON.stringify(body);
        const stamp = sign.stamp ?? Math.floor(Date.now() / 1000);
        const r = await fetch(`${server.url}/v1/deploy`, {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'application/json', 'x-ct-timestamp': String(stamp), 'x-ct-signature': signDeploy(sign.secret ?? SECRET, stamp, text) },
        });
        return [r.status, (await r.json()) as Json];
      };
      const url = `${downloads.url}/${next.tag as string}/`;
      expect(await hook({ release: url }, { secret: 'not-the-secret-at-all' })).toEqual([
        401,
        expect.objectContaining({ error: 'x-ct-signature does not match' }),
      ]);
      expect((await hook({ release: url }, { stamp: Math.floor(Date.now() / 1000) - 3600 }))[0]).toBe(401);
      expect((await hook({ release: `http://203.0.113.9/${next.tag as string}/` }))[0]).toBe(403);
      expect(await predict()).toBe(first.version);

      const [status, body] = await hook({ release: url });
      expect([status, body]).toEqual([
        200,
        expect.objectContaining({ model: 'flight-delay', version: next.version, outcome: 'promoted', serving: next.version }),
      ]);
      expect(await predict()).toBe(next.version);
      expect(readProduction(hostRegistry, 'flight-delay')).toMatchObject({ version: next.version, previous: first.version });

      // The first release again: a version the host has becomes production again (a rollback), by URL with ct deploy.
      const back = await runNode(path.join(root, 'bin/ct.js'), ['deploy', `${downloads.url}/${first.tag as string}`, '--json'], {
        cwd: host,
        env: { ...process.env, CI: 'true' },
      });
      expect({ status: back.status, stderr: back.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(back.stdout)).toMatchObject({ version: first.version, outcome: 'rolled back', previous: next.version });
      expect(server.output()).not.toContain(SECRET);
    } finally {
      server.child.kill('SIGTERM');
    }
  }, 120_000);
});
