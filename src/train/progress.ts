/**
 * The lines a training run shows: per epoch, within an epoch, and the class weights.
 * Pure: the stage hands them to its logger.
 */
import type { BatchProgress, EpochRecord, TrainerInfo } from './loop.js';

/** One line per epoch: losses, the validation headline metric, speed and time left. */
export function epochLine(record: EpochRecord, totalEpochs: number, etaSeconds: number, metricName: string): string {
  const validation =
    record.validationMetric === null ? '' : ` val_loss ${record.validationLoss!.toFixed(4)} val_${metricName} ${record.validationMetric.toFixed(4)}`;
  return `epoch ${record.epoch}/${totalEpochs} loss ${record.loss.toFixed(4)}${validation} ${Math.round(record.samplesPerSecond)} samples/s ETA ${Math.round(etaSeconds)} s`;
}

/** Where an epoch stands, with a 20-character bar. */
export function batchLine(progress: BatchProgress): string {
  const bar = '='.repeat(Math.round(progress.done * 20)).padEnd(20, ' ');
  return `epoch ${progress.epoch}/${progress.totalEpochs} [${bar}] ${Math.round(progress.done * 100)}% loss ${progress.loss.toFixed(4)} ${Math.round(progress.samplesPerSecond)} samples/s ETA ${Math.round(progress.etaSeconds)} s`;
}

/** The loss weight of each class, by name. */
export function classWeightsLine(classNames: readonly string[], weights: readonly number[]): string {
  return `class weights: ${classNames.map((c, k) => `${c} ${weights[k]!.toFixed(3)}`).join(', ')}`;
}

/** Which path trains: the fused step and its threads, or TF.js on `backend`, and why. */
export function trainerLine(trainer: TrainerInfo, backend: string): string {
  if (trainer.name === 'fused') {
    const threads = `${trainer.threads} thread${trainer.threads === 1 ? '' : 's'}`;
    return `training with ct's fused WebAssembly SIMD step on ${threads}${trainer.threadsReason === undefined ? '' : ` (${trainer.threadsReason})`}`;
  }
  return `training with TF.js on the ${backend} backend${trainer.reason === undefined ? '' : ` (the fused step is not used: ${trainer.reason})`}`;
}
