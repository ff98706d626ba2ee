/**
 * The disentanglement metrics (Higgins, FactorVAE, MIG, DCI, SAP): pure cores on arrays (codes,
 * factors), the adapter that samples a dataset and encodes it, the code cache, and known-answer encoders.
 */
export type { Codes, FactorClasses, MetricName, MetricScore } from "./types";
export { METRIC_NAMES } from "./types";
export { scoreValues } from "./score-values";
export { computeHiggins, higginsFeature, HIGGINS_DEFAULTS } from "./higgins";
export type { HigginsPoints, HigginsConfig, HigginsDetails } from "./higgins";
export { computeFactorVae, computeFactorVaeFromVariances, groupVariances, FACTORVAE_DEFAULTS } from "./factorvae";
export type { FactorVaeGroups, FactorVaeVariances, FactorVaeConfig, FactorVaeDetails } from "./factorvae";
export { computeMig, MIG_DEFAULTS } from "./mig";
export type { MigConfig, MigDetails } from "./mig";
export { computeDci, dciFromImportance, DCI_DEFAULTS } from "./dci";
export type { DciConfig, DciDetails } from "./dci";
export { computeSap, SAP_DEFAULTS } from "./sap";
export type { SapConfig, SapDetails, SapFactorType } from "./sap";
export {
  ADAPTER_DEFAULTS, evaluateAll, evaluateHiggins, evaluateFactorVae, sampleCodes, sampleHigginsPoints,
  sampleFactorVaeVariances, varyingFactors, encodeFactors, withCodeCache,
} from "./adapter";
export { cachedEncoder, gridIndex, CODE_CACHE_DEFAULTS } from "./code-cache";
export type { CodeCacheConfig } from "./code-cache";
export { isFactorEncoder, markStochastic } from "./encoder";
export type { Encoder, FactorEncoder } from "./encoder";
export type { AdapterConfig, EvaluateAllConfig } from "./adapter";
export { modelEncoder } from "./model-encoder";
export { syntheticDataset, syntheticEncoder } from "./synthetic";
export type { SyntheticCodeKind } from "./synthetic";
