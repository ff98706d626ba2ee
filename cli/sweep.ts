/**
 * `bvae sweep`: sweeps over seeds and hyperparameters (issue 21). A sweep file (lib/sweep/spec.ts)
 * expands into ordinary runs (same folders and keys as `bvae train`); this command plans them,
 * trains the missing ones here side by side or on Slurm as one job array, follows them and scores
 * them. plan / run / task live here; slurm and status in ./sweep-slurm.ts; report in ./sweep-report.ts.
 */
import * as os from "node:os";
import type { Command } from "./command";
import { intFlag, numberFlag, parseArgs, positiveFlag, positiveIntFlag, stringFlag, untilInterrupted, type ParsedArgs } from "./command";
import { PROFILE_SETTINGS } from "../lib/train";
import { runsDir } from "../lib/runs";
import {
  countStates, sweepStatus, runSideBySide, estimateSweep, formatHours, speedKey, wallSeconds, OVERRIDE_KEYS, type RunStatus, type Speed, type SweepEstimate,
} from "../lib/sweep";
import { columns, describeState, jobsFlag, sweepArgs, sweepHeader, sweepSpeeds } from "./sweep-common";
import { sweepReport } from "./sweep-report";
import { sweepSlurm, sweepStatusCommand } from "./sweep-slurm";

export const SWEEP_USAGE = `Usage: bvae sweep <subcommand> FILE [options]

A sweep file (JSON) names one preset at one profile, a grid of overrides and the seeds; its runs are
ordinary run folders (the same names and keys \`bvae train\` gives the same config), so \`bvae runs\`,
\`bvae eval\` and the notebooks see them. Example (sweeps/beta-seeds.json):

  { "name": "beta-seeds", "preset": "dsprites-beta", "profile": "cpu",
    "grid": { "regulariser.beta": [1, 4, 16] }, "seeds": [1, 2, 3],
    "slurm": { "time": "04:00:00", "cpusPerTask": 1, "mem": "4G" } }

Fields: name (default: the file name), description, preset, profile, grid (field -> values; the runs
are their Cartesian product times the seeds), overrides (field -> one value, for every run),
seeds ([1, 2, 3] or {"from": 1, "to": 5}), slurm (time, cpusPerTask, mem, partition, account, qos,
maxParallel, extraArgs), eval (numTrain, numEval, batchSize, seed; default the reference protocol,
at the smoke profile 100/50/16/0). Overridable fields:
  ${OVERRIDE_KEYS.join(", ")}.
Run i of a sweep is fixed by the file: seed-major (every setting's first seed, then the second...).

Subcommands:
  plan FILE              the runs, which exist (complete / partial / running) and which are missing, and the
                         training time they need at the speed measured here (from earlier runs of the same
                         architecture and dataset, else a short measurement; it says which)
      --jobs N             wall time for N side by side (default: the number of cores, ${os.availableParallelism()} here)
      --measure            time a few training steps now even when earlier runs give a speed
      --json               the plan as JSON
  run FILE               trains the missing and partial runs here, --jobs N side by side (one process each),
                         resuming partial ones; complete runs are skipped, so running it again resumes the sweep
      --jobs N             default: the number of cores
      --dry-run            print what would be trained
  slurm FILE             submits the runs not complete to Slurm as one job array (sbatch): task i trains run i
                         into the runs folder (BVAE_RUNS_DIR, shared by the nodes); script and logs in
                         <runs>/.sweeps/<name>/; prints the job id. Runs queued or running in an earlier
                         submission of the sweep are left out. Flags override the file's "slurm" fields:
      --time T  --cpus N  --mem M  --partition P  --account A  --qos Q  --max-parallel N
      --sbatch-arg=OPT     one more #SBATCH option (e.g. --sbatch-arg=--gres=gpu:1)
      --node PATH          node on the compute nodes (default: this one, ${process.execPath})
      --dry-run            print the script, submit nothing
  status FILE            each run's progress (from its folder) beside its Slurm task's state (squeue, else sacct)
      --json
  report FILE            scores every complete run with \`bvae eval\` (--jobs N side by side; stored scores are
                         reused), then prints the scores per setting: mean ± sd over seeds (n)
      --jobs N  --metrics LIST  --json  --out FILE.json  --figures DIR (a strip chart per metric: PNG, SVG, .vl.json)
  task FILE --index I    trains run I (what each Slurm array task runs); --expect NAME refuses if run I is
                         another run (the file changed since submission)

Every subcommand takes --runs-dir DIR (same as BVAE_RUNS_DIR=DIR; default runs/).`;

