/**
 * `bvae sweep slurm FILE` (one job array of the runs not complete, submitted with sbatch) and
 * `bvae sweep status FILE` (each run's progress beside its array task's state from squeue / sacct).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { intFlag, stringFlag, type ParsedArgs } from "./command";
import { projectRoot, writeFileAtomic } from "../lib/files";
import { runsDir } from "../lib/runs";
import {
  countStates, sweepStatus, estimateSweep, formatHours, parseSlurmResources, parseSbatchOutput, readSubmissions, recordSubmission, requireOnPath, sbatchScript,
  slurmCommand, slurmTime, sweepFolder, taskStates, type RunStatus, type SlurmResources, type Submission, type TaskState,
} from "../lib/sweep";
import { columns, describeState, shownPath, sweepArgs, sweepHeader, sweepSpeeds } from "./sweep-common";

/** States of an array task that still holds (or will hold) its run. */
const LIVE = new Set(["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT"]);

/** The file's slurm section with the flags on top (each flag checked like the file's field). */
function resourcesFromFlags(args: ParsedArgs, file: SlurmResources): SlurmResources {
  const flags: Record<string, unknown> = {
    time: stringFlag(args, "time"),
    cpusPerTask: intFlag(args, "cpus"),
    mem: stringFlag(args, "mem"),
    partition: stringFlag(args, "partition"),
    account: stringFlag(args, "account"),
    qos: stringFlag(args, "qos"),
    maxParallel: intFlag(args, "max-parallel"),
  };
  for (const k of Object.keys(flags)) if (flags[k] === undefined) delete flags[k];
  const extra = stringFlag(args, "sbatch-arg");
  const checked = parseSlurmResources({ ...flags, ...(extra !== undefined ? { extraArgs: [extra] } : {}) }, "flags", "--");
  return { ...file, ...checked, extraArgs: [...(file.extraArgs ?? []), ...(checked.extraArgs ?? [])] };
}

/** Runs of the sweep that a task of an earlier submission still holds (queued or running). */
function queuedRuns(submissions: readonly Submission[], notes: string[]): Map<string, string> {
  const held = new Map<string, string>();
  for (const s of submissions) {
    const { states, notes: n } = taskStates(s.jobId);
    notes.push(...n);
    for (const t of states) {
      const name = s.tasks[String(t.index)];
      if (name && LIVE.has(t.state)) held.set(name, `${t.jobId}_${t.index} ${t.state}`);
    }
  }
  return held;
}

