/**
 * The one call notebooks make to get a trained model: `trainOrLoad(config)` loads the complete run
 * of this config from the runs folder, else resumes its partial run from the last checkpoint, or
 * starts it (run.ts says what the folders hold). A partial run is trained by one process at a time
 * (lock.ts); the training session itself is lib/train/session.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GroundTruthDataset } from "../data/dataset";
import { validateConfig, type TrainConfig } from "../train/config";
import { openDataset } from "../train/datasets";
import { removeDir, writeJson } from "../train/files";
import { trainSession, type SessionOptions } from "../train/session";
import { Trainer } from "../train/trainer";
import { runKey, runName } from "./key";
import { acquireLock } from "./lock";
import { checkSameConfig, loadRun, runsDir, writeRunFolder, type Run, type RunsDirOption } from "./run";

export interface TrainOptions extends RunsDirOption, SessionOptions {
  /** Use this dataset instead of opening config.dataset (its name must match). */
  readonly dataset?: GroundTruthDataset;
}

/**
 * The trained run for this config: from the cache if complete, else trained (resuming from the
 * last checkpoint of an interrupted run).
 */
export async function trainOrLoad(config: TrainConfig, options: TrainOptions = {}): Promise<Run> {
  validateConfig(config);
  const root = runsDir(options);
  const name = runName(config);
  const finalDir = path.join(root, name);
  if (fs.existsSync(finalDir)) {
    checkSameConfig(path.join(finalDir, "config.json"), config);
    return loadRun(finalDir);
  }
  // The data and the model first: a dataset that cannot be opened, or a config it cannot train
  // (too few images for the held-out split), leaves no partial folder and no lock behind.
  const dataset = options.dataset ?? openDataset(config.dataset);
  if (dataset.name !== config.dataset) throw new Error(`options.dataset is "${dataset.name}" but config.dataset is "${config.dataset}"`);
  const trainer = new Trainer(config, dataset);
  const partialDir = path.join(root, ".partial", name);
  let release: (() => void) | undefined;
  let keepModel = false;
  try {
    fs.mkdirSync(partialDir, { recursive: true });
    const configFile = path.join(partialDir, "config.json");
    if (fs.existsSync(configFile)) checkSameConfig(configFile, config);
    else writeJson(configFile, config);
    release = acquireLock(partialDir, { notice: options.notice });
    const log = await trainSession(trainer, partialDir, { name, destination: finalDir }, options);
    if (trainer.step < config.steps) {
      keepModel = true;
      return { name, key: runKey(config), dir: partialDir, config, complete: false, step: trainer.step, model: trainer.model, history: trainer.history, historyFrame: trainer.history.toDataFrame() };
    }
    const summary = await writeRunFolder(trainer, finalDir, partialDir);
    removeDir(partialDir);
    keepModel = true;
    log(`[${name}] done in ${summary.seconds.toFixed(0)} s: recon ${summary.final.recon.toFixed(2)}, kl ${summary.final.kl.toFixed(2)} -> ${finalDir}`);
    return { name, key: summary.key, dir: finalDir, config, complete: true, step: trainer.step, model: trainer.model, history: trainer.history, historyFrame: trainer.history.toDataFrame(), summary };
  } finally {
    trainer.optimizer.dispose();
    if (!keepModel) trainer.model.dispose();
    // A session that stopped before its first checkpoint kept nothing: its folder would only show
    // as a phantom "partial 0/N" run. Removed while the lock is still ours, else the lock released.
    if (release && holdsNothing(partialDir)) removeDir(partialDir);
    else if (release && fs.existsSync(partialDir)) release();
  }
}

/** Whether a partial run folder holds nothing but its config and lock (no checkpoint, snapshot or score). */
function holdsNothing(partialDir: string): boolean {
  if (!fs.existsSync(partialDir)) return false;
  return fs.readdirSync(partialDir).every((f) => f === "config.json" || f === "lock" || f.startsWith("config.json.") || f.startsWith("lock."));
}
