/**
 * The HTTP face of `ct serve` (node:http): routes, request ids, body limits, answers in
 * JSON or CSV, and a drain on shutdown that lets requests in flight finish.
 *
 *   GET  /healthz                       200 while a model is served, else 503
 *   GET  /metrics                       Prometheus text
 *   GET  /v1/models                     the models and versions served
 *   POST /v1/models/<model>/predict     JSON (an object or an array of objects) or CSV rows
 *   POST /v1/predict                    the same, when one model is served
 *   POST /v1/deploy                     a signed request to install a release (deploy-hook.ts)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Table, valueAt } from '../data/table.js';
import type { Logger } from '../logger.js';
import type { AnomalyKind, Severity } from '../validate/schema.js';
import { answer } from './answer.js';
import { type DeployHookSettings, handleDeploy } from './deploy-hook.js';
import type { PredictionLog } from './log.js';
import type { ServeMetrics } from './metrics.js';
import type { ModelSet } from './models.js';
import { parseRequest, RequestError } from './requests.js';

/** What the server is built from. */
export interface ServerParts {
  models: ModelSet;
  metrics: ServeMetrics;
  /** The Prometheus text of every worker (the primary's sum, or this process's own). */
  metricsText: () => Promise<string>;
  log: PredictionLog | null;
  limits: { maxBodyBytes: number; maxRows: number };
  /** Severity overrides of the config's validation (requests keep their own for a few kinds). */
  severity: Partial<Record<AnomalyKind, Severity>>;
  logger: Logger;
  /** The deploy hook; null: no `POST /v1/deploy`. */
  deploy: DeployHookSettings | null;
}

/** A listening server and its drain. */
export interface RunningServer {
  url: string;
  /** Stops accepting, lets requests in flight finish (at most `seconds`), then closes every connection. */
  drain(seconds: number): Promise<void>;
}

/** A client's request id, when it is a plain token; else a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Starts the server on `host`:`port` (0: any free port). */
export async function startServer(parts: ServerParts, host: string, port: number): Promise<RunningServer> {
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0 && idle !== null) idle();
    });
    if (draining) res.setHeader('connection', 'close');
    handle(parts, req, res).catch((error: unknown) => {
      parts.logger.warning(`serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`,
    async drain(seconds) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (idle = resolve)), new Promise((resolve) => setTimeout(resolve, seconds * 1000).unref())]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handle(parts: ServerParts, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const started = performance.now();
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', requestId);
  const url = new URL(req.url ?? '/', 'http://ct');
  const route = url.pathname.replace(/\/+$/, '') || '/';
  if (req.method === 'GET' && route === '/healthz') {
    const models = parts.models.list();
    return reply(res, models.length > 0 ? 200 : 503, { status: models.length > 0 ? 'ok' : 'no model', models });
  }
  if (req.method === 'GET' && route === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(await parts.metricsText());
    return;
  }
  if (req.method === 'GET' && route === '/v1/models') return reply(res, 200, { models: parts.models.list() });
  if (req.method === 'POST' && route === '/v1/deploy' && parts.deploy !== null) return deploy(parts, parts.deploy, req, res, requestId);
  const match = /^\/v1\/(?:models\/([^/]+)\/)?predict$/.exec(route);
  if (match === null) return reply(res, 404, { error: `no route ${req.method} ${route}`, requestId });
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return reply(res, 405, { error: `${route} takes POST`, requestId });
  }
  const served = parts.models.list();
  const name = match[1] === undefined ? (served.length === 1 ? served[0]!.name : null) : decodeURIComponent(match[1]);
  if (name === null) return reply(res, 404, { error: `${served.length} models are served: name one, POST /v1/models/<model>/predict`, requestId });
  await predict(parts, req, res, name, requestId, started);
}

/** POST .../predict for the model `name`: parse, check, score, answer, log. */
async function predict(
  parts: ServerParts,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  name: string,
  requestId: string,
  started: number,
): Promise<void> {
  const model = parts.models.acquire(name);
  if (model === undefined) {
    const known =
      parts.models
        .list()
        .map((m) => m.name)
        .join(', ') || 'none';
    return reply(res, 404, { error: `no production model "${name}" is served (served: ${known})`, requestId });
  }
  let status = 200;
  let rows = 0;
  try {
    const body = await readBody(req, parts.limits.maxBodyBytes);
    const parsed = parseRequest(body, req.headers['content-type'], model.schema, parts.limits.maxRows);
    rows = parsed.table.rowCount;
    const result = answer(model, parsed.table, parts.severity);
    const head = { model: model.name, version: model.version, requestId };
    if ((req.headers.accept ?? '').includes('text/csv')) replyCsv(res, result.predictions);
    else {
      const warnings = result.warnings.length === 0 ? {} : { warnings: result.warnings };
      reply(res, 200, parsed.single ? { ...head, ...result.predictions[0], ...warnings } : { ...head, predictions: result.predictions, ...warnings });
    }
    if (parts.log !== null) {
      const records = recordsOf(parsed.table);
      const outcome = parts.log.record({
        model: model.name,
        version: model.version,
        requestId,
        time: new Date(),
        rows: records,
        predictions: result.predictions,
      });
      parts.metrics.logged(outcome, rows);
    }
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    status = error.status;
    reply(res, error.status, {
      error: error.message,
      ...(error.field === null ? {} : { field: error.field }),
      requestId,
      model: model.name,
      version: model.version,
    });
  } finally {
    parts.models.release(model);
    parts.metrics.request(name, status, (performance.now() - started) / 1000, rows);
  }
}

async function deploy(parts: ServerParts, hook: DeployHookSettings, req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req, 64 * 1024);
  } catch (error) {
    if (error instanceof RequestError) return reply(res, error.status, { error: error.message, requestId });
    throw error;
  }
  const answered = await handleDeploy(hook, req.headers, body);
  const said = (key: string): string => JSON.stringify(answered.body[key] ?? null);
  if (answered.status === 200) parts.logger.info(`serve: deploy hook: ${said('model')} ${said('version')} ${said('outcome')}`);
  else parts.logger.warning(`serve: deploy hook refused (${answered.status}): ${answered.status === 500 ? `serving ${said('serving')}` : said('error')}`);
  reply(res, answered.status, { ...answered.body, requestId });
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // A body refused unread would be taken for the next request on this connection.
  if (status === 413) res.setHeader('connection', 'close');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function replyCsv(res: http.ServerResponse, predictions: ReadonlyArray<Record<string, number | string>>): void {
  const columns = Object.keys(predictions[0] ?? {});
  const text = `${columns.join(',')}\n${predictions.map((p) => columns.map((c) => String(p[c])).join(',')).join('\n')}\n`;
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The body, refused past `max` bytes (413) without reading the rest. Events, not an async iterator: it is the hot path. */
function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max)
    return Promise.reject(new RequestError(413, `body of ${declared} bytes; at most ${max} (serving.maxBodyBytes)`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        req.off('data', onData).off('end', onEnd).pause();
        reject(new RequestError(413, `body larger than ${max} bytes (serving.maxBodyBytes)`));
      }
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    req.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

/** The rows of a request as plain records, for the log (the values as the table holds them; nulls left out). */
function recordsOf(table: Table): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < table.rowCount; i++) {
    const row: Record<string, unknown> = {};
    for (const c of table.columns) {
      const v = valueAt(c, i);
      if (v !== null) row[c.name] = v;
    }
    out.push(row);
  }
  return out;
}