export async function sweepSlurm(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const root = runsDir();
  const folder = sweepFolder(root, sweep.spec.name);
  const dryRun = args.flags["dry-run"] === true;
  const statuses = sweepStatus(sweep);
  for (const l of sweepHeader(sweep)) console.log(l);
  const notes: string[] = [];
  const held = dryRun ? new Map<string, string>() : queuedRuns(readSubmissions(folder), notes);
  const todo: RunStatus[] = [];
  for (const r of statuses) {
    if (r.state === "complete") continue;
    if (r.state === "running") console.log(`[sweep] ${r.name} is being trained on this machine by process ${r.pid}; left out`);
    else if (held.has(r.name)) console.log(`[sweep] ${r.name} is already in Slurm (${held.get(r.name)}); left out`);
    else todo.push(r);
  }
  for (const n of notes) console.log(`[sweep] note: ${n}`);
  if (todo.length === 0) {
    console.log(`[sweep] nothing to submit: ${countStates(statuses).complete} of ${sweep.runs.length} runs complete, the rest running or queued`);
    return 0;
  }
  let resources = resourcesFromFlags(args, sweep.spec.slurm);
  if (!resources.time) {
    // No limit given: twice the longest run's measured training time, at least 10 minutes.
    const speeds = await sweepSpeeds(todo, false, (l) => console.error(l));
    const est = estimateSweep(todo, speeds);
    if (est.unknown.length) throw new Error(`no time limit (slurm.time in ${sweep.spec.file}, or --time) and no speed to derive one for ${est.unknown.join(", ")}`);
    const seconds = Math.max(600, 2 * est.longestRun);
    resources = { ...resources, time: slurmTime(seconds) };
    console.log(`[sweep] time limit per task ${resources.time}: twice the longest run's ${formatHours(est.longestRun)} at the speed measured here, at least 10 min (set slurm.time in the file or --time)`);
  }
  // sweep-<UTC time>[-n]: a new name for every submission (two in the same second included).
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let base = path.join(folder, `sweep-${stamp}`);
  for (let n = 2; fs.existsSync(`${base}.sbatch`) || fs.existsSync(`${base}.json`); n++) base = path.join(folder, `sweep-${stamp}-${n}`);
  const script = sbatchScript({
    sweepName: sweep.spec.name,
    sweepFile: `${base}.json`,
    tasks: todo.map((r) => ({ index: r.index, name: r.name })),
    runsDir: root,
    projectRoot: projectRoot(),
    node: stringFlag(args, "node") ?? process.execPath,
    resources,
    logDir: folder,
  });
  console.log(`[sweep] ${todo.length} run(s) to submit: ${todo.map((r) => r.index).join(", ")}`);
  if (dryRun) {
    console.log(script);
    return 0;
  }
  requireOnPath("sbatch");
  // The tasks read a frozen copy of the sweep file: editing the file later changes no queued task.
  // With its name written in (a copy's file name would otherwise become the default name).
  const original = JSON.parse(fs.readFileSync(sweep.spec.file, "utf8")) as Record<string, unknown>;
  writeFileAtomic(`${base}.json`, JSON.stringify({ ...original, name: sweep.spec.name }, null, 2) + "\n");
  writeFileAtomic(`${base}.sbatch`, script);
  let jobId: string;
  try {
    const r = slurmCommand("sbatch", ["--parsable", `${base}.sbatch`]);
    if (r.code !== 0) throw new Error(`sbatch failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    jobId = parseSbatchOutput(r.stdout);
  } catch (err) {
    // Nothing was submitted: no script is left that looks like a submission (--dry-run prints it).
    fs.rmSync(`${base}.sbatch`, { force: true });
    fs.rmSync(`${base}.json`, { force: true });
    throw err;
  }
  recordSubmission(folder, sweep.spec.name, {
    jobId, submittedAt: new Date().toISOString(), script: `${base}.sbatch`, sweepFile: `${base}.json`, logDir: folder,
    tasks: Object.fromEntries(todo.map((t) => [String(t.index), t.name])),
  });
  console.log(`[sweep] submitted job ${jobId} (array ${todo.map((t) => t.index).join(",")}); logs ${path.join(folder, `slurm-${jobId}_<index>.out`)}`);
  console.log(`[sweep] follow it with: bvae sweep status ${shownPath(sweep.spec.file)}`);
  console.log(jobId);
  return 0;
}

export interface StatusRow {
  readonly index: number;
  readonly setting: string;
  readonly seed: number;
  readonly name: string;
  readonly state: RunStatus["state"];
  readonly step: number;
  readonly steps: number;
  /** The newest submission that has this run, and its task's state (when Slurm knows it). */
  readonly slurm?: { readonly jobId: string; readonly state?: string; readonly elapsed?: string; readonly node?: string; readonly reason?: string; readonly source?: string; readonly log: string };
}

export async function sweepStatusCommand(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const folder = sweepFolder(runsDir(), sweep.spec.name);
  const statuses = sweepStatus(sweep);
  const submissions = readSubmissions(folder);
  const notes: string[] = [];
  const states = new Map<string, TaskState[]>();
  for (const s of submissions) {
    try {
      const t = taskStates(s.jobId);
      states.set(s.jobId, t.states);
      notes.push(...t.notes);
    } catch (err) {
      notes.push(err instanceof Error ? err.message : String(err));
      break;
    }
  }
  const rows: StatusRow[] = statuses.map((r) => {
    const sub = [...submissions].reverse().find((s) => Object.values(s.tasks).includes(r.name));
    const entry = sub ? Object.entries(sub.tasks).find(([, name]) => name === r.name) : undefined;
    const index = entry ? Number(entry[0]) : undefined;
    const task = sub && index !== undefined ? states.get(sub.jobId)?.find((t) => t.index === index) : undefined;
    return {
      index: r.index, setting: r.setting.label, seed: r.seed, name: r.name, state: r.state, step: r.step, steps: r.config.steps,
      ...(sub && index !== undefined ? {
        slurm: {
          jobId: sub.jobId, log: path.join(sub.logDir, `slurm-${sub.jobId}_${index}.out`),
          ...(task ? { state: task.state, elapsed: task.elapsed, node: task.node, reason: task.reason, source: task.source } : {}),
        },
      } : {}),
    };
  });
  const counts = countStates(statuses);
  if (args.flags.json) {
    console.log(JSON.stringify({ sweep: sweep.spec.name, runsDir: runsDir(), counts, submissions: submissions.map((s) => ({ jobId: s.jobId, submittedAt: s.submittedAt, tasks: Object.keys(s.tasks).length })), runs: rows, notes }, null, 2));
    return 0;
  }
  for (const l of sweepHeader(sweep)) console.log(l);
  if (submissions.length === 0) console.log("no Slurm submission of this sweep yet (bvae sweep slurm FILE)");
  else console.log(`Slurm jobs: ${submissions.map((s) => `${s.jobId} (${Object.keys(s.tasks).length} tasks, ${s.submittedAt})`).join("; ")}`);
  const slurmCell = (r: StatusRow) => {
    const s = r.slurm;
    if (!s) return "-";
    if (!s.state) return `${s.jobId}_${r.index} not known to Slurm any more${fs.existsSync(s.log) ? "" : ", no log"}`;
    const where = s.state === "PENDING" ? (s.reason && s.reason !== "None" ? ` (${s.reason})` : "") : s.node ? ` on ${s.node}` : "";
    return `${s.jobId}_${r.index} ${s.state} ${s.elapsed ?? ""}${where}`.replace(/\s+/g, " ").trim();
  };
  const table = [["index", "setting", "seed", "run", "run state", "Slurm task", "log"], ...rows.map((r, i) => [
    String(r.index), r.setting, String(r.seed), r.name, describeState(statuses[i]), slurmCell(r), r.slurm ? shownPath(r.slurm.log) : "",
  ])];
  for (const l of columns(table)) console.log(l);
  console.log(`${sweep.runs.length} runs: ${counts.complete} complete, ${counts.running} running here, ${counts.partial} partial, ${counts.damaged} damaged, ${counts.missing} missing`);
  for (const n of notes) console.log(`note: ${n}`);
  return 0;
}
