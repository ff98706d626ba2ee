/**
 * A sweep on a Slurm cluster: one job array whose task i trains run i of the sweep
 * (`bvae sweep task <copy of the sweep file> --index i`) into a shared runs folder.
 *
 *   <runs>/.sweeps/<name>/sweep-<time>.json      the sweep file as submitted (tasks read this copy,
 *                                                so editing the file later changes no task's run)
 *   <runs>/.sweeps/<name>/sweep-<time>.sbatch    the array script
 *   <runs>/.sweeps/<name>/slurm-<job>_<task>.out each task's log
 *   <runs>/.sweeps/<name>/submissions.json       every submission: job id, script, index -> run
 *
 * The runs folder and this checkout must be visible at the same paths on every node (a shared
 * file system), as on any cluster. Slurm does the scheduling; this file only writes the script,
 * calls sbatch / squeue / sacct and reads their answers.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../files";
import type { SlurmResources } from "./spec";

export const SUBMISSIONS_FORMAT = "bvae-sweep-submissions-1";

/** Where a sweep's Slurm scripts, logs and submission records live: <runs>/.sweeps/<name>/. */
export function sweepFolder(runsRoot: string, name: string): string {
  return path.join(path.resolve(runsRoot), ".sweeps", name);
}

export interface SbatchScriptOptions {
  readonly sweepName: string;
  /** The frozen copy of the sweep file the tasks read (absolute). */
  readonly sweepFile: string;
  /** Array index -> run name, the runs to train (the task checks the name before training). */
  readonly tasks: ReadonlyArray<{ readonly index: number; readonly name: string }>;
  readonly runsDir: string;
  /** The project checkout (absolute): bin/bvae.js is run from there. */
  readonly projectRoot: string;
  /** The node executable (absolute, or a name on the nodes' PATH). */
  readonly node: string;
  readonly resources: SlurmResources;
  /** Folder of the tasks' logs. */
  readonly logDir: string;
}

/** Single-quotes a word for bash. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** sbatch's --array value: the indices, with ranges folded ("0-3,7,9-10"), throttled by %N. */
export function arraySpec(indices: readonly number[], maxParallel?: number): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("arraySpec: no task");
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",") + (maxParallel ? `%${maxParallel}` : "");
}

/** The time limit sbatch takes ("D-HH:MM:SS" or "HH:MM:SS"), rounded up to whole minutes. */
export function slurmTime(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const hms = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00`;
  return d > 0 ? `${d}-${hms}` : hms;
}

/** The array job's script. Each task runs `bvae sweep task` for its index, checking the run's name. */
export function sbatchScript(o: SbatchScriptOptions): string {
  const r = o.resources;
  const directives = [
    `--job-name=bvae-${o.sweepName}`,
    `--array=${arraySpec(o.tasks.map((t) => t.index), r.maxParallel)}`,
    `--output=${path.join(o.logDir, "slurm-%A_%a.out")}`,
    `--cpus-per-task=${r.cpusPerTask ?? 1}`,
    ...(r.time ? [`--time=${r.time}`] : []),
    ...(r.mem ? [`--mem=${r.mem}`] : []),
    ...(r.partition ? [`--partition=${r.partition}`] : []),
    ...(r.account ? [`--account=${r.account}`] : []),
    ...(r.qos ? [`--qos=${r.qos}`] : []),
    ...(r.extraArgs ?? []),
  ];
  for (const d of directives) if (/[\n\r]/.test(d)) throw new Error(`sbatch option ${JSON.stringify(d)} spans lines`);
  const runs = o.tasks.map((t) => `[${t.index}]=${shellQuote(t.name)}`).join(" ");
  return [
    "#!/bin/bash",
    `# bvae sweep ${o.sweepName}: ${o.tasks.length} run(s) of ${o.sweepFile}, written by \`bvae sweep slurm\`.`,
    "# Array task i trains run i of the sweep into the shared runs folder; resubmitting resumes or skips runs.",
    ...directives.map((d) => `#SBATCH ${d}`),
    "set -euo pipefail",
    `export BVAE_RUNS_DIR=${shellQuote(path.resolve(o.runsDir))}`,
    `RUNS=(${runs})`,
    `cd ${shellQuote(o.projectRoot)}`,
    'echo "[bvae] $(date -u +%FT%TZ) host $(hostname) job ${SLURM_ARRAY_JOB_ID:-?} task ${SLURM_ARRAY_TASK_ID}: ${RUNS[$SLURM_ARRAY_TASK_ID]}"',
    // exec: Slurm's SIGTERM at the time limit reaches node, which checkpoints before it exits.
    `exec ${shellQuote(o.node)} ${shellQuote(path.join(o.projectRoot, "bin", "bvae.js"))} sweep task ${shellQuote(o.sweepFile)} --index "$SLURM_ARRAY_TASK_ID" --expect "\${RUNS[$SLURM_ARRAY_TASK_ID]}"`,
    "",
  ].join("\n");
}

/** One submitted array job. */
export interface Submission {
  readonly jobId: string;
  readonly submittedAt: string;
  readonly script: string;
  readonly sweepFile: string;
  readonly logDir: string;
  /** Array index (as a string, JSON's keys) -> run name. */
  readonly tasks: Readonly<Record<string, string>>;
}

