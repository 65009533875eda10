// A wide-and-deep model for ct (`model.module` in ct.config.yaml).
//
// ct calls buildModel(spec) with its own TF.js as spec.tf and one input per feature, in
// spec.inputs order: categorical ids (int32, 0 = missing or unseen) or standardised
// numbers (float32), each of shape [batch, 1]. The model must output spec.output.units
// values with spec.output.activation; ct trains, evaluates, promotes and serves it.
//
// Wide: a learned weight per category (an embedding of width `units`) and a linear term
// per number. Deep: embeddings and numbers through a small MLP. Their logits are summed,
// scaled by a learned temperature (a custom layer, registered in registerLayers so that a
// saved model loads again), and put through the output activation.

let Temperature;

/** Registers the custom layers with ct's TF.js; ct calls it before building and before loading a saved model. */
export function registerLayers(tf) {
  if (Temperature !== undefined) return;
  Temperature = class Temperature extends tf.layers.Layer {
    static className = 'WideDeepTemperature';
    build(inputShape) {
      this.scale = this.addWeight('scale', [1], 'float32', tf.initializers.ones());
      super.build(inputShape);
    }
    call(inputs) {
      return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.scale.read()));
    }
    computeOutputShape(inputShape) {
      return inputShape;
    }
  };
  tf.serialization.registerClass(Temperature);
}

export function buildModel({ tf, inputs, output, model, seed }) {
  let next = seed;
  const init = () => tf.initializers.glorotUniform({ seed: next++ });
  const units = output.units;
  const layers = inputs.map((input) => tf.input({ shape: [1], dtype: input.dtype, name: input.name }));
  const wide = [];
  const deep = [];
  const numbers = [];
  inputs.forEach((input, i) => {
    if (input.kind === 'categorical') {
      const weight = tf.layers.embedding({ inputDim: input.vocabulary, outputDim: units, embeddingsInitializer: 'zeros', name: `${input.name}_wide` });
      wide.push(tf.layers.flatten().apply(weight.apply(layers[i])));
      const embedding = tf.layers.embedding({
        inputDim: input.vocabulary,
        outputDim: input.embedding,
        embeddingsInitializer: init(),
        name: `${input.name}_deep`,
      });
      deep.push(tf.layers.flatten().apply(embedding.apply(layers[i])));
    } else {
      numbers.push(layers[i]);
      deep.push(layers[i]);
    }
  });
  if (numbers.length > 0) {
    const joined = numbers.length === 1 ? numbers[0] : tf.layers.concatenate().apply(numbers);
    wide.push(tf.layers.dense({ units, useBias: false, kernelInitializer: 'zeros', name: 'wide_numbers' }).apply(joined));
  }
  let x = deep.length === 1 ? deep[0] : tf.layers.concatenate({ name: 'deep_inputs' }).apply(deep);
  for (const [k, size] of (model.hidden.length > 0 ? model.hidden : [64, 32]).entries()) {
    x = tf.layers.dense({ units: size, activation: 'relu', kernelInitializer: init(), name: `deep_${k + 1}` }).apply(x);
  }
  const deepLogit = tf.layers.dense({ units, kernelInitializer: init(), name: 'deep_logit' }).apply(x);
  const logit = wide.length === 0 ? deepLogit : tf.layers.add({ name: 'wide_and_deep' }).apply([...wide, deepLogit]);
  const scaled = new Temperature({ name: 'temperature' }).apply(logit);
  const out = tf.layers.activation({ activation: output.activation, name: 'output' }).apply(scaled);
  return tf.model({ inputs: layers, outputs: out, name: 'wide_and_deep' });
}
