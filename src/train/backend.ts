/**
 * Chooses the TF.js backend at run time: `tensorflow` (tfjs-node, native) where it
 * installed, else `wasm`, else the pure-JS `cpu` backend. All three share one model
 * format, so the choice only changes speed; it is recorded in every artifact.
 *
 * How TF.js is imported: the rest of ct imports `../tf.js` (core, layers, cpu) and calls
 * `selectBackend` once before the first op. tfjs-node adds nothing but a backend: its
 * import registers the `tensorflow` backend on TF.js's engine, which lives on the
 * global object (`globalThis._tfengine`, kernels in `globalThis._tfGlobals`), so every
 * copy of `@tensorflow/tfjs-core` in the process sees it. tfjs-node 4.22 pins
 * `@tensorflow/tfjs` 4.22.0, whose tfjs-core npm dedupes with ours; a different version would
 * still share the engine but bring its own Tensor classes, hence the warning below.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, sep } from 'node:path';
import * as tf from '../tf.js';
import type { BackendPreference } from '../config/types.js';
import { UserError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { registerFastKernels, unregisterFastKernels } from './kernels.js';

export type { BackendPreference };

/** The backends `auto` tries, fastest first. */
export const BACKEND_ORDER = ['tensorflow', 'wasm', 'cpu'] as const;
/** A concrete backend name. */
export type BackendName = (typeof BACKEND_ORDER)[number];

/** Which backend runs, as recorded in `training.json`. */
export interface BackendInfo {
  /** `tf.getBackend()` after the backend is ready: the backend that really runs. */
  name: string;
  /** What was asked for. */
  requested: BackendPreference;
  /** Version of `@tensorflow/tfjs-core`. */
  tfjsVersion: string;
  /** Kernels replaced by ct's own (see kernels.ts); empty when none. */
  fastKernels: string[];
  /** Why faster backends were skipped (`auto` only), e.g. tfjs-node not installed. */
  fallbackReason?: string;
  /** With `tensorflow`: the native package that provides it (tfjs-node-gpu on GPU runners). */
  nativePackage?: string;
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Where the wasm backend finds its `.wasm` files: a directory (ending in `/`) or URL
   * prefix, or a map from file name to location. Default: a bundle's own copies (see
   * {@link bundledWasmDirectory}), else the installed `@tensorflow/tfjs-backend-wasm` package. Only the first
   * initialisation of the wasm backend in a process uses it.
   */
  wasmPaths?: string | Record<string, string>;
  /** Register ct's fast kernels (default true). `false` restores TF.js's own kernels. */
  fastKernels?: boolean;
}

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** CommonJS resolution from this file: for `node:util` and the wasm package's location. */
const requireCjs = createRequire(import.meta.url);

/** Memoised loads: each is attempted once per process, success or failure. */
let tensorflowLoad: Promise<void> | undefined;
let wasmLoad: Promise<void> | undefined;
/** Where the wasm backend was told to find its binaries (for messages). */
let wasmLocation: SelectBackendOptions['wasmPaths'];

/**
 * True when `name` is initialised and active. Not `tf.findBackend`: that starts
 * initialising a registered backend as a side effect.
 */
function isActive(name: BackendName): boolean {
  return tf.getBackend() === name && tf.engine().registry[name] !== undefined;
}

/** Error message without a stack, on one line, for `fallbackReason` and UserError. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'unknown error'
  );
}

/**
 * tfjs-node 4.22 calls `util.isNullOrUndefined` and `util.isArray`, which Node 23
 * removed (tfjs#8609; fixed upstream in tfjs#8425 but never released). It reads them
 * from the `util` module object at call time, so defining them on that object (the one
 * `require('util')` returns) before the first op is enough.
 */
function polyfillNodeUtil(): void {
  const util = requireCjs('node:util') as Record<string, unknown>;
  if (typeof util['isNullOrUndefined'] !== 'function') {
    util['isNullOrUndefined'] = (value: unknown): boolean => value === null || value === undefined;
  }
  if (typeof util['isArray'] !== 'function') util['isArray'] = Array.isArray;
}

/**
 * The native packages that register the `tensorflow` backend, preferred first: the
 * CUDA build where a GPU runner installed it, else the CPU build.
 */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** The native package that registered the `tensorflow` backend in this process, once loaded. */
export let nativePackage: (typeof NATIVE_PACKAGES)[number] | null = null;

/**
 * A native package as installed in the GitHub workspace (`npm ci` there), or null. Its
 * own copy of tfjs-core registers the backend in the engine every copy shares (TF.js
 * keeps the engine and the kernel registry on the global object).
 */
