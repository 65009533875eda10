/**
 * An incident corpus for the flights data: realistic ways a data pipeline breaks a day's
 * partition, each applied to one real day's clean rows.
 *
 * Rows are plain objects `{ date, delay, distance, origin, destination }` as the daily CSV
 * files hold them: `date` a string `YYYY-MM-DDTHH:MM` (UTC), `delay` (minutes, the label is
 * `delay > 15`) and `distance` (miles) numbers, `origin` and `destination` IATA codes; a
 * missing value is `null`.
 *
 * Each incident is a pure function `(rows, { severity, seed, previousDayRows, twoWeeksBeforeRows }) -> result`
 * where `result` is `{ rows, description }` (plain objects; written by `toCsv`, the columns
 * those of the first row) or `{ text, description }` where the failure is about the bytes
 * of the file (`encoding: 'utf16le'` when the text must be written in UTF-16). The input
 * rows are never changed. `severity` is the share of rows touched (0.01, 0.1, 1.0 where that
 * makes sense; kinds that are whole-file by nature have only 1.0); `seed` makes the choice
 * of rows deterministic; `previousDayRows` and `twoWeeksBeforeRows` are the clean rows of the day before and of
 * the same weekday two weeks before (stale copies).
 * `incidentFile(kind, rows, options)` gives the bytes of the partition to write.
 */

/** The columns of a clean day, in file order. */
export const COLUMNS = ['date', 'delay', 'distance', 'origin', 'destination'];

const KM_PER_MILE = 1.609344;

