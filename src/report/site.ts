/**
 * `ct report`'s page: one self-contained HTML file for a model, to look at in a browser or
 * publish on GitHub Pages. Inline CSS and inline SVG only: no script, no font, no request
 * of any kind at view time (a Content-Security-Policy says so to the browser). It shows the
 * production versions with their metrics, the monitor runs, drift per column and the replay.
 * Pure: `siteHtml(data)` renders what `src/pipeline/report.ts` gathered from the files.
 * Every value from a file is escaped (`html`); charts and tables take plain numbers.
 */
import { POLICIES, type Policy, type PolicySummary } from '../replay/schedule.js';

/** One change of production (a line of history.jsonl) with the evaluation of its version. */
export interface SiteVersion {
  at: string;
  action: 'promote' | 'rollback';
  version: string;
  previous: string | null;
  /** The version's own metrics in the evaluation that promoted it; null when its evaluation.json is missing. */
  metrics: Record<string, number> | null;
  /** The headline metric of the production model it was compared with, on the same rows (null: none). */
  baseline: number | null;
  /** Candidate minus production, headline metric, with its interval (null: no production to compare with). */
  delta: { value: number; ci: [number, number] | null } | null;
  /** Evaluation rows and days. */
  rows: number | null;
  days: string[];
  pullRequest: number | null;
}

/** One monitor run (a line of monitor.jsonl), as the page shows it. */
export interface SiteMonitorRun {
  at: string;
  production: string;
  metric: string;
  window: { first: string; last: string } | null;
  rows: number;
  value: number | null;
  reference: number | null;
  drop: number | null;
  outcome: string;
  /** What drifted; null when drift was not tested. */
  drift: { dataset: boolean; label: boolean; prediction: boolean; columns: string[] } | null;
  reasons: string[];
}

/** One column's drift test. */
export interface SiteDriftColumn {
  column: string;
  role: 'feature' | 'label' | 'prediction';
  /** KS, chi-squared, Wasserstein, Jensen–Shannon, PSI...; null when only the verdict is known. */
  test: string | null;
  statistic: number | null;
  /** The p-value after correction (p-value tests only). */
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
}

/** Drift per column, and where it comes from. */
export interface SiteDrift {
  /** Where the numbers were read, in words (a file, a monitor run). */
  source: string;
  /** False when only the drifted columns' names are known (a monitor record without its validation). */
  scored: boolean;
  columns: SiteDriftColumn[];
  datasetDrift: boolean | null;
  /** Share of the tested input columns that drifted (null: unknown). */
  driftedShare: number | null;
}

/** The replay's steps and policies (replay.json). */
export interface SiteReplay {
  /** Where replay.json was read. */
  file: string;
  from: string;
  to: string;
  everyDays: number;
  metric: string;
  higherIsBetter: boolean;
  update: boolean;
  steps: Array<{ date: string; scores: Record<Policy, number | null>; promoted: boolean; stoppedAt: string | null }>;
  policies: Record<Policy, PolicySummary>;
}

/** Everything the page shows. */
export interface SiteData {
  model: string;
  task: string;
  /** The headline metric of the task (auc for binary) and its direction. */
  metric: { name: string; higherIsBetter: boolean };
  production: { version: string; promotedAt: string } | null;
  /** Where the config was read, and when the page was built. */
  config: string;
  generatedAt: string;
  /** Production changes, oldest first. */
  versions: SiteVersion[];
  /** Version folders of the registry that no history line names. */
  unlisted: string[];
  /** Monitor runs, oldest first. */
  monitor: SiteMonitorRun[];
  drift: SiteDrift | null;
  replay: SiteReplay | null;
  /** The output folder as the user named it, for the hints (`out`). */
  outDir: string;
}

