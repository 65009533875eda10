/**
 * Files in a folder of daily partitions that no run reads: a data file not named for its
 * day (`latest.csv`, `2026-04-10-part2.csv`) or one compressed (`2026-04-10.csv.gz`).
 * Training and validation read only `YYYY-MM-DD.<ext>`, so their rows would be left out
 * without a word; the day they belong to may look partial or missing instead.
 */
import path from 'node:path';
import { unreadDataFiles } from '../data/partitions.js';
import type { Anomaly } from './checker.js';
import type { Severity } from './schema.js';
import { alternatives } from '../words.js';

/** File names an anomaly lists before it counts the rest. */
const LISTED = 3;

/**
 * The anomaly (`unread_file`) for the data files of `folder` that no run reads, or null
 * when there are none.
 */
export function unreadFilesAnomaly(folder: string, severity: Severity): Anomaly | null {
  const files = unreadDataFiles(folder);
  if (files.length === 0) return null;
  const names = files.slice(0, LISTED).map((f) => path.basename(f));
  const more = files.length - names.length;
  const listed = more > 0 ? `${names.join(', ')} and ${more} more` : alternatives(names, 'and');
  const one = files.length === 1;
  return {
    kind: 'unread_file',
    severity,
    column: null,
    count: files.length,
    share: 0,
    examples: [],
    message:
      `${path.dirname(files[0]!)}: ${listed} ${one ? 'is' : 'are'} not read: a run reads the uncompressed files named for their day ` +
      `(YYYY-MM-DD.csv, .parquet or .jsonl). Name ${one ? 'it' : 'each'} for the day its rows are from (uncompressed), or move ${one ? 'it' : 'them'} out of the folder`,
  };
}
