/**
 * Data files on object storage or any HTTP(S) server: a data path may be an `https://`
 * URL. Parquet is read with HTTP range requests (the footer, then each column chunk the
 * reader asks for); CSV and JSON Lines are streamed to a temporary file once per process
 * and read from there. Credentials come from the environment (`CT_HTTP_AUTHORIZATION`,
 * a whole Authorization header value, or `CT_HTTP_TOKEN`, sent as a bearer token) and
 * are never shown: messages and reports name a URL by its scheme, host and path only.
 * A URL may pin its content with `#sha256=<hex>`: the file is then downloaded whole,
 * hashed and refused if it differs, and its fingerprint is that hash.
 */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '../errors.js';

/** True for `http://` and `https://` data paths. */
export function isRemote(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** A URL as people see it: scheme, host and path; never credentials or a query (signed URLs carry secrets there). */
export function remoteDisplay(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/** The file name part of a URL's path (for the format and partition names). */
export function remoteName(url: string): string {
  try {
    return path.posix.basename(new URL(url).pathname);
  } catch {
    return path.posix.basename(url);
  }
}

/**
 * The SHA-256 (hex) a data URL pins its content to with a `#sha256=<hex>` fragment, or
 * null (the fragment is never sent to the server).
 */
export function pinnedHash(url: string): string | null {
  const fragment = url.includes('#') ? url.slice(url.indexOf('#') + 1) : '';
  const value = new URLSearchParams(fragment).get('sha256');
  if (value === null) return null;
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new UserError(`${remoteDisplay(url)}: #sha256= needs the 64 hex digits of the file's SHA-256, got "${value.slice(0, 80)}"`);
  return value.toLowerCase();
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Checks a data URL before use: https (plain http only to this machine), no credentials in it. */
export function checkRemoteUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`not a valid URL: ${remoteDisplay(url)}`);
  }
  if (u.username !== '' || u.password !== '') throw new UserError(`${remoteDisplay(url)}: credentials in a data URL would end up in logs; put them in CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN`);
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) throw new UserError(`${remoteDisplay(url)}: plain http sends data and credentials in the clear; use https`);
  pinnedHash(url);
  return u;
}

/** Request headers for data URLs, from the environment. */
function authHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.CT_HTTP_AUTHORIZATION !== undefined && env.CT_HTTP_AUTHORIZATION !== '') return { authorization: env.CT_HTTP_AUTHORIZATION };
  if (env.CT_HTTP_TOKEN !== undefined && env.CT_HTTP_TOKEN !== '') return { authorization: `Bearer ${env.CT_HTTP_TOKEN}` };
  return {};
}

/** Redirects followed at most, per request. */
const MAX_REDIRECTS = 5;

/**
 * Most bytes a remote data file may have (`CT_HTTP_MAX_BYTES`, default 16 GiB): a server
 * that announces more, or sends more than it announced, is refused.
 */
export function maxRemoteBytes(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.CT_HTTP_MAX_BYTES;
  if (set === undefined || set === '') return 16 * 2 ** 30;
  const n = Number(set);
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`CT_HTTP_MAX_BYTES: expected a whole number of bytes >= 1, got "${set}"`);
  return n;
}

/**
 * One request, redirects followed by hand: every hop is checked as the first URL is
 * (https, or http to this machine only; no credentials), may not move from another host
 * to this machine, and gets the Authorization header of CT_HTTP_* only while it stays on
 * the first URL's origin (and only for data: `authorization: false` sends none). `what`
 * names the file in a 404.
 *
 * @throws UserError for a URL or hop that fails the checks, and for any answer but 2xx
 */
