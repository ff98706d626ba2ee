/**
 * Cached, resumable training runs.
 *
 *   runs/<preset>-<profile>-<hash>/          a complete run: config.json, weights.{json,bin},
 *                                            history.csv, summary.json (written to a temporary
 *                                            folder, then renamed: complete or absent), and what
 *                                            the partial run had kept: snapshots/, metrics-step-*.json
 *   runs/.partial/<preset>-<profile>-<hash>/ a run in progress: config.json, lock, ckpt-<step>/,
 *                                            snapshots/step-<n>/, metrics-step-<step>.json
 *
 * The hash is of the whole TrainConfig (lib/train/config.ts). `trainOrLoad(config)` loads the
 * complete run, or resumes the partial one from its last checkpoint, or starts it. The folder is
 * `runs/` at the project root unless BVAE_RUNS_DIR (or options.runsDir) says otherwise.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type pl from "nodejs-polars";
import type { GroundTruthDataset } from "./data/dataset";
import { buildModel } from "./models/vae";
import type { VaeModel } from "./models/types";
import { latestCheckpoint, restoreCheckpoint, writeCheckpoint, assignWeights } from "./train/checkpoint";
import { canonicalJson, validateConfig, type TrainConfig } from "./train/config";
import { openDataset } from "./train/datasets";
import { loadTensors, readJson, removeDir, saveTensors, tempSibling, writeJson } from "./train/files";
import { projectRoot } from "./files";
import { checkpointScoreSteps, copyCheckpointScores, METRICS_FILE } from "./metrics/store";
import { History } from "./train/history";
import { Progress } from "./train/progress";
import { snapshotSteps, writeSnapshot, listSnapshots, copySnapshots, loadSnapshotModel } from "./train/snapshots";
import { Trainer } from "./train/trainer";

/** Bumped when the folder layout or the training step changes meaning (changes every key). */
export const RUN_FORMAT = "bvae-run-1";

export interface TrainOptions {
  /** Default: BVAE_RUNS_DIR, else `runs/` at the project root. */
  readonly runsDir?: string;
  /** Steps between checkpoints. Default: about 20 per run, at least every 100 steps. */
  readonly checkpointEvery?: number;
  /** Seconds between progress lines when not on a TTY (notebooks, logs). Default 10. */
  readonly progressEverySeconds?: number;
  /** No progress lines. */
  readonly quiet?: boolean;
  /** Use this dataset instead of opening config.dataset (its name must match). */
  readonly dataset?: GroundTruthDataset;
  /** Stop after this many steps in total, leaving a checkpointed partial run (time-boxed sessions, tests). */
  readonly stopAfter?: number;
  /** Aborting checkpoints the current step and stops (the CLI wires Ctrl-C to this). */
  readonly signal?: AbortSignal;
}

export interface RunSummary {
  readonly key: string;
  readonly name: string;
  readonly steps: number;
  readonly channels: number;
  readonly numParameters: number;
  /** Training wall time across sessions. */
  readonly seconds: number;
  readonly backend: string;
  /** Where the images came from ("generated" or the dataset file). */
  readonly datasetSource: string;
  readonly tfjsVersion: string;
  readonly finishedAt: string;
  /** The last history row's batch terms. */
  readonly final: { readonly recon: number; readonly kl: number; readonly loss: number; readonly klPerLatent: readonly number[] };
}

export interface Run {
  readonly name: string;
  readonly key: string;
  /** The run folder: runs/<name> when complete, runs/.partial/<name> when partial. */
  readonly dir: string;
  readonly config: TrainConfig;
  /** Complete (all steps, in runs/<name>) or partial (stopped early; in runs/.partial/<name>). */
  readonly complete: boolean;
  /** Steps trained. */
  readonly step: number;
  readonly model: VaeModel;
  readonly history: History;
  /** The history as a polars DataFrame. */
  readonly historyFrame: pl.DataFrame;
  readonly summary?: RunSummary;
}

export function runsDir(options: Pick<TrainOptions, "runsDir"> = {}): string {
  return options.runsDir ?? (process.env.BVAE_RUNS_DIR || path.join(projectRoot(), "runs"));
}

/** 10 hex digits of the SHA-256 of the canonical config. */
export function runKey(config: TrainConfig): string {
  return createHash("sha256").update(canonicalJson({ format: RUN_FORMAT, config })).digest("hex").slice(0, 10);
}

export function runName(config: TrainConfig): string {
  return `${config.preset}-${config.profile}-${runKey(config)}`;
}

function checkSameConfig(file: string, config: TrainConfig): void {
  const stored = readJson<TrainConfig>(file);
  if (canonicalJson(stored) !== canonicalJson(config)) {
    throw new Error(`${file} holds a different config than requested (edited file or hash collision); move that folder away to continue`);
  }
}

