/**
 * Every run folder under the runs folder, complete and partial, without loading any (`bvae runs`).
 * A damaged folder (unreadable config.json or summary.json, every checkpoint damaged) is listed as
 * such with what is wrong: one damaged run never hides the others.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateConfig, type TrainConfig } from "../train/config";
import { latestCheckpoint, newestIntactCheckpoint } from "../train/checkpoint";
import { readJson } from "../train/files";
import { listSnapshots } from "../train/snapshots";
import { lockOwner } from "./lock";
import { readRunSummary, runsDir, type RunSummary, type RunsDirOption } from "./run";
import { checkpointScoreSteps, METRICS_FILE } from "./score-files";

export interface RunListing {
  readonly name: string;
  readonly dir: string;
  /** damaged: the folder cannot be used as it is (`problem` says why). */
  readonly status: "complete" | "partial" | "running" | "damaged";
  readonly config?: TrainConfig;
  /** A complete run's summary.json. */
  readonly summary?: RunSummary;
  /** Steps done (complete: all; partial: newest intact checkpoint's step, 0 if none yet). */
  readonly step: number;
  readonly steps?: number;
  /** The process training it (running), and its host when not this one (a lock this host cannot check). */
  readonly pid?: number;
  readonly host?: string;
  /** Steps of the weight snapshots it keeps (5/10/25/50% of training). */
  readonly snapshots: readonly number[];
  /** Steps whose disentanglement scores are stored with it (any protocol): checkpoints, snapshots, the final weights. */
  readonly scored: readonly number[];
  /** What is wrong: why it is damaged, or which newer checkpoints are damaged (the step is then the newest intact one's). */
  readonly problem?: string;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function completeRun(n: string, dir: string): RunListing {
  const snapshots = listSnapshots(dir);
  const scored = checkpointScoreSteps(dir);
  try {
    const config = validateConfig(readJson<TrainConfig>(path.join(dir, "config.json")));
    const summary = readRunSummary(dir);
    if (!summary.final || typeof summary.seconds !== "number") throw new Error(`${path.join(dir, "summary.json")}: lacks its final terms or seconds`);
    if (fs.existsSync(path.join(dir, METRICS_FILE))) scored.push(config.steps);
    return { name: n, dir, status: "complete", config, summary, step: config.steps, steps: config.steps, snapshots, scored };
  } catch (err) {
    return { name: n, dir, status: "damaged", step: 0, snapshots, scored, problem: message(err) };
  }
}

function partialRun(n: string, dir: string): RunListing {
  const snapshots = listSnapshots(dir);
  const scored = checkpointScoreSteps(dir);
  const held = lockOwner(dir);
  const running = { status: held ? ("running" as const) : ("partial" as const), pid: held?.owner.pid, ...(held?.state === "elsewhere" ? { host: held.owner.host } : {}) };
  let config: TrainConfig;
  try {
    config = readJson<TrainConfig>(path.join(dir, "config.json"));
    if (config === null || typeof config !== "object") throw new Error(`${path.join(dir, "config.json")}: not a config (a JSON object)`);
  } catch (err) {
    return { name: n, dir, ...running, status: "damaged", step: latestCheckpoint(dir)?.step ?? 0, snapshots, scored, problem: message(err) };
  }
  // Checkpoints are checked against the config's history spacing; without it, the newest is listed unchecked.
  const checkable = [config.numLatents, config.historyEvery, config.steps].every((v) => typeof v === "number");
  const newest = latestCheckpoint(dir);
  const found = checkable ? newestIntactCheckpoint(dir, config) : newest && { intact: newest, damaged: [] };
  const damaged = found?.damaged ?? [];
  const problem = damaged.length ? damaged.map((d) => `checkpoint ${path.basename(d.dir)} is damaged: ${d.problem}`).join("; ") : undefined;
  if (found && !found.intact) return { name: n, dir, ...running, status: "damaged", config, step: 0, steps: config.steps, snapshots, scored, problem: `every checkpoint is damaged: ${problem}` };
  return { name: n, dir, ...running, config, step: found?.intact?.step ?? 0, steps: config.steps, snapshots, scored, ...(problem ? { problem } : {}) };
}

/** Every run folder under the runs directory, complete and partial (a folder with config.json or summary.json). */
export function listRuns(options: RunsDirOption = {}): RunListing[] {
  const root = runsDir(options);
  const out: RunListing[] = [];
  if (!fs.existsSync(root)) return out;
  for (const n of fs.readdirSync(root).sort()) {
    const dir = path.join(root, n);
    if (n.startsWith(".") || !fs.statSync(dir).isDirectory()) continue;
    if (fs.existsSync(path.join(dir, "summary.json")) || fs.existsSync(path.join(dir, "config.json"))) out.push(completeRun(n, dir));
  }
  const partialRoot = path.join(root, ".partial");
  if (fs.existsSync(partialRoot)) {
    for (const n of fs.readdirSync(partialRoot).sort()) {
      const dir = path.join(partialRoot, n);
      if (n.startsWith(".") || !fs.statSync(dir).isDirectory()) continue;
      out.push(partialRun(n, dir));
    }
  }
  return out;
}
