/**
 * `ct report` end to end with the compiled CLI: a repository with no model gets a page that
 * says so; after `ct run`, a second version (a copy of the first with its evaluation
 * changed), a rollback and a monitor run, the page holds the three production changes with
 * each version's own metrics, the monitor run and the drift of its columns; a replay in
 * `<out>` adds its chart. Then the page is loaded in a real browser, headless Chromium
 * (Debian's `chromium`, or the binary in CHROMIUM): its DOM has the charts with their
 * points, and its screenshot is a PNG with the charts' colours on it. Without Chromium the
 * test fails and says how to install it (.ci/run does): the page is for a browser.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { publishVersion } from '../../src/registry/registry.js';
import { ct, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const WINDOW = '1280,2000';

/** Runs headless Chromium with `args`; a clear error when it is not installed. */
function chromium(args: string[], profile: string): string {
  const r = spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', '--no-first-run', `--user-data-dir=${profile}`, ...args],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.error !== undefined && 'code' in r.error && r.error.code === 'ENOENT')
    throw new Error(
      `Chromium is not installed (no "${CHROMIUM}" on PATH): this test loads ct report's page in a real browser. Install it with "apt-get install -y chromium" (.ci/run does), or set CHROMIUM to a Chromium or Chrome binary.`,
    );
  if (r.error !== undefined || r.status !== 0)
    throw new Error(`${CHROMIUM} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** The DOM of `file` after the browser loaded it. */
const dumpDom = (file: string, profile: string): string => chromium(['--dump-dom', `file://${file}`], profile);

/** A screenshot of `file` at WINDOW, as PNG bytes. */
function screenshot(file: string, png: string, profile: string): Buffer {
  chromium([`--screenshot=${png}`, `--window-size=${WINDOW}`, `file://${file}`], profile);
  return readFileSync(png);
}

/** The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes), as RGBA. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colorType, , , interlace] = png.subarray(24, 29);
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) throw new Error(`unexpected PNG: depth ${depth}, colour type ${colorType}`);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const channels = colorType === 6 ? 4 : 3;
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? rows[y * stride + x - channels]! : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      const paeth = (): number => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const predicted = [0, a, b, (a + b) >> 1, filter === 4 ? paeth() : 0][filter]!;
      rows[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = rows[i * channels + k]!;
    rgba[i * 4 + 3] = channels === 4 ? rows[i * channels + 3]! : 255;
  }
  return { width, height, rgba };
}

/** Pixels within `tolerance` of the colour `#rrggbb`. */
function pixelsOf(image: { rgba: Uint8Array }, hex: string, tolerance = 24): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < image.rgba.length; i += 4) {
    if (Math.abs(image.rgba[i]! - r!) <= tolerance && Math.abs(image.rgba[i + 1]! - g!) <= tolerance && Math.abs(image.rgba[i + 2]! - b!) <= tolerance) n++;
  }
  return n;
}

/** The content of the section `id` of a page or DOM. */
function section(page: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page);
  if (m === null) throw new Error(`no section ${id}`);
  return m[1]!;
}

/** The `d` of every `<path class="series">`. */
const seriesPaths = (dom: string): string[] => [...dom.matchAll(/<path class="series" d="([^"]*)"/g)].map((m) => m[1]!);

