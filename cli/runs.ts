/** `bvae runs`: the cached runs (complete, partial with the last checkpoint's step, running). */
import type { Command } from "./command";
import { parseArgs } from "./command";
import { listRuns, readRunSummary, runsDir } from "../lib/runs";
import type { Regulariser } from "../lib/models/objectives";

const usage = `Usage: bvae runs [--json]

Lists the run folders under runs/ (or BVAE_RUNS_DIR): complete runs, partial runs with the step of
their last checkpoint (resume with the same \`bvae train\` command), and runs being trained now;
the steps of the weight snapshots each keeps (\`bvae eval <run> --snapshot STEP\` scores one) and
the steps whose disentanglement scores are stored with it (\`bvae eval\`).`;

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
    const args = parseArgs(argv, { command: "bvae runs", booleans: ["json"], maxPositionals: 0 });
    const runs = listRuns();
    if (args.flags.json) {
      console.log(JSON.stringify(runs, null, 2));
      return 0;
    }
    console.log(`runs in ${runsDir()}:`);
    if (runs.length === 0) {
      console.log("  (none)");
      return 0;
    }
    const rows = runs.map((r) => {
      const c = r.config;
      let final = "";
      if (r.status === "complete") {
        const s = readRunSummary(r.dir); // a complete run has one (listRuns)
        final = `recon ${s.final.recon.toFixed(2)} kl ${s.final.kl.toFixed(2)} (${(s.seconds / 3600).toFixed(2)} h, ${s.backend})`;
      }
      const status = r.status === "running" ? `running (pid ${r.pid}${r.host ? ` on ${r.host}` : ""})` : r.status;
      const steps = (xs: readonly number[]) => (xs.length ? xs.join(",") : "-");
      return [status, r.name, `${r.step}/${r.steps ?? "?"}`, c ? `${c.architecture} z=${c.numLatents} ${describe(c.regulariser)}` : "", steps(r.snapshots), steps(r.scored), final];
    });
    const header = ["status", "run", "steps", "model", "snapshots", "scored at", "final batch terms"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [header, ...rows]) console.log("  " + r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd());
    return 0;
  },
};
