/**
 * `bvae bench`: training speed, forward speed, peak memory and per-kernel time of every
 * architecture the project trains, on the backend initBackend() picks; also two training runs side
 * by side (how the project uses the second core: independent runs, one per core) and the dSprites
 * generator's speed.
 *
 * Each measurement runs in its own child process (child.ts), so peak resident memory is per
 * architecture and one model's caches do not slow the next.
 */
import { execFile, fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { ArchitectureName } from "../models";
import { benchEncoding, benchStep, benchTraining, type StepBenchOptions, type StepBenchResult } from "./step";
import { initBackend } from "../backend/init";
import { projectRoot } from "../files";

export interface BenchOptions {
  /** Default: the report's three (burgess, chairs, mlp). */
  readonly architectures: readonly ArchitectureName[];
  /** Runs of the first architecture trained side by side (0 or 1 = skip). Default 2 (one per core). */
  readonly parallelRuns: number;
  /** Seconds of timed training per measurement. Default 8. */
  readonly seconds: number;
  /** Images for the dSprites generator benchmark (0 = skip). Default 20,000. */
  readonly dspritesImages: number;
  /**
   * Also run the PyTorch reference (bench/reference/torch_vae.py: the same architectures, 1 and 2
   * OpenBLAS threads) in the same session, with this Python (e.g. Debian's /usr/bin/python3 with
   * python3-torch). Default: none (skip).
   */
  readonly referencePython?: string;
  /**
   * With referencePython: rounds of the metrics' encoding (burgess) and PyTorch's forward and
   * encoder, alternating (ours, theirs, ours, ...), each timed for seconds / 4; the ratios are
   * taken pair by pair, so that a change in the machine's load hits both sides. Default 5.
   */
  readonly encodingRounds: number;
  /**
   * With referencePython: rounds of each architecture's training step, ours and PyTorch's (1 torch
   * + 1 OpenBLAS thread) alternating, each timed for seconds / 2; ratios pair by pair. Default 3.
   */
  readonly trainingRounds: number;
}

export const DEFAULT_BENCH: BenchOptions = {
  architectures: ["burgess", "chairs", "mlp"],
  parallelRuns: 2,
  seconds: 8,
  dspritesImages: 20_000,
  encodingRounds: 5,
  trainingRounds: 3,
};

export interface ParallelResult {
  readonly architecture: ArchitectureName;
  readonly runs: number;
  /** Training images/s of each run, measured over the same period. */
  readonly perRun: readonly number[];
  readonly totalImagesPerSecond: number;
}

export interface DspritesSpeed {
  readonly imagesPerSecond: number;
  readonly batchSize: number;
  readonly peakRssMB: number;
}

/** What bench/reference/torch_vae.py --json prints. */
export interface ReferenceResult {
  readonly framework: string;
  readonly architecture: ArchitectureName;
  readonly threads: number;
  readonly blasThreads: number;
  readonly params: number;
  readonly batch: number;
  readonly trainImagesPerSecond: number;
  readonly trainImagesPerCpuSecond: number;
  readonly forwardImagesPerSecond: number;
  /** The encoder alone (no decoder, no sampling), at encodeBatch. */
  readonly encodeBatch: number;
  readonly encodeImagesPerSecond: number;
  readonly peakRssMB: number;
}

export interface BenchResult {
  readonly backend: string;
  readonly tfjs: string;
  readonly cores: number;
  /** 1-minute load average before and after: other processes make every number smaller. */
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly date: string;
  readonly architectures: readonly StepBenchResult[];
  readonly parallel?: ParallelResult;
  readonly dsprites?: DspritesSpeed | { readonly error: string };
  readonly reference?: readonly ReferenceResult[] | { readonly error: string };
  readonly encodingSideBySide?: EncodingSideBySide | { readonly error: string };
  readonly trainingSideBySide?: readonly TrainingSideBySide[] | { readonly error: string };
}

/** Rounds of our encoding and PyTorch's (1 torch + 1 OpenBLAS thread), alternating. */
export interface EncodingSideBySide {
  /** Per round: the metrics' encoding img/s, PyTorch's forward and encoder-only img/s. */
  readonly rounds: readonly { readonly ours: number; readonly torchForward: number; readonly torchEncoder: number }[];
}

/** Rounds of one architecture's training step, ours and PyTorch's (1 torch + 1 OpenBLAS thread), alternating. */
export interface TrainingSideBySide {
  readonly architecture: ArchitectureName;
  /** Per round: training images/s (batch 64), ours then PyTorch's. */
  readonly rounds: readonly { readonly ours: number; readonly torch: number }[];
}

/** What a child process is asked to do. */
export type ChildTask =
  | { readonly kind: "step"; readonly options: Partial<StepBenchOptions> }
  | { readonly kind: "dsprites"; readonly images: number }
  | { readonly kind: "encode"; readonly architecture: ArchitectureName; readonly seconds: number }
  | { readonly kind: "train"; readonly architecture: ArchitectureName; readonly seconds: number };

/** Runs one task in a child process (child.ts) and returns the JSON it prints last. */
function runChild<T>(task: ChildTask): Promise<T> {
  const script = path.join(__dirname, "child.js");
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(task)], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`bench child (${task.kind}) exited with code ${code}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench child (${task.kind}) printed no JSON result: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** The child side: one measurement, printed as one JSON line. */
export async function runChildTask(taskJson: string): Promise<void> {
  const task = JSON.parse(taskJson) as ChildTask;
  switch (task.kind) {
    case "step": {
      await initBackend({ quiet: true });
      console.log(JSON.stringify(await benchStep(task.options)));
      return;
    }
    case "encode": {
      await initBackend({ quiet: true });
      console.log(JSON.stringify(benchEncoding(task.architecture, task.seconds)));
      return;
    }
    case "train": {
      await initBackend({ quiet: true });
      console.log(JSON.stringify(benchTraining(task.architecture, task.seconds)));
      return;
    }
    case "dsprites": {
      // Loaded lazily: the generator module is another engineer's and may be absent.
      const mod = (await import("../data/dsprites")) as { benchDsprites?: (o: { images: number }) => { imagesPerSecond: number; batchSize: number; peakRssMB: number } };
      if (typeof mod.benchDsprites !== "function") throw new Error("lib/data/dsprites has no benchDsprites");
      const r = mod.benchDsprites({ images: task.images });
      console.log(JSON.stringify({ imagesPerSecond: r.imagesPerSecond, batchSize: r.batchSize, peakRssMB: r.peakRssMB }));
      return;
    }
    default: {
      const never: never = task;
      throw new Error(`unknown bench task ${JSON.stringify(never)}`);
    }
  }
}

/** What a reference run times: all (training, forward, encoder), or only one side of it. */
type ReferenceMode = "all" | "no-train" | "train-only";

/** Runs the PyTorch reference script once and parses its JSON line. */
function runReference(python: string, architecture: ArchitectureName, blasThreads: number, seconds: number, mode: ReferenceMode = "all"): Promise<ReferenceResult> {
  const script = path.join(projectRoot(), "bench", "reference", "torch_vae.py");
  // One torch thread; OpenBLAS (which runs PyTorch's CPU convolutions here) with 1 or 2 threads:
  // the fastest two-core setting found on these machines (platform.md).
  const threads = 1;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(blasThreads) };
  return new Promise((resolve, reject) => {
    const args = [script, "--json", "--arch", architecture, "--threads", String(threads), "--seconds", String(seconds), ...(mode === "all" ? [] : [`--${mode}`])];
    execFile(python, args, { env }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${python} ${script}: ${stderr.trim().split("\n").pop() ?? err.message}`));
      try {
        resolve({ ...(JSON.parse(stdout.trim().split("\n").pop() ?? "") as ReferenceResult), blasThreads });
      } catch {
        reject(new Error(`${script} printed no JSON result`));
      }
    });
  });
}

