/**
 * The report page's builder (`siteHtml`), pure: every section with data and without, every
 * value from a file escaped, nothing that would load from the network, and well-formed
 * markup; the SVG charts draw one path per series and one mark per value.
 */
import { barChartSvg, html, lineChartSvg, type SiteData, siteHtml } from '../../src/report/site.js';

const HOSTILE = '<script>alert("x")</script>&\'';

const policy = (mean: number) => ({ mean, min: mean - 0.01, max: mean + 0.01, steps: 3, changes: 1, runnerSeconds: 120 });

/** Data for every section: three production changes (one a rollback), two monitor runs, scored drift, a replay. */
function fullData(): SiteData {
  const metrics = (auc: number) => ({ auc, logLoss: 0.55, ece: 0.03, modelBytes: 339227 });
  return {
    model: 'flight-delay',
    task: 'binary',
    metric: { name: 'auc', higherIsBetter: true },
    production: { version: 'v1', promotedAt: '2001-03-03T06:17:00.000Z' },
    config: 'ct.config.yaml',
    generatedAt: '2001-03-04T00:00:00.000Z',
    versions: [
      {
        at: '2001-03-01T06:17:00.000Z',
        action: 'promote',
        version: 'v1',
        previous: null,
        metrics: metrics(0.68),
        baseline: null,
        delta: null,
        rows: 16000,
        days: ['2001-02-28'],
        pullRequest: null,
      },
      {
        at: '2001-03-02T06:17:00.000Z',
        action: 'promote',
        version: 'v2',
        previous: 'v1',
        metrics: metrics(0.7),
        baseline: 0.69,
        delta: { value: 0.01, ci: [0.004, 0.016] },
        rows: 16500,
        days: ['2001-02-28', '2001-03-01'],
        pullRequest: 12,
      },
      {
        at: '2001-03-03T06:17:00.000Z',
        action: 'rollback',
        version: 'v1',
        previous: 'v2',
        metrics: metrics(0.68),
        baseline: null,
        delta: null,
        rows: 16000,
        days: ['2001-02-28'],
        pullRequest: null,
      },
    ],
    unlisted: [],
    monitor: [
      {
        at: '2001-03-02T05:41:00.000Z',
        production: 'v1',
        metric: 'auc',
        window: { first: '2001-03-01', last: '2001-03-01' },
        rows: 16000,
        value: 0.66,
        reference: 0.68,
        drop: 0.02,
        outcome: 'retrain',
        drift: { dataset: false, label: false, prediction: true, columns: [] },
        reasons: ['auc 0.6600 is 0.0200 worse than at promotion'],
      },
      {
        at: '2001-03-03T05:41:00.000Z',
        production: 'v2',
        metric: 'auc',
        window: { first: '2001-03-02', last: '2001-03-02' },
        rows: 15800,
        value: 0.69,
        reference: 0.7,
        drop: 0.01,
        outcome: 'none',
        drift: { dataset: false, label: false, prediction: false, columns: ['origin'] },
        reasons: ['within monitoring.retrainDrop'],
      },
    ],
    drift: {
      source: 'the monitor run of 2001-03-03 05:41 UTC (out/monitor/validation.json)',
      scored: true,
      columns: [
        { column: 'origin', role: 'feature', test: 'jensenshannon', statistic: 0.12, pValue: null, threshold: 0.1, drifted: true },
        { column: 'distance', role: 'feature', test: 'wasserstein', statistic: 0.03, pValue: null, threshold: 0.1, drifted: false },
        { column: 'hour', role: 'feature', test: 'ks', statistic: 0.05, pValue: 0.2, threshold: 0.05, drifted: false },
        { column: 'ct:label', role: 'label', test: 'jensenshannon', statistic: 0.002, pValue: null, threshold: 0.1, drifted: false },
      ],
      datasetDrift: false,
      driftedShare: 1 / 3,
    },
    replay: {
      file: 'out/replay/replay.json',
      from: '2001-01-15',
      to: '2001-01-29',
      everyDays: 7,
      metric: 'auc',
      higherIsBetter: true,
      update: false,
      steps: ['2001-01-15', '2001-01-22', '2001-01-29'].map((date, i) => ({
        date,
        scores: { never: 0.66 - i * 0.01, always: 0.67, gated: 0.68 + i * 0.005 },
        promoted: i !== 1,
        stoppedAt: i === 1 ? 'evaluate' : null,
      })),
      policies: { never: policy(0.65), always: policy(0.67), gated: policy(0.685) },
    },
    outDir: 'out',
  };
}

