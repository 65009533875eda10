/**
 * Names of the metrics that join several columns: `distance<-origin+destination` (a
 * dependency), `delay|origin` (a relation), `origin+destination` (a pair). A column's own
 * name may hold any of those separators, so names are escaped when joined (`\` before `\`,
 * `+`, `|` and `<`) and split only where a separator is not escaped: every name comes back
 * whole, whatever it holds.
 */

/** Separators between the columns of a compound metric name. */
export type ColumnSeparator = '+' | '|' | '<-';

/** `name` with the characters that separate columns escaped. */
function escapeName(name: string): string {
  return name.replace(/[\\+|<]/g, (c) => `\\${c}`);
}

/** One compound name: `parts` (each a name, or a list of names joined by `+`) joined by `separator`. */
export function joinColumns(separator: ColumnSeparator, ...parts: ReadonlyArray<string | readonly string[]>): string {
  return parts.map((p) => (typeof p === 'string' ? escapeName(p) : p.map(escapeName).join('+'))).join(separator);
}

/**
 * The column names a compound name joins, in order and each whole, whatever separators join
 * them: `distance<-origin+destination` gives distance, origin, destination. A plain column
 * name gives itself.
 */
export function columnNames(text: string): string[] {
  const names: string[] = [];
  let name = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) name += text[++i];
    else if (c === '+' || c === '|' || text.startsWith('<-', i)) {
      names.push(name);
      name = '';
      if (c === '<') i++;
    } else name += c;
  }
  names.push(name);
  return names;
}

/** The column, or compound name, a metric is of: `delay.lowTailShare` gives `delay`. */
export function columnOf(metric: string): string {
  return metric.slice(0, metric.lastIndexOf('.'));
}

/** The statistic a metric measures of its column: `delay.lowTailShare` gives `lowTailShare`. */
export function statisticOf(metric: string): string {
  return metric.slice(metric.lastIndexOf('.') + 1);
}
