/**
 * `ct serve`: the production models of the registry over HTTP (src/serve/), in worker
 * processes that share the port (node:cluster), or in this process with one worker. Each
 * worker watches the production pointers and swaps in a new version once its checksums
 * verified; the primary sums the workers' metrics, restarts a worker that died, and on
 * SIGTERM or SIGINT lets every worker finish its requests before it exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { ServingConfig } from '../config/types.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DeployHookSettings } from '../serve/deploy-hook.js';
import { startServer } from '../serve/http.js';
import { PredictionLog } from '../serve/log.js';
import { createServeMetrics, type ServeMetrics } from '../serve/metrics.js';
import { ModelSet, type ReloadEvent } from '../serve/models.js';
import { selectBackend } from '../train/backend.js';
import { registryPath, schemaPath, type StageContext } from './context.js';

/** `ct serve` options beyond the config's `serving` section. */
export interface ServeOptions {
  host?: string;
  port?: number;
  workers?: number;
  /** false: no prediction log. */
  log?: boolean;
  /** The prediction log's folder instead of serving.log.path. */
  logDir?: string;
}

/**
 * Messages between the primary and its workers: a worker's /metrics asks the primary
 * (`metrics`), which collects every worker's registry (`collect` -> `registry`) and
 * answers with their sum (`metrics-text`).
 */
type WorkerMessage =
  | { type: 'listening'; url: string }
  | { type: 'metrics'; id: number }
  | { type: 'metrics-text'; id: number; text: string }
  | { type: 'collect'; id: number }
  | { type: 'registry'; id: number; metrics: MetricObjectWithValues<MetricValue<string>>[] };

/**
 * Serves until SIGTERM or SIGINT. Resolves when the server has stopped.
 *
 * @throws UserError when the registry holds no production model, or the port cannot be taken
 */
export async function runServe(ctx: StageContext, options: ServeOptions = {}): Promise<void> {
  const settings = servingSettings(ctx.loaded.config.serving, options);
  if (cluster.isWorker) return serveWorker(ctx, settings, options);
  if (settings.workers <= 1) return serveWorker(ctx, settings, options);
  return superviseWorkers(ctx.logger, settings);
}

