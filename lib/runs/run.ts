/**
 * A run folder: what it holds, where it is, and how it is read and written.
 *
 *   runs/<preset>-<profile>-<hash>/          a complete run: config.json, weights.{json,bin},
 *                                            history.csv, summary.json (written to a temporary
 *                                            folder, then renamed: complete or absent), and what
 *                                            the partial run had kept: snapshots/, metrics-step-*.json
 *   runs/.partial/<preset>-<profile>-<hash>/ a run in progress: config.json, lock, ckpt-<step>/,
 *                                            snapshots/step-<n>/, metrics-step-<step>.json
 *
 * The name and hash are the run's key (key.ts); `trainOrLoad(config)` (train-or-load.ts) loads the
 * complete run, or resumes the partial one from its last checkpoint, or starts it. The folder is
 * `runs/` at the project root unless BVAE_RUNS_DIR (or options.runsDir) says otherwise.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type pl from "nodejs-polars";
import { projectRoot } from "../files";
import { buildModel } from "../models/vae";
import type { VaeModel } from "../models/types";
import { assignWeights, newestIntactCheckpoint } from "../train/checkpoint";
import { canonicalJson, validateConfig, type TrainConfig } from "../train/config";
import { loadTensors, readJson, removeDir, saveTensors, tempSibling, writeJson } from "../train/files";
import { History } from "../train/history";
import { copySnapshots, listSnapshots, loadSnapshotModel } from "../train/snapshots";
import type { Trainer } from "../train/trainer";
import { resolveDataSource } from "./data-source";
import { runKey, runName } from "./key";
import { copyCheckpointScores } from "./score-files";

/** Where the runs folder is. */
export interface RunsDirOption {
  /** Default: BVAE_RUNS_DIR, else `runs/` at the project root. */
  readonly runsDir?: string;
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

export function runsDir(options: RunsDirOption = {}): string {
  return options.runsDir ?? (process.env.BVAE_RUNS_DIR || path.join(projectRoot(), "runs"));
}

/** Throws when the config stored in `file` is not `config` (an edited file, or a hash collision). */
export function checkSameConfig(file: string, config: TrainConfig): void {
  const stored = readJson<TrainConfig>(file);
  if (canonicalJson(stored) !== canonicalJson(config)) {
    throw new Error(`${file} holds a different config than requested (edited file or hash collision); move that folder away to continue`);
  }
}

/** A complete run folder's summary.json. */
export function readRunSummary(dir: string): RunSummary {
  return readJson<RunSummary>(path.join(dir, "summary.json"));
}

/** Loads a complete run folder (its config, weights, history and summary). */
export function loadRun(dir: string): Run {
  const config = validateConfig(readJson<TrainConfig>(path.join(dir, "config.json")));
  const summary = readRunSummary(dir);
  const model = buildModel({ architecture: config.architecture, numLatents: config.numLatents, channels: summary.channels as 1 | 3, initSeed: config.seed });
  assignWeights({ model }, loadTensors(path.join(dir, "weights")), dir);
  const history = History.load(path.join(dir, "history.csv"), config.numLatents, { step: summary.steps, historyEvery: config.historyEvery, steps: config.steps });
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

/** A partial run at one of its checkpoints (complete: false). */
function loadCheckpoint(name: string, dir: string, config: TrainConfig, ck: { step: number; dir: string }): Run {
  const tensors = loadTensors(path.join(ck.dir, "model"));
  const model = buildModel({ architecture: config.architecture, numLatents: config.numLatents, channels: inferChannels(tensors), initSeed: config.seed });
  assignWeights({ model }, tensors, ck.dir);
  const history = History.load(path.join(ck.dir, "history.csv"), config.numLatents, { step: ck.step, historyEvery: config.historyEvery, steps: config.steps });
  return { name, key: runKey(config), dir, config, complete: false, step: ck.step, model, history, historyFrame: history.toDataFrame() };
}

/**
 * The most trained state of a config without training or locking: the complete run if there is
 * one, else the newest checkpoint of its partial run (complete: false), else undefined. For
 * notebooks that show a long run while it is still training in the background.
 */
export function loadLatest(requested: TrainConfig, options: RunsDirOption = {}): Run | undefined {
  const config = resolveDataSource(requested);
  const where = locateRun(config, options);
  if (!where) return undefined;
  const { name, dir, checkpoint: ck } = where;
  checkSameConfig(path.join(dir, "config.json"), config);
  if (ck) warnDamaged(where);
  return ck ? loadCheckpoint(name, dir, config, ck) : loadRun(dir);
}

/** Damaged checkpoints newer than the one used (each with what is wrong with it). */
export interface DamagedCheckpoints {
  readonly damaged?: readonly { step: number; dir: string; problem: string }[];
}

/** Says on stderr which newer checkpoints were skipped as damaged (a partial run read without training). */
export function warnDamaged(where: DamagedCheckpoints & { checkpoint?: { step: number } }): void {
  for (const d of where.damaged ?? []) {
    console.error(`warning: checkpoint ${d.dir} is damaged (${d.problem}); using the newest intact one, step ${where.checkpoint?.step} (the next training session moves it aside)`);
  }
}

/**
 * Where a config's run is (for the data source in use: resolveDataSource), without loading it: its complete folder (no checkpoint), or its partial
 * folder with the newest intact checkpoint (and the newer damaged ones); undefined when neither
 * exists (or no intact checkpoint yet).
 */
export function locateRun(config: TrainConfig, options: RunsDirOption = {}): ({ name: string; dir: string; checkpoint?: { step: number; dir: string } } & DamagedCheckpoints) | undefined {
  const root = runsDir(options);
  const name = runName(resolveDataSource(config));
  const finalDir = path.join(root, name);
  if (fs.existsSync(finalDir)) return { name, dir: finalDir };
  const partialDir = path.join(root, ".partial", name);
  const found = newestIntactCheckpoint(partialDir, config);
  return found?.intact ? { name, dir: partialDir, checkpoint: found.intact, damaged: found.damaged } : undefined;
}

/** A run folder that `findRun` found, not loaded. */
export interface RunFolder extends DamagedCheckpoints {
  readonly name: string;
  readonly dir: string;
  /** Complete (all steps) or partial (at its newest intact checkpoint). */
  readonly complete: boolean;
  readonly config: TrainConfig;
  /** Steps trained: all of them when complete, else the newest intact checkpoint's. */
  readonly step: number;
  /** A partial run's checkpoint folder (the newest intact one). */
  readonly checkpoint?: { step: number; dir: string };
}

/**
 * The run folder a user names (`bvae eval <run>`): the path of a complete or partial run folder,
 * or the name of one under the runs folder (complete first, then runs/.partial/<name>). A partial
 * run must have a checkpoint.
 */
export function findRun(arg: string, options: RunsDirOption = {}): RunFolder {
  const root = runsDir(options);
  const named = path.join(root, arg);
  const complete = fs.existsSync(path.join(arg, "summary.json")) ? path.resolve(arg) : fs.existsSync(path.join(named, "summary.json")) ? named : undefined;
  if (complete) {
    const config = readJson<TrainConfig>(path.join(complete, "config.json"));
    return { name: path.basename(complete), dir: complete, complete: true, config, step: config.steps };
  }
  const partial = fs.existsSync(path.join(arg, "config.json")) ? path.resolve(arg) : path.join(root, ".partial", arg);
  if (!fs.existsSync(path.join(partial, "config.json"))) throw new Error(`no run folder "${arg}" (nor ${named}); \`bvae runs\` lists them`);
  const config = validateConfig(readJson<TrainConfig>(path.join(partial, "config.json")));
  const found = newestIntactCheckpoint(partial, config);
  if (!found) throw new Error(`${partial}: a partial run without any checkpoint yet`);
  if (!found.intact) throw new Error(`${partial}: every checkpoint is damaged:\n${found.damaged.map((d) => `  ${d.problem}`).join("\n")}`);
  return { name: path.basename(partial), dir: partial, complete: false, config, step: found.intact.step, checkpoint: found.intact, damaged: found.damaged };
}

/** Loads what `findRun` found: the complete run, or the partial run at its newest intact checkpoint. */
export function loadRunFolder(found: Pick<RunFolder, "dir" | "complete" | "checkpoint">): Run {
  if (found.complete) return loadRun(found.dir);
  const config = validateConfig(readJson<TrainConfig>(path.join(found.dir, "config.json")));
  const ck = found.checkpoint ?? newestIntactCheckpoint(found.dir, config)?.intact;
  if (!ck) throw new Error(`${found.dir}: a partial run without any intact checkpoint`);
  return loadCheckpoint(path.basename(found.dir), found.dir, config, ck);
}

/** Writes the complete run folder of a finished training (from a temporary folder, renamed: complete or absent), with what its partial folder kept: snapshots and checkpoint scores. */
export async function writeRunFolder(trainer: Trainer, finalDir: string, partialDir: string): Promise<RunSummary> {
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
  try {
    fs.mkdirSync(tmp, { recursive: true });
    writeJson(path.join(tmp, "config.json"), config);
    await saveTensors(path.join(tmp, "weights"), trainer.model.variables.map((v) => ({ name: v.name, tensor: v.variable })));
    trainer.history.save(path.join(tmp, "history.csv"));
    writeJson(path.join(tmp, "summary.json"), summary);
    copySnapshots(partialDir, tmp);
    copyCheckpointScores(partialDir, tmp);
  } catch (err) {
    removeDir(tmp); // a write cut short (a full disk) leaves no half run folder, hidden or not
    throw err;
  }
  if (fs.existsSync(finalDir)) throw new Error(`${finalDir} appeared while training (another process?); not overwriting it. This run's result is in ${tmp}`);
  fs.renameSync(tmp, finalDir);
  return summary;
}

/** The stages of a run whose weights can be loaded: its snapshots, then its current weights. */
export function runSnapshots(run: Pick<Run, "dir" | "step">): { step: number }[] {
  return [...listSnapshots(run.dir).filter((s) => s < run.step).map((step) => ({ step })), { step: run.step }];
}

/**
 * The newest step at which every run has weights (a snapshot, or its current step): where runs of
 * different lengths are compared at equal steps. Undefined when they share no stage (a run still
 * short of the others' first snapshot).
 */
export function commonStage(...runs: readonly Pick<Run, "dir" | "step">[]): number | undefined {
  if (runs.length === 0) throw new Error("commonStage: name at least one run");
  const [first, ...rest] = runs.map((r) => runSnapshots(r).map((s) => s.step));
  const shared = first.filter((step) => rest.every((steps) => steps.includes(step)));
  return shared.length ? Math.max(...shared) : undefined;
}

/** The model at a stage of a run: the run's own model for its last step, else a new model with the
 * snapshot's weights (dispose it when done). */
export function loadSnapshot(run: Run, step: number): VaeModel {
  return step === run.step ? run.model : loadSnapshotModel(run.dir, step, run.model);
}