/** Runs the whole benchmark; `log` receives progress lines. */
export async function runBench(options: Partial<BenchOptions> = {}, log: (line: string) => void = () => {}): Promise<BenchResult> {
  const opts: BenchOptions = { ...DEFAULT_BENCH, ...options };
  const info = await initBackend({ quiet: true });
  const loadBefore = os.loadavg()[0];
  const architectures: StepBenchResult[] = [];
  for (const architecture of opts.architectures) {
    log(`training ${architecture}...`);
    architectures.push(await runChild<StepBenchResult>({ kind: "step", options: { architecture, minSeconds: opts.seconds } }));
  }
  let parallel: ParallelResult | undefined;
  if (opts.parallelRuns > 1 && opts.architectures.length > 0) {
    const architecture = opts.architectures[0];
    log(`${opts.parallelRuns} ${architecture} runs side by side...`);
    const runs = await Promise.all(
      Array.from({ length: opts.parallelRuns }, () =>
        runChild<StepBenchResult>({ kind: "step", options: { architecture, minSeconds: opts.seconds } }),
      ),
    );
    const perRun = runs.map((r) => r.trainImagesPerSecond);
    parallel = { architecture, runs: runs.length, perRun, totalImagesPerSecond: perRun.reduce((a, b) => a + b, 0) };
  }
  let dsprites: BenchResult["dsprites"];
  if (opts.dspritesImages > 0) {
    log("dSprites generation...");
    try {
      dsprites = await runChild<DspritesSpeed>({ kind: "dsprites", images: opts.dspritesImages });
    } catch (err) {
      dsprites = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  let reference: BenchResult["reference"];
  if (opts.referencePython) {
    log("PyTorch reference (1 torch thread; 1 and 2 OpenBLAS threads)...");
    try {
      const runs: ReferenceResult[] = [];
      for (const architecture of opts.architectures) {
        for (const blas of [1, 2]) runs.push(await runReference(opts.referencePython, architecture, blas, opts.seconds));
      }
      reference = runs;
    } catch (err) {
      reference = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  let encodingSideBySide: BenchResult["encodingSideBySide"];
  if (opts.referencePython && opts.encodingRounds > 0) {
    log(`the metrics' encoding and PyTorch's forward side by side (${opts.encodingRounds} rounds)...`);
    try {
      const rounds: { ours: number; torchForward: number; torchEncoder: number }[] = [];
      for (let i = 0; i < opts.encodingRounds; i++) {
        const ours = await runChild<{ encodeImagesPerSecond: number }>({ kind: "encode", architecture: "burgess", seconds: opts.seconds / 4 });
        const torch = await runReference(opts.referencePython, "burgess", 1, opts.seconds, "no-train");
        rounds.push({ ours: ours.encodeImagesPerSecond, torchForward: torch.forwardImagesPerSecond, torchEncoder: torch.encodeImagesPerSecond });
      }
      encodingSideBySide = { rounds };
    } catch (err) {
      encodingSideBySide = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  let trainingSideBySide: BenchResult["trainingSideBySide"];
  if (opts.referencePython && opts.trainingRounds > 0) {
    try {
      const all: TrainingSideBySide[] = [];
      for (const architecture of opts.architectures) {
        log(`${architecture} training, ours and PyTorch's side by side (${opts.trainingRounds} rounds)...`);
        const rounds: { ours: number; torch: number }[] = [];
        for (let i = 0; i < opts.trainingRounds; i++) {
          const ours = await runChild<{ trainImagesPerSecond: number }>({ kind: "train", architecture, seconds: opts.seconds / 2 });
          const torch = await runReference(opts.referencePython, architecture, 1, opts.seconds / 2, "train-only");
          rounds.push({ ours: ours.trainImagesPerSecond, torch: torch.trainImagesPerSecond });
        }
        all.push({ architecture, rounds });
      }
      trainingSideBySide = all;
    } catch (err) {
      trainingSideBySide = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  return {
    backend: info.name,
    tfjs: tf.version.tfjs,
    cores: os.cpus().length,
    loadBefore,
    loadAfter: os.loadavg()[0],
    date: new Date().toISOString(),
    architectures,
    parallel,
    dsprites,
    reference,
    encodingSideBySide,
    trainingSideBySide,
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The metrics' encoding (burgess) against PyTorch in the same session: its forward pass (encoder +
 * decoder, batch 64) and its encoder alone (the same network), the fastest thread setting each.
 * Ours encodes dSprites images and skips their blank background (lib/backend/wasm/blank-conv.ts);
 * PyTorch's dense convolutions take the same time on any pixels.
 */
export function encodingVersusReference(ours: StepBenchResult, reference: readonly ReferenceResult[]): string {
  const same = reference.filter((x) => x.architecture === ours.architecture);
  const best = (f: (x: ReferenceResult) => number) => Math.max(...same.map(f));
  const forward = best((x) => x.forwardImagesPerSecond);
  const encoder = best((x) => x.encodeImagesPerSecond);
  const e = ours.encodeImagesPerSecond;
  return `metrics' encoding of dSprites (burgess) ${fmt(e, 1)} img/s: ${(e / forward).toFixed(2)}x PyTorch's forward (${fmt(forward, 1)}), ${(e / encoder).toFixed(2)}x its encoder alone (${fmt(encoder, 1)})`;
}

/** The human-readable report; `layers`: also each convolution kernel's time per layer (input shapes). */
export function formatBench(r: BenchResult, topKernels = 8, layers = false): string {
  const lines: string[] = [];
  const relaxed = r.architectures.some((a) => a.relaxedSimd) ? ", lib/backend/wasm kernels with Relaxed SIMD (fused multiply-add)" : "";
  lines.push(`bvae bench: backend ${r.backend} (TensorFlow.js ${r.tfjs})${relaxed}, ${r.cores} cores, load average ${r.loadBefore.toFixed(1)} -> ${r.loadAfter.toFixed(1)}, ${r.date}`);
  lines.push("");
  const header = ["architecture", "params", "batch", "train img/s", "(per CPU-s)", "step ms", "forward img/s", "encode img/s", "peak RSS MB", "tensors"];
  const rows = r.architectures.map((a) => [
    a.architecture,
    fmt(a.numParameters),
    String(a.batchSize),
    fmt(a.trainImagesPerSecond, 1),
    fmt(a.trainImagesPerCpuSecond, 1),
    fmt(a.trainStepMs, 1),
    fmt(a.forwardImagesPerSecond, 1),
    fmt(a.encodeImagesPerSecond, 1),
    fmt(a.peakRssMB),
    a.tensorsBefore === a.tensorsAfter ? "flat" : `${a.tensorsBefore}->${a.tensorsAfter}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  lines.push(line(header), ...rows.map(line));
  lines.push(`(forward: encoder + decoder at the batch above; encode: the metrics' encoder, posterior means in batches of ${r.architectures[0]?.encodeBatchSize ?? "-"})`, "");
  for (const a of r.architectures) {
    const top = a.kernels.slice(0, topKernels).map((k) => `${k.kernel} ${(100 * k.share).toFixed(1)}% (${k.calls}x)`);
    const rest = a.kernels.slice(topKernels).reduce((s, k) => s + k.share, 0);
    lines.push(`kernel share of a ${a.architecture} step (${(100 * a.kernelFraction).toFixed(0)}% of it in kernels): ${top.join(", ")}, other ${(100 * rest).toFixed(1)}%`);
    if (layers && a.convCalls) {
      for (const c of a.convCalls) {
        const shapes = c.inputShapes.map((s) => `[${s.join(",")}]`).join(" ");
        lines.push(`  ${c.kernel.padEnd(20)} ${shapes.padEnd(34)} ${String(c.calls).padStart(2)}x ${fmt(c.ms, 1).padStart(7)} ms ${(100 * c.share).toFixed(1).padStart(5)}%`);
      }
    }
  }
  if (r.parallel) {
    const p = r.parallel;
    lines.push("");
    lines.push(`${p.runs} ${p.architecture} runs side by side (one process each): ${p.perRun.map((v) => fmt(v, 1)).join(" + ")} = ${fmt(p.totalImagesPerSecond, 1)} img/s`);
  }
  if (r.dsprites) {
    lines.push("");
    if ("error" in r.dsprites) lines.push(`dSprites generation: not measured (${r.dsprites.error})`);
    else lines.push(`dSprites generation: ${fmt(r.dsprites.imagesPerSecond)} img/s (batches of ${r.dsprites.batchSize}), peak RSS ${fmt(r.dsprites.peakRssMB)} MB`);
  }
  if (r.reference) {
    lines.push("");
    if ("error" in r.reference) lines.push(`PyTorch reference: not measured (${r.reference.error})`);
    else {
      for (const ref of r.reference) {
        lines.push(`reference ${ref.framework}, ${ref.threads} torch + ${ref.blasThreads} OpenBLAS thread(s), ${ref.architecture} batch ${ref.batch}: train ${fmt(ref.trainImagesPerSecond, 1)} img/s (${fmt(ref.trainImagesPerCpuSecond, 1)} per CPU-s), forward ${fmt(ref.forwardImagesPerSecond, 1)} img/s, encoder only (batch ${ref.encodeBatch}) ${fmt(ref.encodeImagesPerSecond, 1)} img/s, peak RSS ${fmt(ref.peakRssMB)} MB`);
      }
      const ours = r.architectures.find((a) => a.architecture === "burgess");
      if (ours && r.reference.some((x) => x.architecture === "burgess")) lines.push(encodingVersusReference(ours, r.reference));
    }
  }
  if (r.encodingSideBySide) {
    lines.push("", "error" in r.encodingSideBySide ? `encoding side by side: not measured (${r.encodingSideBySide.error})` : formatSideBySide(r.encodingSideBySide));
  }
  if (r.trainingSideBySide) {
    lines.push("", "error" in r.trainingSideBySide ? `training side by side: not measured (${r.trainingSideBySide.error})` : formatTrainingSideBySide(r.trainingSideBySide));
  }
  return lines.join("\n");
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Ratios pair by pair (ours / PyTorch's), their median and range. */
export function formatSideBySide(s: EncodingSideBySide): string {
  const ratio = (f: (r: EncodingSideBySide["rounds"][number]) => number) => s.rounds.map((r) => r.ours / f(r));
  const show = (xs: number[]) => `median ${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
  return [
    `the metrics' encoding (burgess, batches of 256) against PyTorch (1 torch + 1 OpenBLAS thread), ${s.rounds.length} rounds alternating, ratios pair by pair:`,
    `  / PyTorch's forward (encoder + decoder, batch 64): ${show(ratio((r) => r.torchForward))}`,
    `  / PyTorch's encoder alone (batch 64):              ${show(ratio((r) => r.torchEncoder))}`,
    `  (img/s per round, ours / forward / encoder: ${s.rounds.map((r) => `${fmt(r.ours)}/${fmt(r.torchForward)}/${fmt(r.torchEncoder)}`).join(", ")})`,
  ].join("\n");
}

/** Each architecture's training step against PyTorch's: ratios pair by pair, their median and range. */
export function formatTrainingSideBySide(all: readonly TrainingSideBySide[]): string {
  const lines = [`training (batch 64, Bernoulli + beta-KL; Adam, the mlp Adagrad as in its preset) against PyTorch (1 torch + 1 OpenBLAS thread), rounds alternating, ratios pair by pair:`];
  for (const t of all) {
    const xs = t.rounds.map((r) => r.ours / r.torch);
    const rounds = t.rounds.map((r) => `${fmt(r.ours)}/${fmt(r.torch)}`).join(", ");
    lines.push(`  ${t.architecture.padEnd(8)} median ${median(xs).toFixed(2)}x (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}; img/s per round, ours/PyTorch: ${rounds})`);
  }
  return lines.join("\n");
}