/** Loads a complete run folder (its config, weights, history and summary). */
export function loadRun(dir: string): Run {
  const config = validateConfig(readJson<TrainConfig>(path.join(dir, "config.json")));
  const summary = readJson<RunSummary>(path.join(dir, "summary.json"));
  const model = buildModel({ architecture: config.architecture, numLatents: config.numLatents, channels: summary.channels as 1 | 3, initSeed: config.seed });
  assignWeights({ model }, loadTensors(path.join(dir, "weights")), dir);
  const history = History.load(path.join(dir, "history.csv"), config.numLatents);
  return { name: path.basename(dir), key: summary.key, dir, config, complete: true, step: summary.steps, model, history, historyFrame: history.toDataFrame(), summary };
}

/** Image channels of saved weights, from the first encoder layer's kernel. */
function inferChannels(tensors: Record<string, tf.Tensor>): 1 | 3 {
  const conv = tensors["encoder/conv1/kernel"]; // [4, 4, nc, filters]
  const fc = tensors["encoder/fc1/kernel"]; // MLPs: [4096 * nc, units]
  const nc = conv ? conv.shape[2] : fc ? fc.shape[0] / 4096 : NaN;
  if (nc !== 1 && nc !== 3) throw new Error(`cannot tell the number of image channels from the saved weights (got ${nc})`);
  return nc;
}

/**
 * The most trained state of a config without training or locking: the complete run if there is
 * one, else the newest checkpoint of its partial run (complete: false), else undefined. For
 * notebooks that show a long run while it is still training in the background.
 */
export function loadLatest(config: TrainConfig, options: Pick<TrainOptions, "runsDir"> = {}): Run | undefined {
  const where = locateRun(config, options);
  if (!where) return undefined;
  const { name, dir, checkpoint: ck } = where;
  checkSameConfig(path.join(dir, "config.json"), config);
  if (!ck) return loadRun(dir);
  const tensors = loadTensors(path.join(ck.dir, "model"));
  const model = buildModel({ architecture: config.architecture, numLatents: config.numLatents, channels: inferChannels(tensors), initSeed: config.seed });
  assignWeights({ model }, tensors, ck.dir);
  const history = History.load(path.join(ck.dir, "history.csv"), config.numLatents);
  return { name, key: runKey(config), dir, config, complete: false, step: ck.step, model, history, historyFrame: history.toDataFrame() };
}

/**
 * Where a config's run is, without loading it: its complete folder (no checkpoint), or its partial
 * folder with the newest checkpoint; undefined when neither exists (or no checkpoint yet).
 */
export function locateRun(config: TrainConfig, options: Pick<TrainOptions, "runsDir"> = {}): { name: string; dir: string; checkpoint?: { step: number; dir: string } } | undefined {
  const root = runsDir(options);
  const name = runName(config);
  const finalDir = path.join(root, name);
  if (fs.existsSync(finalDir)) return { name, dir: finalDir };
  const partialDir = path.join(root, ".partial", name);
  const checkpoint = latestCheckpoint(partialDir);
  return checkpoint ? { name, dir: partialDir, checkpoint } : undefined;
}

