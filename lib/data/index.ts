/**
 * Datasets: the GroundTruthDataset interface, dSprites (rendered, or the official file), CelebA and
 * 3D Chairs folders, drawn stand-ins of those, the toy squares, and the fixed held-out split.
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
export { makeToyDataset } from "./toy";
export { heldOutSplit, type Split } from "./splits";
export { heldOutSample, type Sample } from "./samples";