function servingSettings(config: ServingConfig, options: ServeOptions): ServingConfig & { workers: number } {
  const workers = options.workers ?? (config.workers === 'auto' ? availableParallelism() : config.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UserError(`--workers: expected a whole number of at least 1, got ${workers}`);
  return { ...config, host: options.host ?? config.host, port: options.port ?? config.port, workers };
}

/** One process answering requests: loads the models, listens, reloads on a timer, drains on a signal. */
async function serveWorker(ctx: StageContext, settings: ServingConfig, options: ServeOptions): Promise<void> {
  const { config } = ctx.loaded;
  const logger = cluster.isWorker ? prefixed(ctx.logger, `worker ${cluster.worker!.id}: `) : ctx.logger;
  await selectBackend(ctx.backend ?? config.training.backend, logger);
  const registry = registryPath(ctx);
  const models = new ModelSet(registry, (name) => ({
    schemaFile: name === config.name ? schemaPath(ctx) : null,
    labels: [config.label.column],
    threshold: config.evaluation.threshold,
  }));
  const metrics = createServeMetrics();
  const reload = async (): Promise<Array<{ name: string; version: string }>> => {
    for (const e of await models.reload()) reportReload(e, metrics, logger);
    metrics.serving(models.list());
    return models.list();
  };
  const deploy = deployHook(settings, registry, reload);
  if ((await reload()).length === 0) {
    throw new UserError(`no production model in ${displayPath(registry)}: promote one first (ct run), then ct serve`);
  }
  const logDir = path.resolve(ctx.loaded.baseDir, options.logDir ?? settings.log.path);
  const log = options.log === false || !settings.log.enabled ? null : new PredictionLog({ ...settings.log, dir: logDir });
  const server = await startServer(
    {
      models,
      metrics,
      metricsText: cluster.isWorker ? () => askPrimaryForMetrics() : () => metrics.registry.metrics(),
      log,
      limits: { maxBodyBytes: settings.maxBodyBytes, maxRows: settings.maxRows },
      severity: config.validation.severity,
      logger,
      deploy,
    },
    settings.host,
    settings.port,
  );
  if (cluster.isWorker) {
    process.on('message', (m: WorkerMessage) => {
      if (m.type !== 'collect') return;
      void metrics.registry.getMetricsAsJSON().then((json) => process.send!({ type: 'registry', id: m.id, metrics: json } satisfies WorkerMessage));
    });
    process.send!({ type: 'listening', url: server.url } satisfies WorkerMessage);
  } else {
    logger.info(
      `serve: listening on ${server.url} (${models
        .list()
        .map((m) => `${m.name} ${m.version}`)
        .join(', ')})${log === null ? '' : `; prediction log in ${displayPath(logDir)}`}`,
    );
  }
  const timer = reloadEvery(settings.reloadSeconds, async () => void (await reload()), logger);
  await untilStopped(cluster.isWorker);
  clearInterval(timer);
  await server.drain(settings.shutdownSeconds);
  log?.close();
  models.dispose();
  logger.info('serve: stopped');
  // The channel to the primary would keep a worker alive.
  if (cluster.isWorker) cluster.worker!.disconnect();
}

/** The deploy hook's settings, or null when no source is configured; a configured hook without its secret is a UserError. */
function deployHook(settings: ServingConfig, registry: string, reload: DeployHookSettings['reload']): DeployHookSettings | null {
  const { sources, secretEnv } = settings.deploy;
  if (sources.length === 0) return null;
  const secret = process.env[secretEnv] ?? '';
  if (secret.length < 16) throw new UserError(`serving.deploy.sources is set, so the deploy hook needs a secret of at least 16 characters in $${secretEnv}`);
  return { secret, sources, registry, reload };
}

function reportReload(e: ReloadEvent, metrics: ServeMetrics, logger: Logger): void {
  metrics.reload(e);
  if (e.outcome === 'loaded') logger.info(`serve: ${e.model} ${e.version} loaded${e.previous === null ? '' : ` (was ${e.previous})`}`);
  else if (e.outcome === 'removed') logger.warning(`serve: ${e.model} has no production pointer any more; ${e.previous} is no longer served`);
  else logger.warning(`serve: ${e.model} ${e.version} refused, ${e.serving ?? 'nothing'} keeps serving: ${e.reason}`);
}

/** Runs `reload` every `seconds`, never two at once (a slow load skips a turn). */
function reloadEvery(seconds: number, reload: () => Promise<void>, logger: Logger): NodeJS.Timeout {
  let reloading = false;
  return setInterval(() => {
    if (reloading) return;
    reloading = true;
    reload()
      .catch((error: unknown) => logger.warning(`serve: reload failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (reloading = false));
  }, seconds * 1000);
}

/** The primary: forks the workers, answers their metrics requests, restarts the ones that die, and stops them on a signal. */
async function superviseWorkers(logger: Logger, settings: ServingConfig & { workers: number }): Promise<void> {
  let stopping = false;
  let announced = false;
  const collecting = new Map<number, { asker: Worker; waiting: number; parts: MetricObjectWithValues<MetricValue<string>>[][] }>();
  const onMessage = (worker: Worker, message: WorkerMessage): void => {
    if (message.type === 'listening' && !announced) {
      announced = true;
      logger.info(`serve: listening on ${message.url} with ${settings.workers} workers`);
    } else if (message.type === 'metrics') {
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
      collecting.set(message.id + worker.id * 1e9, { asker: worker, waiting: workers.length, parts: [] });
      for (const w of workers) w.send({ type: 'collect', id: message.id + worker.id * 1e9 } satisfies WorkerMessage);
    } else if (message.type === 'registry') {
      const entry = collecting.get(message.id);
      if (entry === undefined) return;
      entry.parts.push(message.metrics);
      if (--entry.waiting > 0) return;
      collecting.delete(message.id);
      void AggregatorRegistry.aggregate(entry.parts)
        .metrics()
        .then((text) => entry.asker.isConnected() && entry.asker.send({ type: 'metrics-text', id: message.id % 1e9, text } satisfies WorkerMessage));
    }
  };
  const fork = (): void => {
    const worker = cluster.fork();
    worker.on('message', (m: WorkerMessage) => onMessage(worker, m));
  };
  let failedEarly = 0;
  const exited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve();
        return;
      }
      // A worker that could not start (no model, port taken) would fail again: stop instead of looping.
      if (!announced && ++failedEarly >= settings.workers) {
        stopping = true;
        process.exitCode = code === 2 ? 2 : 1;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill();
        resolve();
        return;
      }
      logger.warning(`serve: worker ${worker.id} exited (${signal ?? `code ${code}`}); starting another`);
      fork();
    });
  });
  for (let i = 0; i < settings.workers; i++) fork();
  await Promise.race([untilStopped(false), exited]);
  if (!stopping) {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.send('shutdown');
  }
  await exited;
  logger.info('serve: stopped');
}

/** Resolves on SIGTERM or SIGINT, or (a worker) when the primary says to shut down. */
function untilStopped(worker: boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (worker) process.on('message', (m) => m === 'shutdown' && stop());
  });
}

let metricsRequests = 0;
/** A worker's /metrics: the primary sums every worker's registry. */
function askPrimaryForMetrics(): Promise<string> {
  const id = ++metricsRequests;
  return new Promise((resolve) => {
    // A worker that died while the primary collected never answers: say so rather than hang.
    const timeout = setTimeout(() => {
      process.off('message', listener);
      resolve('# metrics unavailable: a worker did not answer within 5 s\n');
    }, 5000);
    const listener = (m: WorkerMessage): void => {
      if (m.type !== 'metrics-text' || m.id !== id) return;
      clearTimeout(timeout);
      process.off('message', listener);
      resolve(m.text);
    };
    process.on('message', listener);
    process.send!({ type: 'metrics', id } satisfies WorkerMessage);
  });
}

function prefixed(logger: Logger, prefix: string): Logger {
  return {
    ...logger,
    info: (m: string) => logger.info(prefix + m),
    warning: (m: string) => logger.warning(prefix + m),
    error: (m: string) => logger.error(prefix + m),
    debug: (m: string) => logger.debug(prefix + m),
  };
}
