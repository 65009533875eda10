/**
 * The models `ct serve` answers with: each production model of the registry, loaded only
 * after every file of its version matched the checksums of `production.json`, and swapped
 * whole when the pointer changes (a merged promotion, a rollback). A version that fails
 * verification or loading is refused and the one before keeps serving. A replaced model
 * is disposed once the requests that hold it are done.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { type LoadedModel, loadModel } from '../evaluate/score.js';
import { readPredictionSchema } from '../predict/check.js';
import { readProduction, verifiedProductionDir } from '../registry/registry.js';
import { compileForward, type ForwardPass } from '../train/forward.js';
import type { DataSchema } from '../validate/schema.js';

/** One production version, loaded. */
export interface ServedModel {
  name: string;
  version: string;
  loaded: LoadedModel;
  /** The data schema requests are checked against (label optional), or null where the registry holds a model without one. */
  schema: DataSchema | null;
  /** Binary: a probability at or above it predicts 1. */
  threshold: number;
  /** The config's label columns: optional in requests. */
  labels: readonly string[];
  /** The model's forward pass in JavaScript, for the few rows of a request; null: TF.js computes it. */
  forward: ForwardPass | null;
}

/** What a model of the registry is served with beyond its files. */
export interface ModelSettings {
  /** The data schema file of the model's config (requests are checked against it). */
  schemaFile: string | null;
  /** Label columns of the config (optional in requests). */
  labels: readonly string[];
  threshold: number;
}

/** The outcome of one look at the registry, per model. */
export type ReloadEvent =
  | { model: string; outcome: 'loaded'; version: string; previous: string | null }
  | { model: string; outcome: 'refused'; version: string; serving: string | null; reason: string }
  | { model: string; outcome: 'removed'; previous: string };

/** The served models of one registry and the one-way swap of each. */
export class ModelSet {
  private readonly current = new Map<string, ServedModel>();
  private readonly users = new Map<ServedModel, number>();
  private readonly retired = new Set<ServedModel>();
  /** Versions that failed verification, not tried again until the pointer changes. */
  private readonly refused = new Map<string, string>();

  constructor(
    private readonly registry: string,
    private readonly settingsOf: (model: string) => ModelSettings,
  ) {}

  /** The served model `name`, held until `release` is called; undefined when none is served. */
  acquire(name: string): ServedModel | undefined {
    const model = this.current.get(name);
    if (model !== undefined) this.users.set(model, (this.users.get(model) ?? 0) + 1);
    return model;
  }

  /** Ends a request's hold on `model`; a replaced model is disposed when its last request is done. */
  release(model: ServedModel): void {
    const left = (this.users.get(model) ?? 1) - 1;
    if (left > 0) {
      this.users.set(model, left);
      return;
    }
    this.users.delete(model);
    if (this.retired.delete(model)) model.loaded.model.dispose();
  }

  /** Names and versions being served. */
  list(): Array<{ name: string; version: string }> {
    return [...this.current.values()].map((m) => ({ name: m.name, version: m.version }));
  }

  /**
   * Reads every production pointer of the registry and loads what changed: a new version is
   * verified and loaded first, then swapped in. Returns what happened, per model.
   */
  async reload(): Promise<ReloadEvent[]> {
    const events: ReloadEvent[] = [];
    for (const name of registryModels(this.registry)) {
      let pointer;
      try {
        pointer = readProduction(this.registry, name);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        events.push({ model: name, outcome: 'refused', version: '?', serving: this.current.get(name)?.version ?? null, reason: error.message });
        continue;
      }
      const serving = this.current.get(name);
      if (pointer === null) {
        if (serving !== undefined) {
          this.retire(serving);
          this.current.delete(name);
          events.push({ model: name, outcome: 'removed', previous: serving.version });
        }
        continue;
      }
      if (serving?.version === pointer.version) continue;
      const key = `${name}\0${pointer.version}\0${JSON.stringify(pointer.files)}`;
      if (this.refused.has(key)) continue;
      try {
        const next = await loadServed(this.registry, name, pointer.version, verifiedProductionDir(this.registry, pointer), this.settingsOf(name));
        this.current.set(name, next);
        if (serving !== undefined) this.retire(serving);
        events.push({ model: name, outcome: 'loaded', version: next.version, previous: serving?.version ?? null });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        this.refused.set(key, error.message);
        events.push({ model: name, outcome: 'refused', version: pointer.version, serving: serving?.version ?? null, reason: error.message });
      }
    }
    return events;
  }

  /** Disposes every model (at shutdown, after the last request). */
  dispose(): void {
    for (const m of [...this.current.values(), ...this.retired]) m.loaded.model.dispose();
    this.current.clear();
    this.retired.clear();
  }

  private retire(model: ServedModel): void {
    if ((this.users.get(model) ?? 0) === 0) model.loaded.model.dispose();
    else this.retired.add(model);
  }
}

/** Models of the registry: its folders that hold a production pointer. */
export function registryModels(registry: string): string[] {
  if (!existsSync(registry)) return [];
  return readdirSync(registry)
    .filter((name) => !name.startsWith('.') && statSync(path.join(registry, name)).isDirectory())
    .filter((name) => existsSync(path.join(registry, name, 'production.json')))
    .sort();
}

async function loadServed(registry: string, name: string, version: string, dir: string, settings: ModelSettings): Promise<ServedModel> {
  const loaded = await loadModel(dir, `model "${name}" ${version}`);
  try {
    const schema =
      settings.schemaFile === null
        ? null
        : readPredictionSchema(settings.schemaFile, [...settings.labels, loaded.preprocessing.label.column], loaded.preprocessing);
    const forward = compileForward(loaded.model, loaded.preprocessing.task);
    return { name, version, loaded, schema, threshold: settings.threshold, labels: settings.labels, forward };
  } catch (error) {
    loaded.model.dispose();
    throw error;
  }
}
