import { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);
import {
  runPromote
} from "./chunks/chunk-FKUAH7VY.js";
import "./chunks/chunk-NC474SEF.js";
import "./chunks/chunk-Z6NO46EK.js";
import "./chunks/chunk-RL4PUKGP.js";
import {
  getInput,
  runAction
} from "./chunks/chunk-6Y22IGJG.js";
import "./chunks/chunk-VISF7VOA.js";
import "./chunks/chunk-LPNRUXKQ.js";
import "./chunks/chunk-WDYNI5YC.js";

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
