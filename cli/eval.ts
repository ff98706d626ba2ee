/**
 * `bvae eval <run>`: every disentanglement metric for a trained run (its encoder means), stored in
 * the run folder's metrics.json. `bvae eval --baselines`: the Higgins-table baselines on dSprites
 * beside the published numbers.
 */
import * as path from "node:path";
import type { Command } from "./command";
import { intFlag, numberFlag, parseArgs, positiveIntFlag, profileFlag, stringFlag, type ArgSpec } from "./command";
import type { Profile } from "../lib/profile";
import { initBackend } from "../lib/backend";
import { openDsprites } from "../lib/data";
import { writeFileAtomic } from "../lib/files";
import { ADAPTER_DEFAULTS, METRIC_NAMES, type MetricScore } from "../lib/metrics";
import { BASELINE_NAMES, formatHigginsTable, storedHigginsTable, untrainedVaeEncoder } from "../lib/baselines";
import { ARCHITECTURES, type ArchitectureName } from "../lib/models";
import { openDataset } from "../lib/train";
import {
  findEntry, findRun, listRuns, warnDamaged, ScoresNotStoredError, loadRunFolder, runScores, encodingProgress, runsDir, scoreHistory, scoreStages, storedScores, profileProtocol, baselineProtocol, type MetricProtocol,
} from "../lib/runs";

const usage = `Usage: bvae eval <run> [options]
       bvae eval --baselines [options]
       bvae eval --history [<run> ...] [options]

<run> is a run folder, or the name of one under runs/ (see \`bvae runs\`). Scores are stored in
<run>/metrics.json, one entry per protocol (sizes and seed); an existing score is kept unless --force.
A partial run (runs/.partial/<name>, still training) is evaluated at its latest checkpoint <step>
and its scores are stored in runs/.partial/<name>/metrics-step-<step>.json (same format, tagged
with the step), beside the checkpoints, and kept with the run when it completes.

Each distinct image is encoded once and its code reused across metrics (same scores as encoding
every draw); the reference protocol encodes at most the 737,280 dSprites images.

Options (defaults: the reference protocol):
  --metrics LIST     comma-separated, from ${METRIC_NAMES.join(",")} (default all)
  --num-train N      training points (default ${ADAPTER_DEFAULTS.numTrain})
  --num-eval N       evaluation points (default ${ADAPTER_DEFAULTS.numEval})
  --batch-size N     pairs per Higgins point / codes per FactorVAE group (default ${ADAPTER_DEFAULTS.batchSize})
  --seed N           sampling seed (default 0)
  --profile P        the defaults of the four options above (and FactorVAE's variance sample) are
                     the protocol notebooks 05-06 use at profile P (smoke: 100 / 50 / 16; else the
                     reference); for --baselines also the images PCA and ICA are fitted on
  --snapshot STEP    score the run's weight snapshot at STEP (kept at 5%, 10%, 25%, 50% of its
                     steps; \`bvae runs\` lists them) instead of its latest weights; stored in
                     metrics-step-<STEP>.json, a stage of the run's score history (notebook 05)
  --force            recompute scores already stored for this protocol
  --json             print the scores as JSON
  --out FILE         also write the scores as JSON to FILE

History (--history): every stored score of the named runs (default: every run with any), one row
per scored stage (checkpoints, snapshots, final weights) and protocol given by the options above;
nothing is computed. A Markdown table, or JSON with --json.

Baselines (--baselines; dSprites, rendered or data/ file): rows are stored per protocol in
runs/baselines/higgins-table.json (keyed by the protocol, the dataset source and a fingerprint of
its images) and read back; --force recomputes them. The sizes and --seed options above apply.
  --rows LIST        from ${BASELINE_NAMES.join(",")} (default all)
  --vae-architecture NAME   untrained VAE architecture, one of ${ARCHITECTURES.join(", ")} (default mlp, Higgins')
  (--out FILE writes the rows as JSON)`;

function parseList<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): readonly T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!(allowed as readonly string[]).includes(i)) throw new Error(`--${flag}: "${i}" is not one of ${allowed.join(", ")}`);
  return items as T[];
}

function describe(s: MetricScore): string {
  const d = s.details as Record<string, unknown>;
  const extra = s.metric === "dci" ? ` (completeness ${(d.completeness as number).toFixed(3)}, informativeness ${(d.informativenessTest as number).toFixed(3)})` : "";
  return `${s.metric.padEnd(10)} ${s.value.toFixed(4)}${extra}   [train ${s.numTrain}, eval ${s.numEval}, seed ${s.seed}]`;
}

/** --profile, when given (PROFILE in the environment does not change eval's defaults). */
function explicitProfile(args: ReturnType<typeof parseArgs>): Profile | undefined {
  return stringFlag(args, "profile") === undefined ? undefined : profileFlag(args);
}