/** `value` as HTML text or attribute value: the five characters that could end either are escaped. */
export function html(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A number with `digits` decimals, `—` for none. */
function num(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A signed number (`+0.0123`), `—` for none. */
function signed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** An ISO time as `YYYY-MM-DD HH:MM` (UTC), or the text as given when it is not one. */
function when(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m === null ? iso : `${m[1]} ${m[2]}`;
}

// ---------------------------------------------------------------------------------------
// Charts: inline SVG, colours set on the elements so a copied chart keeps them.

/** Okabe–Ito colours: told apart with the common colour-vision deficiencies. */
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00'];

export interface ChartSeries {
  name: string;
  /** One value per x label; null leaves a gap. */
  values: ReadonlyArray<number | null>;
  dashed?: boolean;
}

/** Round tick values over [low, high], about `count` of them, and the range they span. */
function ticks(low: number, high: number, count = 5): { values: number[]; low: number; high: number } {
  const span = high - low;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(low / step) * step;
  const last = Math.ceil(high / step) * step;
  const values: number[] = [];
  for (let v = first; v <= last + step / 2; v += step) values.push(Number(v.toFixed(12)));
  return { values, low: first, high: last };
}

/** The y range of the values, padded; a flat line gets a small band around it. */
function yRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const pad = high > low ? (high - low) * 0.1 : Math.max(Math.abs(high) * 0.02, 0.01);
  return [low - pad, high + pad];
}

/** Decimals that tell ticks `step` apart. */
const decimalsFor = (step: number): number => Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));

const W = 760;
const PAD = { left: 64, right: 20, top: 40, bottom: 44 };

/** The legend above a chart: a swatch and the name of each series. */
function legend(series: readonly ChartSeries[]): string {
  let x = PAD.left;
  return series
    .map((s, i) => {
      const item = `<g class="legend-item"><line x1="${x}" y1="16" x2="${x + 22}" y2="16" stroke="${COLORS[i % COLORS.length]}" stroke-width="3"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''}/><text x="${x + 28}" y="20">${html(s.name)}</text></g>`;
      x += 40 + s.name.length * 7;
      return item;
    })
    .join('');
}

/** The path of a series: `M` at the first point after a gap, `L` on to the next. */
function seriesPath(values: ReadonlyArray<number | null>, x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let open = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      open = false;
      return;
    }
    d += `${open ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    open = true;
  });
  return d;
}

/** Which x labels to print: at most about eight, evenly spaced, the last always. */
function shownLabels(n: number): Set<number> {
  const every = Math.max(1, Math.ceil(n / 8));
  const shown = new Set<number>();
  for (let i = 0; i < n; i += every) shown.add(i);
  if (n > 0) shown.add(n - 1);
  return shown;
}

/**
 * A line chart over categorical x labels (oldest first): one path per series (`<path
 * class="series">`), a circle per value with its value as a tooltip, y ticks and a legend.
 */
export function lineChartSvg(
  title: string,
  xLabels: readonly string[],
  series: readonly ChartSeries[],
  options: { digits?: number; range?: [number, number] } = {},
): string {
  const { digits = 4 } = options;
  const height = 280;
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const [low, high] = options.range ?? yRange(series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  // Counts (no decimals) get whole-number ticks.
  const axis = ticks(low, high, digits === 0 ? Math.min(5, Math.max(1, Math.round(high - low))) : 5);
  const n = xLabels.length;
  const x = (i: number): number => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number): number => PAD.top + plotH - ((v - axis.low) / (axis.high - axis.low)) * plotH;
  const tickDigits = decimalsFor(axis.values.length > 1 ? axis.values[1]! - axis.values[0]! : 1);
  const grid = axis.values
    .map(
      (v) =>
        `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(tickDigits)}</text>`,
    )
    .join('');
  const shown = shownLabels(n);
  const labels = xLabels
    .map((l, i) => {
      // The first and last labels of a spread line start and end at their point, inside the chart.
      const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
      return shown.has(i) ? `<text class="tick" x="${x(i).toFixed(1)}" y="${height - PAD.bottom + 18}" text-anchor="${anchor}">${html(l)}</text>` : '';
    })
    .join('');
  const lines = series
    .map((s, k) => ({ s, k }))
    // The first series is drawn last, on top: it is the one the chart is about.
    .reverse()
    .map(({ s, k }) => {
      const color = COLORS[k % COLORS.length]!;
      const points = s.values
        .map((v, i) =>
          v === null || !Number.isFinite(v)
            ? ''
            : `<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${color}"><title>${html(`${s.name}, ${xLabels[i] ?? ''}: ${v.toFixed(digits)}`)}</title></circle>`,
        )
        .join('');
      const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
      return `<g class="line"><path class="series" d="${seriesPath(s.values, x, y)}" fill="none" stroke="${color}" stroke-width="2"${dash}/>${points}</g>`;
    })
    .join('');
  return `<svg class="chart line-chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="${html(title)}"><title>${html(title)}</title>${legend(series)}${grid}<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${height - PAD.bottom}"/>${labels}${lines}</svg>`;
}

