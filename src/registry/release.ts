/**
 * A released version: the files of a model's production version, `release.json` (the
 * history line that promoted it: model, version, time, sha256 of every file, provenance)
 * and `SHA256SUMS` (for `sha256sum -c`). `ct release` writes one from the registry of the
 * default branch; `ct deploy` (or a signed deploy hook of `ct serve`) installs one into the
 * registry a server reads, so the server swaps it in as it does any change of production.
 *
 * Nothing in a release is trusted: names must be plain, every file must match its sha256,
 * and the files must make the version id they claim (promotion time + content hash), so a
 * release cannot pass one model's files off as another version.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkedRequest } from '../data/remote.js';
import { UserError } from '../errors.js';
import { makeFolder, sha256File } from '../files.js';
import { plainFileNames, plainName } from './names.js';
import {
  hashFiles,
  listVersions,
  promotionRecordOf,
  type Provenance,
  publishVersion,
  readProduction,
  recordedChecksums,
  rollbackTo,
  sameFiles,
  verifiedProductionDir,
  versionId,
} from './registry.js';

export const RELEASE_MANIFEST = 'release.json';
export const RELEASE_SUMS = 'SHA256SUMS';

/** Contents of `release.json`. */
export interface ReleaseManifest {
  format: 'ct-release';
  model: string;
  version: string;
  /** When the version was first promoted (part of its id). */
  promotedAt: string;
  /** File name -> `sha256:<hex>`, as recorded when the version was promoted. */
  files: Record<string, string>;
  by: Provenance;
  /** The version production replaced on the branch the release was made from. */
  previous: string | null;
}

/** The release tag of a version: `<model>-<version>`. */
export function releaseTag(manifest: Pick<ReleaseManifest, 'model' | 'version'>): string {
  return `${manifest.model}-${manifest.version}`;
}

/**
 * Writes the production version of `model` as a release into the empty or new folder
 * `out`, after checking its files against production.json and the history line that
 * promoted it.
 */
export function writeRelease(registry: string, model: string, out: string): ReleaseManifest {
  const pointer = readProduction(registry, model);
  if (pointer === null) throw new UserError(`${path.join(registry, model)}: no production version of ${model}: nothing to release`);
  const dir = verifiedProductionDir(registry, pointer);
  const record = promotionRecordOf(registry, model, pointer.version);
  if (record === undefined)
    throw new UserError(`${path.join(registry, model, 'history.jsonl')}: no line promotes ${pointer.version}, so its origin cannot be released`);
  if (!sameFiles(record.files, pointer.files)) {
    throw new UserError(
      `${path.join(registry, model, 'production.json')}: its checksums of ${pointer.version} differ from those history.jsonl recorded at promotion`,
    );
  }
  const manifest: ReleaseManifest = {
    format: 'ct-release',
    model,
    version: pointer.version,
    promotedAt: record.at,
    files: sorted(record.files),
    by: record.by,
    previous: pointer.previous,
  };
  makeFolder(out);
  for (const name of Object.keys(manifest.files)) copyFileSync(path.join(dir, name), path.join(out, name));
  writeFileSync(path.join(out, RELEASE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const sums = Object.entries(manifest.files).map(([name, sum]) => `${sum.replace(/^sha256:/, '')}  ${name}`);
  writeFileSync(path.join(out, RELEASE_SUMS), `${sums.join('\n')}\n`);
  return manifest;
}

const sorted = (files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));

/** `text` (from `source`) as a release manifest, every name and checksum checked. */
export function parseReleaseManifest(text: string, source: string): ReleaseManifest {
  let value: Partial<ReleaseManifest>;
  try {
    value = JSON.parse(text) as Partial<ReleaseManifest>;
  } catch {
    throw new UserError(`${source}: not JSON`);
  }
  if (value?.format !== 'ct-release') throw new UserError(`${source}: not a ct release (format ${JSON.stringify(value?.format)})`);
  plainName(value.model, 'model', source);
  plainName(value.version, 'version', source);
  plainFileNames(value.files, source);
  if (Object.keys(value.files!).length === 0) throw new UserError(`${source}: lists no files`);
  if (typeof value.promotedAt !== 'string' || Number.isNaN(Date.parse(value.promotedAt))) throw new UserError(`${source}: "promotedAt" is not a time`);
  if (value.previous !== null && value.previous !== undefined) plainName(value.previous, 'previous version', source);
  const by = (value.by ?? {}) as Partial<Provenance>;
  return {
    format: 'ct-release',
    model: value.model!,
    version: value.version!,
    promotedAt: value.promotedAt,
    files: value.files!,
    by: { pullRequest: by.pullRequest ?? null, branch: by.branch ?? null, commit: by.commit ?? null, run: by.run ?? null },
    previous: value.previous ?? null,
  };
}

/** Where a release is read from: a folder, or the base URL its files are downloaded from. */
export interface ReleaseSource {
  /** What to call it in messages. */
  name: string;
  /** The bytes of one of its files, at most `maxBytes`. */
  read(file: string, maxBytes: number): Promise<Uint8Array>;
}

/** The largest file a release may hold. */
const MAX_FILE_BYTES = 2 ** 31;

/** A release in a local folder (`gh release download` puts one there). */
export function folderSource(dir: string): ReleaseSource {
  return {
    name: dir,
    read: async (file) => {
      const full = path.join(dir, file);
      if (!existsSync(full)) throw new UserError(`${dir}: ${file} is missing`);
      return readFileSync(full);
    },
  };
}

/**
 * A release whose files are at `<base>/<file>` (a GitHub release's download URL), fetched
 * as data files are (`checkedRequest`): https only (http to this machine), each redirect
 * checked and none to this machine from elsewhere, no CT_HTTP_* credentials sent, and at
 * most `maxBytes` read of a body whatever it announces.
 */
export function urlSource(base: string): ReleaseSource {
  const root = base.endsWith('/') ? base : `${base}/`;
  return {
    name: root,
    read: async (file, maxBytes) => {
      const url = new URL(encodeURIComponent(file), root).href;
      const response = await checkedRequest(url, { method: 'GET', signal: AbortSignal.timeout(300_000) }, { authorization: false, what: 'release file' });
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > maxBytes) {
        await response.body?.cancel();
        throw new UserError(`${url}: ${length} bytes is more than ${maxBytes}`);
      }
      return readAtMost(response, maxBytes, url);
    },
  };
}