/**
 * The metric protocol the size and seed options name, over the defaults: the reference protocol, or
 * with --profile the protocol the notebooks use at that profile (profileProtocol).
 */
function protocolFromFlags(args: ReturnType<typeof parseArgs>): MetricProtocol {
  const profile = explicitProfile(args);
  const base: MetricProtocol = profile ? profileProtocol(profile) : ADAPTER_DEFAULTS;
  return {
    numTrain: positiveIntFlag(args, "num-train") ?? base.numTrain,
    numEval: positiveIntFlag(args, "num-eval") ?? base.numEval,
    batchSize: positiveIntFlag(args, "batch-size") ?? base.batchSize,
    seed: intFlag(args, "seed") ?? base.seed,
    ...(profile && base.numVarianceSamples !== undefined ? { numVarianceSamples: base.numVarianceSamples } : {}),
  };
}

async function evalRun(runArg: string, args: ReturnType<typeof parseArgs>): Promise<number> {
  const protocol = protocolFromFlags(args);
  const metrics = parseList(stringFlag(args, "metrics"), METRIC_NAMES, "metrics") ?? METRIC_NAMES;
  const force = args.flags.force === true;
  const found = findRun(runArg);
  warnDamaged(found);
  const snapshot = numberFlag(args, "snapshot");
  if (snapshot !== undefined && !(Number.isInteger(snapshot) && snapshot > 0)) throw new Error(`--snapshot: expected a positive step, got ${snapshot}`);
  // The stage named in the output: --snapshot, else a partial run's newest checkpoint (a complete run's final weights go unnamed).
  const at = (step: number) => snapshot ?? (found.complete ? undefined : step);
  const { stored, missing, file } = storedScores(found, protocol, { metrics, force, snapshot });
  const out = stringFlag(args, "out");
  if (stored && missing.length === 0) {
    const shown = { ...stored, scores: stored.scores.filter((s) => metrics.includes(s.metric)) };
    if (out) writeFileAtomic(out, JSON.stringify({ run: found.name, ...shown }, null, 2) + "\n");
    if (args.flags.json) console.log(JSON.stringify(shown, null, 2));
    else {
      console.log(`${found.name}${at(found.step) !== undefined ? ` at step ${at(found.step)}` : ""}: stored scores in ${path.join(found.dir, file)} (use --force to recompute)`);
      for (const s of shown.scores) console.log("  " + describe(s));
    }
    return 0;
  }
  const backend = await initBackend({ quiet: true });
  const run = loadRunFolder(found);
  const ds = openDataset(run.config.dataset);
  const stage = snapshot !== undefined && snapshot !== run.step ? ` (its snapshot at step ${snapshot})` : "";
  const where = (found.complete ? "" : ` (partial run, latest checkpoint: step ${run.step})`) + stage;
  console.error(`${run.name}${where}: ${missing.join(", ")} on ${ds.name} (${ds.source}), backend ${backend.name}, ${protocol.numTrain}/${protocol.numEval} points, seed ${protocol.seed}`);
  let result: ReturnType<typeof runScores>;
  try {
    result = runScores(run, ds, protocol, {
      metrics, force, snapshot, onScore: (s, t) => console.error(`  ${describe(s)}  ${t.toFixed(1)} s`),
      onEncoded: encodingProgress(`  ${run.name}`, ds.size, (line) => console.error(line)),
    });
  } catch (err) {
    // Computed but not stored (a full or read-only disk): keep them in --out, and on stdout.
    if (err instanceof ScoresNotStoredError) {
      if (out) writeFileAtomic(out, JSON.stringify({ run: run.name, ...err.computed }, null, 2) + "\n");
      console.log(JSON.stringify({ run: run.name, ...err.computed }, null, 2));
    }
    throw err;
  }
  run.model.dispose();
  if (out && result.computed) writeFileAtomic(out, JSON.stringify({ run: run.name, ...result.computed }, null, 2) + "\n");
  const shown = findEntry(run.dir, protocol, result.file);
  if (args.flags.json) console.log(JSON.stringify(shown, null, 2));
  else {
    console.log(`${run.name}${at(run.step) !== undefined ? ` at step ${at(run.step)}` : ""}: scores stored in ${path.join(run.dir, result.file)}`);
    for (const s of result.scores) console.log("  " + describe(s));
  }
  return 0;
}