/** One bar: its label, its value, the threshold it is judged by (drawn as a tick), whether it is over. */
export interface ChartBar {
  label: string;
  value: number | null;
  threshold: number | null;
  flagged: boolean;
}

/** A horizontal bar chart, one `<rect class="bar">` per value, flagged bars in the second colour. */
export function barChartSvg(title: string, bars: readonly ChartBar[], digits = 3): string {
  const row = 24;
  const left = 190;
  const right = 90;
  const height = PAD.top + bars.length * row + 24;
  const max = Math.max(1e-9, ...bars.flatMap((b) => [b.value ?? 0, b.threshold ?? 0]).filter(Number.isFinite)) * 1.05;
  const x = (v: number): number => left + (v / max) * (W - left - right);
  const items = bars
    .map((b, i) => {
      const top = PAD.top + i * row;
      const color = b.flagged ? COLORS[4]! : COLORS[0]!;
      const value = b.value === null || !Number.isFinite(b.value) ? null : Math.max(0, b.value);
      const rect =
        value === null
          ? ''
          : `<rect class="bar${b.flagged ? ' flagged' : ''}" x="${left}" y="${top + 4}" width="${Math.max(1, x(value) - left).toFixed(1)}" height="${row - 8}" fill="${color}"><title>${html(`${b.label}: ${value.toFixed(digits)}`)}</title></rect>`;
      const tick =
        b.threshold === null
          ? ''
          : `<line class="threshold" x1="${x(b.threshold).toFixed(1)}" x2="${x(b.threshold).toFixed(1)}" y1="${top + 1}" y2="${top + row - 1}" stroke="#222" stroke-width="2"/>`;
      const label = `<text class="tick" x="${left - 8}" y="${top + row / 2 + 4}" text-anchor="end">${html(b.label.length > 28 ? `${b.label.slice(0, 27)}…` : b.label)}</text>`;
      const shown = `<text class="tick" x="${(value === null ? left : x(value)) + 6}" y="${top + row / 2 + 4}">${value === null ? 'not recorded' : value.toFixed(digits)}</text>`;
      return `<g class="bar-row">${label}${rect}${tick}${shown}</g>`;
    })
    .join('');
  const key = `<text x="${left}" y="20">${html(title)}</text>`;
  return `<svg class="chart bar-chart" viewBox="0 0 ${W} ${height}" role="img" aria-label="${html(title)}"><title>${html(title)}</title>${key}${items}</svg>`;
}

// ---------------------------------------------------------------------------------------
// Page parts.

