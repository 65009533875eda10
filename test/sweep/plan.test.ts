import { applyLeg, describeLeg, matrixOf, planLegs, type SweepConfig } from '../../src/sweep/plan.js';

const sweep = (parameters: Record<string, unknown[]>, maxLegs = 16): SweepConfig => ({ parameters, maxLegs, maxParallel: 4 });

describe('sweep plan', () => {
  it('a grid: every combination once, the last parameter varying fastest, ids in order', () => {
    const legs = planLegs(sweep({ 'training.learningRate': [0.001, 0.003], 'model.hidden': [[64], [128, 64], [32]] }), 'ct.config.yaml');
    expect(legs.map((l) => [l.id, describeLeg(l)])).toEqual([
      ['leg-1', 'training.learningRate=0.001 model.hidden=[64]'],
      ['leg-2', 'training.learningRate=0.001 model.hidden=[128,64]'],
      ['leg-3', 'training.learningRate=0.001 model.hidden=[32]'],
      ['leg-4', 'training.learningRate=0.003 model.hidden=[64]'],
      ['leg-5', 'training.learningRate=0.003 model.hidden=[128,64]'],
      ['leg-6', 'training.learningRate=0.003 model.hidden=[32]'],
    ]);
    expect(matrixOf(legs.slice(0, 2))).toEqual({
      include: [
        { leg: 'leg-1', params: 'training.learningRate=0.001 model.hidden=[64]' },
        { leg: 'leg-2', params: 'training.learningRate=0.001 model.hidden=[128,64]' },
      ],
    });
  });

  it('a leg sets its values in a copy of the raw config, leaving the other fields', () => {
    const raw = { name: 'm', training: { epochs: 3, learningRate: 0.01 }, features: [{ column: 'x' }] };
    const [leg] = planLegs(sweep({ 'training.learningRate': [0.5], 'model.hidden': [[8]] }), 'c.yaml');
    expect(applyLeg(raw, leg!)).toEqual({ name: 'm', training: { epochs: 3, learningRate: 0.5 }, model: { hidden: [8] }, features: [{ column: 'x' }] });
    expect(raw.training.learningRate).toBe(0.01);
  });

  it('what cannot be swept, or too large a grid, is one line naming sweep.parameters', () => {
    expect(() => planLegs(sweep({ 'data.window': [1] }), 'c.yaml')).toThrow(
      'c.yaml: sweep.parameters.data.window: only model.<field> and training.<field> can be swept',
    );
    expect(() => planLegs(sweep({ 'training.seed': [] }), 'c.yaml')).toThrow('c.yaml: sweep.parameters.training.seed: expected a non-empty list of values');
    expect(() => planLegs(sweep({ 'training.seed': [1, 2, 3], 'training.epochs': [1, 2, 3] }, 8), 'c.yaml')).toThrow(
      'c.yaml: sweep.parameters: 3 training.seed x 3 training.epochs make 9 legs, more than sweep.maxLegs 8',
    );
  });
});
