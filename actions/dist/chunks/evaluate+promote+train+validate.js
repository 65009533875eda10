import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  CHECK_RUN_SUMMARY_LIMIT,
  blobUrl,
  fitToLimit,
  headlineDelta,
  openGitHubSession,
  pullRequestBody,
  pullRequestTitle,
  workflowRunUrl
} from "./evaluate+monitor+promote+train+validate.js";
import {
  evaluationMarkdown,
  modelCardMarkdown,
  num,
  signed,
  table,
  text
} from "./evaluate+monitor+predict+promote+train+validate.js";
import {
  commitToBranch
} from "./evaluate+models+monitor+promote+train+validate.js";
import {
  hashFiles,
  modelDir,
  publishVersion,
  registryPath
} from "./evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  MODULE_FILE,
  artifactPaths,
  modelFiles
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  describeLeg
} from "./evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  appendJobSummary,
  faultPoint,
  readJson,
  writeJson
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/pipeline/promote.ts
import { existsSync, writeFileSync } from "node:fs";
import path2 from "node:path";

// src/github/proposal.ts
async function openOrUpdatePull(api, input) {
  const { existing, head, base, text: text2 } = input;
  if (existing !== null) {
    await api.updatePull(existing.number, text2(input.sha));
    return { pull: existing, created: false, sha: input.sha };
  }
  const opened = await api.createPull({ ...text2(input.sha), head, base });
  const sha = await input.recommit(opened.pull.number, input.sha);
  await api.updatePull(opened.pull.number, text2(sha));
  return { pull: opened.pull, created: opened.created, sha };
}

// src/registry/promotion.ts
import path from "node:path";
var PREDICTIVE_FILES = ["model.json", "weights.bin", "preprocessing.json"];
var Unchanged = class extends Error {
  constructor(version) {
    super(`identical to production version ${version} (same weights and preprocessing)`);
    this.version = version;
  }
  version;
};
function notPromoted(model, version) {
  return { promoted: false, unchanged: false, model, version, dir: null, previous: null, reason: "", pullRequest: null, branch: null, commit: null };
}
function versionFolder(registry, model, version) {
  const dir = path.join(modelDir(registry, model), version);
  return path.relative(process.cwd(), dir) || dir;
}
function publishCandidate(input) {
  const { registry, model, candidate, evaluatedAgainst, where } = input;
  const check = (production) => {
    if (production !== null && sameModel(candidate, path.join(modelDir(registry, model), production.version))) throw new Unchanged(production.version);
    if ((production?.version ?? null) !== evaluatedAgainst) {
      throw new UserError(
        `production${where} is ${production?.version ?? "empty"} but the candidate was evaluated against ${evaluatedAgainst ?? "no production model"}: run \`ct evaluate\` again before promoting`
      );
    }
  };
  const published = publishVersion({ registry, model, files: input.files, when: input.when, by: input.by, check });
  return { version: published.version, previous: published.pointer.previous };
}
function sameModel(candidate, productionDir) {
  const names = MODULE_FILE in candidate ? [...PREDICTIVE_FILES, MODULE_FILE] : PREDICTIVE_FILES;
  const pick = (locate) => Object.fromEntries(names.map((n) => [n, locate(n)]));
  try {
    return hashFiles(pick((n) => candidate[n])) === hashFiles(pick((n) => path.join(productionDir, n)));
  } catch {
    return false;
  }
}

// src/report/sweep.ts
function sweepMarkdown(r, missing = []) {
  const selected = r.legs.find((l) => l.id === r.selected);
  const metric = text(r.metric, 60);
  const rows = r.legs.map((l) => [
    l.id === r.selected ? `**${text(l.id, 60)}** (selected)` : text(l.id, 60),
    text(describeLeg(l)),
    num(l.value),
    l.delta === null ? "\u2014" : `${signed(l.delta.value)}${l.delta.ci === null ? "" : ` [${signed(l.delta.ci[0])}, ${signed(l.delta.ci[1])}]`}`,
    l.gatesPassed ? "\u2705" : `\u274C ${text(l.failures[0] ?? "")}`,
    l.trainSeconds.toFixed(1)
  ]);
  return [
    `## Sweep: ${r.legs.length} legs, best by ${metric}`,
    "",
    `Every leg was trained on the same window and scored on the same ${r.rows} evaluation rows${r.baseline === null ? "" : ` against production ${text(r.baseline, 100)}`}. The best by ${metric} (${r.higherIsBetter ? "higher" : "lower"} is better) is ${text(r.selected, 60)} (${text(describeLeg(selected))}); its gates decide the promotion. Choosing the best of ${r.legs.length} on these rows flatters it a little: its delta is an upper estimate.`,
    "",
    table(["leg", "parameters", metric, `delta vs production [95% CI]`, "gates", "train s"], rows),
    ...missing.length > 0 ? ["", `Not evaluated (failed or not run): ${missing.map((m) => text(m, 60)).join(", ")}.`] : [],
    ...r.run === null ? [] : ["", `Run locally: ${r.legs.length + missing.length} legs, ${r.run.parallel} at a time, in ${r.run.seconds.toFixed(1)} s.`],
    ""
  ].join("\n");
}

