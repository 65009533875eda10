/**
 * ct's TF.js (src/tf.ts): core, layers and the cpu backend without the umbrella package,
 * with the chained ops a model module's custom layer may call (`x.mul(y)`).
 */
import * as tf from '../../src/tf.js';

type Method = 'mul' | 'add' | 'matMul' | 'sum' | 'reshape' | 'abs' | 'mean' | 'toInt' | 'asType' | 'flatten' | 'as1D' | 'concat' | 'where';
type Chained = tf.Tensor & Record<Method, (...args: unknown[]) => Chained>;

describe("ct's TF.js", () => {
  it('names the packages it runs on, and runs on the cpu backend unless ct chooses another', async () => {
    const four = expect.stringMatching(/^4\./) as unknown;
    expect(tf.version).toEqual({ 'tfjs-core': four, 'tfjs-layers': four, 'tfjs-backend-cpu': four });
    await tf.ready();
    expect(tf.getBackend()).toBe('cpu');
  });

  it('gives tensors the chained ops, each the same as its op', () => {
    const x = tf.tensor2d([1, -2, 3, 4], [2, 2]) as Chained;
    const y = tf.tensor2d([5, 6, 7, 8], [2, 2]);
    const same = (a: tf.Tensor, b: tf.Tensor): void => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    same(x.mul(y), tf.mul(x, y));
    same(x.add(y), tf.add(x, y));
    same(x.matMul(y, false, true), tf.matMul(x, y, false, true));
    same(x.sum(1), tf.sum(x, 1));
    same(x.reshape([4]), tf.reshape(x, [4]));
    same(x.abs().mean(), tf.mean(tf.abs(x)));
    expect(x.toInt().dtype).toBe('int32');
    expect(x.asType('bool').dtype).toBe('bool');
    expect(x.flatten().shape).toEqual([4]);
    expect(x.as1D().shape).toEqual([4]);
    same(x.concat(y, 0), tf.concat([x, y], 0));
    same(x.where(tf.tensor2d([true, false, true, false], [2, 2], 'bool'), y), tf.tensor2d([1, 6, 3, 8], [2, 2]));
    x.dispose();
    expect(() => x.mul(y)).toThrow(/disposed/);
  });

  it('trains a layers model, gradients included', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const history = await model.fit(tf.tensor2d([[0], [1], [2]]), tf.tensor2d([[1], [3], [5]]), { epochs: 20, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
  });
});
