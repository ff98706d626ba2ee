/**
 * Times each metric at the reference protocol (10,000 training / 5,000 evaluation points, batches
 * of 64) once the codes exist: the codes come from the synthetic dataset with the "padded" encoder
 * (10 latents: the 5 varying dSprites factors plus 5 noise latents), so only the metric's own work
 * is timed. For the project benchmark (lib/bench/bench.ts) and docs/metrics.md.
 */
import * as os from "node:os";
import { computeDci } from "../metrics/dci";
import { computeFactorVaeFromVariances } from "../metrics/factorvae";
import { computeHiggins } from "../metrics/higgins";
import { computeMig } from "../metrics/mig";
import { computeSap } from "../metrics/sap";
import { ADAPTER_DEFAULTS, sampleCodes, sampleFactorVaeVariances, sampleHigginsPoints, varyingFactors } from "../metrics/adapter";
import { syntheticDataset, syntheticEncoder } from "../metrics/synthetic";
import { makeRng } from "../rng";
import { METRIC_NAMES, type MetricName } from "../metrics/types";

export interface MetricBenchResult {
  readonly metric: MetricName;
  /** Wall-clock seconds of the metric core (codes given). */
  readonly seconds: number;
  /** CPU seconds of this process over the same span (less sensitive to other load). */
  readonly cpuSeconds: number;
  readonly numTrain: number;
  readonly numEval: number;
  readonly numLatents: number;
  readonly value: number;
  /** 1-minute load average when the metric finished (other processes share the CPU). */
  readonly loadAverage: number;
}

export interface MetricBenchConfig {
  readonly numTrain: number;
  readonly numEval: number;
  readonly metrics: readonly MetricName[];
  readonly seed: number;
}

export const METRIC_BENCH_DEFAULTS: MetricBenchConfig = { numTrain: 10000, numEval: 5000, metrics: METRIC_NAMES, seed: 0 };

export function benchMetrics(config: Partial<MetricBenchConfig> = {}): MetricBenchResult[] {
  const cfg = { ...METRIC_BENCH_DEFAULTS, ...config };
  const ds = syntheticDataset();
  const encode = syntheticEncoder(ds, "padded", cfg.seed);
  const numFactors = varyingFactors(ds).indices.length;
  const batch = ADAPTER_DEFAULTS.batchSize;
  const results: MetricBenchResult[] = [];
  for (const metric of cfg.metrics) {
    const rng = makeRng(cfg.seed);
    // Inputs first (not timed).
    let run: () => { value: number };
    let numLatents = 0;
    switch (metric) {
      case "higgins": {
        const tr = sampleHigginsPoints(ds, encode, cfg.numTrain, batch, rng);
        const ev = sampleHigginsPoints(ds, encode, cfg.numEval, batch, rng);
        numLatents = tr.dim;
        run = () => computeHiggins(tr, ev, { numFactors, seed: cfg.seed });
        break;
      }
      case "factorvae": {
        const global = sampleCodes(ds, encode, ADAPTER_DEFAULTS.numVarianceSamples, rng).codes;
        const tr = sampleFactorVaeVariances(ds, encode, cfg.numTrain, batch, rng);
        const ev = sampleFactorVaeVariances(ds, encode, cfg.numEval, batch, rng);
        numLatents = tr.numLatents;
        run = () => computeFactorVaeFromVariances(global, tr, ev, { numFactors, seed: cfg.seed });
        break;
      }
      case "mig":
      case "dci":
      case "sap": {
        const tr = sampleCodes(ds, encode, cfg.numTrain, rng);
        const ev = sampleCodes(ds, encode, cfg.numEval, rng);
        numLatents = tr.codes.numLatents;
        run =
          metric === "mig"
            ? () => computeMig(tr.codes, tr.factors, { seed: cfg.seed })
            : metric === "dci"
              ? () => computeDci(tr.codes, tr.factors, ev.codes, ev.factors, { seed: cfg.seed })
              : () => computeSap(tr.codes, tr.factors, ev.codes, ev.factors, { seed: cfg.seed });
        break;
      }
    }
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const { value } = run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    results.push({
      metric, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, numTrain: cfg.numTrain,
      numEval: metric === "mig" ? 0 : cfg.numEval, numLatents, value, loadAverage: os.loadavg()[0],
    });
  }
  return results;
}