/** Takes the partial run's lock (a file with our pid); a lock of a dead process is taken over. */
function acquireLock(partialDir: string): () => void {
  const lock = path.join(partialDir, "lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lock, { force: true });
    } catch {
      const pid = Number(fs.readFileSync(lock, "utf8"));
      if (isAlive(pid) && pid !== process.pid) throw new Error(`${partialDir} is being trained by process ${pid}`);
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`${partialDir}: could not take the lock`);
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The one call notebooks make: the trained run for this config, from the cache if complete,
 * else trained (resuming from the last checkpoint of an interrupted run).
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
  const partialDir = path.join(root, ".partial", name);
  fs.mkdirSync(partialDir, { recursive: true });
  const configFile = path.join(partialDir, "config.json");
  if (fs.existsSync(configFile)) checkSameConfig(configFile, config);
  else writeJson(configFile, config);
  const release = acquireLock(partialDir);
  const dataset = options.dataset ?? openDataset(config.dataset);
  if (dataset.name !== config.dataset) throw new Error(`options.dataset is "${dataset.name}" but config.dataset is "${config.dataset}"`);
  const trainer = new Trainer(config, dataset);
  let keepModel = false;
  try {
    const ck = latestCheckpoint(partialDir);
    const log = (m: string): void => (options.quiet ? undefined : progress.log(m));
    const progress = new Progress({ label: name, totalSteps: config.steps, batchSize: config.batchSize, everySeconds: options.progressEverySeconds }, ck?.step ?? 0);
    if (ck) {
      restoreCheckpoint(trainer, ck.dir);
      log(`[${name}] resumed from step ${ck.step} (${ck.dir})`);
    } else log(`[${name}] training ${config.steps} steps (${trainer.model.numParameters} parameters, backend ${tf.getBackend()}) -> ${finalDir}`);
    const every = options.checkpointEvery ?? Math.max(100, Math.ceil(config.steps / 20));
    const stopAt = Math.min(config.steps, options.stopAfter ?? config.steps);
    const snapshotAt = new Set(snapshotSteps(config));
    while (trainer.step < stopAt) {
      const terms = trainer.trainStep();
      if (!options.quiet) progress.update(trainer.step, terms);
      // Snapshot first: a checkpoint at a snapshot step then implies its snapshot is on disk.
      if (snapshotAt.has(trainer.step)) await writeSnapshot(partialDir, trainer.step, trainer.model.variables);
      if (trainer.step % every === 0 && trainer.step < config.steps) await writeCheckpoint(trainer, partialDir);
      if (options.signal) {
        await new Promise((r) => setImmediate(r)); // lets a Ctrl-C handler run
        if (options.signal.aborted) {
          await writeCheckpoint(trainer, partialDir);
          throw new Error(`[${name}] interrupted at step ${trainer.step}; checkpoint saved, run again to resume`);
        }
      }
    }
    progress.finish();
    if (trainer.step < config.steps) {
      await writeCheckpoint(trainer, partialDir);
      keepModel = true;
      log(`[${name}] stopped at step ${trainer.step} of ${config.steps}; checkpoint in ${partialDir}`);
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
    if (fs.existsSync(partialDir)) release();
  }
}

async function writeRunFolder(trainer: Trainer, finalDir: string, partialDir: string): Promise<RunSummary> {
  const config = trainer.config;
  const last = trainer.history.rows[trainer.history.rows.length - 1];
  const summary: RunSummary = {
    key: runKey(config),
    name: path.basename(finalDir),
    steps: trainer.step,
    channels: trainer.model.config.channels,
    numParameters: trainer.model.numParameters,
    seconds: trainer.seconds(),
    backend: tf.getBackend(),
    datasetSource: trainer.dataset.source,
    tfjsVersion: tf.version.tfjs,
    finishedAt: new Date().toISOString(),
    final: { recon: last.recon, kl: last.kl, loss: last.loss, klPerLatent: last.klPerLatent },
  };
  const tmp = tempSibling(finalDir);
  fs.mkdirSync(tmp, { recursive: true });
  writeJson(path.join(tmp, "config.json"), config);
  await saveTensors(path.join(tmp, "weights"), trainer.model.variables.map((v) => ({ name: v.name, tensor: v.variable })));
  trainer.history.save(path.join(tmp, "history.csv"));
  writeJson(path.join(tmp, "summary.json"), summary);
  copySnapshots(partialDir, tmp);
  copyCheckpointScores(partialDir, tmp);
  if (fs.existsSync(finalDir)) throw new Error(`${finalDir} appeared while training (another process?); not overwriting it. This run's result is in ${tmp}`);
  fs.renameSync(tmp, finalDir);
  return summary;
}

export interface RunListing {
  readonly name: string;
  readonly dir: string;
  readonly status: "complete" | "partial" | "running";
  readonly config?: TrainConfig;
  /** Steps done (complete: all; partial: last checkpoint's step, 0 if none yet). */
  readonly step: number;
  readonly steps?: number;
  readonly pid?: number;
  /** Steps of the weight snapshots it keeps (5/10/25/50% of training). */
  readonly snapshots: readonly number[];
  /** Steps whose disentanglement scores are stored with it (any protocol): checkpoints, snapshots, the final weights. */
  readonly scored: readonly number[];
}

/** Every run folder under the runs directory, complete and partial. */
export function listRuns(options: Pick<TrainOptions, "runsDir"> = {}): RunListing[] {
  const root = runsDir(options);
  const out: RunListing[] = [];
  const tryConfig = (f: string): TrainConfig | undefined => (fs.existsSync(f) ? readJson<TrainConfig>(f) : undefined);
  if (!fs.existsSync(root)) return out;
  for (const n of fs.readdirSync(root).sort()) {
    const dir = path.join(root, n);
    if (n.startsWith(".") || !fs.existsSync(path.join(dir, "summary.json"))) continue;
    const config = tryConfig(path.join(dir, "config.json"));
    const scored = [...checkpointScoreSteps(dir), ...(fs.existsSync(path.join(dir, METRICS_FILE)) && config ? [config.steps] : [])];
    out.push({ name: n, dir, status: "complete", config, step: config?.steps ?? 0, steps: config?.steps, snapshots: listSnapshots(dir), scored });
  }
  const partialRoot = path.join(root, ".partial");
  if (fs.existsSync(partialRoot)) {
    for (const n of fs.readdirSync(partialRoot).sort()) {
      const dir = path.join(partialRoot, n);
      const config = tryConfig(path.join(dir, "config.json"));
      const lock = path.join(dir, "lock");
      const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, "utf8")) : undefined;
      const running = pid !== undefined && isAlive(pid);
      out.push({
        name: n, dir, status: running ? "running" : "partial", config, step: latestCheckpoint(dir)?.step ?? 0, steps: config?.steps,
        pid: running ? pid : undefined, snapshots: listSnapshots(dir), scored: checkpointScoreSteps(dir),
      });
    }
  }
  return out;
}

/** The stages of a run whose weights can be loaded: its snapshots, then its current weights. */
export function runSnapshots(run: Run): { step: number }[] {
  return [...listSnapshots(run.dir).filter((s) => s < run.step).map((step) => ({ step })), { step: run.step }];
}

/** The model at a stage of a run: the run's own model for its last step, else a new model with the
 * snapshot's weights (dispose it when done). */
export function loadSnapshot(run: Run, step: number): VaeModel {
  return step === run.step ? run.model : loadSnapshotModel(run.dir, step, run.model);
}
