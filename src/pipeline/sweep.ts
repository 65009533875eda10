/**
 * `ct sweep plan | run | select`: a hyperparameter sweep as a fan-out / fan-in.
 * `plan` prints the legs as a GitHub Actions matrix; each leg is `ct train --leg <id>`
 * then `ct evaluate --leg <id>` in its own folder `<out>/legs/<id>` (a matrix job, or a
 * local process); `select` checks that every leg was evaluated on the same rows against
 * the same production model, puts the best leg's candidate where `ct promote` looks
 * (`<out>/model`, `<out>/evaluation.json`) and writes `sweep.json` / `sweep.md`, which the
 * promotion pull request lists. The gates of the selected leg decide, as for one candidate.
 */
import { copyFileSync, cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { headlineMetric, metricDirection } from '../evaluate/metrics.js';
import { writeJson } from '../files.js';
import { sweepMarkdown } from '../report/sweep.js';
import { describeLeg, type Leg, matrixOf, planLegs } from '../sweep/plan.js';
import { bestLeg, checkComparable, readLegOutcomes, sweepRecord } from '../sweep/select.js';
import { artifactPaths, type SweepRecord } from '../artifacts.js';
import { type StageContext } from './context.js';
import { ctBinary, runCtProcess } from './ct-process.js';

/** The legs of the config's sweep; a `UserError` when it has none. */
export function sweepLegs(ctx: StageContext): Leg[] {
  const { config, file } = ctx.loaded;
  if (config.sweep === undefined) throw new UserError(`${file} has no sweep section: add sweep.parameters to sweep hyperparameters`);
  return planLegs(config.sweep, file);
}

/** `ct sweep plan`: the matrix JSON of the legs. */
export function runSweepPlan(ctx: StageContext): { matrix: ReturnType<typeof matrixOf>; maxParallel: number } {
  const legs = sweepLegs(ctx);
  ctx.logger.info(`${legs.length} legs: ${legs.map((l) => `${l.id} (${describeLeg(l)})`).join(', ')}`);
  return { matrix: matrixOf(legs), maxParallel: ctx.loaded.config.sweep!.maxParallel };
}

/** Folder of a leg's artifacts under the out folder. */
export function legDir(outDir: string, leg: string): string {
  return path.join(outDir, 'legs', leg);
}

/**
 * `ct sweep run`: every leg trained and evaluated in its own process, `parallel` at a
 * time (default sweep.maxParallel), then `select`. A leg that fails stops nothing else;
 * select then works with the legs that finished, and says which did not.
 */
export async function runSweepLocal(ctx: StageContext, options: { parallel?: number; bin?: string } = {}): Promise<SweepRecord> {
  const legs = sweepLegs(ctx);
  const parallel = Math.max(1, Math.min(options.parallel ?? ctx.loaded.config.sweep!.maxParallel, legs.length));
  const bin = options.bin ?? ctBinary();
  const started = performance.now();
  ctx.logger.info(`sweep: ${legs.length} legs, ${parallel} at a time`);
  const queue = [...legs];
  const failed: string[] = [];
  const worker = async (): Promise<void> => {
    for (let leg = queue.shift(); leg !== undefined; leg = queue.shift()) {
      const out = legDir(ctx.outDir, leg.id);
      rmSync(out, { recursive: true, force: true });
      const common = [
        '--config',
        ctx.loaded.file,
        '--leg',
        leg.id,
        '--out',
        out,
        '--quiet',
        ...(ctx.data === undefined ? [] : ['--data', ctx.data]),
        ...(ctx.backend === undefined ? [] : ['--backend', ctx.backend]),
      ];
      const trained = await runCtProcess(['train', ...common], bin);
      // Exit 1 of evaluate is "gates failed": the leg still has a result.
      const evaluated = trained.status === 0 ? await runCtProcess(['evaluate', ...common], bin) : trained;
      if (evaluated.status !== 0 && evaluated.status !== 1) {
        failed.push(leg.id);
        ctx.logger.warning(`sweep ${leg.id} (${describeLeg(leg)}) failed: ${evaluated.stderr.trim().split('\n').at(-1) ?? `exit ${evaluated.status}`}`);
      } else ctx.logger.info(`sweep ${leg.id} (${describeLeg(leg)}) done`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (failed.length === legs.length) throw new UserError(`sweep: every leg failed (${failed.join(', ')}); see the lines above`);
  return runSweepSelect(ctx, { run: { seconds, parallel } });
}

/**
 * `ct sweep select`: the best leg by sweep.metric (default the headline metric) on the
 * shared evaluation rows becomes the candidate of `<out>` for `ct promote`. Legs whose
 * evaluation is missing are reported and left out; legs scored on other rows or against
 * another production model are a `UserError` (their numbers cannot be compared).
 */
export function runSweepSelect(ctx: StageContext, options: { legsDir?: string; run?: SweepRecord['run'] } = {}): SweepRecord {
  const { config } = ctx.loaded;
  const legs = sweepLegs(ctx);
  const metric = config.sweep!.metric ?? headlineMetric(config.task).name;
  const higherIsBetter = metricDirection(metric) !== 'lowerIsBetter';
  const legsDir = options.legsDir ?? path.join(ctx.outDir, 'legs');
  const { results, missing } = readLegOutcomes(legs, legsDir, metric);
  if (results.length === 0)
    throw new UserError(
      `no leg of the sweep has been evaluated in ${displayPath(legsDir)} (expected ${legs.map((l) => `${l.id}/evaluation.json`).join(', ')})`,
    );
  if (missing.length > 0) ctx.logger.warning(`sweep: no evaluation for ${missing.join(', ')}: selecting among the ${results.length} leg(s) that finished`);
  checkComparable(results);
  const best = bestLeg(results, higherIsBetter);

  // The best leg's candidate goes where ct promote looks.
  const paths = artifactPaths(ctx.outDir);
  rmSync(paths.modelDir, { recursive: true, force: true });
  cpSync(path.join(best.dir, 'model'), paths.modelDir, { recursive: true });
  copyFileSync(path.join(best.dir, 'evaluation.json'), paths.evaluation);
  if (existsSync(path.join(best.dir, 'evaluation.md'))) copyFileSync(path.join(best.dir, 'evaluation.md'), paths.evaluationReport);

  const record = sweepRecord({ model: config.name, metric, higherIsBetter, selected: best.id, run: options.run ?? null }, results);
  writeJson(path.join(ctx.outDir, 'sweep.json'), record);
  writeFileSync(path.join(ctx.outDir, 'sweep.md'), sweepMarkdown(record, missing));
  const verdict = best.gatesPassed ? 'its gates passed' : `its gates failed: ${best.failures.join('; ')}`;
  ctx.logger.info(`sweep: selected ${best.id} (${describeLeg(best)}) with ${metric} ${best.value.toFixed(4)} of ${results.length} legs; ${verdict}`);
  return record;
}