/** A table: header cells and rows of cells already made HTML (`td` with class `n` for numbers). */
function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return `<div class="scroll"><table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

const td = (text: string, numeric = false): string => `<td${numeric ? ' class="n"' : ''}>${text}</td>`;
const code = (value: string): string => `<code>${html(value)}</code>`;

/** The metrics the versions table lists: the headline first, then the others in the order the evaluations give them. */
function metricColumns(versions: readonly SiteVersion[], headline: string): string[] {
  const names = new Set<string>([headline]);
  for (const v of versions) for (const name of Object.keys(v.metrics ?? {})) names.add(name);
  return [...names];
}

/** Section 1: the production history, a chart of the headline metric per change and the table. */
function historySection(d: SiteData): string {
  const { name } = d.metric;
  const intro = `<p>Every change of production in <code>history.jsonl</code>, oldest first, with the ${html(name)} ${d.metric.higherIsBetter ? '(higher is better)' : '(lower is better)'} each version scored on its own evaluation days when it was promoted, beside the production model it was compared with on the same rows.</p>`;
  if (d.versions.length === 0) return `${intro}<p class="empty">No production versions yet: <code>ct run</code> promotes the first.</p>${unlisted(d)}`;
  const xs = d.versions.map((v) => when(v.at));
  const chart = lineChartSvg(`${name} of each production version at promotion`, xs, [
    { name: `${name} of the version (at promotion)`, values: d.versions.map((v) => v.metrics?.[name] ?? null) },
    { name: `${name} of the production it replaced (same rows)`, values: d.versions.map((v) => (v.action === 'promote' ? v.baseline : null)), dashed: true },
  ]);
  const metrics = metricColumns(d.versions, name);
  const rows = [...d.versions]
    .reverse()
    .map((v) => [
      td(html(when(v.at))),
      td(v.action === 'rollback' ? '<span class="badge warn">rollback</span>' : '<span class="badge">promote</span>'),
      td(`${code(v.version)}${v === d.versions.at(-1) && d.production?.version === v.version ? ' <span class="badge ok">production</span>' : ''}`),
      td(v.previous === null ? '—' : code(v.previous)),
      ...metrics.map((m) => td(num(v.metrics?.[m], m === 'modelBytes' ? 0 : 4), true)),
      td(v.delta === null ? '—' : `${signed(v.delta.value)}${v.delta.ci === null ? '' : ` [${signed(v.delta.ci[0])}, ${signed(v.delta.ci[1])}]`}`, true),
      td(v.rows === null ? '—' : String(v.rows), true),
      td(v.days.length === 0 ? '—' : html(v.days.length === 1 ? v.days[0]! : `${v.days[0]}..${v.days.at(-1)}`)),
      td(v.pullRequest === null ? '—' : `#${v.pullRequest}`),
    ]);
  const header = ['when (UTC)', 'action', 'version', 'previous', ...metrics.map(html), `Δ ${html(name)} [95% CI]`, 'rows', 'evaluation days', 'pull request'];
  return `${intro}<figure>${chart}</figure>${table(header, rows)}${unlisted(d)}`;
}

function unlisted(d: SiteData): string {
  if (d.unlisted.length === 0) return '';
  return `<p class="note">Version folders no history line names: ${d.unlisted.map(code).join(', ')}.</p>`;
}

/** Section 2: the monitor runs, the metric on new data and drifted columns per run, and the newest runs. */
function monitorSection(d: SiteData): string {
  const runs = d.monitor;
  if (runs.length === 0)
    return `<p class="empty">There are no monitor runs yet: <code>ct monitor</code> scores production on labelled data that arrived after its training and appends a line to <code>models/${html(d.model)}/monitor.jsonl</code> (monitor.yml commits it to the branch <code>ct/monitor</code>).</p>`;
  const metric = runs.at(-1)!.metric;
  const xs = runs.map((r) => when(r.at));
  const metricChart = lineChartSvg(`${metric} of production per monitor run`, xs, [
    { name: `${metric} on the new data`, values: runs.map((r) => r.value) },
    { name: `${metric} at promotion`, values: runs.map((r) => r.reference), dashed: true },
  ]);
  const drifted = runs.map((r) => (r.drift === null ? null : r.drift.columns.length));
  const driftChart = lineChartSvg('Drifted input columns per monitor run', xs, [{ name: 'input columns that drifted', values: drifted }], {
    digits: 0,
    range: [0, Math.max(1, ...drifted.filter((v): v is number => v !== null))],
  });
  const rows = [...runs]
    .reverse()
    .slice(0, 30)
    .map((r) => [
      td(html(when(r.at))),
      td(code(r.production)),
      td(r.window === null ? '—' : html(`${r.window.first}..${r.window.last}`)),
      td(String(r.rows), true),
      td(num(r.value), true),
      td(signed(r.drop), true),
      td(driftWords(r.drift)),
      td(`<span class="badge${r.outcome === 'alert' ? ' bad' : r.outcome === 'retrain' ? ' warn' : ''}">${html(r.outcome)}</span>`),
      td(html(r.reasons.join('; '))),
    ]);
  const more = runs.length > 30 ? `<p class="note">The newest 30 of ${runs.length} runs.</p>` : '';
  return `<p>${runs.length} monitor run(s) of <code>monitor.jsonl</code>. The drop is how much worse than at promotion (positive: worse).</p><figure>${metricChart}</figure><figure>${driftChart}</figure>${table(
    ['when (UTC)', 'production', 'days judged', 'rows', html(metric), 'drop', 'drift', 'outcome', 'reasons'],
    rows,
  )}${more}`;
}

