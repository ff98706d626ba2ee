/** Scores by metric name: `scoreValues(scores).mig`. */
import type { MetricName, MetricScore } from "./types";

/** Each score's headline value under its metric's name (a metric scored twice: the later one). */
export function scoreValues(scores: readonly MetricScore[]): Record<MetricName, number> {
  return Object.fromEntries(scores.map((s) => [s.metric, s.value])) as Record<MetricName, number>;
}
