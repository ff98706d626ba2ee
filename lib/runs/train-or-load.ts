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
import { dirBytes, explainWriteError, makeDir } from "../files";
import { latestCheckpoint, writeCheckpoint, type CheckpointDir } from "../train/checkpoint";
import { removeDir, writeJson } from "../train/files";
import { trainSession, type SessionOptions } from "../train/session";
import { keepScoredWeights } from "./prune";
import { Trainer } from "../train/trainer";
import { checkDataSource, resolveDataSource } from "./data-source";
import { runKey, runName } from "./key";
import { acquireLock } from "./lock";
import { checkSameConfig, loadRun, runsDir, writeRunFolder, type Run, type RunSummary, type RunsDirOption } from "./run";
import { formatBytes, removeStaleTemporaries } from "./temporaries";

export interface TrainOptions extends RunsDirOption, SessionOptions {
  /** Use this dataset instead of opening config.dataset (its name must match). */
  readonly dataset?: GroundTruthDataset;
}

/**
 * The trained run for this config: from the cache if complete, else trained (resuming from the
 * last checkpoint of an interrupted run).
 */
export async function trainOrLoad(requested: TrainConfig, options: TrainOptions = {}): Promise<Run> {
  // The data source is part of the run's identity: the official dSprites file, when present, gets its own runs.
  const config = resolveDataSource(validateConfig(requested));
  const root = runsDir(options);
  const name = runName(config);
  const finalDir = path.join(root, name);
  if (fs.existsSync(finalDir)) {
    checkSameConfig(path.join(finalDir, "config.json"), config);
    const run = loadRun(finalDir);
    if (options.dataset) checkDataSource(config, options.dataset, `run ${name}`);
    return run;
  }
  // The data and the model first: a dataset that cannot be opened, or a config it cannot train
  // (too few images for the held-out split), leaves no partial folder and no lock behind.
  const dataset = options.dataset ?? openDataset(config.dataset);
  if (dataset.name !== config.dataset) throw new Error(`options.dataset is "${dataset.name}" but config.dataset is "${config.dataset}"`);
  checkDataSource(config, dataset, `run ${name}`);
  const trainer = new Trainer(config, dataset);
  const partialDir = path.join(root, ".partial", name);
  let release: (() => void) | undefined;
  let keepModel = false;
  const notice = options.notice ?? ((m: string) => console.error(m));
  try {
    makeDir(partialDir); // a read-only runs folder says so (Node's recursive mkdir says ENOENT)
    const configFile = path.join(partialDir, "config.json");
    if (fs.existsSync(configFile)) checkSameConfig(configFile, config);
    else writeJson(configFile, config);
    release = acquireLock(partialDir, { notice });
    // What interrupted writes of this run left behind would eat the space this session needs.
    const removed = removeStaleTemporaries(root, name);
    if (removed.length) notice(`[${name}] removed ${removed.length} temporary file(s) left by interrupted writes (${formatBytes(removed.reduce((n, t) => n + t.bytes, 0))}): ${removed.map((t) => path.relative(root, t.path)).join(", ")}`);
    // A checkpoint the run was scored at keeps its weights as a snapshot when the trainer removes it.
    const keepScored = (c: CheckpointDir): void => void keepScoredWeights(partialDir, c);
    const log = await trainSession(trainer, partialDir, { name, destination: finalDir }, { beforeCheckpointRemoved: keepScored, ...options });
    if (trainer.step < config.steps) {
      keepModel = true;
      return { name, key: runKey(config), dir: partialDir, config, complete: false, step: trainer.step, model: trainer.model, history: trainer.history, historyFrame: trainer.history.toDataFrame() };
    }
    const summary = await writeFinal(trainer, name, finalDir, partialDir);
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

/**
 * Writes the complete run folder. When that fails (a full disk), the final state is kept as a
 * checkpoint of the last step if it fits, so the next attempt only writes the folder; the error
 * names the run, the folder, the space needed and what survives.
 */
async function writeFinal(trainer: Trainer, name: string, finalDir: string, partialDir: string): Promise<RunSummary> {
  try {
    return await writeRunFolder(trainer, finalDir, partialDir);
  } catch (err) {
    const needed = trainer.model.numParameters * 4 + dirBytes(path.join(partialDir, "snapshots")) + dirBytes(latestCheckpoint(partialDir)?.dir ?? "") / 3;
    let kept: string;
    try {
      await writeCheckpoint(trainer, partialDir);
      kept = ` The final state (step ${trainer.step}) is checkpointed in ${partialDir}: running the same command again only writes the run folder.`;
    } catch {
      const last = latestCheckpoint(partialDir);
      kept = last ? ` The checkpoint of step ${last.step} (${last.dir}) is intact; running the same command again resumes from it.` : "";
    }
    const explained = explainWriteError(err, `[${name}] trained all ${trainer.config.steps} steps but could not write the run folder ${finalDir}`, path.dirname(finalDir), needed);
    throw Object.assign(new Error(`${explained.message}.${kept}`), { code: (err as NodeJS.ErrnoException).code });
  }
}

/** Whether a partial run folder holds nothing but its config and lock (no checkpoint, snapshot or score). */
function holdsNothing(partialDir: string): boolean {
  if (!fs.existsSync(partialDir)) return false;
  return fs.readdirSync(partialDir).every((f) => f === "config.json" || f === "lock" || f.startsWith("config.json.") || f.startsWith("lock."));
}
