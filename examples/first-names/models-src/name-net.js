/**
 * A network for first names read as characters: each character's embedding, kept in its
 * position (ct pads a name at the start, so its last letters always sit in the last
 * positions, where endings such as "-a" or "-o" show), two dense layers, and the output
 * ct asks for. ct hands in its own TF.js as spec.tf; the input is the text feature's
 * token ids, spec.inputs[0].length per row.
 */
export function buildModel({ tf, inputs, output, seed }) {
  const [text] = inputs;
  const input = tf.input({ shape: [text.length], dtype: 'int32', name: text.name });
  const chars = tf.layers
    .embedding({
      inputDim: text.vocabulary,
      outputDim: text.embedding,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
      name: 'characters',
    })
    .apply(input);
  const positions = tf.layers.flatten({ name: 'positions' }).apply(chars);
  const hidden = [64, 32].reduce(
    (x, units, i) =>
      tf.layers
        .dense({ units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 + i }), name: `hidden_${i + 1}` })
        .apply(x),
    positions,
  );
  const out = tf.layers
    .dense({ units: output.units, activation: output.activation, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }), name: 'output' })
    .apply(hidden);
  return tf.model({ inputs: input, outputs: out });
}
