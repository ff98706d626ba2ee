/**
 * Run folders (runs/): a config's key and folder (with its data source), training or loading it,
 * the lock of a run in training, the listing (and the temporaries interrupted writes leave), the
 * pruning of checkpoints a resume no longer needs, the scores stored with a run, the run a notebook
 * shows for a preset, and the plan of what `bvae prepare` trains.
 */
export { RUN_FORMAT, runKey, runName } from "./key";
export {
  runsDir, locateRun, loadRun, loadLatest, findRun, loadRunFolder, readRunSummary, runSnapshots, commonStage, loadSnapshot, warnDamaged,
  type Run, type RunSummary, type RunFolder, type RunsDirOption,
} from "./run";
export { trainOrLoad, type TrainOptions } from "./train-or-load";
export { listRuns, type RunListing } from "./listing";
export { pruneCheckpoints, type PrunedRun } from "./prune";
export { findTemporaries, removeStaleTemporaries, formatBytes, type Temporary } from "./temporaries";
export { resolveDataSource, checkDataSource, datasetSourceId } from "./data-source";
export { presetRun, longerRun, storedRun, storedPresetRun, storedRunOrStandIn, type PresetRunOptions, type StoredRun } from "./preset-run";
export { runSteps } from "./describe";
export { parseRunItem, planRuns, runItemText, type PlanAction, type PlannedRun, type RunItem } from "./plan";
export {
  runScores, encodingProgress, storedScores, ScoresNotStoredError, profileProtocol, baselineProtocol, type BaselineProtocol, stageScoresFile, scoreHistory, scoreStages, scoreTrend,
  type RunScores, type RunScoresOptions, type StoredScores, type ScorePoint, type ScoreStage, type ScoreTrend,
} from "./scores";
export {
  METRICS_FILE, readMetrics, findEntry, storeEntry, partialMetricsFile, checkpointScoreSteps,
  type MetricProtocol, type MetricsEntry, type MetricsFile,
} from "./score-files";
