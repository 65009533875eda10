import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  encodeTable,
  fileLoadHandler,
  labelledRows,
  predictRows,
  registerSavedModule
} from "./evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  tf_exports
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  displayPath,
  readJson
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  scoreRows
} from "./bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/evaluate/score.ts
import path from "node:path";
async function loadModel(dir, role) {
  const preprocessing = readJson(path.join(dir, "preprocessing.json"), `${role} preprocessing`);
  const model = await loadLayersModel2(dir, role);
  return { dir, preprocessing, model, width: model.outputs[0].shape[1] ?? 1 };
}
async function loadLayersModel2(dir, role) {
  await registerSavedModule(dir, role);
  try {
    return await tf_exports.loadLayersModel(fileLoadHandler(dir));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const hint = /^Unknown layer: /.test(reason) ? " (a custom layer of a model module must be registered in its registerLayers(tf))" : "";
    throw new UserError(`${role} in ${displayPath(dir)} cannot be loaded: ${reason.replace(/\. This may be due to.*$/, ".")}${hint}`, {
      cause: error
    });
  }
}
function scoreLabelledRows(table, model, options) {
  const { encoded, selected, labels, preds } = predictLabelledRows(table, model);
  return { encoded, selected, scored: scoreRows(model.preprocessing.task, labels, preds, options) };
}
function predictLabelledRows(table, model) {
  const encoded = encodeTable(table, model.preprocessing);
  const selected = labelledRows(encoded);
  const labels = Float32Array.from(selected, (i) => encoded.labels[i]);
  return { encoded, selected, labels, preds: predictRows(model.model, encoded, selected) };
}
function scoreSameRows(table, candidate, production, options, productionName) {
  const task = candidate.preprocessing.task;
  const { encoded, selected, scored: candidateScored } = scoreLabelledRows(table, candidate, options);
  const labels = candidateScored.labels;
  if (production === null) return { encoded, productionEncoded: null, selected, labels, candidate: candidateScored, production: null };
  if (production.preprocessing.task !== task || production.width !== candidate.width) {
    throw new UserError(
      `${productionName} predicts a ${production.preprocessing.task} label with ${production.width} output(s), the candidate a ${task} label with ${candidate.width}: they cannot be compared on the same rows`
    );
  }
  const classes = (m) => JSON.stringify(m.preprocessing.label.classes ?? null);
  if (classes(production) !== classes(candidate)) {
    throw new UserError(
      `${productionName} predicts the classes ${classes(production)}, the candidate ${classes(candidate)}: their outputs cannot be compared row by row`
    );
  }
  const productionEncoded = encodeTable(table, production.preprocessing, { withLabels: false });
  const productionScored = scoreRows(task, labels, predictRows(production.model, productionEncoded, selected), options);
  return { encoded, productionEncoded, selected, labels, candidate: candidateScored, production: productionScored };
}

export {
  loadModel,
  loadLayersModel2 as loadLayersModel,
  scoreLabelledRows,
  predictLabelledRows,
  scoreSameRows
};
