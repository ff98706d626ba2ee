/**
 * Training: the TrainConfig that determines a run (and its key), the presets (one TrainConfig per
 * experiment and profile), the trainer, its optimisers (Adam, Adagrad), the history, and one training session in a run folder.
 */
export { makeConfig, canonicalJson, DEFAULT_TRAIN, DATASETS, type TrainConfig, type ConfigOverrides, type DatasetName } from "./config";
export { PRESETS, PRESET_NAMES, PROFILE_SETTINGS, isPresetName, presetConfig, type Preset, type PresetName, type ProfileSettings } from "./presets";
export { DEFAULT_ADAM, type AdamConfig } from "./adam";
export { DEFAULT_ADAGRAD, type AdagradConfig } from "./adagrad";
export { makeOptimizer, optimizerNote, type Optimizer, type OptimizerConfig } from "./optimizer";
export { History, historyColumns, finalKlPerLatent, finalPerLatent, type HistoryRow, type PerLatentField } from "./history";
export { historyUntil, lastRow, tailLength, tailMean, tailPerLatent, capacityGap, type HistoryRows, type ScalarField } from "./history-tail";
export { NonFiniteLossError, Trainer } from "./trainer";
export { trainSession, type SessionOptions } from "./session";
export { openDataset } from "./datasets";
