/**
 * What `ct serve` counts, in Prometheus' text format (prom-client). Each worker keeps its
 * own registry; the primary process sums the workers' for `/metrics` (`serveMetrics`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LogOutcome } from './log.js';
import type { ReloadEvent } from './models.js';

/** The counters and histograms of one worker. */
export interface ServeMetrics {
  registry: Registry;
  request(model: string, status: number, seconds: number, rows: number): void;
  reload(event: ReloadEvent): void;
  serving(models: ReadonlyArray<{ name: string; version: string }>): void;
  logged(outcome: LogOutcome, rows: number): void;
}

/** A worker's metrics, registered in a registry of its own. */
export function createServeMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ct_serve_' });
  const requests = new Counter({
    name: 'ct_serve_requests_total',
    help: 'Requests answered, by model and HTTP status.',
    labelNames: ['model', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ct_serve_request_duration_seconds',
    help: 'Time from a request read to its answer written, by model.',
    labelNames: ['model'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const rows = new Counter({ name: 'ct_serve_rows_total', help: 'Rows predicted, by model.', labelNames: ['model'], registers: [registry] });
  const reloads = new Counter({
    name: 'ct_serve_reloads_total',
    help: 'Production versions loaded, refused (failed verification or loading: the old one keeps serving) or removed, by model.',
    labelNames: ['model', 'outcome'],
    registers: [registry],
  });
  const info = new Gauge({
    name: 'ct_serve_model_info',
    help: 'The version each worker serves (1), by model and version.',
    labelNames: ['model', 'version'],
    registers: [registry],
    aggregator: 'max',
  });
  const log = new Counter({
    name: 'ct_serve_prediction_log_rows_total',
    help: 'Rows of answered requests by what the prediction log did with them: logged, sampled_out, or not logged for the budget or a full buffer.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return {
    registry,
    request(model, status, seconds, count) {
      requests.inc({ model, status: String(status) });
      latency.observe({ model }, seconds);
      if (status === 200) rows.inc({ model }, count);
    },
    reload(event) {
      reloads.inc({ model: event.model, outcome: event.outcome });
    },
    serving(models) {
      info.reset();
      for (const m of models) info.set({ model: m.name, version: m.version }, 1);
    },
    logged(outcome, count) {
      log.inc({ outcome }, count);
    },
  };
}