function estimateLines(est: SweepEstimate, speeds: ReadonlyMap<string, Speed>, statuses: readonly RunStatus[], jobs: number): string[] {
  if (est.runs === 0) return ["compute: nothing to train"];
  const lines: string[] = [];
  for (const [key, sp] of speeds) {
    const batch = statuses.find((r) => speedKey(r.config) === key)!.config.batchSize;
    const range = sp.range[0] === sp.range[1] ? "" : `, range ${(sp.range[0] * batch).toFixed(2)}-${(sp.range[1] * batch).toFixed(2)}`;
    lines.push(`speed: ${key} at ${(sp.secondsPerImage * batch).toFixed(3)} s/step of ${batch} images (${sp.note}${range})`);
  }
  const known = est.perRun.filter((s, i) => statuses[i].state !== "complete" && Number.isFinite(s));
  lines.push(
    `compute: ${est.runs} run(s), ${est.steps.toLocaleString("en-US")} steps left: ${formatHours(est.seconds)} of training in total; ` +
      `about ${formatHours(wallSeconds(known, jobs))} wall time with ${jobs} side by side (bvae sweep run --jobs ${jobs}), if each process keeps that speed`,
  );
  if (est.unknown.length) lines.push(`no speed for: ${est.unknown.join(", ")}`);
  return lines;
}

async function plan(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const jobs = jobsFlag(args);
  const statuses = sweepStatus(sweep);
  const speeds = await sweepSpeeds(statuses, args.flags.measure === true, (l) => console.error(l));
  const est = estimateSweep(statuses, speeds);
  if (args.flags.json) {
    console.log(JSON.stringify({
      sweep: sweep.spec.name, file: sweep.spec.file, runsDir: runsDir(), counts: countStates(statuses),
      runs: statuses.map((r, i) => ({ index: r.index, setting: r.setting.label, seed: r.seed, name: r.name, state: r.state, step: r.step, steps: r.config.steps, seconds: est.perRun[i] })),
      speeds: [...speeds.entries()].map(([key, s]) => ({ key, secondsPerImage: s.secondsPerImage, range: s.range, source: s.source, note: s.note, runs: s.samples.map((x) => x.run) })),
      estimate: { runs: est.runs, steps: est.steps, seconds: est.seconds, wallSeconds: wallSeconds(est.perRun.filter((s, i) => statuses[i].state !== "complete" && Number.isFinite(s)), jobs), jobs },
    }, null, 2));
    return 0;
  }
  for (const l of sweepHeader(sweep)) console.log(l);
  const rows = [["index", "setting", "seed", "run", "state"], ...statuses.map((r) => [String(r.index), r.setting.label, String(r.seed), r.name, describeState(r)])];
  for (const l of columns(rows)) console.log(l);
  const c = countStates(statuses);
  console.log(`${sweep.runs.length} runs: ${c.complete} complete, ${c.running} running, ${c.partial} partial, ${c.damaged} damaged, ${c.missing} missing`);
  for (const l of estimateLines(est, speeds, statuses, jobs)) console.log(l);
  return 0;
}

async function task(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const index = intFlag(args, "index");
  if (index === undefined) throw new Error("--index I is required (the run's index in the sweep, 0-based)");
  const run = sweep.runs[index];
  if (!run) throw new Error(`--index ${index}: the sweep ${sweep.spec.file} has ${sweep.runs.length} runs (0-${sweep.runs.length - 1})`);
  const expect = stringFlag(args, "expect");
  if (expect !== undefined && expect !== run.name) {
    throw new Error(`run ${index} of ${sweep.spec.file} is ${run.name}, not ${expect} as when it was submitted (was the file edited?); not training`);
  }
  const { initBackend } = await import("../lib/backend");
  const { trainOrLoad } = await import("../lib/runs");
  console.log(`[sweep ${sweep.spec.name}] run ${index} of ${sweep.runs.length}: ${run.setting.label}, seed ${run.seed} -> ${run.name}`);
  await initBackend();
  return untilInterrupted(`[sweep] ${run.name}:`, async (signal) => {
    const trained = await trainOrLoad(run.config, {
      checkpointEvery: positiveIntFlag(args, "checkpoint-every") ?? PROFILE_SETTINGS[run.config.profile].checkpointEvery,
      progressEverySeconds: positiveFlag(args, "progress-every") ?? 60,
      signal,
    });
    console.log(`${trained.complete ? "complete" : "partial"}: ${trained.dir} (step ${trained.step} of ${run.config.steps})`);
    trained.model.dispose();
    return trained.complete ? 0 : 1;
  });
}

