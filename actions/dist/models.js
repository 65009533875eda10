import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  gitAt
} from "./chunks/evaluate+models+monitor+promote+train+validate.js";
import {
  WATCHES,
  changedModels,
  listOf,
  oneOf,
  repositoryModels,
  runStep
} from "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput,
  info
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  findRepositoryRoot
} from "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/models.ts
import { readFileSync } from "node:fs";

// src/pipeline/models.ts
import { existsSync } from "node:fs";
import path from "node:path";
var NO_COMMIT = /^0+$/;
async function planModels(request) {
  const root = findRepositoryRoot(request.dir) ?? path.resolve(request.dir);
  const watch = request.watch ?? "inputs";
  const all = repositoryModels(root, request.configs).filter((m) => watch === "inputs" || existsSync(path.join(root, m.production)));
  if (all.length === 0 && watch === "production") return { root, all, chosen: [], reason: "no model has a production version" };
  if (all.length === 0) throw new UserError(`${root}: no model config (ct.config.yaml or ct.<model>.yaml) at the repository's root; ct init writes one`);
  if (request.model !== void 0 && request.model !== "") {
    const wanted = request.model.replace(/^\.\//, "");
    const model = all.find((m) => m.config === wanted);
    if (model === void 0) throw new UserError(`model: ${request.model} is not a model config of this repository (${all.map((m) => m.config).join(", ")})`);
    return { root, all, chosen: [{ ...model, because: "named" }], reason: `the model ${model.name} was named` };
  }
  const every = (reason) => ({ root, all, chosen: all.map((m) => ({ ...m, because: reason })), reason });
  if (request.change === void 0) return every("every model runs");
  const { from, to } = request.change;
  if (NO_COMMIT.test(from)) return every("every model runs: the push created the branch");
  let changed;
  try {
    const diff = await gitAt(root).raw(["diff", "--name-only", "--no-renames", "-z", from, to, "--"]);
    changed = diff.split("\0").filter((f) => f !== "");
  } catch {
    return every(`every model runs: the change ${from.slice(0, 12)}..${to.slice(0, 12)} cannot be listed`);
  }
  const chosen = changedModels(all, changed, request.shared ?? [], watch);
  const counted = `${changed.length} changed file${changed.length === 1 ? "" : "s"}`;
  const touch = changed.length === 1 ? "touches" : "touch";
  return { root, all, chosen, reason: `${counted} ${touch} ${chosen.length === 0 ? "no model" : chosen.map((m) => m.name).join(", ")}` };
}

// src/actions/models.ts
function pushedChange(env) {
  if (env.GITHUB_EVENT_NAME !== "push" || env.GITHUB_EVENT_PATH === void 0) return null;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  const commit = (v) => typeof v === "string" && /^[0-9a-f]{40,64}$/.test(v);
  return commit(event.before) && commit(event.after) ? { from: event.before, to: event.after } : null;
}
await runStep("models", async () => {
  const change = pushedChange(process.env);
  const request = {
    dir: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    configs: listOf(getInput("configs")),
    model: getInput("model"),
    shared: listOf(getInput("shared")),
    watch: oneOf(WATCHES)(getInput("watch") || "inputs", "input watch"),
    ...change === null ? {} : { change }
  };
  const plan = await planModels(request);
  const rows = plan.all.map((m) => {
    const chosen = plan.chosen.find((c) => c.config === m.config);
    return `| ${m.name} | \`${m.config}\` | ${chosen === void 0 ? "no" : "yes"} | ${chosen === void 0 || chosen.because.startsWith("every") || chosen.because === "named" ? "" : `\`${chosen.because}\``} |`;
  });
  info(plan.reason);
  return {
    outputs: {
      models: JSON.stringify(plan.chosen.map((m) => ({ config: m.config, name: m.name }))),
      count: plan.chosen.length
    },
    summary: [`# Models of this run`, "", `${plan.reason}.`, "", "| model | config | runs | changed file |", "|---|---|---|---|", ...rows].join("\n")
  };
});