function workspaceTensorflow(name: string): string | null {
  const workspace = process.env.GITHUB_WORKSPACE;
  if (workspace === undefined || workspace === '') return null;
  try {
    return createRequire(join(workspace, 'package.json')).resolve(name);
  } catch {
    return null;
  }
}

function notInstalled(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Imports tfjs-node-gpu or tfjs-node for its side effect: registering the `tensorflow` backend. */
function loadTensorflow(logger: Logger): Promise<void> {
  tensorflowLoad ??= (async () => {
    polyfillNodeUtil();
    let mod: { version?: Record<string, string>; default?: { version?: Record<string, string> } } | undefined;
    for (const name of NATIVE_PACKAGES) {
      try {
        // A variable specifier: TypeScript does not ask for the optional package's types,
        // and bundlers leave the import to run time (bundled actions use wasm).
        mod = (await import(name).catch(async (error: unknown) => {
          // A bundle (the GitHub Actions) has no node_modules of its own: use the workspace's.
          const workspaceModule = workspaceTensorflow(name);
          if (workspaceModule === null) throw error;
          return import(pathToFileURL(workspaceModule).href) as Promise<unknown>;
        })) as typeof mod;
        nativePackage = name;
        break;
      } catch (error) {
        if (notInstalled(error)) continue;
        throw new Error(`${name} failed to load: ${reasonOf(error)}`, { cause: error });
      }
    }
    if (mod === undefined || nativePackage === null) {
      throw new Error(
        '@tensorflow/tfjs-node is not installed (optional dependency: it needs libtensorflow at install time; @tensorflow/tfjs-node-gpu on GPU runners)',
      );
    }
    const nodeCore = (mod.version ?? mod.default?.version)?.['tfjs-core'];
    if (nodeCore !== undefined && nodeCore !== tf.version['tfjs-core']) {
      logger.warning(`${nativePackage} uses tfjs-core ${nodeCore} but ct uses ${tf.version['tfjs-core']}: install matching versions so npm dedupes them`);
    }
  })();
  return tensorflowLoad;
}

/** The directory of the installed wasm backend's `.wasm` files, if it can be found. */
export function defaultWasmDirectory(): string | undefined {
  try {
    // Resolves to <package>/dist/tf-backend-wasm.node.js; the .wasm files sit beside it.
    return dirname(requireCjs.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
  } catch {
    return undefined; // e.g. a bundle that ships no binaries: the glue then looks beside its own file
  }
}

/**
 * The directory of the `.wasm` files a bundle ships, when this module runs bundled (the
 * GitHub Actions in actions/dist/): scripts/bundle-actions.mjs copies them beside the entry
 * files, and this code sits either in an entry or, split out, in a shared chunk in
 * `chunks/` under them. A bundle must use its own binaries: they match the glue code bundled
 * with it, and no node_modules is there to resolve. Unbundled (`dist/train/`, `src/train/`),
 * neither directory has them: undefined.
 */
function bundledWasmDirectory(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = [here, dirname(here)].find((candidate) => existsSync(join(candidate, 'tfjs-backend-wasm.wasm')));
  return dir === undefined ? undefined : dir + sep;
}

/** Imports the wasm backend (registering it) and tells it where its binaries are. */
function loadWasm(paths: SelectBackendOptions['wasmPaths'], logger: Logger): Promise<void> {
  const location = paths ?? bundledWasmDirectory() ?? defaultWasmDirectory();
  if (wasmLoad !== undefined) {
    if (paths !== undefined && JSON.stringify(location) !== JSON.stringify(wasmLocation)) {
      logger.debug('wasm backend already loaded; ignoring the new wasmPaths');
    }
    return wasmLoad;
  }
  wasmLocation = location;
  wasmLoad = (async () => {
    // Imported here, not at the top: importing registers `wasm` with a higher priority
    // than `cpu`, which would change TF.js's default for every importer of this module.
    const imported = await import('@tensorflow/tfjs-backend-wasm');
    // Bundled (the actions' dist), the CommonJS package's exports arrive under `default`.
    const wasm: typeof imported = 'setWasmPaths' in imported ? imported : (imported as unknown as { default: typeof imported }).default;
    // `usePlatformFetch` false: in Node the emscripten loader reads files with `fs`.
    if (location !== undefined) wasm.setWasmPaths(location);
    await initialise('wasm');
  })();
  return wasmLoad;
}

/**
 * `tf.setBackend(name)` and a check that it took. TF.js reports a failed asynchronous
 * initialisation only as a console warning and `false`, and keeps `getBackend()` at the
 * failed name; the next op then silently initialises another backend. So: check both,
 * and remove a backend that failed, so that TF.js never retries it behind our back.
 */
async function initialise(name: BackendName): Promise<void> {
  // The wasm glue (emscripten) adds process listeners that rethrow, which turns any
  // uncaught error into exit code 7 instead of 1. Remove what it adds.
  const emitter: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Set(events.flatMap((event) => emitter.listeners(event)));
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  if (!ok || !isActive(name)) {
    if (tf.engine().backendNames().includes(name)) tf.removeBackend(name);
    throw new Error(`initialisation failed${name === 'wasm' ? wasmDiagnosis() : ''}`);
  }
}

/** Why the wasm backend may have failed: missing `.wasm` files where they were looked for. */
function wasmDiagnosis(): string {
  const dir = wasmLocation;
  if (typeof dir !== 'string' || /^[a-z]+:\/\//i.test(dir)) return ''; // file maps and URLs: not checked
  const missing = WASM_FILES.filter((file) => !existsSync(join(dir, file)));
  return missing.length > 0 ? ` (missing in ${dir}: ${missing.join(', ')})` : '';
}

/** Makes `name` the active backend, loading it first if needed. */
async function activate(name: BackendName, options: SelectBackendOptions, logger: Logger): Promise<void> {
  if (name === 'tensorflow') await loadTensorflow(logger);
  if (name === 'wasm') await loadWasm(options.wasmPaths, logger);
  // Cheap when it is already active; tfjs-node's import sets itself active, for example.
  if (!isActive(name)) await initialise(name);
}

/** The last "TF.js backend: …" line logged, so each process says it once. */
let lastAnnouncement: string | undefined;

/**
 * Selects and initialises the TF.js backend, and registers ct's fast kernels on it.
 *
 * `auto` tries `tensorflow`, then `wasm`, then `cpu`, and says in `fallbackReason` why
 * it skipped the faster ones. An explicitly requested backend that cannot be used is a
 * {@link UserError} naming it and why. Calling again is cheap: each backend is loaded
 * once per process.
 *
 * @param preference The backend asked for (config `training.backend` or `--backend`).
 * @param logger Where to say which backend runs.
 * @param options Where the wasm binaries are; whether to use the fast kernels.
 * @returns The backend that really runs.
 */
export async function selectBackend(preference: BackendPreference, logger: Logger = silentLogger, options: SelectBackendOptions = {}): Promise<BackendInfo> {
  // `fused` names ct's own training step (train/fused/); everything else runs on the best TF.js backend.
  const automatic = preference === 'auto' || preference === 'fused';
  const candidates: readonly BackendName[] = automatic ? BACKEND_ORDER : [preference];
  if (!BACKEND_ORDER.includes(candidates[0] as BackendName)) {
    throw new UserError(`unknown TF.js backend '${String(preference)}': use auto, fused, tensorflow, wasm or cpu`);
  }
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      await activate(name, options, logger);
    } catch (error) {
      if (!automatic) {
        throw new UserError(`TF.js backend '${name}' was requested but cannot be used: ${reasonOf(error)}`, {
          cause: error,
        });
      }
      skipped.push(`${name}: ${reasonOf(error)}`);
      logger.debug(`backend ${name} unavailable: ${reasonOf(error)}`);
      continue;
    }
    const running = tf.getBackend();
    let fastKernels: string[] = [];
    if (options.fastKernels === false) unregisterFastKernels(running);
    else fastKernels = registerFastKernels(running);
    const info: BackendInfo = { name: running, requested: preference, tfjsVersion: tf.version['tfjs-core'], fastKernels };
    if (skipped.length > 0) info.fallbackReason = skipped.join('; ');
    if (running === 'tensorflow' && nativePackage !== null) info.nativePackage = nativePackage;
    const announcement = `TF.js backend: ${running}${info.nativePackage === undefined ? '' : ` (${info.nativePackage})`}${info.fallbackReason ? ` (skipped ${info.fallbackReason})` : ''}`;
    // Stages of one run select the backend each; say it once, not per stage.
    if (announcement !== lastAnnouncement) logger.info(announcement);
    lastAnnouncement = announcement;
    return info;
  }
  // `cpu` is pure JS and always initialises; reaching this means TF.js itself is broken.
  throw new Error(`no TF.js backend could be initialised: ${skipped.join('; ')}`);
}