// ---------------------------------------------------------------- plumbing

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from any strings and numbers (FNV-1a), e.g. `seedOf(kind, severity, day)`. */
export function seedOf(...parts) {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Rows of a CSV file written by `toCsv` or bench/lib/flights-days.js (no quoted fields), numbers as numbers. */
export function parseCsv(text) {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .filter((l) => l !== '');
  const names = lines[0].split(',');
  const numeric = new Set(['delay', 'distance']);
  return lines.slice(1).map((line) => {
    const fields = line.split(',');
    const row = {};
    names.forEach((name, k) => {
      const v = fields[k] ?? '';
      row[name] = v === '' ? null : numeric.has(name) ? Number(v) : v;
    });
    return row;
  });
}

function field(value) {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : value;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of rows (RFC 4180 quoting where needed), the columns those of the first row (or `columns`). */
export function toCsv(rows, columns = rows.length > 0 ? Object.keys(rows[0]) : COLUMNS) {
  let out = `${columns.join(',')}\n`;
  for (const r of rows) out += `${columns.map((c) => field(r[c])).join(',')}\n`;
  return out;
}

/** `count` distinct row indices of `n`, chosen with `rand`, ascending. */
function sample(n, count, rand) {
  const k = Math.min(n, Math.max(0, count));
  if (k === n) return Array.from({ length: n }, (_, i) => i);
  // Partial Fisher-Yates over an index array.
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return Array.from(idx.subarray(0, k)).sort((a, b) => a - b);
}

/** How many rows a severity touches: at least one, all for 1.0. */
function touched(n, severity) {
  return severity >= 1 ? n : Math.max(1, Math.round(n * severity));
}

/** The rows a severity touches, chosen at random. */
function chosen(rows, severity, seed) {
  return sample(rows.length, touched(rows.length, severity), random(seed));
}

/** A contiguous block of rows [start, end) holding the severity's share, placed at random. */
function block(rows, severity, seed) {
  const k = touched(rows.length, severity);
  const start = Math.floor(random(seed)() * (rows.length - k + 1));
  return [start, start + k];
}

/** A copy of `rows` with `change(row, i)` applied to a copy of each touched row. */
function mapRows(rows, indices, change) {
  const out = rows.slice();
  for (const i of indices) {
    const r = { ...rows[i] };
    change(r, i);
    out[i] = r;
  }
  return out;
}

const pct = (share) => `${+(share * 100).toFixed(2)}%`;
const n = (x) => x.toLocaleString('en-US');
const touchedText = (rows, severity) => (severity >= 1 ? `all ${n(rows.length)} rows` : `${pct(severity)} of rows (${n(touched(rows.length, severity))})`);

/** `date` moved by `ms`, in the file's format. */
function shiftTime(date, ms) {
  return new Date(Date.parse(`${date}Z`) + ms).toISOString().slice(0, 16);
}

/** The day most rows fall on (YYYY-MM-DD). */
export function dayOf(rows) {
  const counts = new Map();
  for (const r of rows) if (typeof r.date === 'string') counts.set(r.date.slice(0, 10), (counts.get(r.date.slice(0, 10)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** The severities of most kinds: the share of rows touched. */
export const STANDARD = [0.01, 0.1, 1];

/** The late rows (delay > 15) of a segment given delays drawn from the segment's on-time rows: the label lost, every value plausible. */
function writtenOnTime(rows, inSegment, seed, what) {
  const rand = random(seed);
  const onTime = rows.filter((r) => inSegment(r) && r.delay !== null && r.delay <= 15).map((r) => r.delay);
  const late = rows.flatMap((r, i) => (inSegment(r) && r.delay !== null && r.delay > 15 ? [i] : []));
  const segment = rows.filter(inSegment).length;
  return {
    rows: mapRows(rows, late, (r) => (r.delay = onTime[Math.floor(rand() * onTime.length)])),
    description: `${what}: ${n(late.length)} late delays of its ${n(segment)} rows (${pct(segment / rows.length)} of the day) replaced by on-time ones`,
  };
}

// ---------------------------------------------------------------- the kinds

/**
 * The incident kinds: `kind` -> { severities, summary (one line for a reviewer), needs
 * (what a detector has to look at, informative), apply }.
 */
export const INCIDENTS = {
  distance_negative: {
    severities: STANDARD,
    summary: 'distance has its sign flipped (a signed/unsigned or direction bug upstream)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = -r.distance)),
        description: `distance negated on ${touchedText(rows, severity)}`,
      };
    },
  },
  distance_km: {
    severities: STANDARD,
    summary: 'distance in kilometres, rounded to whole km, instead of miles (a unit change upstream)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = Math.round(r.distance * KM_PER_MILE))),
        description: `distance in whole km on ${touchedText(rows, severity)}`,
      };
    },
  },
  distance_km_unrounded: {
    severities: STANDARD,
    summary: 'distance in kilometres with decimals (miles x 1.609344, printed in full) instead of whole miles',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = r.distance * KM_PER_MILE)),
        description: `distance in unrounded km on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_hours: {
    severities: STANDARD,
    summary: 'delay in hours (2 decimals) instead of minutes: the label delay > 15 almost never holds',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = Math.round((r.delay / 60) * 100) / 100)),
        description: `delay in hours on ${touchedText(rows, severity)}`,
      };
    },
  },
  partial_upload: {
    severities: [0.01, 0.1, 0.5, 1],
    summary: 'partial upload: only the first rows arrived, cut on a row boundary (severity = share of rows missing; 1.0 leaves the header only)',
    apply(rows, { severity }) {
      const keep = severity >= 1 ? 0 : rows.length - touched(rows.length, severity);
      return {
        rows: rows.slice(0, keep),
        columns: COLUMNS,
        description: `only the first ${n(keep)} of ${n(rows.length)} rows (the last ${pct(1 - keep / rows.length)} missing)`,
      };
    },
  },
  sorted_partial_upload: {
    severities: [0.01, 0.1],
    summary: 'partial upload of an export sorted by delay: the longest delays, at the end of the file, never arrived (severity = share of rows missing)',
    apply(rows, { severity }) {
      const sorted = rows.slice().sort((a, b) => (a.delay ?? -Infinity) - (b.delay ?? -Infinity));
      const keep = rows.length - touched(rows.length, severity);
      return {
        rows: sorted.slice(0, keep),
        description: `sorted by delay, only the first ${n(keep)} of ${n(rows.length)} rows (the longest ${pct(1 - keep / rows.length)} of delays missing)`,
      };
    },
  },
  truncated_file: {
    severities: [0.01, 0.1, 0.5],
    summary: 'truncated file: the bytes stop in the middle of a row (a killed copy; severity = share of bytes missing)',
    apply(rows, { severity, seed }) {
      const text = toCsv(rows);
      const rand = random(seed);
      let cut = Math.floor(text.length * (1 - severity));
      // Move the cut into a row: after the newline before it, by 1 .. length-1 bytes of that row.
      const start = text.lastIndexOf('\n', cut - 1) + 1;
      const end = text.indexOf('\n', start);
      const length = (end < 0 ? text.length : end) - start;
      cut = start + 1 + Math.floor(rand() * Math.max(1, length - 1));
      const kept = text.slice(0, cut);
      return { text: kept, description: `file cut at byte ${n(cut)} of ${n(text.length)}, inside a row (last line "${kept.slice(start)}")` };
    },
  },
  doubled_upload: {
    severities: [1],
    summary: 'doubled upload: the whole file appended to itself (a retried append)',
    apply(rows) {
      return { rows: [...rows, ...rows], description: `all ${n(rows.length)} rows twice` };
    },
  },
  duplicated_rows: {
    severities: [0.01, 0.1],
    summary: 'partly duplicated rows: a block of rows sent twice (a retried batch)',
    apply(rows, { severity, seed }) {
      const [start, end] = block(rows, severity, seed);
      return {
        rows: [...rows.slice(0, end), ...rows.slice(start, end), ...rows.slice(end)],
        description: `rows ${start + 1}..${end} (${touchedText(rows, severity)}) repeated right after themselves`,
      };
    },
  },
  corrections_appended: {
    severities: STANDARD,
    summary: 'corrections appended instead of applied: rows sent again at the end with a revised delay (an upsert that inserted), the old rows kept',
    apply(rows, { severity, seed }) {
      const rand = random(seed ^ 0x5bd1e995);
      const revised = chosen(rows, severity, seed).map((i) => ({
        ...rows[i],
        delay: rows[i].delay === null ? null : rows[i].delay + 1 + Math.floor(rand() * 20),
      }));
      return {
        rows: [...rows, ...revised],
        description: `${touchedText(rows, severity)} sent again at the end with delay revised up by 1 to 20 minutes`,
      };
    },
  },
  stale_copy: {
    severities: [1],
    summary: "stale copy: yesterday's rows delivered again as today's, dates moved to today",
    apply(rows, { previousDayRows }) {
      const today = dayOf(rows);
      return {
        rows: previousDayRows.map((r) => ({ ...r, date: `${today}${r.date.slice(10)}` })),
        description: `the previous day's ${n(previousDayRows.length)} rows with their dates moved to ${today}`,
      };
    },
  },
  stale_copy_two_weeks: {
    severities: [1],
    summary: "stale copy: the same weekday two weeks before delivered as today's, dates moved (a cached extract served again)",
    apply(rows, { twoWeeksBeforeRows }) {
      if (twoWeeksBeforeRows === undefined) throw new Error('stale_copy_two_weeks needs the rows of two weeks before (twoWeeksBeforeRows)');
      const today = dayOf(rows);
      return {
        rows: twoWeeksBeforeRows.map((r) => ({ ...r, date: `${today}${r.date.slice(10)}` })),
        description: `the ${n(twoWeeksBeforeRows.length)} rows of ${dayOf(twoWeeksBeforeRows)} with their dates moved to ${today}`,
      };
    },
  },
  stale_copy_unmoved: {
    severities: [1],
    summary: "stale copy: yesterday's file delivered unchanged under today's name",
    apply(_rows, { previousDayRows }) {
      return { rows: previousDayRows.slice(), description: `the previous day's ${n(previousDayRows.length)} rows unchanged (dated ${dayOf(previousDayRows)})` };
    },
  },
  label_shift: {
    severities: STANDARD,
    needs: 'the production model (labels no longer belong to their rows; every value is real)',
    summary: 'labels misaligned: delay shifted by one row relative to the other columns (an off-by-one join), in a block',
    apply(rows, { severity, seed }) {
      const [start, end] = block(rows, severity, seed);
      const out = rows.slice();
      for (let i = start; i < end; i++) out[i] = { ...rows[i], delay: rows[i + 1 < end ? i + 1 : start].delay };
      return { rows: out, description: `delay of the next row in rows ${start + 1}..${end} (${touchedText(rows, severity)}), rotated within the block` };
    },
  },
  label_zeroed: {
    severities: STANDARD,
    summary: 'label zeroed: delay = 0 (a failed join filled with a default)',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = 0)), description: `delay set to 0 on ${touchedText(rows, severity)}` };
    },
  },
  label_offset: {
    severities: [1],
    summary: 'label offset: delay counted from another reference point, 15 minutes later on every row (a changed definition upstream)',
    apply(rows) {
      return {
        rows: rows.map((r) => ({ ...r, delay: r.delay === null ? null : r.delay + 15 })),
        description: `delay + 15 on all ${n(rows.length)} rows`,
      };
    },
  },
  label_sign_flip: {
    severities: STANDARD,
    summary: 'label sign flipped: delay negated (early and late swapped by a changed definition)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = r.delay === 0 ? 0 : -r.delay)),
        description: `delay negated on ${touchedText(rows, severity)}`,
      };
    },
  },
  nulls_delay: {
    severities: STANDARD,
    summary: 'nulls injected into delay (the label column)',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = null)), description: `delay empty on ${touchedText(rows, severity)}` };
    },
  },
  nulls_distance: {
    severities: STANDARD,
    summary: 'nulls injected into distance (a model input)',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = null)), description: `distance empty on ${touchedText(rows, severity)}` };
    },
  },
  distance_zero_fill: {
    severities: STANDARD,
    summary: 'default-value fill: distance = 0 where the lookup failed',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = 0)), description: `distance set to 0 on ${touchedText(rows, severity)}` };
    },
  },
  timezone_shift: {
    severities: STANDARD,
    summary: 'time zone shift: dates 5 hours late (local time written as UTC); late rows spill into the next day',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.date = shiftTime(r.date, 5 * 3_600_000))),
        description: `date + 5 h on ${touchedText(rows, severity)}`,
      };
    },
  },
  timestamps_midnight: {
    severities: STANDARD,
    summary: 'timestamps truncated to midnight (a DATE cast where a TIMESTAMP was meant): hour of day lost',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.date = `${r.date.slice(0, 10)}T00:00`)),
        description: `date truncated to 00:00 on ${touchedText(rows, severity)}`,
      };
    },
  },
  airport_lowercase: {
    severities: STANDARD,
    summary: 'airport codes lowercased (ord instead of ORD), origin and destination',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          r.origin = r.origin?.toLowerCase() ?? null;
          r.destination = r.destination?.toLowerCase() ?? null;
        }),
        description: `origin and destination lowercased on ${touchedText(rows, severity)}`,
      };
    },
  },
  airport_icao: {
    severities: STANDARD,
    summary: 'airport codes in ICAO form (KORD instead of ORD: "K" prefixed), origin and destination',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          r.origin = r.origin === null ? null : `K${r.origin}`;
          r.destination = r.destination === null ? null : `K${r.destination}`;
        }),
        description: `origin and destination with a K prefix on ${touchedText(rows, severity)}`,
      };
    },
  },
  codes_trailing_spaces: {
    severities: STANDARD,
    summary: 'trailing spaces in airport codes ("ORD " from a fixed-width CHAR(4) export)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          r.origin = r.origin === null ? null : `${r.origin} `;
          r.destination = r.destination === null ? null : `${r.destination} `;
        }),
        description: `a trailing space after origin and destination on ${touchedText(rows, severity)}`,
      };
    },
  },
  encoding_mojibake: {
    severities: STANDARD,
    summary: 'mojibake: codes padded with a non-breaking space that went through a double encoding ("ORDÂ\\u00a0")',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          r.origin = r.origin === null ? null : `${r.origin}\u00c2\u00a0`;
          r.destination = r.destination === null ? null : `${r.destination}\u00c2\u00a0`;
        }),
        description: `"\\u00c2\\u00a0" appended to origin and destination on ${touchedText(rows, severity)}`,
      };
    },
  },
  utf16_export: {
    severities: [1],
    summary: 'file written as UTF-16LE with a byte-order mark (a PowerShell / Excel "Unicode" export)',
    apply(rows) {
      return { text: `\ufeff${toCsv(rows)}`, encoding: 'utf16le', description: `all ${n(rows.length)} rows, UTF-16LE with a BOM` };
    },
  },
  concatenated_parts: {
    severities: [1],
    summary: 'file concatenated from 4 exported parts, each starting with a UTF-8 BOM and its own header row',
    apply(rows) {
      const parts = 4;
      const size = Math.ceil(rows.length / parts);
      let text = '';
      for (let p = 0; p < parts; p++) text += `\ufeff${toCsv(rows.slice(p * size, (p + 1) * size), COLUMNS)}`;
      return { text, description: `4 parts of about ${n(size)} rows, each with a BOM and a header (3 header rows inside the data)` };
    },
  },
  distance_thousands_separator: {
    severities: STANDARD,
    summary: 'distances written with a thousands separator ("1,234", quoted) by a spreadsheet export, on rows with 1,000 miles or more',
    apply(rows, { severity, seed }) {
      // Only distances of 1,000 or more change: the touched rows are drawn from those.
      const long = rows.flatMap((r, i) => (typeof r.distance === 'number' && r.distance >= 1000 ? [i] : []));
      const picked = sample(long.length, touched(rows.length, severity), random(seed)).map((k) => long[k]);
      return {
        rows: mapRows(rows, picked, (r) => (r.distance = r.distance.toLocaleString('en-US'))),
        description: `distance written as "1,234" on ${n(picked.length)} rows (${pct(picked.length / rows.length)}${picked.length === long.length ? ', every row of 1,000 miles or more' : ''})`,
      };
    },
  },
  origin_destination_swapped: {
    severities: STANDARD,
    summary: 'origin and destination swapped (columns mapped the wrong way round)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          [r.origin, r.destination] = [r.destination, r.origin];
        }),
        description: `origin and destination swapped on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_distance_swapped: {
    severities: STANDARD,
    summary: 'delay and distance swapped (two numeric columns mapped the wrong way round)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          [r.delay, r.distance] = [r.distance, r.delay];
        }),
        description: `delay and distance swapped on ${touchedText(rows, severity)}`,
      };
    },
  },
  distance_shuffled: {
    severities: STANDARD,
    summary: 'distance shuffled across rows (a sort applied to one column only): every value plausible, none belongs to its route',
    apply(rows, { severity, seed }) {
      const indices = chosen(rows, severity, seed);
      const rand = random(seed ^ 0x9e3779b9);
      const values = indices.map((i) => rows[i].distance);
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [values[i], values[j]] = [values[j], values[i]];
      }
      const out = rows.slice();
      indices.forEach((i, k) => (out[i] = { ...rows[i], distance: values[k] }));
      return { rows: out, description: `distance permuted among ${touchedText(rows, severity)}` };
    },
  },
  airport_missing: {
    severities: [0.01, 0.1],
    summary: 'a filtered upload: every departure of one airport missing (0.1: of the busiest airports together holding about 10% of rows)',
    apply(rows, { severity }) {
      const counts = new Map();
      for (const r of rows) counts.set(r.origin, (counts.get(r.origin) ?? 0) + 1);
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
      const want = severity * rows.length;
      let dropped;
      if (ranked[0][1] >= want) {
        // One airport: the least busy one that still holds at least the severity's share.
        dropped = [ranked.filter(([, c]) => c >= want).at(-1)[0]];
      } else {
        dropped = [];
        let sum = 0;
        for (const [code, c] of ranked) {
          if (sum >= want) break;
          dropped.push(code);
          sum += c;
        }
      }
      const gone = new Set(dropped);
      const kept = rows.filter((r) => !gone.has(r.origin));
      return {
        rows: kept,
        description: `departures from ${dropped.join(', ')} missing (${n(rows.length - kept.length)} rows, ${pct((rows.length - kept.length) / rows.length)})`,
      };
    },
  },
  label_lost_airport: {
    severities: [0.02, 0.05],
    summary:
      "one airport's late flights written as on time (its delay feed failed upstream): each late delay replaced by an on-time delay of the same airport's day, every value plausible",
    apply(rows, { severity, seed }) {
      const counts = new Map();
      for (const r of rows) counts.set(r.origin, (counts.get(r.origin) ?? 0) + 1);
      // The least busy airport that still holds the severity's share of the rows.
      const [airport] = [...counts].filter(([, c]) => c >= severity * rows.length).sort((a, b) => a[1] - b[1] || String(a[0]).localeCompare(String(b[0])))[0];
      return writtenOnTime(rows, (r) => r.origin === airport, seed, `airport ${airport}`);
    },
  },
  label_lost_evening: {
    severities: [0.1, 0.25],
    summary:
      "the late flights of the day's last hours written as on time (the delay feed stopped in the afternoon): each late delay replaced by an on-time delay of those hours, every value plausible",
    apply(rows, { severity, seed }) {
      // The latest hours that together hold the severity's share of the rows.
      const byHour = new Array(24).fill(0);
      for (const r of rows) byHour[Number(r.date.slice(11, 13))]++;
      let from = 24;
      for (let held = 0; from > 0 && held < severity * rows.length;) held += byHour[--from];
      return writtenOnTime(rows, (r) => Number(r.date.slice(11, 13)) >= from, seed, `departures from ${from}:00 on`);
    },
  },
  sampling_bias: {
    severities: STANDARD,
    summary: 'sampling bias: 90% of the on-time rows (delay <= 15) of a share of rows dropped, so delays are over-represented',
    apply(rows, { severity, seed }) {
      const rand = random(seed ^ 0x51ed27);
      const drop = new Set(chosen(rows, severity, seed).filter((i) => rows[i].delay !== null && rows[i].delay <= 15 && rand() < 0.9));
      return { rows: rows.filter((_, i) => !drop.has(i)), description: `${n(drop.size)} on-time rows dropped from ${touchedText(rows, severity)}` };
    },
  },
  distance_rounded_hundreds: {
    severities: STANDARD,
    summary: 'precision loss: distance rounded to hundreds of miles',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = Math.round(r.distance / 100) * 100)),
        description: `distance rounded to hundreds on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_outliers: {
    severities: STANDARD,
    summary: 'outliers: delay x 100 (a unit or scaling bug on some records)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = r.delay * 100)),
        description: `delay x 100 on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_capped: {
    severities: STANDARD,
    summary: 'delay capped at 60 minutes (an upstream view applies LEAST(delay, 60)): the worst delays vanish',
    apply(rows, { severity, seed }) {
      const capped = chosen(rows, severity, seed).filter((i) => rows[i].delay !== null && rows[i].delay > 60);
      return {
        rows: mapRows(rows, capped, (r) => (r.delay = 60)),
        description: `delay capped at 60 on ${n(capped.length)} rows of ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_rounded: {
    severities: STANDARD,
    summary: 'delay rounded to 10 minutes (precision lost in an aggregation step upstream)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => r.delay !== null && (r.delay = Math.round(r.delay / 10) * 10)),
        description: `delay rounded to 10 minutes on ${touchedText(rows, severity)}`,
      };
    },
  },
  distance_sentinel: {
    severities: STANDARD,
    summary: 'distance 9999 where a lookup failed (a sentinel for unknown, written as a number)',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.distance = 9999)), description: `distance 9999 on ${touchedText(rows, severity)}` };
    },
  },
  airport_empty: {
    severities: STANDARD,
    summary: 'origin empty where a lookup failed (an empty string, not a missing column)',
    apply(rows, { severity, seed }) {
      return { rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.origin = null)), description: `origin empty on ${touchedText(rows, severity)}` };
    },
  },
  airport_codes_remapped: {
    severities: STANDARD,
    summary: 'airport codes decoded with a shifted dictionary: each code becomes the next one in sorted order, every code valid, the airport wrong',
    apply(rows, { severity, seed }) {
      const codes = [...new Set(rows.flatMap((r) => [r.origin, r.destination]).filter((c) => c !== null))].sort();
      const next = new Map(codes.map((c, i) => [c, codes[(i + 1) % codes.length]]));
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => {
          r.origin = next.get(r.origin) ?? r.origin;
          r.destination = next.get(r.destination) ?? r.destination;
        }),
        description: `airport codes shifted by one in the dictionary on ${touchedText(rows, severity)}`,
      };
    },
  },
  timestamps_12_hour: {
    severities: STANDARD,
    summary: 'times written on a 12-hour clock without AM/PM (%I for %H): 13:05 becomes 01:05, every time valid',
    apply(rows, { severity, seed }) {
      const afternoon = chosen(rows, severity, seed).filter((i) => typeof rows[i].date === 'string' && Number(rows[i].date.slice(11, 13)) >= 13);
      return {
        rows: mapRows(rows, afternoon, (r) => {
          r.date = `${r.date.slice(0, 11)}${String(Number(r.date.slice(11, 13)) - 12).padStart(2, '0')}${r.date.slice(13)}`;
        }),
        description: `afternoon times moved 12 hours back on ${n(afternoon.length)} rows of ${touchedText(rows, severity)}`,
      };
    },
  },
  dates_previous_day: {
    severities: [1],
    summary: 'every row dated the day before (an off-by-one partition date upstream): the times of day right, the date wrong',
    apply(rows) {
      return {
        rows: mapRows(
          rows,
          rows.map((_, i) => i),
          (r) => typeof r.date === 'string' && (r.date = shiftTime(r.date, -86_400_000)),
        ),
        description: 'every row dated one day early',
      };
    },
  },
  column_renamed: {
    severities: [1],
    summary: 'a column renamed upstream: delay arrives as arr_delay',
    apply(rows) {
      return {
        rows: rows.map(({ delay, ...rest }) => ({
          date: rest.date,
          arr_delay: delay,
          distance: rest.distance,
          origin: rest.origin,
          destination: rest.destination,
        })),
        description: 'column delay renamed to arr_delay',
      };
    },
  },
  column_dropped: {
    severities: [1],
    summary: 'a column dropped upstream: distance is missing',
    apply(rows) {
      return { rows: rows.map(({ distance: _, ...rest }) => rest), description: 'column distance missing' };
    },
  },
  column_added: {
    severities: [1],
    summary: 'a new column appears upstream: dep_delay inserted before delay (the export changed)',
    apply(rows, { seed }) {
      const rand = random(seed);
      return {
        rows: rows.map((r) => ({
          date: r.date,
          dep_delay: r.delay === null ? null : Math.round(r.delay - 10 * rand()),
          delay: r.delay,
          distance: r.distance,
          origin: r.origin,
          destination: r.destination,
        })),
        description: 'new column dep_delay (before delay)',
      };
    },
  },
  // Found after the first 47, in more post-mortems: each a different way upstream breaks a day.
  delay_seconds: {
    severities: STANDARD,
    summary: 'delay in seconds instead of minutes (a unit change upstream): a 16-minute delay reads as 960',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => r.delay !== null && (r.delay *= 60)),
        description: `delay in seconds on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_floored_at_zero: {
    severities: STANDARD,
    summary: 'early arrivals written as 0 (an upstream view applies GREATEST(delay, 0)): the negative delays vanish',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => r.delay !== null && r.delay < 0 && (r.delay = 0)),
        description: `negative delays set to 0 on ${touchedText(rows, severity)}`,
      };
    },
  },
  origin_misaligned: {
    severities: STANDARD,
    summary: 'an input misaligned: origin shifted by one row relative to the other columns (an off-by-one join), in a block',
    apply(rows, { severity, seed }) {
      const [start, end] = block(rows, severity, seed);
      const out = rows.slice();
      for (let i = start; i < end; i++) out[i] = { ...rows[i], origin: rows[i + 1 < end ? i + 1 : start].origin };
      return { rows: out, description: `origin of the next row in rows ${start + 1}..${end} (${touchedText(rows, severity)}), rotated within the block` };
    },
  },
  hours_missing: {
    severities: [0.1, 0.25],
    summary: 'an hourly batch lost: the departures of the hours around noon missing (severity = share of rows)',
    apply(rows, { severity }) {
      const byHour = new Array(24).fill(0);
      for (const r of rows) byHour[Number(r.date.slice(11, 13))]++;
      let from = 12;
      let to = 12;
      for (let held = byHour[12]; held < severity * rows.length && (from > 0 || to < 23);) {
        if (from > 0) held += byHour[--from];
        if (held < severity * rows.length && to < 23) held += byHour[++to];
      }
      const kept = rows.filter((r) => Number(r.date.slice(11, 13)) < from || Number(r.date.slice(11, 13)) > to);
      return { rows: kept, description: `departures from ${from}:00 to ${to}:59 missing (${n(rows.length - kept.length)} rows)` };
    },
  },
  stale_rows_mixed: {
    severities: [0.1, 0.5],
    summary: "part of a day stale: a share of its rows replaced by the same weekday's rows two weeks before, dates moved (a cache served for some shards)",
    apply(rows, { severity, seed, twoWeeksBeforeRows }) {
      const today = rows[0].date.slice(0, 10);
      const replaced = new Set(chosen(rows, severity, seed));
      const old = sample(twoWeeksBeforeRows.length, replaced.size, random(seed ^ 0x5bd1e995)).map((i) => ({
        ...twoWeeksBeforeRows[i],
        date: `${today}${twoWeeksBeforeRows[i].date.slice(10)}`,
      }));
      const out = [...rows.filter((_, i) => !replaced.has(i)), ...old].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      return { rows: out, description: `${touchedText(rows, severity)} replaced by rows of ${dayOf(twoWeeksBeforeRows)}, dates moved` };
    },
  },
  destination_default: {
    severities: STANDARD,
    summary: 'destination written as ATL, the busiest airport, where a lookup failed (a default that is a valid value)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.destination = 'ATL')),
        description: `destination ATL on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_null_text: {
    severities: STANDARD,
    summary: 'delays written as the text NULL (a database export wrote its null marker)',
    apply(rows, { severity, seed }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = 'NULL')),
        description: `delay "NULL" on ${touchedText(rows, severity)}`,
      };
    },
  },
  delay_mean_imputed: {
    severities: STANDARD,
    summary: "delay filled with the day's mean (a fill step upstream imputed what it could not join)",
    apply(rows, { severity, seed }) {
      const known = rows.filter((r) => r.delay !== null);
      const mean = Math.round((known.reduce((sum, r) => sum + r.delay, 0) / known.length) * 100) / 100;
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r) => (r.delay = mean)),
        description: `delay ${mean} on ${touchedText(rows, severity)}`,
      };
    },
  },
  dates_us_format: {
    severities: [1],
    summary: 'dates written as MM/DD/YYYY HH:MM (the export took another locale)',
    apply(rows) {
      const us = (d) => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)} ${d.slice(11)}`;
      return { rows: rows.map((r) => ({ ...r, date: us(r.date) })), description: `every date as ${us(rows[0].date)}` };
    },
  },
  labels_from_previous_day: {
    severities: [0.1, 1],
    summary: "delay joined from the previous day's rows by row number (a join on the wrong date): every value real, none its row's",
    apply(rows, { severity, seed, previousDayRows }) {
      return {
        rows: mapRows(rows, chosen(rows, severity, seed), (r, i) => (r.delay = previousDayRows[i % previousDayRows.length].delay)),
        description: `delay of the previous day's row of the same number on ${touchedText(rows, severity)}`,
      };
    },
  },
  distance_stuck_airport: {
    severities: [0.01, 0.02, 0.05],
    summary: "one airport's distances stuck: every departure given the distance of its first (a lookup that cached one answer), every value a real route's",
    apply(rows, { severity }) {
      const counts = new Map();
      for (const r of rows) counts.set(r.origin, (counts.get(r.origin) ?? 0) + 1);
      // The least busy airport that still holds the severity's share of the rows.
      const [airport] = [...counts].filter(([, c]) => c >= severity * rows.length).sort((a, b) => a[1] - b[1] || String(a[0]).localeCompare(String(b[0])))[0];
      const stuck = rows.find((r) => r.origin === airport).distance;
      const touchedRows = rows.flatMap((r, i) => (r.origin === airport ? [i] : []));
      return {
        rows: mapRows(rows, touchedRows, (r) => (r.distance = stuck)),
        description: `every distance of airport ${airport} (${n(touchedRows.length)} rows, ${pct(touchedRows.length / rows.length)}) written as ${stuck}`,
      };
    },
  },
  label_forward_filled: {
    severities: [0.01, 0.1, 0.5],
    summary: 'labels lost on a share of rows and filled from the row above (a forward fill of missing values), every value a real delay',
    apply(rows, { severity, seed }) {
      const out = rows.slice();
      // In row order, so a run of lost labels copies one value down, as a fill does.
      const lost = chosen(rows, severity, seed)
        .filter((i) => i > 0)
        .sort((a, b) => a - b);
      for (const i of lost) out[i] = { ...rows[i], delay: out[i - 1].delay };
      return { rows: out, description: `delay of the row above written on ${touchedText(rows, severity)} (lost labels forward-filled)` };
    },
  },
};

