/** Benchmarks (`bvae bench`): training and forward speed, memory and kernel shares; the metrics' own time. */
export { runBench, formatBench, DEFAULT_BENCH, type BenchOptions, type BenchResult } from "./bench";
export { benchStep, type StepBenchOptions, type StepBenchResult } from "./step";
export { benchMetrics, METRIC_BENCH_DEFAULTS, type MetricBenchResult, type MetricBenchConfig } from "./metrics";