describe('ct report', () => {
  const partitions = shippedPartitions().slice(-4);
  const newest = partitions.at(-1)!;
  const repo = tempRepo(partitions);
  // Speed: a short bootstrap; the page shows what the evaluation holds either way.
  const config = smallConfig(partitions.length);
  config.evaluation = { ...(config.evaluation as Record<string, unknown>), bootstrap: { samples: 100, seed: 42, confidence: 0.95 } };
  writeConfig(repo, 'ct.config.yaml', config);
  const registry = path.join(repo, 'models');
  const model = path.join(registry, 'flight-delay');
  const page = path.join(repo, 'out/report.html');
  const profile = mkdtempSync(path.join(tmpdir(), 'ct-chromium-'));
  afterAll(() => rmSync(profile, { recursive: true, force: true }));

  it('without a model: a page that says there is nothing yet and how to get it; a folder as --output is exit 2', () => {
    const r = ct(repo, ['report', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: page, versions: 0, monitorRuns: 0, drift: null, replay: null });
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('No production versions yet');
    expect(html).toContain('no monitor runs yet');
    expect(html).toContain('ct replay --from YYYY-MM-DD --to YYYY-MM-DD');

    const folder = ct(repo, ['report', '--output', 'out']);
    expect([folder.status, folder.stderr]).toEqual([2, "ct: --output: out is a folder; name the page's file (e.g. report.html)\n"]);
  });

  it('after ct run, a second version, a rollback and a monitor run: every change, the monitor run and drift per column; Chromium draws it', () => {
    expect(ct(repo, ['run', '--quiet']).status).toBe(0);
    const [first] = readdirSync(model).filter((f) => /^\d{8}T/.test(f));
    const firstDir = path.join(model, first!);
    // A second version: the first's files with a changed evaluation (its own metrics, compared with the first).
    const copy = mkdtempSync(path.join(tmpdir(), 'ct-report-version-'));
    cpSync(firstDir, copy, { recursive: true });
    const evaluation = JSON.parse(readFileSync(path.join(copy, 'evaluation.json'), 'utf8'));
    const firstAuc: number = evaluation.candidate.metrics.auc;
    evaluation.baseline = { version: first, metrics: { ...evaluation.candidate.metrics } };
    evaluation.candidate.metrics.auc = firstAuc + 0.0123;
    writeFileSync(path.join(copy, 'evaluation.json'), JSON.stringify(evaluation));
    const second = publishVersion({
      registry,
      model: 'flight-delay',
      files: Object.fromEntries(readdirSync(copy).map((f) => [f, path.join(copy, f)])),
    }).version;
    rmSync(copy, { recursive: true, force: true });
    expect(ct(repo, ['rollback', first!, '--quiet']).status).toBe(0);
    const monitor = ct(repo, ['monitor', '--data', `data/flights/${newest}`, '--quiet']);
    expect(monitor.stderr).not.toMatch(/internal error/);
    expect(monitor.status).toBe(0);

    const r = ct(repo, ['report', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ file: page, versions: 3, monitorRuns: 1, replay: null });
    expect(result.drift).toMatch(/^the monitor run of .* \(out\/monitor\/validation\.json\)$/);
    expect(result.bytes).toBe(statSync(page).size);

    const html = readFileSync(page, 'utf8');
    const history = section(html, 'history');
    // Newest first: the rollback to the first version, the second, the first; each with its own auc.
    const versions = [...history.matchAll(/<tr><td>[^<]*<\/td><td><span class="badge[^"]*">(\w+)<\/span><\/td><td><code>([^<]+)<\/code>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(versions).toEqual([
      ['rollback', first],
      ['promote', second],
      ['promote', first],
    ]);
    expect(history).toContain(`<td class="n">${(firstAuc + 0.0123).toFixed(4)}</td>`);
    expect(history).toContain(`<td class="n">${firstAuc.toFixed(4)}</td>`);
    expect(html).toContain(`production <code>${first}</code>`);
    // The drift section lists every column monitor's validation tested.
    const validation = JSON.parse(readFileSync(path.join(repo, 'out/monitor/validation.json'), 'utf8'));
    const tested = validation.drift.columns.length + (validation.drift.label === null ? 0 : 1) + (validation.drift.prediction === null ? 0 : 1);
    expect(tested).toBeGreaterThan(2);

    const dom = dumpDom(page, profile);
    expect(dom).toMatch(/^<!DOCTYPE html>/);
    expect([...dom.matchAll(/<section id="(\w+)">/g)].map((m) => m[1])).toEqual(['history', 'monitoring', 'drift', 'replay']);
    // History (1 chart) and monitoring (2); the replay says how to make one.
    expect(dom.match(/<svg class="chart line-chart"/g)).toHaveLength(3);
    const paths = seriesPaths(dom);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    // The versions' auc: one line through the three changes.
    expect(seriesPaths(section(dom, 'history'))).toContainEqual(expect.stringMatching(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/));
    expect(section(dom, 'history').match(/<circle class="point"/g)!.length).toBeGreaterThanOrEqual(3);
    expect(section(dom, 'monitoring').match(/<circle class="point"/g)!.length).toBeGreaterThanOrEqual(2);
    expect(section(dom, 'drift').match(/<rect class="bar[ "]/g)).toHaveLength(tested);
    expect(section(dom, 'replay')).toContain('No replay yet');

    const blankPage = path.join(profile, 'blank.html');
    writeFileSync(blankPage, '<!doctype html><html><body></body></html>\n');
    const blank = screenshot(blankPage, path.join(profile, 'blank.png'), profile);
    const png = screenshot(page, path.join(repo, 'out/report.png'), profile);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Measured: a blank page is about 12 KB at this size, this page about 170 KB.
    expect(png.length).toBeGreaterThan(5 * blank.length);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([1280, 2000]);
    // The charts' first colour (lines, points, bars) is on the screenshot, not only in the markup.
    expect(pixelsOf(image, '#0072B2')).toBeGreaterThan(2000);
    expect(pixelsOf(decodePng(blank), '#0072B2')).toBe(0);
  }, 120_000);

  it('with a replay in <out>: the next-period metric of never, always and gated per step, and their means', () => {
    const steps = ['2001-02-12', '2001-02-19', '2001-02-26'];
    const scores = [
      { never: 0.66, always: 0.68, gated: 0.69 },
      { never: 0.64, always: 0.67, gated: 0.67 },
      { never: 0.63, always: 0.7, gated: 0.7 },
    ];
    const summary = (p: 'never' | 'always' | 'gated') => {
      const v = scores.map((s) => s[p]);
      return { mean: v.reduce((a, b) => a + b) / v.length, min: Math.min(...v), max: Math.max(...v), steps: 3, changes: 1, runnerSeconds: 90 };
    };
    mkdirSync(path.join(repo, 'out/replay'), { recursive: true });
    writeFileSync(
      path.join(repo, 'out/replay/replay.json'),
      JSON.stringify({
        format: 'ct-replay',
        version: 1,
        model: 'flight-delay',
        metric: 'auc',
        higherIsBetter: true,
        from: steps[0],
        to: steps[2],
        everyDays: 7,
        windowDays: 4,
        evaluationDays: 1,
        update: false,
        steps: steps.map((date, i) => ({ date, scores: scores[i], promoted: true, stoppedAt: null })),
        policies: { never: summary('never'), always: summary('always'), gated: summary('gated') },
      }),
    );
    const r = ct(repo, ['report', '--output', 'site/index.html', '--json']);
    expect(r.status).toBe(0);
    const file = path.join(repo, 'site/index.html');
    expect(JSON.parse(r.stdout)).toMatchObject({ file, replay: 'out/replay/replay.json' });
    expect(existsSync(page)).toBe(true);
    const replay = section(dumpDom(file, profile), 'replay');
    expect(seriesPaths(replay)).toHaveLength(3);
    for (const d of seriesPaths(replay)) expect(d).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(replay).toContain(`<td class="n">${summary('gated').mean.toFixed(4)}</td>`);
    expect(replay).toContain("The gated policy's mean is +0.0433 against never retraining.");

    // A file ct cannot use is one line naming it, exit code 2, and the page is left as it was.
    writeFileSync(path.join(repo, 'out/replay/replay.json'), '{"format": "ct-replay", "steps": [');
    const before = readFileSync(file, 'utf8');
    const bad = ct(repo, ['report', '--output', 'site/index.html']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^ct: \S*out\/replay\/replay\.json: replay result is not valid JSON \(.*\)\n$/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 60_000);
});
