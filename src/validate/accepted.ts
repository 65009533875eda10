/**
 * Changes a person accepted (`ct validate --accept <day>`): kept in `accepted.json` beside
 * the data schema, reviewed like it, and read by screening, which re-bases the statistics an
 * accepted change moved and leaves a one-off day out of later days' history.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import type { Acceptance } from '../artifacts.js';

interface AcceptedFile {
  format: 'ct-accepted';
  version: 1;
  partitions: Acceptance[];
}

/** Where `accepted.json` lives: beside the data schema. */
export function acceptedPath(schemaFile: string): string {
  return path.join(path.dirname(schemaFile), 'accepted.json');
}

/** The acceptances recorded beside the schema (none when the file does not exist). */
export function readAccepted(schemaFile: string): Acceptance[] {
  const file = acceptedPath(schemaFile);
  if (!existsSync(file)) return [];
  const raw = readJson<Partial<AcceptedFile>>(file, 'accepted partitions');
  if (raw.format !== 'ct-accepted' || !Array.isArray(raw.partitions))
    throw new UserError(`${displayPath(file)}: not an accepted-partitions file ("format": "ct-accepted", "partitions": [...])`);
  raw.partitions.forEach((p, i) => {
    if (typeof p?.date !== 'string' || typeof p.fingerprint !== 'string' || !Array.isArray(p.metrics))
      throw new UserError(`${displayPath(file)}: partitions[${i}] needs "date", "fingerprint" and "metrics"`);
    if (p.oneOff !== undefined && p.oneOff !== true) throw new UserError(`${displayPath(file)}: partitions[${i}].oneOff: expected true or no such field`);
  });
  return raw.partitions;
}

/** The fingerprint of an acceptance that a day has no data: there is no file to fingerprint. */
export const NO_PARTITION = 'none';

/** Records a person's acceptance of a partition's change; replaces an earlier one of the same day. */
export function writeAcceptance(schemaFile: string, acceptance: Acceptance): string {
  const file = acceptedPath(schemaFile);
  const partitions = readAccepted(schemaFile).filter((p) => p.date !== acceptance.date);
  partitions.push(acceptance);
  partitions.sort((a, b) => (a.date < b.date ? -1 : 1));
  writeJson(file, { format: 'ct-accepted', version: 1, partitions } satisfies AcceptedFile);
  return file;
}