function driftWords(drift: SiteMonitorRun['drift']): string {
  if (drift === null) return 'not tested';
  const parts = [
    drift.columns.length === 0 ? 'no input column' : drift.columns.map(code).join(', '),
    ...(drift.dataset ? ['dataset drift'] : []),
    ...(drift.label ? ['label'] : []),
    ...(drift.prediction ? ['prediction'] : []),
  ];
  return parts.join('; ');
}

/** Section 3: drift per column, as bars against their thresholds and as a table. */
function driftSection(d: SiteData): string {
  const drift = d.drift;
  if (drift === null)
    return `<p class="empty">No drift results yet: <code>ct validate</code> writes <code>${html(d.outDir)}/validation.json</code> and <code>ct monitor</code> records the drift of new data.</p>`;
  const share =
    drift.driftedShare === null
      ? ''
      : ` ${(drift.driftedShare * 100).toFixed(0)}% of the tested input columns drifted${drift.datasetDrift === true ? ': dataset drift' : ''}.`;
  const intro = `<p>From ${html(drift.source)}.${share}</p>`;
  const scores = `its run's <code>validation.json</code> (in <code>${html(d.outDir)}/monitor/</code>) has them`;
  if (!drift.scored && drift.columns.length === 0)
    return `${intro}<p class="empty">No input column, label or prediction drifted. The monitor record names the columns that drifted, not the scores of all; ${scores}.</p>`;
  if (drift.columns.length === 0) return `${intro}<p class="empty">No column was tested.</p>`;
  if (!drift.scored) {
    return `${intro}<p class="note">The monitor record names the columns that drifted, not their scores; ${scores}.</p>${table(
      ['column', 'role', 'drifted'],
      drift.columns.map((c) => [td(code(c.column)), td(html(c.role)), td(c.drifted ? '<span class="badge bad">drifted</span>' : 'no')]),
    )}`;
  }
  const chart = barChartSvg(
    'Drift statistic per column (the tick: its threshold, for distance tests)',
    drift.columns.map((c) => ({
      label: c.role === 'feature' ? c.column : `${c.column} (${c.role})`,
      value: c.statistic,
      threshold: c.pValue === null ? c.threshold : null,
      flagged: c.drifted,
    })),
  );
  const rows = drift.columns.map((c) => [
    td(code(c.column)),
    td(html(c.role)),
    td(html(c.test ?? '—')),
    td(num(c.statistic), true),
    td(c.pValue === null ? '—' : c.pValue.toExponential(2), true),
    td(num(c.threshold, 3), true),
    td(c.drifted ? '<span class="badge bad">drifted</span>' : 'no'),
  ]);
  const note =
    '<p class="note">Distance tests (Wasserstein, Jensen–Shannon, PSI) drift when the statistic reaches the threshold; p-value tests (KS, chi-squared, z) when the corrected p-value falls below it.</p>';
  return `${intro}<figure>${chart}</figure>${table(['column', 'role', 'test', 'statistic', 'p-value (corrected)', 'threshold', 'drifted'], rows)}${note}`;
}

