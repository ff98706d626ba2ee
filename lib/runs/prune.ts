/**
 * One checkpoint per partial run (`bvae runs --prune`): each run keeps its newest intact checkpoint,
 * which is all a resume needs, and loses the older ones (the trainer keeps two, in case the newest is
 * damaged). Before a long run's checkpoint is committed or archived, so that a repository holds one
 * per run. Refused, changing nothing, while any partial run is being trained; a run with a damaged
 * checkpoint is left as it is (the resume sets the damaged one aside and falls back to an older one).
 * A removed checkpoint the run was scored at (a metrics-step-<step>.json beside it: a stage a notebook
 * showed) keeps its weights as the snapshot of that step, so the stage's traversals can still be drawn;
 * in git they are the same bytes as the checkpoint's weights committed before, so they cost nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkpointDirs, type CheckpointDir } from "../train/checkpoint";
import { snapshotFromCheckpoint } from "../train/snapshots";
import { partialMetricsFile } from "./score-files";
import { dirBytes } from "../files";
import { listRuns } from "./listing";
import type { RunsDirOption } from "./run";

export interface PrunedRun {
  readonly name: string;
  /** The checkpoint kept (newest intact), or undefined when the run is left as it is. */
  readonly kept?: { readonly step: number; readonly dir: string; readonly bytes: number };
  readonly removed: readonly { readonly step: number; readonly dir: string; readonly bytes: number }[];
  /** Steps of removed checkpoints that were scored, whose weights were kept as snapshots. */
  readonly snapshots: readonly number[];
  /** Why the run was left as it is. */
  readonly skipped?: string;
}

export function pruneCheckpoints(options: RunsDirOption = {}): PrunedRun[] {
  const partial = listRuns(options).filter((r) => path.basename(path.dirname(r.dir)) === ".partial");
  const running = partial.filter((r) => r.status === "running");
  if (running.length) {
    const who = running.map((r) => `${r.name} (pid ${r.pid}${r.host ? ` on ${r.host}` : ""})`).join(", ");
    throw new Error(`bvae runs --prune: ${who} ${running.length === 1 ? "is" : "are"} being trained; stop ${running.length === 1 ? "it" : "them"} first (make stop-campaign), nothing was removed`);
  }
  return partial.map((r): PrunedRun => {
    if (r.status === "damaged" || r.problem) return { name: r.name, removed: [], snapshots: [], skipped: r.problem ?? "damaged" };
    const all = checkpointDirs(r.dir);
    const newest = all.find((c) => c.step === r.step);
    if (!newest) return { name: r.name, removed: [], snapshots: [], skipped: "no checkpoint yet" };
    const removed = all.filter((c) => c.step < newest.step).map((c) => ({ ...c, bytes: dirBytes(c.dir) }));
    const snapshots = removed.filter((c) => keepScoredWeights(r.dir, c)).map((c) => c.step);
    for (const c of removed) fs.rmSync(c.dir, { recursive: true, force: true });
    return { name: r.name, kept: { ...newest, bytes: dirBytes(newest.dir) }, removed, snapshots };
  });
}

/**
 * Before a checkpoint of a partial run is removed (by --prune, or by the trainer, which keeps two): when
 * the run was scored at its step (metrics-step-<step>.json), its weights become the snapshot of that
 * step. Returns whether a snapshot was written.
 */
export function keepScoredWeights(runDir: string, checkpoint: CheckpointDir): boolean {
  if (!fs.existsSync(path.join(runDir, partialMetricsFile(checkpoint.step)))) return false;
  return snapshotFromCheckpoint(runDir, checkpoint.step, checkpoint.dir);
}
