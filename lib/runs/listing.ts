/** Every run folder under the runs folder, complete and partial, without loading any (`bvae runs`). */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TrainConfig } from "../train/config";
import { latestCheckpoint } from "../train/checkpoint";
import { readJson } from "../train/files";
import { listSnapshots } from "../train/snapshots";
import { lockOwner } from "./lock";
import { runsDir, type RunsDirOption } from "./run";
import { checkpointScoreSteps, METRICS_FILE } from "./score-files";

export interface RunListing {
  readonly name: string;
  readonly dir: string;
  readonly status: "complete" | "partial" | "running";
  readonly config?: TrainConfig;
  /** Steps done (complete: all; partial: last checkpoint's step, 0 if none yet). */
  readonly step: number;
  readonly steps?: number;
  /** The process training it (running), and its host when not this one (a lock this host cannot check). */
  readonly pid?: number;
  readonly host?: string;
  /** Steps of the weight snapshots it keeps (5/10/25/50% of training). */
  readonly snapshots: readonly number[];
  /** Steps whose disentanglement scores are stored with it (any protocol): checkpoints, snapshots, the final weights. */
  readonly scored: readonly number[];
}

/** Every run folder under the runs directory, complete and partial. */
export function listRuns(options: RunsDirOption = {}): RunListing[] {
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
      const held = lockOwner(dir);
      out.push({
        name: n, dir, status: held ? "running" : "partial", config, step: latestCheckpoint(dir)?.step ?? 0, steps: config?.steps,
        pid: held?.owner.pid, ...(held?.state === "elsewhere" ? { host: held.owner.host } : {}), snapshots: listSnapshots(dir), scored: checkpointScoreSteps(dir),
      });
    }
  }
  return out;
}
