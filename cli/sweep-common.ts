/** Helpers shared by the `bvae sweep` subcommands (cli/sweep.ts, sweep-slurm.ts, sweep-report.ts). */
import * as os from "node:os";
import * as path from "node:path";
import { intFlag, stringFlag, type ParsedArgs } from "./command";
import { projectRoot } from "../lib/files";
import { runsDir } from "../lib/runs";
import { loadSweep, speedKey, speedSamples, storedSpeed, type RunStatus, type Speed, type Sweep } from "../lib/sweep";

/** The file argument and --runs-dir, common to every subcommand. */
export function sweepArgs(args: ParsedArgs): Sweep {
  const dir = stringFlag(args, "runs-dir");
  if (dir !== undefined) process.env.BVAE_RUNS_DIR = path.resolve(dir);
  const [file, ...extra] = args.positionals;
  if (!file) throw new Error("missing the sweep file (bvae sweep <subcommand> FILE)");
  if (extra.length) throw new Error(`unexpected argument(s): ${extra.join(" ")}`);
  return loadSweep(file);
}

/** The number of side-by-side processes: --jobs, else the number of cores. */
export function jobsFlag(args: ParsedArgs): number {
  const jobs = intFlag(args, "jobs") ?? os.availableParallelism();
  if (jobs < 1) throw new Error(`--jobs: expected a positive integer, got ${jobs}`);
  return jobs;
}

/**
 * The speed of each (dataset, architecture) the runs still to train use: from earlier runs in the
 * runs folder and the project's runs/, or measured now (when there is none, or `measure`).
 */
export async function sweepSpeeds(statuses: readonly RunStatus[], measure: boolean, log: (line: string) => void): Promise<Map<string, Speed>> {
  const samples = speedSamples([runsDir(), path.join(projectRoot(), "runs")]);
  const speeds = new Map<string, Speed>();
  for (const r of statuses) {
    const key = speedKey(r.config);
    if (r.state === "complete" || speeds.has(key)) continue;
    const stored = measure ? undefined : storedSpeed(samples, r.config.dataset, r.config.architecture);
    if (stored) {
      speeds.set(key, stored);
      continue;
    }
    log(`[sweep] ${measure ? "measuring" : `no earlier ${r.config.architecture} run on ${r.config.dataset} to take the speed from; measuring`} ${r.name}'s training step...`);
    const { initBackend } = await import("../lib/backend");
    const { measureSpeed } = await import("../lib/sweep");
    await initBackend({ quiet: true });
    speeds.set(key, measureSpeed(r.config));
  }
  return speeds;
}

export function describeState(r: RunStatus): string {
  switch (r.state) {
    case "complete": return "complete";
    case "running": return `running (pid ${r.pid}), step ${r.step}/${r.config.steps}`;
    case "partial": return `partial, step ${r.step}/${r.config.steps}`;
    case "damaged": return "damaged (bvae runs says why; it is not trained over)";
    case "missing": return "missing";
  }
}

/** Rows padded into columns. */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => "  " + r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd());
}

export function sweepHeader(sweep: Sweep): string[] {
  const s = sweep.spec;
  const grid = s.grid.map(({ key, values }) => `${key} in {${values.join(", ")}}`).join(" x ");
  const fixed = Object.entries(s.overrides).map(([k, v]) => `${k}=${v}`).join(", ");
  return [
    `sweep ${s.name}: ${s.preset} at the ${s.profile} profile${fixed ? ` with ${fixed}` : ""}; ${grid ? grid + " x " : ""}seeds {${s.seeds.join(", ")}} = ${sweep.runs.length} runs`,
    `file ${shownPath(s.file)}; runs folder ${runsDir()}`,
  ];
}


/** A path relative to the working directory when it is inside it, else absolute. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}