// src/pipeline/promote.ts
var VERDICT_NAME = "ct/gates";
async function runPromote(ctx, options = {}) {
  const record = await decideAndPublish(ctx, options);
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  if (record.promoted) {
    const where = record.pullRequest === null ? `registry: ${record.dir}` : `pull request #${record.pullRequest.number} ${record.pullRequest.created ? "opened" : "updated"}: ${record.pullRequest.url}`;
    ctx.logger.info(`${record.pullRequest === null ? "promoted" : "proposed"} ${record.model} ${record.version} (${record.reason}); ${where}`);
  } else if (record.unchanged) ctx.logger.info(`not promoted: ${record.reason}`);
  else ctx.logger.warning(`not promoted: ${record.reason}`);
  return record;
}
function summariseFailedGates(env, evaluation) {
  appendJobSummary(
    env,
    [
      `## ct: ${text(evaluation.model, 100)} not promoted, the gates failed`,
      "",
      ...evaluation.failures.map((f) => `- ${text(f.message)}`),
      "",
      "No branch was pushed and no pull request was opened."
    ].join("\n")
  );
}
async function decideAndPublish(ctx, options) {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const paths = artifactPaths(ctx.outDir);
  const evaluation = readJson(paths.evaluation, "evaluation (run `ct evaluate` first)");
  const base = notPromoted(config.name, null);
  if (evaluation.model !== config.name) throw new UserError(`${paths.evaluation} is about model "${evaluation.model}", the config names "${config.name}"`);
  if (!evaluation.ok) {
    if (options.pr === true) summariseFailedGates(env, evaluation);
    return { ...base, reason: `gates failed: ${evaluation.failures.map((f) => f.message).join("; ")}` };
  }
  const candidate = modelFiles(paths.modelDir);
  if (hashFiles(candidate) !== evaluation.candidate.contentHash) {
    throw new UserError(`${paths.modelDir} changed since it was evaluated: run \`ct evaluate\` again before promoting`);
  }
  const training = readJson(candidate["training.json"], "training record");
  const files = versionFiles(ctx, candidate, training, evaluation);
  const reason = evaluation.rubberStamp ? "first model: rubber stamp, there was no production model to compare with" : `gates passed against production ${evaluation.baseline?.version}`;
  const when = /* @__PURE__ */ new Date();
  const publish = (registry, by, where) => publishCandidate({ registry, model: config.name, candidate, files, evaluatedAgainst: evaluation.baseline?.version ?? null, when, by, where });
  try {
    if (options.pr !== true) {
      const by = { pullRequest: null, branch: null, commit: training.git?.commit ?? null, run: workflowRunUrl(env) };
      const { version, previous } = publish(registryPath(ctx), by, "");
      return { ...base, promoted: true, version, dir: versionFolder(registryPath(ctx), config.name, version), previous, reason };
    }
    const change = await proposeByPullRequest(ctx, options, promotionProposal(ctx, evaluation, training, publish));
    return { ...base, promoted: true, ...change, reason };
  } catch (error) {
    if (error instanceof Unchanged) return { ...base, unchanged: true, version: error.version, reason: error.message };
    throw error;
  }
}
function versionFiles(ctx, candidate, training, evaluation) {
  const paths = artifactPaths(ctx.outDir);
  const cardFile = path2.join(ctx.outDir, "MODEL_CARD.md");
  writeFileSync(cardFile, modelCardMarkdown(ctx.loaded.config, training, evaluation));
  return {
    ...candidate,
    "evaluation.json": paths.evaluation,
    "evaluation.md": reportFile(paths.evaluationReport, evaluation),
    "MODEL_CARD.md": cardFile
  };
}
function promotionProposal(ctx, evaluation, training, publish) {
  const model = ctx.loaded.config.name;
  return {
    kind: "promote",
    apply: (registry, by, where) => publish(registry, by, where),
    title: (version) => pullRequestTitle(model, version, evaluation),
    body: (version, previous, links) => pullRequestBody({
      model,
      version,
      previous,
      evaluation,
      validation: readValidation(artifactPaths(ctx.outDir).validation),
      training,
      links,
      sweep: sweepOf(ctx.outDir, evaluation)
    }),
    verdict: { passed: true, title: `gates passed: ${headlineDelta(evaluation)}`, summary: evaluationMarkdown(evaluation) },
    trainingCommit: training.git?.commit ?? null
  };
}
async function proposeByPullRequest(ctx, options, change) {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const promotion = config.promotion;
  const { root, target, api, auth, registryInRepo } = await openGitHubSession(ctx, env, options.retry);
  const base = options.base ?? promotion.base ?? await api.defaultBranch();
  const branch = `${promotion.branchPrefix}/${config.name}`;
  const existing = await api.findOpenPull(branch, base);
  let applied = null;
  const commit = async (pullRequest, branchAt) => {
    const result = await commitToBranch({
      ...branchAt === void 0 ? {} : { branchAt },
      repoDir: root,
      remote: promotion.remote,
      base,
      branch,
      message: change.kind === "promote" ? `Promote ${config.name} to production` : `Roll back ${config.name}`,
      author: promotion.author,
      committer: promotion.committer ?? promotion.author,
      auth,
      apply: (worktree) => {
        applied = change.apply(path2.join(worktree, registryInRepo), { pullRequest, branch, commit: change.trainingCommit, run: target.runUrl }, ` on ${base}`);
      },
      logger: ctx.logger
    });
    return result.sha;
  };
  const pushed = await commit(existing?.number ?? null);
  faultPoint("promote: branch pushed");
  const done = () => {
    if (applied === null) throw new Error("promotion commit made without applying the change");
    return applied;
  };
  const links = (commitSha) => {
    const folder = blobUrl(target, commitSha, `${registryInRepo.split(path2.sep).join("/")}/${config.name}/${done().version}`);
    return { modelCard: `${folder}/MODEL_CARD.md`, fullReport: `${folder}/evaluation.md`, run: target.runUrl };
  };
  const text2 = (commitSha) => ({ title: change.title(done().version), body: change.body(done().version, done().previous, links(commitSha)) });
  const { pull, created, sha } = await openOrUpdatePull(api, { existing, head: branch, base, sha: pushed, text: text2, recommit: commit });
  await api.addLabels(pull.number, promotion.labels);
  const how = await api.reportVerdict(sha, {
    name: VERDICT_NAME,
    passed: change.verdict.passed,
    title: change.verdict.title,
    summary: fitToLimit(change.verdict.summary, CHECK_RUN_SUMMARY_LIMIT, links(sha).fullReport),
    detailsUrl: target.runUrl
  });
  ctx.logger.debug(`gate verdict reported on ${sha} as a ${how}`);
  appendJobSummary(
    env,
    `## ct: ${text(change.title(done().version))}

Pull request [#${pull.number}](${pull.url}) ${created ? "opened" : "updated"}.`
  );
  return { version: done().version, previous: done().previous, dir: null, pullRequest: { number: pull.number, url: pull.url, created }, branch, commit: sha };
}
function reportFile(file, evaluation) {
  if (!existsSync(file)) writeFileSync(file, evaluationMarkdown(evaluation));
  return file;
}
function sweepOf(outDir, evaluation) {
  const file = path2.join(outDir, "sweep.json");
  if (!existsSync(file)) return null;
  const sweep = readJson(file, "sweep record");
  const selected = sweep.legs.find((l) => l.id === sweep.selected);
  return selected?.contentHash === evaluation.candidate.contentHash ? sweepMarkdown(sweep) : null;
}
function readValidation(file) {
  return existsSync(file) ? readJson(file, "validation record") : null;
}

export {
  runPromote
};
