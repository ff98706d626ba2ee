/** The rendered datasets, for data/index.ts (their figures are in display/render3d-figures.ts). */
export { openChairs3d, CHAIRS3D_GRID, chairs3dMirrorAzimuth } from "../chairs3d";
export { openFaces3d, FACES3D_GRID, faces3dMirrorClass } from "../faces3d";
export { openRendered, openRenderedComplete, RENDERED_DATASETS, type RenderedDatasetName } from "./open";
export { RenderedDataset, measureRenderSpeed, type RenderedOptions, type RenderSpeed } from "./rendered-dataset";
export { exportRenderedNpz, selectRenderedIndices } from "./export";
