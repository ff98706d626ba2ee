/**
 * Checkpoints of a run in progress: `<partialDir>/ckpt-<step>/` holding the weights, the optimiser
 * state (step count, and Adam's moments or Adagrad's sums), the history so far and state.json. The
 * random state needs no saving: data order and noise are functions of (seed, step) (./batches). Each checkpoint is
 * written to a temporary folder and renamed, so a checkpoint folder is complete or absent; the
 * two most recent are kept.
 *
 * A checkpoint can still be damaged afterwards (a disk error, a copy cut short, a hand edit):
 * state.json records the SHA-256 of every file, and a checkpoint is read whole and checked (sizes,
 * checksums, finite values, the history up to its step) before anything is applied. Resuming uses
 * the newest intact checkpoint and says which damaged ones it skipped (moved aside as
 * `ckpt-<step>.damaged`, so that nothing is lost and they are never written over).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { TrainConfig } from "./config";
import { loadTensors, readJson, removeDir, saveTensors, writeDirAtomic, writeJson } from "./files";
import { History } from "./history";
import type { Trainer } from "./trainer";

export interface CheckpointState {
  /** Updates done (the next update's index). */
  readonly step: number;
  /** The optimiser's update count (equal to step; named for Adam, the first optimiser). */
  readonly adamT: number;
  /** Training seconds so far, across sessions. */
  readonly seconds: number;
  readonly backend: string;
  /** The dataset's source ("generated" or a file path): resuming on another source is refused. */
  readonly datasetSource: string;
  readonly savedAt: string;
  /** SHA-256 of each other file of the checkpoint (absent in checkpoints written before it existed). */
  readonly files?: Readonly<Record<string, string>>;
}

const PREFIX = "ckpt-";
/** The files of a checkpoint besides state.json. */
const FILES = ["model.json", "model.bin", "optimizer.json", "optimizer.bin", "history.csv"] as const;
/** A checkpoint folder of a partial run and the step it holds. */
export interface CheckpointDir {
  readonly step: number;
  readonly dir: string;
}

export function checkpointDirs(partialDir: string): CheckpointDir[] {
  if (!fs.existsSync(partialDir)) return [];
  return fs
    .readdirSync(partialDir)
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => ({ step: Number(n.slice(PREFIX.length)), dir: path.join(partialDir, n) }))
    .sort((a, b) => a.step - b.step);
}

export function latestCheckpoint(partialDir: string): { step: number; dir: string } | undefined {
  const all = checkpointDirs(partialDir);
  return all[all.length - 1];
}

/**
 * The weights or Adam's moments are no longer finite (gradients overflowed: Adam's second moment
 * squares them) although every loss so far was: the run has diverged by `step`. Nothing is written.
 */
