/**
 * Checkpoints of a run in progress: `<partialDir>/ckpt-<step>/` holding the weights, the Adam
 * state (step count and moments), the history so far and state.json. The random state needs no
 * saving: data order and noise are functions of (seed, step) (./batches). Each checkpoint is
 * written to a temporary folder and renamed, so a checkpoint folder is complete or absent; the
 * two most recent are kept.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadTensors, readJson, removeDir, saveTensors, tempSibling, writeJson } from "./files";
import { History } from "./history";
import type { Trainer } from "./trainer";

export interface CheckpointState {
  /** Updates done (the next update's index). */
  readonly step: number;
  /** Adam's update count (equal to step). */
  readonly adamT: number;
  /** Training seconds so far, across sessions. */
  readonly seconds: number;
  readonly backend: string;
  /** The dataset's source ("generated" or a file path): resuming on another source is refused. */
  readonly datasetSource: string;
  readonly savedAt: string;
}

const PREFIX = "ckpt-";

export function checkpointDirs(partialDir: string): { step: number; dir: string }[] {
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

/** Verifies that all weights are finite before they are written (a checkpoint is always good). */
function assertFinite(trainer: Trainer): void {
  const bad = trainer.model.variables.find((v) => tf.tidy(() => !tf.all(tf.isFinite(v.variable)).dataSync()[0]));
  if (bad) throw new Error(`refusing to checkpoint step ${trainer.step}: weight ${bad.name} is not finite`);
}

export async function writeCheckpoint(trainer: Trainer, partialDir: string, keep = 2): Promise<string> {
  assertFinite(trainer);
  const final = path.join(partialDir, `${PREFIX}${String(trainer.step).padStart(9, "0")}`);
  if (fs.existsSync(final)) return final; // already written for this step (same deterministic state)
  const tmp = tempSibling(final);
  fs.mkdirSync(tmp, { recursive: true });
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
  };
  writeJson(path.join(tmp, "state.json"), state);
  fs.renameSync(tmp, final);
  const all = checkpointDirs(partialDir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) removeDir(old.dir);
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

export function restoreCheckpoint(trainer: Trainer, dir: string): CheckpointState {
  const state = readJson<CheckpointState>(path.join(dir, "state.json"));
  if (state.datasetSource !== trainer.dataset.source) {
    throw new Error(`${dir}: trained on ${trainer.dataset.name} from "${state.datasetSource}", now "${trainer.dataset.source}"; not resuming on different data`);
  }
  assignWeights(trainer, loadTensors(path.join(dir, "model")), dir);
  const opt = loadTensors(path.join(dir, "optimizer"));
  try {
    trainer.optimizer.restore(state.adamT, opt);
  } finally {
    tf.dispose(Object.values(opt));
  }
  const { numLatents, historyEvery, steps } = trainer.config;
  trainer.history = History.load(path.join(dir, "history.csv"), numLatents, { step: state.step, historyEvery, steps });
  trainer.step = state.step;
  trainer.secondsBefore = state.seconds;
  return state;
}
