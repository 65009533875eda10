/**
 * A loopback HTTP server for data on "object storage": serves files from a folder with
 * HEAD, whole GETs and single byte-range GETs (206, Content-Range), optionally requiring
 * an Authorization header, and records every request.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedHttpRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  bytes: number;
}

export interface RangeServer {
  url: string;
  requests: RecordedHttpRequest[];
  close(): Promise<void>;
}

export interface RangeServerOptions {
  authorization?: string;
  ranges?: boolean;
  /** Path -> Location: answered with 302 before anything else. */
  redirects?: Record<string, string>;
  /** Bytes a whole GET sends beyond what HEAD announced (a server that lies about the size). */
  extraBytes?: number;
}

export async function startRangeServer(folder: string, options: RangeServerOptions = {}): Promise<RangeServer> {
  const requests: RecordedHttpRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const record: RecordedHttpRequest = { method: req.method ?? 'GET', path: url.pathname, range: req.headers.range, authorization: req.headers.authorization, bytes: 0 };
    requests.push(record);
    const location = options.redirects?.[url.pathname];
    if (location !== undefined) {
      res.writeHead(302, { location }).end();
      return;
    }
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
      res.writeHead(401).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(path.join(folder, path.basename(url.pathname)));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { etag: `"${body.length}"`, ...(options.ranges === false ? {} : { 'accept-ranges': 'bytes' }) };
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end();
      return;
    }
    if (range !== null && options.ranges !== false) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), body.length - 1);
      const part = body.subarray(start, end + 1);
      record.bytes = part.length;
      res.writeHead(206, { ...headers, 'content-length': String(part.length), 'content-range': `bytes ${start}-${end}/${body.length}` }).end(part);
      return;
    }
    if (options.extraBytes !== undefined) body = Buffer.concat([body, Buffer.alloc(options.extraBytes, 0x0a)]);
    record.bytes = body.length;
    res.writeHead(200, { ...headers, 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