export class NonFiniteStateError extends Error {
  constructor(readonly step: number, readonly tensor: string) {
    super(`training diverged by step ${step}: ${tensor.startsWith("m/") || tensor.startsWith("v/") ? `Adam's state "${tensor}"` : `weight "${tensor}"`} is no longer finite (the gradients overflowed); nothing was written for this step`);
    this.name = "NonFiniteStateError";
  }
}

/** Verifies that all weights and Adam's moments are finite before they are written (a checkpoint is always good). */
function assertFinite(trainer: Trainer): void {
  const tensors = [...trainer.model.variables.map((v) => ({ name: v.name, tensor: v.variable as tf.Tensor })), ...trainer.optimizer.stateTensors()];
  const bad = tensors.find((t) => tf.tidy(() => !tf.all(tf.isFinite(t.tensor)).dataSync()[0]));
  if (bad) throw new NonFiniteStateError(trainer.step, bad.name);
}

const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/**
 * Writes the trainer's state as the checkpoint of its step (temporary name, then rename) and removes all
 * but the newest `keep`; `beforeRemove` is told about each one before it goes (the runs layer keeps a
 * scored checkpoint's weights as a snapshot: keepScoredWeights).
 */
export async function writeCheckpoint(trainer: Trainer, partialDir: string, keep = 2, beforeRemove?: (old: CheckpointDir) => void): Promise<string> {
  assertFinite(trainer);
  const final = path.join(partialDir, `${PREFIX}${String(trainer.step).padStart(9, "0")}`);
  if (fs.existsSync(final)) return final; // already written for this step (same deterministic state)
  await writeDirAtomic(final, async (tmp) => {
    await saveTensors(path.join(tmp, "model"), trainer.model.variables.map((v) => ({ name: v.name, tensor: v.variable })));
    await saveTensors(path.join(tmp, "optimizer"), trainer.optimizer.stateTensors());
    trainer.history.save(path.join(tmp, "history.csv"));
    const state: CheckpointState = {
      step: trainer.step,
      adamT: trainer.optimizer.t,
      seconds: trainer.seconds(),
      backend: tf.getBackend(),
      datasetSource: trainer.dataset.source,
      savedAt: new Date().toISOString(),
      files: Object.fromEntries(FILES.map((f) => [f, sha256(path.join(tmp, f))])),
    };
    writeJson(path.join(tmp, "state.json"), state);
  });
  const all = checkpointDirs(partialDir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) {
    beforeRemove?.(old);
    removeDir(old.dir);
  }
  return final;
}

/** Assigns named tensors to the model's variables, checking names and shapes. Disposes the inputs. */
export function assignWeights(trainer: Pick<Trainer, "model">, tensors: Record<string, tf.Tensor>, source: string): void {
  try {
    for (const v of trainer.model.variables) {
      const t = tensors[v.name];
      if (!t) throw new Error(`${source}: missing weight "${v.name}"`);
      if (t.shape.join("x") !== v.variable.shape.join("x")) throw new Error(`${source}: weight "${v.name}" has shape [${t.shape}], the model expects [${v.variable.shape}]`);
      v.variable.assign(t);
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** A checkpoint read whole and checked, nothing applied yet (dispose its tensors if not applied). */
export interface LoadedCheckpoint {
  readonly dir: string;
  readonly state: CheckpointState;
  readonly weights: Record<string, tf.Tensor>;
  readonly optimizer: Record<string, tf.Tensor>;
  readonly history: History;
}

/** Checks saved tensors without making any (no backend needed): sizes, and every float32 finite. */
function checkTensorFiles(base: string): void {
  const specs = readJson<tf.io.WeightsManifestEntry[]>(`${base}.json`);
  if (!Array.isArray(specs)) throw new Error(`${base}.json: not a list of tensors`);
  const buf = fs.readFileSync(`${base}.bin`);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (buf.byteLength !== expected) throw new Error(`${base}.bin: ${buf.byteLength} bytes, but ${base}.json describes ${expected} (truncated or mismatched file)`);
  const values = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    for (let i = offset; i < offset + n; i++) if (!Number.isFinite(values[i])) throw new Error(`${base}.bin: ${s.name} holds NaN or infinite values`);
    offset += n;
  }
}

/** What is wrong with a checkpoint, or undefined when it is intact: every file read and checked, no tensor made. */
export function checkpointProblem(dir: string, config: Pick<TrainConfig, "numLatents" | "historyEvery" | "steps">): string | undefined {
  try {
    const state = readJson<CheckpointState>(path.join(dir, "state.json"));
    const named = Number(path.basename(dir).slice(PREFIX.length));
    if (state === null || typeof state !== "object" || state.step !== named || state.adamT !== state.step) {
      throw new Error(`${dir}/state.json: step ${state?.step} and Adam count ${state?.adamT}, expected ${named} (the folder's step)`);
    }
    for (const [file, want] of Object.entries(state.files ?? {})) {
      const f = path.join(dir, file);
      if (!fs.existsSync(f)) throw new Error(`${f}: missing`);
      if (sha256(f) !== want) throw new Error(`${f}: its SHA-256 differs from the one recorded in state.json (the file changed after it was written)`);
    }
    checkTensorFiles(path.join(dir, "model"));
    checkTensorFiles(path.join(dir, "optimizer"));
    History.load(path.join(dir, "history.csv"), config.numLatents, { step: state.step, historyEvery: config.historyEvery, steps: config.steps });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Reads the checkpoint in `dir` after checking every file (checkpointProblem); throws, saying what is damaged. */
export function readCheckpoint(dir: string, config: Pick<TrainConfig, "numLatents" | "historyEvery" | "steps">): LoadedCheckpoint {
  const problem = checkpointProblem(dir, config);
  if (problem !== undefined) throw new Error(problem);
  const state = readJson<CheckpointState>(path.join(dir, "state.json"));
  const history = History.load(path.join(dir, "history.csv"), config.numLatents, { step: state.step, historyEvery: config.historyEvery, steps: config.steps });
  const weights = loadTensors(path.join(dir, "model"));
  try {
    return { dir, state, weights, optimizer: loadTensors(path.join(dir, "optimizer")), history };
  } catch (err) {
    tf.dispose(Object.values(weights));
    throw err;
  }
}

/**
 * The newest intact checkpoint of a partial run, and the newer ones that are damaged (each with what
 * is wrong); undefined when there is no checkpoint. `intact` is undefined when every one is damaged.
 */
export function newestIntactCheckpoint(
  partialDir: string,
  config: Pick<TrainConfig, "numLatents" | "historyEvery" | "steps">,
): { intact?: { step: number; dir: string }; damaged: { step: number; dir: string; problem: string }[] } | undefined {
  const all = checkpointDirs(partialDir);
  if (all.length === 0) return undefined;
  const damaged: { step: number; dir: string; problem: string }[] = [];
  for (const ck of [...all].reverse()) {
    const problem = checkpointProblem(ck.dir, config);
    if (problem === undefined) return { intact: ck, damaged };
    damaged.push({ ...ck, problem });
  }
  return { damaged };
}

/** Moves a damaged checkpoint aside (ckpt-<step>.damaged): kept for inspection, never used or written over. */
export function setAsideCheckpoint(dir: string): string {
  let to = `${dir}.damaged`;
  if (fs.existsSync(to)) to = `${dir}.damaged-${Date.now()}`;
  fs.renameSync(dir, to);
  return to;
}

/** Applies a checkpoint read by readCheckpoint to the trainer (weights, Adam state, history, step). */
export function applyCheckpoint(trainer: Trainer, ck: LoadedCheckpoint): CheckpointState {
  const { state, dir } = ck;
  try {
    if (state.datasetSource !== trainer.dataset.source) {
      throw new Error(`${dir}: trained on ${trainer.dataset.name} from "${state.datasetSource}", now "${trainer.dataset.source}"; not resuming on different data`);
    }
    // Names and shapes are checked for every tensor before any is assigned.
    for (const v of trainer.model.variables) {
      const t = ck.weights[v.name];
      if (!t) throw new Error(`${dir}: missing weight "${v.name}"`);
      if (t.shape.join("x") !== v.variable.shape.join("x")) throw new Error(`${dir}: weight "${v.name}" has shape [${t.shape}], the model expects [${v.variable.shape}]`);
    }
    for (const { name, tensor } of trainer.optimizer.stateTensors()) {
      const t = ck.optimizer[name];
      if (!t || t.shape.join("x") !== tensor.shape.join("x")) throw new Error(`${dir}: optimizer state "${name}" is missing or has another shape`);
    }
    assignWeights(trainer, { ...ck.weights }, dir);
    trainer.optimizer.restore(state.adamT, ck.optimizer);
  } finally {
    tf.dispose([...Object.values(ck.weights), ...Object.values(ck.optimizer)]);
  }
  trainer.history = ck.history;
  trainer.step = state.step;
  trainer.secondsBefore = state.seconds;
  return state;
}

export function restoreCheckpoint(trainer: Trainer, dir: string): CheckpointState {
  return applyCheckpoint(trainer, readCheckpoint(dir, trainer.config));
}
