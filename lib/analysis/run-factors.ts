/**
 * Which latent of a trained run encodes which factor: latentFactorMap on the run's model, with the
 * latents the run left unused (mean KL <= 0.1 nats in its newest history row) reported as "-".
 */
import type { GroundTruthDataset } from "../data/dataset";
import type { VaeModel } from "../models/types";
import type { HistoryRow } from "../train/history";
import { inactiveLatents } from "./inspect";
import { latentFactorMap, type LatentFactorMap } from "./latent-factors";

/** A trained run as far as this needs: its model and its history. */
export interface TrainedModel {
  readonly model: VaeModel;
  readonly history: { readonly rows: readonly HistoryRow[] };
}

/** `n`: images sampled from the dataset (default 5,000). */
export function runFactorMap(run: TrainedModel, dataset: GroundTruthDataset, options: { readonly n?: number } = {}): LatentFactorMap {
  const rows = run.history.rows;
  if (rows.length === 0) throw new Error("runFactorMap: the run has an empty history");
  const inactive = inactiveLatents(rows[rows.length - 1].klPerLatent);
  return latentFactorMap(run.model, dataset, { n: options.n, inactive });
}
