import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  checkBatch,
  imputedLines,
  readChunksOf,
  readPredictionSchema,
  unreadFilesAnomaly
} from "./chunks/evaluate+monitor+predict+train+validate.js";
import {
  code,
  table,
  text
} from "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import {
  loadModel
} from "./chunks/evaluate+monitor+predict+train+validate+verify.js";
import {
  encodeTable,
  predictRows,
  selectBackend
} from "./chunks/evaluate+infra-child+monitor+predict+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  annotateAnomalies,
  anomalyText,
  dataSource,
  fingerprintFiles,
  listVersions,
  planBatch,
  readProduction,
  recordedChecksums,
  registryPath,
  runAction,
  schemaPath,
  verifiedProductionDir,
  verifiedVersionDir
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  artifactPaths
} from "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import {
  listPartitions,
  names,
  severityOf
} from "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  displayPath,
  findColumn,
  isRemote,
  openFileAtomic,
  readJson,
  valueAt,
  writeJson
} from "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/predict.ts
import path2 from "node:path";

// src/pipeline/predict.ts
import { rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

// src/predict/report.ts
function checkedRecord(subject, checked) {
  const { rows, anomalies } = checked;
  return {
    ok: anomalies.every((a) => a.severity !== "error"),
    model: subject.model,
    version: subject.version,
    task: subject.task,
    files: subject.files,
    rows,
    output: null,
    format: subject.format,
    fingerprint: subject.fingerprint,
    schemaFile: subject.schemaFile,
    anomalies,
    imputed: { rows, features: checked.imputed },
    backend: null,
    startedAt: subject.startedAt,
    durationSeconds: 0,
    rowsPerSecond: 0
  };
}
function describeFiles(files) {
  if (files.length === 1) return files[0];
  if (files.length <= 5) return `${files.length} files (${files.join(", ")})`;
  return `${files.length} files (${files[0]} .. ${files.at(-1)})`;
}

// src/report/prediction.ts
function predictionMarkdown(r) {
  const lines = [
    `# Prediction with ${text(r.model, 100)} ${text(r.version, 100)}: ${r.ok ? `${r.rows} rows scored` : "refused"}`,
    "",
    r.ok ? `Scored ${r.rows} rows from ${r.files.length} file(s) in ${r.durationSeconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s, backend ${text(r.backend, 60)}); predictions in ${code(r.output, 200)}.` : `Nothing was scored: the batch has ${r.anomalies.filter((a) => a.severity === "error").length} error anomalies against ${code(r.schemaFile, 200)} (the label may be missing; every other column is checked as \`ct validate\` checks it) or against the model's input domain (\`input_*\`: values its preprocessing would silently impute or extrapolate).`,
    "",
    table(
      ["file"],
      r.files.map((f) => [code(f, 200)])
    ),
    "",
    `Data fingerprint: ${code(r.fingerprint)}`
  ];
  if (r.anomalies.length > 0) {
    lines.push(
      "",
      "## Anomalies",
      "",
      table(
        ["severity", "kind", "column", "count", "message"],
        r.anomalies.map((a) => [text(a.severity), text(a.kind), a.column === null ? "" : text(a.column, 100), String(a.count), text(a.message)])
      )
    );
  }
  const imputed = (r.imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed.length > 0) {
    lines.push(
      "",
      "## Imputed rows",
      "",
      `Rows of the ${r.imputed.rows} the model's encoder fills in (missing, non-finite after the transform: the training mean or id 0; out of vocabulary: id 0) or finds far from the training range (scored as they are).`,
      "",
      table(
        ["feature", "column", "missing", "non-finite", "out of vocabulary", "far"],
        imputed.map((c) => [text(c.feature, 100), text(c.column, 100), String(c.missing), String(c.nonFinite), String(c.outOfVocabulary), String(c.far)])
      )
    );
  }
  return `${lines.join("\n")}
`;
}

// src/predict/rows.ts
var FIXED_COLUMNS = ["file", "row", "model", "version"];
function checkKeptNames(keep) {
  const clash = keep.find((c) => FIXED_COLUMNS.includes(c));
  if (clash !== void 0) throw new UserError(`--keep: column "${clash}" would clash with ct's own output column of that name`);
  return keep;
}
function outputColumns(loaded, keep) {
  const { task, label } = loaded.preprocessing;
  if (task === "multiclass" && (label.classes ?? []).length !== loaded.width) {
    throw new UserError(`${displayPath(loaded.dir)}: preprocessing.json lists ${(label.classes ?? []).length} classes, the model has ${loaded.width} outputs`);
  }
  const predictions = task === "binary" ? ["probability", "predicted"] : task === "multiclass" ? [...(label.classes ?? []).map((c) => `probability_${c}`), "predicted"] : ["prediction"];
  return [...FIXED_COLUMNS.slice(0, 2), ...keep, ...FIXED_COLUMNS.slice(2), ...predictions];
}
function float32(x) {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : x;
}
function chunkRows(table2, scores, loaded, source) {
  const kept = source.keep.map((name) => findColumn(table2, name));
  const task = loaded.preprocessing.task;
  const classes = loaded.preprocessing.label.classes ?? [];
  const width = loaded.width;
  const out = new Array(table2.rowCount);
  for (let i = 0; i < table2.rowCount; i++) {
    const row = [source.file, source.offset + i];
    for (const c of kept) row.push(valueAt(c, i));
    row.push(source.model, source.version);
    if (task === "binary") {
      const p = scores[i];
      row.push(float32(p), p >= source.threshold ? 1 : 0);
    } else if (task === "multiclass") {
      let best = 0;
      for (let k = 0; k < width; k++) {
        const p = scores[i * width + k];
        row.push(float32(p));
        if (p > scores[i * width + best]) best = k;
      }
      row.push(classes[best] ?? String(best));
    } else {
      row.push(float32(scores[i]));
    }
    out[i] = row;
  }
  return out;
}

// src/predict/score.ts
async function scoreChunks(files, readOptions, loaded, writer, rows) {
  const columns = outputColumns(loaded, rows.keep);
  writer.header(columns);
  let scored = 0;
  for await (const table2 of readChunksOf(files, readOptions)) {
    const source = table2.sources[0];
    const file = source?.file ?? "";
    let encoded;
    try {
      encoded = encodeTable(table2, loaded.preprocessing, { withLabels: false });
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${file}: ${error.message}`, { cause: error });
      throw error;
    }
    const scores = predictRows(loaded.model, encoded);
    writer.rows(columns, chunkRows(table2, scores, loaded, { ...rows, file, offset: source?.offset ?? 0 }));
    scored += table2.rowCount;
  }
  return scored;
}

// src/report/csv.ts
function csvField(value) {
  if (value === null || value === void 0) return "";
  const text2 = typeof value === "number" && !Number.isFinite(value) ? "" : String(value);
  return /[",\r\n]/.test(text2) ? `"${text2.replace(/"/g, '""')}"` : text2;
}
function csvLine(values) {
  return `${values.map(csvField).join(",")}
`;
}

// src/predict/writer.ts
var OTHER_FORMATS = /\.(json|parquet|xlsx|xls|tsv|avro|orc|gz|bz2|xz|zst|zip)$/i;
function predictionFormat(output) {
  if (/\.(jsonl|ndjson)$/i.test(output)) return "jsonl";
  const other = OTHER_FORMATS.exec(output);
  if (other !== null) throw new UserError(`--output ${output}: ct predict writes CSV (.csv) or JSON Lines (.jsonl), not ${other[0]}`);
  return "csv";
}
function formatRows(format, columns, rows) {
  let text2 = "";
  for (const row of rows) {
    text2 += format === "csv" ? csvLine(row) : `${JSON.stringify(Object.fromEntries(columns.map((c, k) => [c, row[k]])))}
`;
  }
  return text2;
}
function openPredictionWriter(output, format) {
  const file = openFileAtomic(output);
  return {
    header(columns) {
      if (format === "csv") file.write(csvLine(columns));
    },
    rows(columns, rows) {
      file.write(formatRows(format, columns, rows));
    },
    commit: () => file.commit(),
    abort: () => file.abort()
  };
}

// src/pipeline/predict.ts
async function runPredict(ctx, options = {}) {
  const started = performance.now();
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const { config } = ctx.loaded;
  const { logger } = ctx;
  const paths = artifactPaths(ctx.outDir);
  const output = path.resolve(options.output ?? path.join(ctx.outDir, "predictions.csv"));
  const format = predictionFormat(options.output ?? output);
  const keep = checkKeptNames(options.keep ?? []);
  const { version, dir } = modelVersionDir(ctx, options.modelVersion);
  const model = `${config.name} ${version}`;
  const preprocessing = readJson(path.join(dir, "preprocessing.json"), `preprocessing of ${model}`);
  const labels = [config.label.column, preprocessing.label.column];
  const schemaFile = schemaPath(ctx);
  const schema = readPredictionSchema(schemaFile, labels, preprocessing);
  const { files, folder } = batchFiles(ctx);
  const shown = files.map(displayPath);
  logger.info(
    `predict: scoring ${describeFiles(shown)}${ctx.data === void 0 && shown.length === 1 ? ` (the newest data of ${config.data.path})` : ""} with ${model}`
  );
  const readOptions = config.data.format === void 0 ? {} : { format: config.data.format };
  const checked = await checkBatch(files, { readOptions, keep, preprocessing, schema, labels, model, validation: config.validation });
  const unread = folder === null ? null : unreadFilesAnomaly(folder, severityOf("unread_file", config.validation.severity));
  if (unread !== null) checked.anomalies.push(unread);
  for (const line of imputedLines(preprocessing, checked.imputed, checked.rows)) logger.info(`predict: ${line}`);
  const fingerprint = fingerprintFiles(files);
  const record = checkedRecord(
    { model: config.name, version, task: preprocessing.task, files: shown, format, fingerprint, schemaFile: displayPath(schemaFile), startedAt },
    checked
  );
  logAnomalies(logger, record.anomalies);
  if (!record.ok) {
    const errors = record.anomalies.filter((a) => a.severity === "error").length;
    rmSync(output, { force: true });
    finishRecord(record, started, paths);
    logger.warning(`refusing to score ${describeFiles(shown)}: ${errors} error anomal${errors === 1 ? "y" : "ies"} (see ${displayPath(paths.prediction)})`);
    return record;
  }
  record.backend = (await selectBackend(ctx.backend ?? config.training.backend, logger)).name;
  await scoreToFile(files, readOptions, { dir, model, version, output, format, keep, expectedRows: record.rows, config });
  record.output = displayPath(output);
  finishRecord(record, started, paths);
  logger.info(
    `predicted ${record.rows} rows with ${model} in ${record.durationSeconds.toFixed(2)} s (${Math.round(record.rowsPerSecond)} rows/s) -> ${record.output}`
  );
  return record;
}
async function scoreToFile(files, readOptions, job) {
  const loaded = await loadModel(job.dir, job.model);
  const writer = openPredictionWriter(job.output, job.format);
  const { name, evaluation } = job.config;
  try {
    const scored = await scoreChunks(files, readOptions, loaded, writer, {
      keep: job.keep,
      model: name,
      version: job.version,
      threshold: evaluation.threshold
    });
    if (scored !== job.expectedRows) {
      throw new UserError(
        `${describeFiles(files.map(displayPath))} changed while being scored: ${job.expectedRows} rows checked, ${scored} read for scoring; run ct predict again`
      );
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    loaded.model.dispose();
  }
}
function logAnomalies(logger, anomalies) {
  for (const a of anomalies) {
    if (a.severity === "error") logger.error(anomalyText(a));
    else logger.info(`warning: ${anomalyText(a)}`);
  }
}
function finishRecord(record, started, paths) {
  record.durationSeconds = (performance.now() - started) / 1e3;
  record.rowsPerSecond = record.ok && record.durationSeconds > 0 ? record.rows / record.durationSeconds : 0;
  writeJson(paths.prediction, record);
  writeFileSync(paths.predictionReport, predictionMarkdown(record));
}
function modelVersionDir(ctx, requested) {
  const registry = registryPath(ctx);
  const name = ctx.loaded.config.name;
  const shownRegistry = ctx.loaded.config.registry.path.replace(/\/*$/, "/");
  const pointer = readProduction(registry, name);
  if (requested === void 0 || requested === pointer?.version) {
    if (pointer === null) throw new UserError(`no production model "${name}" in ${shownRegistry}: promote one first (ct run)`);
    return { version: pointer.version, dir: verifiedProductionDir(registry, pointer) };
  }
  const recorded = recordedChecksums(registry, name, requested, pointer);
  if (recorded === null) {
    const known = listVersions(registry, name);
    throw new UserError(
      `--model-version: no promotion of "${name}" ${requested} is recorded in ${shownRegistry}${name}/history.jsonl${known.includes(requested) ? " (its checksums cannot be verified)" : known.length > 0 ? `; versions: ${known.join(", ")}` : ""}`
    );
  }
  return { version: requested, dir: verifiedVersionDir(registry, name, requested, recorded.files, recorded.source) };
}
function batchFiles(ctx) {
  if (ctx.data !== void 0) {
    const plan = planBatch(ctx.data);
    return { files: plan.files, folder: plan.partitioned ? ctx.data : null };
  }
  const source = dataSource(ctx);
  if (isRemote(source)) return { files: [source], folder: null };
  let isFolder;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UserError(`data not found: ${displayPath(source)} (data.path or --data)`);
  }
  return isFolder ? { files: [listPartitions(source).at(-1).file], folder: source } : { files: [source], folder: null };
}

// src/actions/predict.ts
await runAction("predict", async (ctx) => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const output = getInput("output");
  const keep = names(getInput("keep"), "input keep");
  const modelVersion = getInput("model-version");
  const record = await runPredict(ctx, {
    ...output === "" ? {} : { output: path2.resolve(workspace, output) },
    ...keep.length === 0 ? {} : { keep },
    ...modelVersion === "" ? {} : { modelVersion }
  });
  annotateAnomalies(record.anomalies);
  const errors = record.anomalies.filter((a) => a.severity === "error").length;
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      ok: record.ok,
      rows: record.rows,
      version: record.version,
      predictions: record.output === null ? "" : path2.resolve(record.output),
      report: paths.predictionReport
    },
    summaryFile: paths.predictionReport,
    ...record.ok ? {} : {
      failure: `refusing to score ${record.files.length === 1 ? record.files[0] : `${record.files.length} files`}: ${errors} error anomal${errors === 1 ? "y" : "ies"} (see the job summary)`
    }
  };
});
