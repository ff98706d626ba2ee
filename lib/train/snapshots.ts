/**
 * Weight snapshots at fixed stages of a run (5%, 10%, 25% and 50% of its steps), kept with the
 * run so that notebooks can show traversals "at several stages of training" (Figure 3) from a
 * shipped run. Checkpoints are pruned; snapshots are not, and a checkpoint the run was scored at
 * (a stage a notebook showed) keeps its weights as a snapshot when it is removed
 * (snapshotFromCheckpoint, called by lib/runs' keepScoredWeights). A run folder holds them as
 * snapshots/step-<n>/weights.{json,bin}; the final weights are the last stage.
 */
import * as fs from "fs";
import * as path from "path";
import type { TrainConfig } from "./config";
import type { NamedVariable, VaeModel } from "../models/types";
import { buildModel } from "../models/vae";
import { saveTensors, loadTensors, writeDirAtomic, writeDirAtomicSync } from "./files";
import { assignWeights } from "./checkpoint";

/** Fractions of the run at which weights are kept. */
export const SNAPSHOT_FRACTIONS: readonly number[] = [0.05, 0.1, 0.25, 0.5];

/** The steps (counted in completed updates) at which a run of this config keeps a snapshot. */
export function snapshotSteps(config: Pick<TrainConfig, "steps">): number[] {
  const steps = SNAPSHOT_FRACTIONS.map((f) => Math.round(f * config.steps)).filter((s) => s >= 1 && s < config.steps);
  return [...new Set(steps)];
}

const SNAPSHOT_DIR = "snapshots";

/**
 * Saves the model's weights as the snapshot at `step` under a run's folder (partial or complete),
 * written under a temporary name and renamed: a run killed mid-write leaves no half snapshot.
 * An existing snapshot of that step is kept (a resumed run reaches the same weights).
 */
export async function writeSnapshot(runDir: string, step: number, variables: readonly NamedVariable[]): Promise<void> {
  const dir = path.join(runDir, SNAPSHOT_DIR, `step-${step}`);
  if (fs.existsSync(dir)) return;
  await writeDirAtomic(dir, (tmp) => saveTensors(path.join(tmp, "weights"), variables.map((v) => ({ name: v.name, tensor: v.variable }))));
}

/**
 * Keeps the weights of the checkpoint at `checkpointDir` (a ckpt-<step> folder) as the run's snapshot at
 * `step`, unless it has one: a checkpoint's model.{json,bin} are written by the same saveTensors, from
 * the same variables, as a snapshot's weights.{json,bin}, so they are copied byte for byte (under a
 * temporary name, then renamed). Returns whether a snapshot was written.
 */
export function snapshotFromCheckpoint(runDir: string, step: number, checkpointDir: string): boolean {
  const dir = path.join(runDir, SNAPSHOT_DIR, `step-${step}`);
  if (fs.existsSync(dir)) return false;
  for (const ext of ["json", "bin"]) {
    const file = path.join(checkpointDir, `model.${ext}`);
    if (!fs.existsSync(file)) throw new Error(`${checkpointDir}: no model.${ext}, so no snapshot of step ${step} can be kept`);
  }
  writeDirAtomicSync(dir, (tmp) => {
    for (const ext of ["json", "bin"]) fs.copyFileSync(path.join(checkpointDir, `model.${ext}`), path.join(tmp, `weights.${ext}`));
  });
  return true;
}

/** The snapshot steps present in a run folder, ascending. */
export function listSnapshots(runDir: string): number[] {
  const dir = path.join(runDir, SNAPSHOT_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((d) => /^step-(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null && fs.existsSync(path.join(dir, m[0], "weights.json")))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Copies a partial run's snapshots (not a killed writer's temporary folders) into the folder that becomes the complete run. */
export function copySnapshots(fromRunDir: string, toRunDir: string): void {
  for (const step of listSnapshots(fromRunDir)) {
    const name = `step-${step}`;
    fs.cpSync(path.join(fromRunDir, SNAPSHOT_DIR, name), path.join(toRunDir, SNAPSHOT_DIR, name), { recursive: true });
  }
}

/** A model with the weights of the snapshot at `step` (the caller disposes it). */
export function loadSnapshotModel(runDir: string, step: number, like: VaeModel): VaeModel {
  const base = path.join(runDir, SNAPSHOT_DIR, `step-${step}`, "weights");
  if (!fs.existsSync(`${base}.json`)) throw new Error(`${runDir}: no snapshot at step ${step} (have ${listSnapshots(runDir).join(", ") || "none"})`);
  const model = buildModel(like.config);
  assignWeights({ model }, loadTensors(base), base);
  return model;
}