async function evalBaselines(args: ReturnType<typeof parseArgs>): Promise<number> {
  const rows = parseList(stringFlag(args, "rows"), BASELINE_NAMES, "rows") ?? BASELINE_NAMES;
  const arch = (stringFlag(args, "vae-architecture") ?? "mlp") as ArchitectureName;
  if (!ARCHITECTURES.includes(arch)) throw new Error(`--vae-architecture: "${arch}" is not one of ${ARCHITECTURES.join(", ")}`);
  // The sizes and seed as for a run's scores (protocolFromFlags); --profile also sets PCA's and ICA's fit images.
  const { numTrain, numEval, batchSize, seed } = protocolFromFlags(args);
  const profile = explicitProfile(args);
  const ds = openDsprites();
  // The untrained VAE's row needs a backend (initialised here: the row's builder is synchronous).
  if (rows.includes("untrained-vae")) await initBackend({ quiet: true });
  const t0 = Date.now();
  const result = storedHigginsTable(ds, {
    numTrain, numEval, batchSize, seed,
    ...(profile ? { numFitImages: baselineProtocol(profile).numFitImages } : {}),
    baselines: rows,
    untrainedVaeArchitecture: arch,
    untrainedVae: () => untrainedVaeEncoder(arch, seed),
    dir: path.join(runsDir(), "baselines"),
    force: args.flags.force === true,
    log: (line) => console.error(`  ${line}`),
  });
  const table = result.rows;
  const how = result.storedRows.length === table.length ? `read from ${result.file} (--force recomputes)`
    : `${((Date.now() - t0) / 1000).toFixed(0)} s, stored in ${result.file}${result.storedRows.length ? ` (${result.storedRows.join(", ")} read from it)` : ""}`;
  console.log(`Higgins metric baselines on ${ds.name} (${ds.source}); ${how}`);
  console.log(formatHigginsTable(table));
  const out = stringFlag(args, "out");
  if (out) {
    const json = { dataset: ds.name, source: ds.source, untrainedVaeArchitecture: arch, rows: table };
    writeFileAtomic(out, JSON.stringify(json, null, 2) + "\n");
  }
  return 0;
}

async function evalHistory(args: ReturnType<typeof parseArgs>): Promise<number> {
  const protocol = protocolFromFlags(args);
  const runs = listRuns();
  for (const name of args.positionals) {
    if (!runs.some((r) => r.name === name)) throw new Error(`no run named "${name}" under the runs folder; \`bvae runs\` lists them`);
  }
  const chosen = args.positionals.length ? runs.filter((r) => args.positionals.includes(r.name)) : runs.filter((r) => r.scored.length > 0 || r.status === "damaged");
  // One damaged run (its config or a scores file) is reported and skipped; the others are shown.
  const skipped: string[] = [];
  const rows = chosen.flatMap((r) => {
    try {
      if (r.status === "damaged") throw new Error(r.problem);
      const history = scoreHistory({ dir: r.dir, complete: r.status === "complete", step: r.step }, protocol);
      return scoreStages(history).map((stage) => ({ run: r.name, ...stage }));
    } catch (err) {
      console.error(`warning: ${r.name} skipped: ${(err as Error).message}`);
      skipped.push(r.name);
      return [];
    }
  });
  const code = skipped.length ? 1 : 0;
  if (args.flags.json) {
    console.log(JSON.stringify({ protocol, rows, ...(skipped.length ? { skipped } : {}) }, null, 2));
    return code;
  }
  const p = protocol;
  console.log(`stored scores, protocol ${p.numTrain}/${p.numEval} points, batch ${p.batchSize}, seed ${p.seed} (Higgins, FactorVAE: accuracy)`);
  if (rows.length === 0) {
    console.log("(no stored scores for this protocol; `bvae eval <run>` computes them)");
    return code;
  }
  console.log(`| run | step | ${METRIC_NAMES.join(" | ")} |`);
  console.log(`|---|---:|${METRIC_NAMES.map(() => "---:").join("|")}|`);
  for (const r of rows) console.log(`| ${r.run} | ${r.step} | ${METRIC_NAMES.map((m) => r[m]?.toFixed(4) ?? "").join(" | ")} |`);
  return code;
}

const ARGS: ArgSpec = {
  command: "bvae eval",
  values: ["metrics", "num-train", "num-eval", "batch-size", "seed", "snapshot", "out", "rows", "vae-architecture", "profile"],
  booleans: ["force", "json", "baselines", "history"],
};

export const evalCommand: Command = {
  name: "eval",
  summary: "disentanglement metrics of a trained run (stored with it), or the Higgins-table baselines",
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseArgs(argv, ARGS);
    if (args.flags.baselines && args.flags.history) throw new Error("bvae eval: --baselines and --history cannot be combined");
    if (args.flags.baselines) {
      if (args.positionals.length) throw new Error(`bvae eval --baselines: unexpected argument "${args.positionals[0]}" (it scores no run)`);
      return evalBaselines(args);
    }
    if (args.flags.history) return evalHistory(args);
    const [runArg] = args.positionals;
    if (!runArg) {
      console.error(usage);
      return 2;
    }
    if (args.positionals.length > 1) throw new Error(`bvae eval: unexpected argument "${args.positionals[1]}" (one run at a time; bvae eval --history takes several)`);
    return evalRun(runArg, args);
  },
};
