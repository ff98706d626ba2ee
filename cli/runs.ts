/** `bvae runs`: the cached runs (complete, partial with the last checkpoint's step, running). */
import * as path from "node:path";
import type { Command } from "./command";
import { parseArgs } from "./command";
import { findTemporaries, formatBytes, listRuns, pruneCheckpoints, removeStaleTemporaries, runsDir } from "../lib/runs";
import type { Regulariser } from "../lib/models";
import { optimizerNote } from "../lib/train";

const usage = `Usage: bvae runs [--json] [--clean] [--prune]

Lists the run folders under runs/ (or BVAE_RUNS_DIR): complete runs, partial runs with the step of
their last checkpoint (resume with the same \`bvae train\` command), and runs being trained now;
the steps of the weight snapshots each keeps (\`bvae eval <run> --snapshot STEP\` scores one) and
the steps whose disentanglement scores are stored with it (\`bvae eval\`). A damaged run folder is listed
as damaged with what is wrong (the exit code is then 1), and the others as usual. Temporary files left by
interrupted writes are listed; --clean removes the stale ones (writer gone, or over an hour old).
--prune keeps each partial run's newest intact checkpoint, all a resume needs, and removes the older
ones (the trainer keeps two), before checkpoints are committed or archived (make keep-checkpoints);
a removed checkpoint whose scores are stored (metrics-step-<step>.json) keeps its weights as the
snapshot of that step. It refuses while a run is being trained, and leaves a run with a damaged
checkpoint as it is.`;

function describe(r: Regulariser | undefined): string {
  if (!r) return "?";
  switch (r.kind) {
    case "vae":
      return "vae";
    case "beta":
      return `beta=${r.beta}`;
    case "capacity":
      return `gamma=${r.gamma} C<=${r.cMax}@${r.cStopStep}`;
  }
}

export const runsCommand: Command = {
  name: "runs",
  summary: "list cached training runs and their status",
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, { command: "bvae runs", booleans: ["json", "clean", "prune"], maxPositionals: 0 });
    const root = runsDir();
    if (args.flags.clean) {
      const removed = removeStaleTemporaries(root);
      for (const t of removed) console.log(`removed ${t.path} (${formatBytes(t.bytes)}, left by process ${t.writerPid})`);
      console.log(removed.length ? `freed ${formatBytes(removed.reduce((n, t) => n + t.bytes, 0))}` : "no stale temporary files");
      return 0;
    }
    if (args.flags.prune) {
      const pruned = pruneCheckpoints();
      if (pruned.length === 0) console.log(`no partial runs in ${root}`);
      for (const r of pruned) {
        const gone = r.removed.length ? `; removed ${r.removed.map((c) => `${path.basename(c.dir)} (${formatBytes(c.bytes)})`).join(", ")}` : "";
        const stages = r.snapshots.length ? `; the weights of scored step${r.snapshots.length > 1 ? `s ${r.snapshots.join(", ")} kept as snapshots` : ` ${r.snapshots[0]} kept as a snapshot`}` : "";
        console.log(r.kept ? `${r.name}: keeps ${path.basename(r.kept.dir)} (step ${r.kept.step}, ${formatBytes(r.kept.bytes)})${gone}${stages}` : `${r.name}: left as it is (${r.skipped})`);
      }
      return 0;
    }
    const runs = listRuns();
    if (args.flags.json) {
      console.log(JSON.stringify(runs, null, 2));
      return 0;
    }
    console.log(`runs in ${root}:`);
    if (runs.length === 0) console.log("  (none)");
    const rows = runs.map((r) => {
      const c = r.config;
      const s = r.summary;
      const final = s ? `recon ${s.final.recon.toFixed(2)} kl ${s.final.kl.toFixed(2)} (${(s.seconds / 3600).toFixed(2)} h, ${s.backend})` : "";
      const status = r.status === "running" ? `running (pid ${r.pid}${r.host ? ` on ${r.host}` : ""})` : r.status;
      const steps = (xs: readonly number[]) => (xs.length ? xs.join(",") : "-");
      return [status, r.name, `${r.step}/${r.steps ?? "?"}`, c ? `${c.architecture} z=${c.numLatents} ${describe(c.regulariser)}${optimizerNote(c.optimizer)}` : "", steps(r.snapshots), steps(r.scored), final];
    });
    const header = ["status", "run", "steps", "model", "snapshots", "scored at", "final batch terms"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    if (rows.length) for (const r of [header, ...rows]) console.log("  " + r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd());
    const problems = runs.filter((r) => r.problem);
    if (problems.length) {
      console.log("\nproblems (each run above is usable unless marked damaged):");
      for (const r of problems) console.log(`  ${r.name}: ${r.problem}`);
    }
    const temporaries = findTemporaries(root);
    if (temporaries.length) {
      const stale = temporaries.filter((t) => t.stale);
      console.log(`\ntemporary files (writes in progress, or left by interrupted ones): ${temporaries.length}, ${formatBytes(temporaries.reduce((n, t) => n + t.bytes, 0))}`);
      for (const t of temporaries) console.log(`  ${t.stale ? "stale  " : "writing"}  ${formatBytes(t.bytes).padStart(8)}  ${t.path}`);
      if (stale.length) console.log(`  bvae runs --clean removes the ${stale.length} stale one(s) (their writer is gone or they are over an hour old)`);
    }
    return problems.some((r) => r.status === "damaged") ? 1 : 0;
  },
};