async function runLocal(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const jobs = jobsFlag(args);
  const statuses = sweepStatus(sweep);
  for (const l of sweepHeader(sweep)) console.log(l);
  const running = statuses.filter((r) => r.state === "running");
  for (const r of running) console.log(`[sweep] ${r.name} is being trained by process ${r.pid}; left to it`);
  const todo = statuses.filter((r) => r.state === "missing" || r.state === "partial");
  const c = countStates(statuses);
  console.log(`[sweep] ${c.complete} complete, ${c.running} running elsewhere, ${todo.length} to train${todo.length ? ` (${Math.min(jobs, todo.length)} side by side)` : ""}`);
  for (const r of todo) console.log(`[sweep]   ${r.index}: ${r.setting.label}, seed ${r.seed} -> ${r.name}${r.state === "partial" ? ` (resumes at step ${r.step})` : ""}`);
  if (todo.length === 0 || args.flags["dry-run"]) return 0;
  const onSignal = (): void => console.error("[sweep] waiting for the trainings to checkpoint...");
  process.on("SIGINT", onSignal);
  try {
    const results = await runSideBySide(
      todo.map((r) => ({ label: r.name, args: ["sweep", "task", sweep.spec.file, "--index", String(r.index), "--expect", r.name, "--progress-every", "30"] })),
      { jobs },
    );
    const failed = results.filter((r) => r.code !== 0);
    const after = countStates(sweepStatus(sweep));
    console.log(`[sweep] ${sweep.spec.name}: ${after.complete} of ${sweep.runs.length} runs complete`);
    if (failed.length) {
      console.error(`[sweep] failed: ${failed.map((f) => `${f.label} (exit ${f.code})`).join(", ")}`);
      return 1;
    }
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}

/** Each subcommand's options (strict: anything else is refused with these listed). */
interface Subcommand {
  readonly values: readonly string[];
  readonly booleans: readonly string[];
  readonly run: (args: ParsedArgs) => Promise<number>;
}

const SLURM_VALUES = ["time", "cpus", "mem", "partition", "account", "qos", "max-parallel", "sbatch-arg", "node"];

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  plan: { values: ["runs-dir", "jobs"], booleans: ["json", "measure"], run: plan },
  run: { values: ["runs-dir", "jobs"], booleans: ["dry-run"], run: runLocal },
  slurm: { values: ["runs-dir", ...SLURM_VALUES], booleans: ["dry-run"], run: (a) => sweepSlurm(a) },
  status: { values: ["runs-dir"], booleans: ["json"], run: (a) => sweepStatusCommand(a) },
  report: { values: ["runs-dir", "jobs", "metrics", "out", "figures"], booleans: ["json"], run: (a) => sweepReport(a) },
  task: { values: ["runs-dir", "index", "expect", "checkpoint-every", "progress-every"], booleans: [], run: task },
};

export const sweepCommand: Command = {
  name: "sweep",
  summary: "sweeps over seeds and hyperparameters: plan, train here or on Slurm, status, scores per setting",
  usage: SWEEP_USAGE,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    const entry = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!entry) {
      console.error(`bvae sweep: ${sub === undefined ? "missing subcommand" : `unknown subcommand "${sub}"`}; one of ${Object.keys(SUBCOMMANDS).join(", ")}\n\n${SWEEP_USAGE}`);
      return 2;
    }
    const command = `bvae sweep ${sub}`;
    return entry.run(parseArgs(rest, { command, values: entry.values, booleans: entry.booleans, maxPositionals: 1 }));
  },
};
