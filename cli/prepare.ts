/**
 * `bvae prepare`: trains the runs the notebooks need and the runs folder lacks, several processes
 * side by side (one per core), so that `make figures` uses every core and the notebooks only load.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "./command";
import { parseArgs, positiveIntFlag, profileFlag } from "./command";
import { planRuns, type PlannedRun } from "../lib/runs";
import { projectRoot } from "../lib/files";
import { defaultNotebooks, notebookRuns } from "./notebooks";

/** The runs the notebooks ask for, for the help text (which still prints when they cannot be read). */
function notebookRunsText(): string {
  try {
    return notebookRuns(defaultNotebooks()).join(" ");
  } catch (err) {
    return `cannot be read here: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const usage = (): string => `Usage: bvae prepare [<preset>[:exact][{overrides}] ...] [--profile p] [--jobs n] [--dry-run]

Trains, --jobs at a time (one process each), the runs that the notebooks would otherwise train
themselves, then exits; \`make figures\` calls it before executing the notebooks. Without arguments:
the runs of the notebooks' bvae.presetRun calls, read from notebooks/[0-9]*.ipynb (now: ${notebookRunsText()}).

A preset is satisfied, as in the notebooks (bvae.presetRun), by a run at a longer profile with at
least the requested steps (complete, or partial at its newest checkpoint); <preset>:exact, or
BVAE_EXACT_PROFILE=1, asks for exactly the profile's run; a JSON object after it gives the preset's
overrides, as presetRun's \`overrides\` (e.g. 'dsprites-vae{"architecture":"burgess"}', the shipped
Burgess-network VAE). Complete runs are left alone; interrupted ones resume from their checkpoint.

Options:
  --profile p   smoke | cpu | long | paper (default: PROFILE, else cpu)
  --jobs n      processes side by side (default: the number of cores, ${os.availableParallelism()} here)
  --dry-run     print the plan, train nothing`;

function describe(p: PlannedRun): string {
  switch (p.action) {
    case "use-longer": return `uses ${p.name} (${p.config.profile} profile, step ${p.step})`;
    case "complete": return `${p.name} is complete`;
    case "resume": return `resumes ${p.name} from step ${p.step} of ${p.config.steps}`;
    case "train": return `trains ${p.name} (${p.config.steps} steps)`;
  }
}

/** Runs `bvae train` for each planned run, `jobs` at a time; resolves to the failed run names. */
async function trainAll(todo: readonly PlannedRun[], jobs: number): Promise<string[]> {
  const launcher = path.join(projectRoot(), "bin", "bvae.js");
  const failed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const p = todo[next++];
      const code = await new Promise<number>((resolve) => {
        const overrides = Object.keys(p.overrides).length ? ["--overrides", JSON.stringify(p.overrides)] : [];
        const child = spawn(process.execPath, [launcher, "train", p.config.preset, "--profile", p.config.profile, ...overrides], { stdio: "inherit" });
        child.on("error", (err) => {
          console.error(`[prepare] ${p.name}: ${err.message}`);
          resolve(1);
        });
        child.on("exit", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
      });
      if (code !== 0) failed.push(`${p.name} (exit ${code})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  return failed;
}

export const prepareCommand: Command = {
  name: "prepare",
  summary: "train the runs the notebooks need that are missing, side by side (one process per core)",
  get usage() {
    return usage();
  },
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { command: "bvae prepare", values: ["profile", "jobs"], booleans: ["dry-run"] });
    const profile = profileFlag(args);
    const jobs = positiveIntFlag(args, "jobs") ?? os.availableParallelism();
    const items = args.positionals.length ? args.positionals : notebookRuns(defaultNotebooks());
    const plan = planRuns(items, profile, { exact: process.env.BVAE_EXACT_PROFILE === "1" });
    for (const p of plan) console.log(`[prepare] ${p.items.join(", ")}: ${describe(p)}`);
    const todo = plan.filter((p) => p.action === "train" || p.action === "resume");
    if (args.flags["dry-run"] || todo.length === 0) {
      if (!todo.length) console.log(`[prepare] nothing to train at the ${profile} profile`);
      return 0;
    }
    console.log(`[prepare] training ${todo.length} run(s), ${Math.min(jobs, todo.length)} side by side`);
    // Ctrl-C reaches the children too (same process group): each checkpoints; we wait for them.
    const onSignal = (): void => console.error("[prepare] waiting for the trainings to checkpoint...");
    process.on("SIGINT", onSignal);
    try {
      const failed = await trainAll(todo, jobs);
      if (failed.length) {
        console.error(`[prepare] failed: ${failed.join(", ")}`);
        return 1;
      }
      console.log(`[prepare] done: ${todo.map((p) => p.name).join(", ")}`);
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
    }
  },
};
