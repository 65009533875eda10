import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  runPromote
} from "./chunks/evaluate+promote+train+validate.js";
import "./chunks/evaluate+monitor+promote+train+validate.js";
import "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import "./chunks/evaluate+models+monitor+promote+train+validate.js";
import {
  runAction
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/promote.ts
await runAction("promote", async (ctx) => {
  const token = getInput("token");
  const pr = getInput("pull-request") !== "false";
  const base = getInput("base");
  const record = await runPromote(ctx, { pr, ...base === "" ? {} : { base }, env: { ...process.env, ...token === "" ? {} : { GITHUB_TOKEN: token } } });
  return {
    outputs: {
      promoted: record.promoted,
      unchanged: record.unchanged,
      version: record.version ?? "",
      "pr-number": record.pullRequest?.number ?? "",
      "pr-url": record.pullRequest?.url ?? "",
      commit: record.commit ?? ""
    },
    ...record.promoted || record.unchanged ? {} : { failure: `not promoted: ${record.reason}` }
  };
});
