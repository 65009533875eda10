/**
 * Release files fetched from a URL (`ct deploy <URL>`, the deploy hook) go through the
 * checks data URLs get: redirects followed by hand and checked, no credentials of CT_HTTP_*
 * sent to a release host, a body cut off at the size limit whatever it announces.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { urlSource } from '../../src/registry/release.js';
import { UserError } from '../../src/errors.js';

let server: Server;
let base: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    const url = req.url ?? '/';
    if (url === '/r/release.json') res.end('{"ok":true}');
    else if (url === '/r/away.bin') res.writeHead(302, { location: 'http://203.0.113.9/release.json' }).end();
    else if (url === '/r/hop.bin') res.writeHead(302, { location: '/r/release.json' }).end();
    else if (url === '/r/big.bin') {
      // Chunked, no Content-Length: only the bytes themselves tell.
      res.write(Buffer.alloc(600));
      res.end(Buffer.alloc(600));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('a release at a URL', () => {
  it('reads a file, following a redirect that stays on checked ground, and sends no CT_HTTP_* credentials', async () => {
    process.env.CT_HTTP_TOKEN = 'data-server-token';
    try {
      const source = urlSource(base);
      expect(Buffer.from(await source.read('release.json', 1000)).toString()).toBe('{"ok":true}');
      expect(Buffer.from(await source.read('hop.bin', 1000)).toString()).toBe('{"ok":true}');
    } finally {
      delete process.env.CT_HTTP_TOKEN;
    }
    expect(seen.map((h) => h.authorization)).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a redirect to plain http elsewhere, a missing file, and a body past the limit', async () => {
    const source = urlSource(base);
    const away = await rejection(source.read('away.bin', 1000));
    expect(away).toBeInstanceOf(UserError);
    expect(away.message).toMatch(/plain http sends data and credentials in the clear; use https/);
    expect((await rejection(source.read('gone.bin', 1000))).message).toMatch(/^release file not found: .*gone\.bin \(404\)$/);
    expect((await rejection(source.read('big.bin', 1000))).message).toMatch(/big\.bin: more than 1000 bytes$/);
  });
});
