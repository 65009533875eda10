/**
 * The wasm backend failing to initialise (here: its .wasm files are not where they are
 * said to be, as in a bundle that forgot to copy them). Its own file: a process (a Jest
 * test file) initialises the wasm backend once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { jest } from '@jest/globals';
import * as tf from '../../src/tf.js';
import { UserError } from '../../src/errors.js';
import { selectBackend } from '../../src/train/backend.js';

describe('selectBackend when wasm cannot initialise', () => {
  const empty = mkdtempSync(join(tmpdir(), 'ct-wasm-')) + sep;
  // TF.js and emscripten print the failure on the console; keep the test output clean.
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(empty, { recursive: true, force: true });
  });

  test('an explicit wasm request is a UserError naming the backend and the missing files', async () => {
    const attempt = selectBackend('wasm', undefined, { wasmPaths: empty });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(
      `TF.js backend 'wasm' was requested but cannot be used: initialisation failed (missing in ${empty}: tfjs-backend-wasm.wasm`,
    );
  });

  test('auto falls back to cpu, says why, and TF.js does not retry wasm behind our back', async () => {
    const info = await selectBackend('auto', undefined, { wasmPaths: empty });
    if (info.name === 'tensorflow') return; // tfjs-node installed: wasm is never tried
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.fallbackReason).toMatch(/wasm: initialisation failed \(missing in /);
    expect(tf.engine().backendNames()).not.toContain('wasm');
    expect(tf.tidy(() => tf.mul(2, 3).dataSync()[0])).toBe(6);
    expect(tf.getBackend()).toBe('cpu');
  });
});
