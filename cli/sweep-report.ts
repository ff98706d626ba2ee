/**
 * `bvae sweep report FILE`: scores every complete run of a sweep with `bvae eval` (child processes,
 * --jobs side by side; scores already stored for the sweep's protocol are reused), then prints the
 * scores per setting, mean ± sd over seeds, as the field reports a sweep.
 */
import * as path from "node:path";
import { stringFlag, type ParsedArgs } from "./command";
import { writeFileAtomic } from "../lib/files";
import { METRIC_NAMES, type MetricName } from "../lib/metrics";
import { findEntry, METRICS_FILE, runsDir } from "../lib/runs";
import { countStates, evalFlags, formatSweepSummary, runSideBySide, summariseSetting, sweepProtocol, sweepScoreTable, sweepStatus } from "../lib/sweep";
import { columns, jobsFlag, sweepArgs, sweepHeader } from "./sweep-common";

function metricsFlag(args: ParsedArgs): readonly MetricName[] {
  const value = stringFlag(args, "metrics");
  if (value === undefined) return METRIC_NAMES;
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const m of items) if (!(METRIC_NAMES as readonly string[]).includes(m)) throw new Error(`--metrics: "${m}" is not one of ${METRIC_NAMES.join(", ")}`);
  return items as MetricName[];
}

export async function sweepReport(args: ParsedArgs): Promise<number> {
  const sweep = sweepArgs(args);
  const jobs = jobsFlag(args);
  const metrics = metricsFlag(args);
  const protocol = sweepProtocol(sweep.spec);
  const statuses = sweepStatus(sweep);
  const log = args.flags.json ? (l: string) => console.error(l) : (l: string) => console.log(l);
  for (const l of sweepHeader(sweep)) log(l);
  const p = protocol;
  log(`protocol: ${p.numTrain} training / ${p.numEval} evaluation points, batch ${p.batchSize}, seed ${p.seed}${sweep.spec.eval ? "" : ` (the default at the ${sweep.spec.profile} profile)`}`);
  const complete = statuses.filter((r) => r.state === "complete" && r.dir);
  const todo = complete.filter((r) => {
    const stored = findEntry(r.dir!, protocol, METRICS_FILE);
    return metrics.some((m) => !stored?.scores.some((s) => s.metric === m));
  });
  const counts = countStates(statuses);
  log(`[sweep] ${complete.length} of ${sweep.runs.length} runs complete; ${todo.length} to score (${complete.length - todo.length} already scored)`);
  let failed: string[] = [];
  if (todo.length) {
    const results = await runSideBySide(
      todo.map((r) => ({ label: r.name, args: ["eval", r.dir!, ...evalFlags(protocol), "--metrics", metrics.join(",")] })),
      { jobs, prefix: true, write: (line) => (args.flags.json ? process.stderr : process.stdout).write(line + "\n") },
    );
    failed = results.filter((r) => r.code !== 0).map((r) => `${r.label} (exit ${r.code})`);
  }
  const rows = sweepScoreTable(sweep, { protocol });
  const out = stringFlag(args, "out");
  const figures = stringFlag(args, "figures");
  const summary = Object.fromEntries(metrics.map((m) => [m, summariseSetting(rows, m)]));
  if (out) writeFileAtomic(path.resolve(out), JSON.stringify({ sweep: sweep.spec.name, file: sweep.spec.file, runsDir: runsDir(), protocol, rows, summary }, null, 2) + "\n");
  if (figures) {
    const { sweepChart } = await import("../lib/charts");
    const { renderChart } = await import("../lib/display");
    for (const m of metrics.filter((x) => rows.some((r) => typeof r[x] === "number"))) {
      const spec = sweepChart({ rows, value: m, title: `${m} per setting, ${sweep.spec.name}: seeds as points, mean and ±1 sd`, xTitle: "setting", yTitle: m });
      const { svg, png } = await renderChart(spec);
      const base = path.join(path.resolve(figures), `${sweep.spec.name}-${m}`);
      writeFileAtomic(`${base}.vl.json`, JSON.stringify(spec, null, 2) + "\n");
      writeFileAtomic(`${base}.svg`, svg);
      writeFileAtomic(`${base}.png`, png);
      log(`[sweep] chart ${base}.png`);
    }
  }
  if (args.flags.json) console.log(JSON.stringify({ sweep: sweep.spec.name, protocol, counts, rows, summary, failed }, null, 2));
  else {
    const scored = rows.filter((r) => metrics.some((m) => typeof r[m] === "number"));
    if (scored.length === 0) console.log("no scores yet (no complete run)");
    else {
      console.log("\nscores per run:");
      const table = [["index", "setting", "seed", "run", ...metrics], ...scored.map((r) => [String(r.index), r.setting, String(r.seed), r.run, ...metrics.map((m) => (typeof r[m] === "number" ? (r[m] as number).toFixed(4) : ""))])];
      for (const l of columns(table)) console.log(l);
      console.log("\nper setting: mean ± sample sd over seeds (n seeds)");
      console.log(formatSweepSummary(rows, metrics));
    }
    const missing = sweep.runs.length - complete.length;
    if (missing) console.log(`\n${missing} run(s) not complete, not scored: ${counts.running} running here, ${counts.partial} partial, ${counts.damaged} damaged, ${counts.missing} missing`);
  }
  if (failed.length) {
    console.error(`[sweep] bvae eval failed for: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}
