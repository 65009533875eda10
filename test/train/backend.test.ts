import { createRequire } from 'node:module';
import { jest } from '@jest/globals';
import * as tf from '../../src/tf.js';
import { UserError } from '../../src/errors.js';
import { selectBackend } from '../../src/train/backend.js';
import { isFastKernelRegistered } from '../../src/train/kernels.js';
import { recordingLogger } from '../helpers.js';

/** tfjs-node installs on GitHub's runners but not offline: the expectations differ. */
function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  const hasNode = tfjsNodeInstalled();

  test('auto picks the fastest backend that loads and reports the one that runs', async () => {
    const logger = recordingLogger();
    const info = await selectBackend('auto', logger);
    expect(info.name).toBe(tf.getBackend());
    expect(info.requested).toBe('auto');
    expect(info.tfjsVersion).toBe(tf.version['tfjs-core']);
    if (hasNode) {
      expect(info.name).toBe('tensorflow');
      expect(info.fallbackReason).toBeUndefined();
      expect(info.fastKernels).toEqual([]);
    } else {
      expect(info.name).toBe('wasm');
      expect(info.fallbackReason).toMatch(/^tensorflow: @tensorflow\/tfjs-node is not installed/);
      expect(info.fastKernels).toEqual(['UnsortedSegmentSum', 'BatchMatMul', 'GatherV2']);
    }
    expect(logger.lines).toContain(`TF.js backend: ${info.name}${info.fallbackReason ? ` (skipped ${info.fallbackReason})` : ''}`);
    // The backend really computes.
    expect(tf.tidy(() => tf.add(1, 2).dataSync()[0])).toBe(3);
  });

  test('an explicit tensorflow request fails with a UserError when tfjs-node cannot load', async () => {
    if (hasNode) {
      await expect(selectBackend('tensorflow')).resolves.toMatchObject({ name: 'tensorflow' });
      return;
    }
    const attempt = selectBackend('tensorflow');
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow("TF.js backend 'tensorflow' was requested but cannot be used: @tensorflow/tfjs-node is not installed");
  });

  test('explicit cpu and wasm run what was asked, with the fast kernels', async () => {
    const cpu = await selectBackend('cpu');
    expect(cpu).toEqual({ name: 'cpu', requested: 'cpu', tfjsVersion: tf.version['tfjs-core'], fastKernels: ['UnsortedSegmentSum', 'SplitV', 'BatchMatMul'] });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm).toMatchObject({ name: 'wasm', requested: 'wasm', fastKernels: ['UnsortedSegmentSum', 'BatchMatMul', 'GatherV2'] });
    expect(tf.getBackend()).toBe('wasm');
    expect(isFastKernelRegistered('UnsortedSegmentSum', 'wasm')).toBe(true);
  });

  test('fastKernels: false restores TF.js kernels', async () => {
    const info = await selectBackend('cpu', undefined, { fastKernels: false });
    expect(info.fastKernels).toEqual([]);
    expect(isFastKernelRegistered('UnsortedSegmentSum', 'cpu')).toBe(false);
    await selectBackend('cpu');
    expect(isFastKernelRegistered('UnsortedSegmentSum', 'cpu')).toBe(true);
  });

  test('calling again is cheap: nothing is loaded, initialised, registered or announced again', async () => {
    const first = await selectBackend('wasm');
    const engine = tf.engine();
    const backend = engine.backend;
    const kernels = first.fastKernels.map((name) => tf.getKernel(name, 'wasm'));
    // Every initialisation goes through the engine's setBackend; every kernel change through the registry.
    const setBackend = jest.spyOn(engine, 'setBackend');
    const logger = recordingLogger();
    try {
      for (let i = 0; i < 20; i++) expect(await selectBackend('wasm', logger)).toEqual(first);
      expect(setBackend).not.toHaveBeenCalled();
    } finally {
      setBackend.mockRestore();
    }
    expect(engine.backend).toBe(backend);
    first.fastKernels.forEach((name, i) => expect(tf.getKernel(name, 'wasm')).toBe(kernels[i]));
    expect(logger.lines).toEqual([]);
  });

  test('an unknown name is a UserError', async () => {
    await expect(selectBackend('webgpu' as never)).rejects.toThrow(UserError);
  });

  test('emscripten process listeners are removed (they turn crashes into exit code 7)', async () => {
    await selectBackend('wasm');
    expect(process.listeners('unhandledRejection').some((l) => /throw reason/.test(String(l)))).toBe(false);
    expect(process.listeners('uncaughtException').some((l) => /ExitStatus/.test(String(l)))).toBe(false);
  });
});