/** Data with nothing yet: no production model, no monitor run, no drift, no replay. */
function emptyData(): SiteData {
  return { ...fullData(), production: null, versions: [], monitor: [], drift: null, replay: null };
}

/** The content of section `id`. */
function section(page: string, id: string): string {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page);
  if (m === null) throw new Error(`no section ${id}`);
  return m[1]!;
}

/** Element names that have no end tag in HTML. */
const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'source', 'wbr', 'area', 'base', 'col', 'embed', 'track']);

/** Problems with the nesting of elements: an end tag without its start, or an element never closed. */
function unbalanced(page: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  // The style sheet holds no markup; its text is skipped.
  const markup = page.replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
  for (const m of markup.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^>]*?(\/?)>/g)) {
    const [, end, name, selfClosing] = m;
    const tag = name!.toLowerCase();
    if (VOID.has(tag) || selfClosing === '/') continue;
    if (end === '') stack.push(tag);
    else if (stack.pop() !== tag) problems.push(`</${tag}> at ${m.index}`);
  }
  return [...problems, ...stack.map((t) => `<${t}> not closed`)];
}

describe('siteHtml', () => {
  it('is one well-formed HTML document with the four sections, in order', () => {
    const page = siteHtml(fullData());
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(unbalanced(page)).toEqual([]);
    const ids = [...page.matchAll(/<section id="([\w-]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual(['history', 'monitoring', 'drift', 'replay']);
    expect(page).toContain('<title>flight-delay: ct report</title>');
    expect(page).toMatch(/production <code>v1<\/code> since 2001-03-03 06:17 UTC/);
  });

  it('production versions: a chart of the headline metric per change, and every change in the table, newest first', () => {
    const s = section(siteHtml(fullData()), 'history');
    // The version's own metric and the production it replaced (dashed): two paths.
    expect(s.match(/<svg class="chart line-chart"/g)).toHaveLength(1);
    expect(s).toMatch(/<path class="series" d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+"/);
    expect(s.match(/<circle class="point"/g)).toHaveLength(3 + 1);
    const rows = [...s.matchAll(/<tr><td>([^<]+)<\/td><td>(.*?)<\/td>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '')]);
    expect(rows).toEqual([
      ['2001-03-03 06:17', 'rollback'],
      ['2001-03-02 06:17', 'promote'],
      ['2001-03-01 06:17', 'promote'],
    ]);
    expect(s).toContain('+0.0100 [+0.0040, +0.0160]');
    expect(s).toContain('<td class="n">0.7000</td>');
    expect(s).toContain('<td class="n">339227</td>');
    // Only the change that made the current production is marked as it.
    expect(s.match(/badge ok">production/g)).toHaveLength(1);
    expect(s).toContain('#12');
  });

  it('monitoring: the metric and the drifted columns per run, and the runs', () => {
    const s = section(siteHtml(fullData()), 'monitoring');
    expect(s.match(/<svg class="chart line-chart"/g)).toHaveLength(2);
    expect(s).toContain('auc on the new data');
    expect(s).toContain('input columns that drifted');
    expect(s).toContain('<span class="badge warn">retrain</span>');
    expect(s).toContain('<code>origin</code>');
    expect(s).not.toContain('no monitor runs yet');
  });

  it('drift per column: one bar per column, the threshold of distance tests as a tick, and the table', () => {
    const s = section(siteHtml(fullData()), 'drift');
    expect(s.match(/<rect class="bar[ "]/g)).toHaveLength(4);
    expect(s.match(/<rect class="bar flagged"/g)).toHaveLength(1);
    // The KS column's threshold is a significance level, not on the statistic's scale: no tick.
    expect(s.match(/<line class="threshold"/g)).toHaveLength(3);
    expect(s).toContain('33% of the tested input columns drifted');
    expect(s).toContain('ct:label (label)');
    expect(s).toContain('2.00e-1');
  });

  it('drift known by name only (a monitor record without its validation): the columns, no chart', () => {
    const data = fullData();
    data.drift = {
      source: 'the monitor run of 2001-03-03 05:41 UTC (monitor.jsonl)',
      scored: false,
      columns: [{ column: 'origin', role: 'feature', test: null, statistic: null, pValue: null, threshold: null, drifted: true }],
      datasetDrift: true,
      driftedShare: null,
    };
    const s = section(siteHtml(data), 'drift');
    expect(s).not.toContain('<svg');
    expect(s).toContain('names the columns that drifted, not their scores');
    expect(s).toContain('<code>origin</code>');
    // Drift tested, nothing drifted: said as such, not as "nothing tested".
    data.drift.columns = [];
    expect(section(siteHtml(data), 'drift')).toContain('No input column, label or prediction drifted.');
  });

  it('replay: never, always and gated per step, and their means', () => {
    const s = section(siteHtml(fullData()), 'replay');
    expect(s.match(/<path class="series" d="M/g)).toHaveLength(3);
    expect(s.match(/<circle class="point"/g)).toHaveLength(9);
    for (const p of ['never', 'always', 'gated']) expect(s).toContain(`<td>${p}</td>`);
    expect(s).toContain('<td class="n">0.6850</td>');
    expect(s).toContain("The gated policy's mean is +0.0350 against never retraining.");
  });

  it('with nothing yet, each section says so and how to get it', () => {
    const page = siteHtml(emptyData());
    expect(unbalanced(page)).toEqual([]);
    expect(page).not.toContain('<svg');
    expect(section(page, 'history')).toContain('No production versions yet: <code>ct run</code> promotes the first.');
    expect(section(page, 'monitoring')).toContain('no monitor runs yet');
    expect(section(page, 'drift')).toContain('No drift results yet');
    expect(section(page, 'replay')).toContain('<code>ct replay --from YYYY-MM-DD --to YYYY-MM-DD</code>');
    expect(page).toContain('no production model yet');
  });

  it('escapes every value it is given', () => {
    const data = fullData();
    data.model = HOSTILE;
    data.config = HOSTILE;
    data.versions[0]!.days = [HOSTILE];
    data.versions[0]!.metrics = { [HOSTILE]: 1 };
    data.monitor[0]!.reasons = [HOSTILE];
    data.monitor[0]!.metric = HOSTILE;
    data.drift!.source = HOSTILE;
    data.drift!.columns[0]!.column = HOSTILE;
    data.drift!.columns[0]!.test = HOSTILE;
    data.replay!.file = HOSTILE;
    data.replay!.steps[0]!.date = HOSTILE;
    const page = siteHtml(data);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('alert("x")');
    expect(page).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
    expect(unbalanced(page)).toEqual([]);
  });

  it('loads nothing: no script, no link, no external src or href, a policy that forbids requests', () => {
    for (const page of [siteHtml(fullData()), siteHtml(emptyData())]) {
      expect(page).not.toMatch(/<script|<link|<iframe|<object|<embed|<img/i);
      expect(page).not.toMatch(/\b(?:src|href|xlink:href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
      expect(page).not.toMatch(/https?:\/\//i);
      expect(page).not.toMatch(/url\(|@import/i);
      // The only links are to the page's own sections.
      expect([...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['#history', '#monitoring', '#drift', '#replay']);
      expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    }
  });
});

describe('charts', () => {
  it('a gap (null) breaks the line: the path starts again after it', () => {
    const svg = lineChartSvg('t', ['a', 'b', 'c', 'd'], [{ name: 's', values: [0.5, null, 0.6, 0.7] }]);
    expect(/d="([^"]*)"/.exec(svg)![1]).toMatch(/^M[\d.]+,[\d.]+M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(svg.match(/<circle/g)).toHaveLength(3);
  });

  it('one point, a flat line, or counts: finite coordinates and ticks', () => {
    for (const svg of [
      lineChartSvg('t', ['a'], [{ name: 's', values: [0.7] }]),
      lineChartSvg('t', ['a', 'b'], [{ name: 's', values: [0.7, 0.7] }]),
      lineChartSvg('t', ['a', 'b'], [{ name: 's', values: [0, 3] }], { digits: 0, range: [0, 3] }),
    ]) {
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect(svg.match(/<text class="tick"[^>]*text-anchor="end">/g)!.length).toBeGreaterThanOrEqual(2);
    }
    expect(lineChartSvg('t', ['a', 'b'], [{ name: 's', values: [0, 3] }], { digits: 0, range: [0, 3] })).toMatch(/>1<\/text>.*>2<\/text>/);
  });

  it('bars: a value that was not recorded is said, not drawn', () => {
    const svg = barChartSvg('t', [
      { label: 'a', value: 0.2, threshold: 0.1, flagged: true },
      { label: 'b', value: null, threshold: null, flagged: false },
    ]);
    expect(svg.match(/<rect/g)).toHaveLength(1);
    expect(svg).toContain('not recorded');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('html() escapes the characters that end text or an attribute', () => {
    expect(html(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(html(null)).toBe('');
    expect(html(0.5)).toBe('0.5');
  });
});
