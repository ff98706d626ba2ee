/**
 * A run's key and name: the key is a hash of the whole TrainConfig (train/config.ts) in canonical
 * JSON, with the run folder's format, so equal configs share one run folder and any change to
 * either gives another. The folder is named <preset>-<profile>-<key>.
 */
import { createHash } from "node:crypto";
import { canonicalJson, type TrainConfig } from "../train/config";

/** Bumped when the folder layout or the training step changes meaning (changes every key). */
export const RUN_FORMAT = "bvae-run-1";

/** 10 hex digits of the SHA-256 of the canonical config. */
export function runKey(config: TrainConfig): string {
  return createHash("sha256").update(canonicalJson({ format: RUN_FORMAT, config })).digest("hex").slice(0, 10);
}

export function runName(config: TrainConfig): string {
  return `${config.preset}-${config.profile}-${runKey(config)}`;
}
