/**
 * The public library, as the notebooks import it: `import * as bvae from "bvae"`.
 * Only what notebooks and the CLI use is exported here.
 */
export * from "./backend/init";
export * from "./profile";
export * from "./rng";
export * from "./models/objectives";
export type { GroundTruthDataset, ImageBatch } from "./data/dataset";
export * from "./display/render";
export * from "./charts/spec";
export * from "./display/show";
export * from "./files";
export * from "./charts/line";
export * from "./analysis/theory";
export * from "./report/check";
export * from "./report/findings";
export * from "./data/dsprites-spec";
export * from "./data/dsprites";
export * from "./display/dsprites-figures";
export * from "./data/splits";
export * from "./display/images";
export { exportDspritesNpz, selectDspritesIndices } from "./data/dsprites-export";
export { DSPRITES_OFFICIAL_FILE, loadDspritesFile } from "./data/dsprites-file";
export * from "./data/image-folder";
export * from "./data/celeba";
export * from "./data/chairs";
export * from "./display/image-figures";
export * from "./data/image-datasets";

export * from "./charts/training";
export * from "./analysis/inspect";
export * from "./models";
export * from "./runs";
export * from "./train/presets";
export * from "./train";
export * from "./display/figures";
export * from "./data/samples";
export * from "./analysis/latent-factors";
export * from "./metrics";
export * from "./baselines";
export * from "./data/fixtures";
export * from "./analysis/attributes";
export * from "./analysis/acquisition";
export * from "./analysis/capacity-budget";