/** Section 4: the replay's policies per step and their means, or how to make one. */
function replaySection(d: SiteData): string {
  const r = d.replay;
  if (r === null)
    return `<p class="empty">No replay yet: <code>ct replay --from YYYY-MM-DD --to YYYY-MM-DD</code> backtests the pipeline over past days (it writes <code>${html(d.outDir)}/replay/replay.json</code>); then build this page again.</p>`;
  const chart = lineChartSvg(
    `Next-period ${r.metric} of the model each policy served`,
    r.steps.map((s) => s.date),
    POLICIES.map((p) => ({ name: p, values: r.steps.map((s) => s.scores[p]) })),
  );
  const rows = POLICIES.map((p) => {
    const s = r.policies[p];
    return [
      td(html(p)),
      td(num(s.mean), true),
      td(num(s.min), true),
      td(num(s.max), true),
      td(String(s.steps), true),
      td(String(s.changes), true),
      td((s.runnerSeconds / 60).toFixed(1), true),
    ];
  });
  const gated = r.policies.gated.mean;
  const never = r.policies.never.mean;
  const gain = gated !== null && never !== null ? ` The gated policy's mean is ${signed(gated - never)} against never retraining.` : '';
  return `<p>${html(r.file)}: ${html(r.from)}..${html(r.to)}, every ${r.everyDays} day(s)${r.update ? ', as online updates' : ''}. At each step the model each policy serves is scored on the period that follows (${html(r.metric)}, ${r.higherIsBetter ? 'higher' : 'lower'} is better): never retrain, always retrain, or gated (promote only when the gates pass).${gain}</p><figure>${chart}</figure>${table(
    ['policy', `mean ${html(r.metric)}`, 'min', 'max', 'steps scored', 'model changes', 'runner minutes'],
    rows,
  )}`;
}

const STYLE = `
:root{color-scheme:light;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 24px}
header{padding-top:24px;border-bottom:1px solid var(--line)}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
nav a{margin-right:16px;color:#0969da;text-decoration:none}
.meta{color:var(--muted);margin:4px 0 12px}
figure{margin:16px 0}
svg.chart{width:100%;height:auto;max-width:${W}px;display:block;font:12px system-ui,sans-serif;fill:var(--fg)}
svg .grid{stroke:#eaeef2}
svg .axis{stroke:var(--muted)}
svg .tick{fill:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:12px 0;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td code,td:first-child{white-space:nowrap}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--soft);padding:1px 4px;border-radius:4px}
.badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;background:#ddf4ff;color:#0550ae}
.badge.ok{background:#dafbe1;color:#116329}
.badge.warn{background:#fff8c5;color:#7d4e00}
.badge.bad{background:#ffebe9;color:#a40e26}
.empty{padding:12px 16px;background:var(--soft);border-left:4px solid var(--line)}
.note{color:var(--muted);font-size:13px}
footer{max-width:1100px;margin:40px auto 24px;padding:0 24px;color:var(--muted);font-size:13px}
`;

/**
 * The whole page for `data`: a header naming the model and its production version, then
 * the four sections (production history, monitoring, drift per column, replay), each of
 * which says how to produce what it would show when there is nothing yet.
 */
export function siteHtml(data: SiteData): string {
  const production =
    data.production === null ? 'no production model yet' : `production ${code(data.production.version)} since ${html(when(data.production.promotedAt))} UTC`;
  const sections: Array<[string, string, string]> = [
    ['history', 'Production versions', historySection(data)],
    ['monitoring', 'Monitoring', monitorSection(data)],
    ['drift', 'Drift per column', driftSection(data)],
    ['replay', 'Replay', replaySection(data)],
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="ct report">
<title>${html(data.model)}: ct report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${html(data.model)}</h1>
<p class="meta">${html(data.task)} model, headline metric ${html(data.metric.name)}; ${production}. Config ${code(data.config)}.</p>
<nav>${sections.map(([id, title]) => `<a href="#${id}">${html(title)}</a>`).join('')}</nav>
</header>
<main>
${sections.map(([id, title, body]) => `<section id="${id}">\n<h2>${html(title)}</h2>\n${body}\n</section>`).join('\n')}
</main>
<footer>Built by <code>ct report</code> at ${html(when(data.generatedAt))} UTC. One file: no script, no request.</footer>
</body>
</html>
`;
}
