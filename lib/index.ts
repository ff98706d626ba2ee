/**
 * The public library, as notebooks import it: `import * as bvae from "bvae"` (the compiled build,
 * dist/lib/index.js). It holds what a notebook author needs, by group; everything else stays behind
 * the folders' own indexes (lib/<folder>/index.ts), which the CLI uses. README.md (Architecture)
 * says which folder owns what.
 */

// Set-up: the TensorFlow.js backend, the profile (smoke | cpu | long | paper), project paths, seeds.
export { setup, initBackend, currentBackend, type Setup, type BackendInfo, type BackendName } from "./backend";
export { currentProfile, byProfile, PROFILES, type Profile } from "./profile";
export { projectRelative, projectRoot } from "./files";
export { makeRng, type Rng } from "./rng";

// Data: dSprites, CelebA and 3D Chairs (and drawn stand-ins of the last two), the rendered chairs3d
// and faces3d (known factors), held-out samples, the pixel variance each factor explains.
export {
  openDsprites, openCelebA, openChairs, openImageDataset, imageDatasetRoot, writeCelebAFixture, writeChairsFixture, heldOutSample,
  openChairs3d, openFaces3d, factorPixelVariance,
  type GroundTruthDataset, type ImageBatch, type ImageDatasetName, type Sample, type FactorVarianceResult,
} from "./data";

// Models and objectives: the ELBO's terms and the regulariser (VAE, beta-VAE, capacity increase).
export {
  klPerLatent, reconstructionLoss, objective, disposeTerms, reparameterise, capacityAt,
  type Regulariser, type DecoderDistribution, type ObjectiveTerms, type VaeModel,
} from "./models";

// Training runs: presets, the run a notebook shows for a preset, training or loading a config, stages of a run,
// the end of a run read from its history, how far it was trained.
export {
  presetConfig, PROFILE_SETTINGS, finalPerLatent, lastRow, tailMean, tailPerLatent, capacityGap,
  type PresetName, type TrainConfig, type HistoryRow, type HistoryRows,
} from "./train";
export { presetRun, storedPresetRun, storedRunOrStandIn, trainOrLoad, runsDir, runSnapshots, commonStage, loadSnapshot, runSteps, type Run, type PresetRunOptions } from "./runs";

// Disentanglement metrics: the five metrics on a dataset and an encoder, known-answer codes, baselines,
// and the scores stored with a run (computed once, then read back).
export {
  evaluateAll, syntheticDataset, syntheticEncoder, scoreValues, METRIC_NAMES, type MetricName, type MetricScore, type SyntheticCodeKind,
} from "./metrics";
export { storedHigginsTable, untrainedVaeEncoder, DSPRITES_CONTEXT, contextFor, placeAmong, type ContextEntry } from "./baselines";
export { runScores, encodingProgress, profileProtocol, baselineProtocol, scoreHistory, scoreStages, scoreTrend, type ScorePoint, type ScoreStage, type ScoreTrend } from "./runs";

// Sweeps over seeds and hyperparameters (`bvae sweep`): a sweep file's runs with their stored scores,
// and the mean and spread over seeds per setting.
export { loadSweep, sweepScoreTable, summariseSetting, meanSd, type Sweep, type SweepScoreRow, type SettingSummary } from "./sweep";

// Analysis of trained models, and the numbers behind section 2 (theory).
export {
  encodeBatch, reconstruct, reconstructionErrors, activeLatents, inactiveLatents, latentFactorMap, latentMixing, MIXING_RATIO, runFactorMap, acquisitionOrder, capacityBudget, samplePrior, pixelEntropy,
  latentAttributeCorrelations, topAttributePerLatent, latentLabelNmi, type LatentFactorMap, type LatentMixing, type LatentAttributeRow,
  normalPdf, gaussianKl, linearGaussianLogEvidence, linearGaussianPosterior, linearGaussianElbo, linearGaussianElboMonteCarlo,
  twoPosteriors, confusionMonteCarlo,
} from "./analysis";

// Charts (Vega-Lite specs) and what shows them in the notebook and saves them under figures/.
export { lineChart, sideBySide, barChart, reconChart, klTotalChart, perLatentChart, varianceComparisonChart, sweepChart, type VegaLiteSpec } from "./charts";
export {
  showChart, showPng, showGif, showTable, showMarkdown, cellProgress, showTraversals, showReconstructionGrid, showTraversalGif,
  showPriorSamples, showTraversalExplorer,
  dspritesSamplesPng, dspritesTraversalsPng, dspritesWalkGif, celebaSamplesPng, chairsSamplesPng,
  renderedSamplesPng, renderedSweepPng, renderedFactorGridPng,
} from "./display";

// The report: claims checked where they are made, findings against the report reproduced, graded by
// one rule (docs/grading.md) from what they rest on, and numbers in words.
export {
  check, verdict, showFindings, grade, gradedFinding, restsOn, GRADING, fmt, pct, sum,
  type Finding, type Verdict, type Evidence, type Reported, type Scale, type Grade,
} from "./report";