/** The kinds, in corpus order. */
export const KINDS = Object.keys(INCIDENTS);

/**
 * Applies `kind` to a day's clean rows and gives the partition's bytes:
 * `{ bytes: Buffer, description, rows: number | null }` (`rows`: data rows written, null for byte-level kinds).
 */
export function incidentFile(kind, rows, options) {
  const incident = INCIDENTS[kind];
  if (incident === undefined) throw new Error(`unknown incident kind "${kind}" (kinds: ${KINDS.join(', ')})`);
  // A kind graded by the share of rows takes any share (`--severities`); the others only their own levels.
  const takes = incident.severities === STANDARD ? options.severity > 0 && options.severity <= 1 : incident.severities.includes(options.severity);
  if (!takes) throw new Error(`${kind}: severity ${options.severity} is not one of ${incident.severities.join(', ')}`);
  const result = incident.apply(rows, options);
  if (result.text !== undefined)
    return {
      bytes: Buffer.from(result.text, result.encoding ?? 'utf8'),
      description: result.description,
      rows: null,
      touched: touched(rows.length, options.severity),
    };
  return {
    bytes: Buffer.from(toCsv(result.rows, result.columns), 'utf8'),
    description: result.description,
    rows: result.rows.length,
    touched: touchedRows(rows, result.rows, result.columns),
  };
}

/**
 * How many of the clean partition's rows the incident changed: rows of either file the other
 * lacks (as multisets of whole rows), the larger side. A row an incident selected but left
 * as it was (a delay of 0 negated) is not touched; a changed header touches every row.
 * Byte-level incidents (`text`) touch the rows their severity names.
 */
export function touchedRows(clean, out, columns) {
  const names = columns ?? (out.length > 0 ? Object.keys(out[0]) : COLUMNS);
  if (names.length !== COLUMNS.length || names.some((c, i) => c !== COLUMNS[i])) return Math.max(clean.length, out.length);
  const line = (r) => COLUMNS.map((c) => String(r[c])).join('\u001f');
  const counts = new Map();
  for (const r of clean) counts.set(line(r), (counts.get(line(r)) ?? 0) + 1);
  let added = 0;
  for (const r of out) {
    const k = line(r);
    const c = counts.get(k) ?? 0;
    if (c > 0) counts.set(k, c - 1);
    else added++;
  }
  let removed = 0;
  for (const c of counts.values()) removed += c;
  return Math.max(added, removed);
}