/** The body of `response`, refused as soon as it passes `maxBytes`. */
async function readAtMost(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += (chunk as Uint8Array).byteLength;
    if (total > maxBytes) throw new UserError(`${url}: more than ${maxBytes} bytes`);
    chunks.push(chunk as Uint8Array);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** What installing a release did. */
export interface DeployResult {
  model: string;
  version: string;
  /** `promoted`: a new version was written; `rolled back`: a version already here became production again; `unchanged`: it already was. */
  outcome: 'promoted' | 'rolled back' | 'unchanged';
  previous: string | null;
}

/**
 * Makes the release at `source` the production version of its model in `registry`: a
 * version the registry has (with the same checksums) becomes production again; a new one
 * is downloaded into a temp folder, checked, and promoted with its original time and
 * provenance, so it gets the same version id. `models`, when given, are the models this
 * registry may take.
 */
export async function installRelease(registry: string, source: ReleaseSource, models?: readonly string[]): Promise<DeployResult> {
  const where = `${source.name}${source.name.endsWith('/') ? '' : '/'}${RELEASE_MANIFEST}`;
  const manifest = parseReleaseManifest(Buffer.from(await source.read(RELEASE_MANIFEST, 1 << 20)).toString('utf8'), where);
  const { model, version } = manifest;
  if (models !== undefined && !models.includes(model)) throw new UserError(`${where}: model ${model} is not one this server takes (${models.join(', ')})`);
  const production = readProduction(registry, model);
  const result = (outcome: DeployResult['outcome']): DeployResult => ({ model, version, outcome, previous: production?.version ?? null });
  if (production?.version === version) return result('unchanged');
  if (listVersions(registry, model).includes(version)) {
    const recorded = recordedChecksums(registry, model, version, production);
    if (recorded === null || !sameFiles(recorded.files, manifest.files)) {
      throw new UserError(`${where}: ${model} ${version} is in ${registry} with other checksums than the release's`);
    }
    rollbackTo(registry, model, version, { by: manifest.by });
    return result('rolled back');
  }
  const staging = mkdtempSync(path.join(tmpdir(), 'ct-release-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, sum] of Object.entries(manifest.files)) {
      const file = path.join(staging, name);
      writeFileSync(file, await source.read(name, MAX_FILE_BYTES));
      const actual = sha256File(file);
      if (actual !== sum) throw new UserError(`${where}: ${name} is ${actual}, the release says ${sum}`);
      files[name] = file;
    }
    const when = new Date(manifest.promotedAt);
    const id = versionId(when, hashFiles(files));
    if (id !== version) throw new UserError(`${where}: these files promoted at ${manifest.promotedAt} make version ${id}, not ${version}`);
    try {
      publishVersion({ registry, model, files, when, by: manifest.by });
    } catch (error) {
      // Another worker installed the same release meanwhile.
      if (readProduction(registry, model)?.version === version) return result('unchanged');
      throw error;
    }
    return result('promoted');
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