export interface SubmissionsFile {
  readonly format: string;
  readonly sweep: string;
  readonly submissions: readonly Submission[];
}

export function readSubmissions(folder: string): Submission[] {
  const file = path.join(folder, "submissions.json");
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as SubmissionsFile;
  if (parsed.format !== SUBMISSIONS_FORMAT) throw new Error(`${file}: format "${parsed.format}", expected "${SUBMISSIONS_FORMAT}"`);
  return [...parsed.submissions];
}

export function recordSubmission(folder: string, sweep: string, s: Submission): void {
  const all = [...readSubmissions(folder), s];
  const file: SubmissionsFile = { format: SUBMISSIONS_FORMAT, sweep, submissions: all };
  writeFileAtomic(path.join(folder, "submissions.json"), JSON.stringify(file, null, 2) + "\n");
}

/** The job id in `sbatch --parsable`'s answer ("123" or "123;cluster"). */
export function parseSbatchOutput(stdout: string): string {
  const line = stdout.trim().split("\n").pop() ?? "";
  const id = line.split(";")[0];
  if (!/^\d+$/.test(id)) throw new Error(`sbatch answered ${JSON.stringify(stdout.trim())}; expected a job id`);
  return id;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const NOT_ON_PATH = "this needs a Slurm client (run it on the cluster's login node; on one Debian machine, scripts/slurm-local.sh start sets up a one-node Slurm)";

/** Throws, saying what is needed, unless `cmd` is an executable file on PATH. */
export function requireOnPath(cmd: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return;
    } catch {
      // not here
    }
  }
  throw new Error(`${cmd} is not on PATH: ${NOT_ON_PATH}`);
}

/** Runs a Slurm command; a missing command is an error saying so (the caller says what it needed it for). */
export function slurmCommand(cmd: "sbatch" | "squeue" | "sacct" | "scancel", args: readonly string[]): CommandResult {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new Error(`${cmd} is not on PATH: ${NOT_ON_PATH}`);
    throw new Error(`${cmd}: ${r.error.message}`);
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** One array task's state as Slurm reports it. */
export interface TaskState {
  readonly jobId: string;
  /** The array index (undefined for a pending range line squeue did not expand). */
  readonly index: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, ... */
  readonly state: string;
  readonly elapsed: string;
  readonly node: string;
  readonly reason: string;
  readonly source: "squeue" | "sacct";
}

/** The format `taskStates` asks squeue for. */
export const SQUEUE_FORMAT = "%i|%T|%M|%N|%r";

/** Parses `squeue -h -r -o "%i|%T|%M|%N|%r"` lines ("123_4|RUNNING|1:02|node1|None"). */
export function parseSqueue(stdout: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of stdout.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [id, state, elapsed, node, reason] = line.split("|");
    const m = /^(\d+)_(\d+)$/.exec(id ?? "");
    if (!m) continue; // not an array task line
    out.push({ jobId: m[1], index: Number(m[2]), state: state ?? "?", elapsed: elapsed ?? "", node: node ?? "", reason: reason ?? "", source: "squeue" });
  }
  return out;
}

/** Parses `sacct -n -P -X -o JobID,State,Elapsed,NodeList,ExitCode` lines ("123_4|COMPLETED|00:01:02|node1|0:0"). */
export function parseSacct(stdout: string): TaskState[] {
  const out: TaskState[] = [];
  for (const line of stdout.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [id, state, elapsed, node, exit] = line.split("|");
    const m = /^(\d+)_(\d+)$/.exec(id ?? "");
    if (!m) continue;
    out.push({ jobId: m[1], index: Number(m[2]), state: (state ?? "?").split(" ")[0], elapsed: elapsed ?? "", node: node ?? "", reason: exit ? `exit ${exit}` : "", source: "sacct" });
  }
  return out;
}

/**
 * The states of a job's array tasks: squeue first (pending, running, and finished ones the
 * controller still remembers), then sacct for the rest when accounting is enabled. `notes` says
 * what could not be asked (e.g. "sacct: accounting storage is disabled").
 */
export function taskStates(jobId: string): { states: TaskState[]; notes: string[] } {
  const notes: string[] = [];
  const q = slurmCommand("squeue", ["-h", "-r", "--states=all", "-j", jobId, "-o", SQUEUE_FORMAT]);
  const states = q.code === 0 ? parseSqueue(q.stdout) : [];
  if (q.code !== 0 && !/Invalid job id/i.test(q.stderr)) notes.push(`squeue -j ${jobId}: ${q.stderr.trim().split("\n")[0]}`);
  let a: CommandResult;
  try {
    a = slurmCommand("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,Elapsed,NodeList,ExitCode"]);
  } catch (err) {
    a = { code: 127, stdout: "", stderr: err instanceof Error ? err.message : String(err) };
  }
  if (a.code === 0) {
    for (const s of parseSacct(a.stdout)) if (!states.some((x) => x.index === s.index)) states.push(s);
  } else notes.push(`sacct -j ${jobId}: ${(a.stderr.trim() || a.stdout.trim()).split("\n")[0]}`);
  return { states: states.sort((x, y) => x.index - y.index), notes };
}
