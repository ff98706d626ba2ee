/**
 * `bvae prepare`: trains the runs the notebooks need and the runs folder lacks, and scores the ones
 * the notebooks score (with the Higgins table), several processes side by side (one per core), so
 * that `make figures` uses every core and the notebooks only load.
 */
import * as os from "node:os";
import type { Command } from "./command";
import { parseArgs, positiveIntFlag, profileFlag } from "./command";
import { baselineProtocol, findRun, planRuns, profileProtocol, runsDir, storedScores, type PlannedRun } from "../lib/runs";
import { openDsprites } from "../lib/data";
import { BASELINE_NAMES, storedBaselineRows } from "../lib/baselines";
import { runSideBySide, type ChildTask } from "../lib/sweep";
import type { Profile } from "../lib/profile";
import { defaultNotebooks, notebookRuns, notebookScoring, type NotebookScoring } from "./notebooks";

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

Without arguments it also scores what notebooks 05 and 06 score (\`bvae eval <run> --profile p\` for
the runs of the notebooks that call runScores, each as soon as its training has ended, and \`bvae eval
--baselines --profile p\` when the Higgins table is not stored), in the same slots as the trainings:
from an empty runs folder both cores stay busy to the end instead of one notebook scoring on one.
Runs still training elsewhere (partial runs of a longer profile) are left to the notebooks.

Options:
  --profile p   smoke | cpu | long | paper (default: PROFILE, else cpu)
  --jobs n      processes side by side (default: the number of cores, ${os.availableParallelism()} here)
  --no-scores   train only
  --dry-run     print the plan, train nothing`;

function describe(p: PlannedRun): string {
  switch (p.action) {
    case "use-longer": return `uses ${p.name} (${p.config.profile} profile, step ${p.step})`;
    case "complete": return `${p.name} is complete`;
    case "resume": return `resumes ${p.name} from step ${p.step} of ${p.config.steps}`;
    case "train": return `trains ${p.name} (${p.config.steps} steps)`;
  }
}

/** One process of the plan: a training, a run's scoring, or the Higgins table. */
export interface PrepareTask extends ChildTask {
  /** What the plan prints. */
  readonly what: string;
}

/** The scoring tasks' inputs: which runs are scored and whether the table is, as `notebookScoring` reads them. */
export interface ScoringPlan extends NotebookScoring {
  /** The profile whose protocol the scores are stored under (profileProtocol, baselineProtocol). */
  readonly profile: Profile;
}

/**
 * The processes of `bvae prepare`: the trainings (in plan order), then the Higgins table when it is
 * not stored, then each scored run's `bvae eval`, waiting for its training when it has one. Scores
 * already stored for the profile's protocol, and partial runs of a longer profile (still training
 * elsewhere), are skipped. A free slot takes the first ready task: the long jobs go first and the
 * short scorings fill the end.
 */
export function prepareTasks(plan: readonly PlannedRun[], scoring?: ScoringPlan): PrepareTask[] {
  const tasks: PrepareTask[] = [];
  const trainingOf = new Map<string, number>();
  for (const p of plan) {
    if (p.action !== "train" && p.action !== "resume") continue;
    const overrides = Object.keys(p.overrides).length ? ["--overrides", JSON.stringify(p.overrides)] : [];
    trainingOf.set(p.name, tasks.length);
    tasks.push({ label: p.name, what: `train ${p.name}`, args: ["train", p.config.preset, "--profile", p.config.profile, ...overrides] });
  }
  if (!scoring) return tasks;
  const profileArgs = ["--profile", scoring.profile];
  if (scoring.baselines) {
    const protocol = baselineProtocol(scoring.profile);
    const stored = storedBaselineRows(openDsprites(), { ...protocol, untrainedVaeArchitecture: "mlp", dir: `${runsDir()}/baselines` });
    if (stored.length < BASELINE_NAMES.length) tasks.push({ label: "baselines", what: `score the Higgins table (${protocol.numTrain} / ${protocol.numEval} points)`, args: ["eval", "--baselines", ...profileArgs] });
  }
  const protocol = profileProtocol(scoring.profile);
  for (const p of plan) {
    if (!p.items.some((i) => scoring.runs.includes(i))) continue;
    const training = trainingOf.get(p.name);
    if (training === undefined) {
      const found = findRun(p.name);
      if (!found.complete || storedScores(found, protocol).missing.length === 0) continue;
    }
    tasks.push({
      label: `eval ${p.name}`, what: `score ${p.name}${training === undefined ? "" : " after its training"}`,
      args: ["eval", p.name, ...profileArgs], after: training === undefined ? [] : [training],
    });
  }
  return tasks;
}

export const prepareCommand: Command = {
  name: "prepare",
  summary: "train the runs the notebooks need that are missing, side by side (one process per core)",
  get usage() {
    return usage();
  },
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { command: "bvae prepare", values: ["profile", "jobs"], booleans: ["dry-run", "no-scores"] });
    const profile = profileFlag(args);
    const jobs = positiveIntFlag(args, "jobs") ?? os.availableParallelism();
    const fromNotebooks = args.positionals.length === 0;
    const items = fromNotebooks ? notebookRuns(defaultNotebooks()) : args.positionals;
    const plan = planRuns(items, profile, { exact: process.env.BVAE_EXACT_PROFILE === "1" });
    for (const p of plan) console.log(`[prepare] ${p.items.join(", ")}: ${describe(p)}`);
    const scoring = fromNotebooks && !args.flags["no-scores"] ? { ...notebookScoring(defaultNotebooks()), profile } : undefined;
    const tasks = prepareTasks(plan, scoring);
    if (args.flags["dry-run"] || tasks.length === 0) {
      if (!tasks.length) console.log(`[prepare] nothing to train${scoring ? " or score" : ""} at the ${profile} profile`);
      else for (const t of tasks) console.log(`[prepare] would ${t.what}`);
      return 0;
    }
    console.log(`[prepare] ${tasks.length} process(es), ${Math.min(jobs, tasks.length)} side by side: ${tasks.map((t) => t.what).join("; ")}`);
    // Ctrl-C reaches the children too (same process group): each checkpoints; we wait for them.
    const onSignal = (): void => console.error("[prepare] waiting for the trainings to checkpoint...");
    process.on("SIGINT", onSignal);
    try {
      const t0 = Date.now();
      const results = await runSideBySide(tasks, { jobs });
      const failed = results.filter((r) => r.code !== 0).map((r) => `${r.label} (${r.skipped ? "not started" : `exit ${r.code}`})`);
      if (failed.length) {
        console.error(`[prepare] failed: ${failed.join(", ")}`);
        return 1;
      }
      console.log(`[prepare] done in ${Math.round((Date.now() - t0) / 1000)} s: ${results.map((r) => `${r.label} ${Math.round(r.seconds)} s`).join(", ")}`);
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
    }
  },
};