export async function checkedRequest(
  url: string,
  init: { method: string; headers?: Record<string, string>; signal?: AbortSignal },
  options: { authorization?: boolean; what?: string } = {},
): Promise<Response> {
  const first = checkRemoteUrl(url);
  let at = first;
  for (let hop = 0; ; hop++) {
    const sameOrigin = at.origin === first.origin && options.authorization !== false;
    let response: Response;
    try {
      response = await fetch(at, {
        method: init.method,
        headers: { ...(sameOrigin ? authHeaders() : {}), ...init.headers },
        redirect: 'manual',
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new UserError(`cannot reach ${remoteDisplay(at.href)}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      if (hop + 1 > MAX_REDIRECTS) throw new UserError(`${remoteDisplay(url)}: more than ${MAX_REDIRECTS} redirects`);
      const next = checkRemoteUrl(new URL(response.headers.get('location')!, at).href);
      if (LOOPBACK.has(next.hostname) && !LOOPBACK.has(at.hostname)) throw new UserError(`${remoteDisplay(url)}: redirected to this machine (${remoteDisplay(next.href)}), which a data server has no business doing`);
      at = next;
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new UserError(`${remoteDisplay(url)} answered ${response.status}: check CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN`);
    }
    if (response.status === 404) throw new UserError(`${options.what ?? 'data file'} not found: ${remoteDisplay(url)} (404)`);
    if (!response.ok) throw new UserError(`${remoteDisplay(url)} answered ${response.status} ${response.statusText}`);
    return response;
  }
}

/** What a HEAD request says about a remote file. */
interface RemoteInfo {
  size: number;
  /** ETag, Last-Modified and size: they change when the object does. */
  version: string;
  ranges: boolean;
}

/** Per process: each URL is asked about once, so the fingerprint matches what was read. */
const infos = new Map<string, Promise<RemoteInfo>>();

/** Size and version of a remote file (one HEAD request per URL and process). */
export function remoteInfo(url: string): Promise<RemoteInfo> {
  let info = infos.get(url);
  if (info === undefined) {
    info = (async () => {
      const response = await checkedRequest(url, { method: 'HEAD' });
      const size = Number(response.headers.get('content-length'));
      if (!Number.isSafeInteger(size) || size < 0) throw new UserError(`${remoteDisplay(url)}: the server does not say how large the file is (no Content-Length)`);
      const cap = maxRemoteBytes();
      if (size > cap) throw new UserError(`${remoteDisplay(url)}: ${size} bytes is more than CT_HTTP_MAX_BYTES (${cap})`);
      const version = [response.headers.get('etag'), response.headers.get('last-modified'), size].join('|');
      return { size, version, ranges: /bytes/i.test(response.headers.get('accept-ranges') ?? '') };
    })();
    infos.set(url, info);
    info.catch(() => infos.delete(url));
  }
  return info;
}

/**
 * The content fingerprint of a remote file, from its version (ETag, Last-Modified, size)
 * as seen when it was read: the bytes are not downloaded again to hash them.
 */
export function remoteFingerprintPart(url: string): string | undefined {
  const pin = pinnedHash(url);
  return pin === null ? versions.get(url) : `sha256:${pin}`;
}

const versions = new Map<string, string>();

/** Asks the server for the version of every remote file among `files` (before they are read), so they can be fingerprinted. */
export async function learnVersions(files: readonly string[]): Promise<void> {
  for (const file of files) if (isRemote(file)) versions.set(file, (await remoteInfo(file)).version);
}

/** A remote file read by byte ranges. */
export interface RemoteFile {
  size: number;
  /** Fills `bytes` from `position` with one range request. */
  read(bytes: Uint8Array, position: number): Promise<void>;
}

/** Opens a remote file for range reads; a server without range support is a clear error. */
export async function openRemote(url: string): Promise<RemoteFile> {
  // A pinned file is checked whole before any byte of it is used: downloaded, hashed, then read locally.
  if (pinnedHash(url) !== null) return localRanges(await localCopy(url));
  const info = await remoteInfo(url);
  versions.set(url, info.version);
  if (!info.ranges) throw new UserError(`${remoteDisplay(url)}: the server does not accept range requests (Accept-Ranges: bytes), which reading Parquet remotely needs`);
  return {
    size: info.size,
    async read(bytes, position) {
      if (bytes.length === 0) return;
      const response = await checkedRequest(url, { method: 'GET', headers: { range: `bytes=${position}-${position + bytes.length - 1}` } });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 206 || body.length !== bytes.length) {
        throw new UserError(`${remoteDisplay(url)}: asked for ${bytes.length} bytes at ${position}, got ${response.status} with ${body.length} bytes (the file changed, or the server ignores ranges)`);
      }
      bytes.set(body);
    },
  };
}

/** Range reads of a local file, for a remote file downloaded whole. */
function localRanges(file: string): RemoteFile {
  return {
    size: statSync(file).size,
    read(bytes, position) {
      const fd = openSync(file, 'r');
      try {
        let done = 0;
        while (done < bytes.length) {
          const n = readSync(fd, bytes, done, bytes.length - done, position + done);
          if (n === 0) throw new UserError(`${file}: shorter than expected`);
          done += n;
        }
      } finally {
        closeSync(fd);
      }
      return Promise.resolve();
    },
  };
}

/** Local copies of remote text files, per process. */
const copies = new Map<string, Promise<string>>();
let copiesDir: string | undefined;

/**
 * A local copy of a remote file (CSV, JSON Lines, or any pinned file), streamed to a
 * temporary file (memory stays flat) once per process and removed when the process exits;
 * a pinned file whose SHA-256 differs is refused.
 */
export function localCopy(url: string): Promise<string> {
  let copy = copies.get(url);
  if (copy === undefined) {
    copy = (async () => {
      const info = await remoteInfo(url);
      versions.set(url, info.version);
      if (copiesDir === undefined) {
        copiesDir = mkdtempSync(path.join(tmpdir(), 'ct-remote-'));
        const dir = copiesDir;
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      }
      const file = path.join(copiesDir, `${createHash('sha256').update(url).digest('hex').slice(0, 16)}-${remoteName(url)}`);
      const response = await checkedRequest(url, { method: 'GET' });
      if (response.body === null) throw new UserError(`${remoteDisplay(url)}: empty response`);
      // No more than the HEAD request announced: a server that keeps sending is cut off.
      let received = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          if (received > info.size) done(new UserError(`${remoteDisplay(url)}: sent more than the ${info.size} bytes it announced`));
          else done(null, chunk);
        },
      });
      const pin = pinnedHash(url);
      const hash = createHash('sha256');
      const digest = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(response.body), limit, digest, createWriteStream(file));
      const actual = hash.digest('hex');
      if (pin !== null && actual !== pin) {
        rmSync(file, { force: true });
        throw new UserError(`${remoteDisplay(url)}: its content's SHA-256 is ${actual}, the URL pins ${pin}: the file changed since it was pinned`);
      }
      return file;
    })();
    copies.set(url, copy);
    copy.catch(() => copies.delete(url));
  }
  return copy;
}

/**
 * What a reader of `local` (the copy of `url`) produced or threw, told in terms of the
 * URL: table sources and error messages name the URL, never the temporary file.
 */
export function asRemote<T extends { readonly sources: ReadonlyArray<{ readonly file: string }> }>(table: T, localShown: string, url: string): T {
  const shown = remoteDisplay(url);
  return { ...table, sources: table.sources.map((s) => (s.file === localShown ? { ...s, file: shown } : s)) };
}

/** A reader's UserError about the copy of `url`, told about the URL. */
export function remoteError(error: unknown, localShown: string, url: string): unknown {
  if (!(error instanceof UserError)) return error;
  return new UserError(error.message.split(localShown).join(remoteDisplay(url)), { cause: error });
}
