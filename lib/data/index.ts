/**
 * Datasets: the GroundTruthDataset interface, dSprites (rendered, or the official file), CelebA and
 * 3D Chairs folders, drawn stand-ins of those, the rendered chairs3d and faces3d (render3d/), the toy
 * squares, and the fixed held-out split.
 */
export type { GroundTruthDataset, ImageBatch } from "./dataset";
export { openDsprites, DspritesDataset, DEFAULT_DSPRITES_PATH, type DspritesOptions, type DspritesSourceKind } from "./dsprites";
export { DSPRITES_FACTOR_NAMES, DSPRITES_FACTOR_SIZES, DSPRITES_FACTOR_VALUES, DSPRITES_SHAPES } from "./dsprites-spec";
export { loadDspritesFile, DSPRITES_OFFICIAL_FILE } from "./dsprites-file";
export { exportDspritesNpz, selectDspritesIndices } from "./dsprites-export";
export { openCelebA, type CelebADataset } from "./celeba";
export { openChairs, type ChairsDataset } from "./chairs";
export { measureDecodeSpeed, type ImageFolderOptions } from "./image-folder";
export { openImageDataset, imageDatasetRoot, type ImageDatasetName } from "./image-datasets";
export { writeCelebAFixture, writeChairsFixture } from "./fixtures";
export {
  openChairs3d, openFaces3d, openRendered, openRenderedComplete, RENDERED_DATASETS, RenderedDataset, measureRenderSpeed, exportRenderedNpz, selectRenderedIndices,
  type RenderedDatasetName, type RenderedOptions, type RenderSpeed,
} from "./render3d";
export { makeToyDataset } from "./toy";
export { heldOutSplit, type Split } from "./splits";
export { heldOutSample, type Sample } from "./samples";
export {
  factorPixelVariance, formatFactorVariance, FACTOR_VARIANCE_DEFAULTS, type FactorVariance, type FactorVarianceResult, type FactorVarianceOptions,
} from "./factor-variance";
