/** What notebooks use of the training engine (re-exported by lib/index.ts). */
export { makeConfig, canonicalJson, DEFAULT_TRAIN, DATASETS, type TrainConfig, type ConfigOverrides, type DatasetName } from "./config";
export { DEFAULT_ADAM, type AdamConfig } from "./adam";
export { History, historyColumns, finalKlPerLatent, finalPerLatent, type HistoryRow, type PerLatentField } from "./history";
export { NonFiniteLossError, Trainer } from "./trainer";
export { openDataset } from "./datasets";
export { makeToyDataset } from "../data/toy";
