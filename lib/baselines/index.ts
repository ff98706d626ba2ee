/** The Higgins-table baselines (PCA, FastICA, raw pixels, an untrained VAE), scored and stored per protocol. */
export { fitPca, pcaTransform, pcaEncoder, PCA_DEFAULTS } from "./pca";
export type { PcaModel, PcaConfig } from "./pca";
export { fitFastIca, fastIcaTransform, fastIcaEncoder, FASTICA_DEFAULTS } from "./fastica";
export type { FastIcaModel, FastIcaConfig } from "./fastica";
export { pixelEncoder } from "./pixels";
export { higginsBaselineTable, formatHigginsTable, PUBLISHED_HIGGINS, BASELINE_NAMES, HIGGINS_TABLE_DEFAULTS } from "./higgins-table";
export type { BaselineName, HigginsTableRow, HigginsTableConfig } from "./higgins-table";
export { storedHigginsTable, storedBaselineRows, datasetFingerprint, BASELINES_FILE } from "./stored-table";
export type { StoredTable, StoredTableOptions, BaselineTableKey } from "./stored-table";
export { untrainedVaeEncoder } from "./untrained-vae";
export * from "./context";
