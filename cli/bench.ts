/** `bvae bench`: training/forward speed, memory and kernel shares per architecture (lib/bench/bench.ts). */
import type { Command } from "./command";
import { intFlag, parseArgs, positiveFlag, stringFlag } from "./command";
import { ARCHITECTURES, type ArchitectureName } from "../lib/models";
import { DEFAULT_BENCH, formatBench, runBench, benchMetrics, METRIC_BENCH_DEFAULTS, type MetricBenchResult } from "../lib/bench";

const USAGE = `Usage: bvae bench [--json] [--layers] [--no-metrics] [--arch burgess,chairs,mlp] [--seconds 8] [--parallel 2] [--dsprites 20000] [--reference PYTHON]

Measures, on the backend bvae picks (BVAE_BACKEND to force one), for each architecture: training
images/s at batch 64 (wall clock and per CPU-second), forward-only images/s, the metrics' encoding
images/s (posterior means through modelEncoder, batches of 256), peak resident memory,
whether the tensor count stays flat, and each kernel's share of one profiled training step. Then
--parallel runs of the first architecture side by side (one process per core: how the project uses
a second core), the dSprites generator's speed, and the time of each disentanglement metric at the
reference protocol once the codes exist (${METRIC_BENCH_DEFAULTS.numTrain} / ${METRIC_BENCH_DEFAULTS.numEval} points). Other processes on the machine lower every
number: the load average is printed with the results. The wasm kernels use fused multiply-adds
(Relaxed SIMD, enabled at run time on Node 20) unless BVAE_WASM_RELAXED=0.

A/B switches for the wasm kernels (lib/backend/wasm/; each keeps an older path selectable):
  BVAE_WASM_RELAXED=0      plain SIMD module, no fused multiply-adds
  BVAE_WASM_DW=im2col      filter gradient by im2col + MatMul instead of the direct SIMD kernel
  BVAE_WASM_DX=phase       transposed convolution by sub-pixel Conv2Ds instead of the direct kernel
  BVAE_WASM_CONV=xnnpack   the backend's XNNPACK Conv2D
  BVAE_WASM_MM=xnnpack     the backend's MatMul
  BVAE_WASM_UNARY=backend  the backend's scalar Exp / Log1p
  BVAE_WASM_ADAM=ops       Adam as ~12 tf ops per variable instead of one fused update (same bits)
  BVAE_WASM_ADAGRAD=ops    Adagrad as 7 tf ops per variable instead of one fused update (same bits)
  BVAE_WASM_FIXED_STRIDES=0  conv kernels with run-time tile strides instead of compiled-in ones (same bits)
  BVAE_ENCODE_BLANK=0      the metrics' encoder convolves the whole image, not only the windows its
                           nonzero pixels reach (lib/backend/wasm/blank-conv.ts; same codes)

Options:
  --json          print the results as JSON instead of a table
  --layers        also list each convolution kernel's time per layer (by input shapes) in the
                  profiled step (always in --json as convCalls)
  --no-metrics    skip the metric timings (about a minute)
  --arch LIST     architectures, comma-separated (default ${DEFAULT_BENCH.architectures.join(",")})
  --seconds S     timed seconds per measurement (default ${DEFAULT_BENCH.seconds})
  --parallel N    runs side by side (default ${DEFAULT_BENCH.parallelRuns}; 0 skips)
  --dsprites N    images for the dSprites generator benchmark (default ${DEFAULT_BENCH.dspritesImages}; 0 skips)
  --reference PY  also time the PyTorch reference (bench/reference/torch_vae.py: the same architectures)
                  with this Python (1 torch thread; 1 and 2 OpenBLAS threads), in the same session (e.g.
                  /usr/bin/python3 with Debian's python3-torch and libopenblas0-pthread): its training,
                  forward and encoder-only speed; then rounds alternating ours and PyTorch's (1 thread
                  each): ${DEFAULT_BENCH.encodingRounds} of the metrics' encoding against its forward and encoder, ${DEFAULT_BENCH.trainingRounds} of each
                  architecture's training step; ratios pair by pair (PyTorch's speed here swings
                  several-fold with the machine's load: quote those ratios). make bench passes it when
                  PyTorch is importable`;

function parseArchitectures(value: string | undefined): readonly ArchitectureName[] {
  if (value === undefined) return DEFAULT_BENCH.architectures;
  const names = value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of names) {
    if (!(ARCHITECTURES as readonly string[]).includes(n)) throw new Error(`--arch: "${n}" is not one of ${ARCHITECTURES.join(", ")}`);
  }
  return names as ArchitectureName[];
}

export const benchCommand: Command = {
  name: "bench",
  summary: "training speed, memory and per-kernel time of each architecture",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const p = parseArgs(args, { command: "bvae bench", values: ["arch", "seconds", "parallel", "dsprites", "reference"], booleans: ["json", "layers", "no-metrics"], maxPositionals: 0 });
    const json = p.flags.json === true;
    const result = await runBench(
      {
        architectures: parseArchitectures(stringFlag(p, "arch")),
        seconds: positiveFlag(p, "seconds") ?? DEFAULT_BENCH.seconds,
        parallelRuns: intFlag(p, "parallel") ?? DEFAULT_BENCH.parallelRuns,
        dspritesImages: intFlag(p, "dsprites") ?? DEFAULT_BENCH.dspritesImages,
        referencePython: stringFlag(p, "reference"),
      },
      json ? () => {} : (line) => console.error(`[bench] ${line}`),
    );
    let metrics: MetricBenchResult[] | undefined;
    if (p.flags["no-metrics"] !== true) {
      if (!json) console.error("[bench] metrics at the reference protocol (codes given)...");
      metrics = benchMetrics();
    }
    console.log(json ? JSON.stringify(metrics ? { ...result, metrics } : result, null, 2) : formatBench(result, 8, p.flags.layers === true) + (metrics ? formatMetrics(metrics) : ""));
    return 0;
  },
};

function formatMetrics(results: readonly MetricBenchResult[]): string {
  const lines = ["", `metrics (codes given; ${results[0]?.numTrain ?? 0} training / ${results[0]?.numEval ?? 0} evaluation points, ${results[0]?.numLatents ?? 0} latents)`];
  lines.push(`${"metric".padEnd(10)} ${"wall s".padStart(8)} ${"CPU s".padStart(8)} ${"value".padStart(8)} ${"load".padStart(6)}`);
  for (const r of results) {
    lines.push(`${r.metric.padEnd(10)} ${r.seconds.toFixed(2).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(8)} ${r.value.toFixed(3).padStart(8)} ${r.loadAverage.toFixed(1).padStart(6)}`);
  }
  return lines.join("\n");
}
