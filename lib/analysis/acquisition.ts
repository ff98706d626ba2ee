/**
 * The order in which latents, and the generative factors they encode, acquire KL over training:
 * the capacity-increase papers' finding is position first, then scale, then shape and rotation.
 *
 * Pure: from a run's history (KL per latent at each recorded step) and a factor per latent (e.g.
 * `latentFactorMap(...).factorOfLatent`, "-" for an inactive latent).
 */
import type { HistoryRow } from "../train/history";

export interface AcquiredLatent {
  readonly latent: number;
  /** The factor this latent encodes ("-": none). */
  readonly factor: string;
  /** KL of the latent in the last history row (nats). */
  readonly finalKl: number;
  /** First recorded step at which the latent's KL exceeded the threshold. */
  readonly firstStep: number;
}

export interface Acquisition {
  /** Latents that crossed the threshold, earliest first (ties: lower latent index first). */
  readonly latents: readonly AcquiredLatent[];
  /** Distinct factors in the order their first latent crossed the threshold ("-" left out). */
  readonly factors: readonly string[];
}

export function acquisitionOrder(history: readonly Pick<HistoryRow, "step" | "klPerLatent">[], factorOfLatent: readonly string[], thresholdNats = 1): Acquisition {
  if (history.length === 0) throw new Error("acquisitionOrder: the history is empty");
  const last = history[history.length - 1].klPerLatent;
  if (factorOfLatent.length !== last.length) {
    throw new Error(`acquisitionOrder: ${factorOfLatent.length} factors given for ${last.length} latents`);
  }
  const latents: AcquiredLatent[] = [];
  for (let i = 0; i < last.length; i++) {
    const row = history.find((h) => h.klPerLatent[i] > thresholdNats);
    if (row) latents.push({ latent: i, factor: factorOfLatent[i], finalKl: last[i], firstStep: row.step });
  }
  latents.sort((a, b) => a.firstStep - b.firstStep || a.latent - b.latent);
  const factors = [...new Set(latents.map((l) => l.factor).filter((f) => f !== "-"))];
  return { latents, factors };
}
