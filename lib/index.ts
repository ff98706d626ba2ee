/**
 * The public library, as the notebooks import it: `import * as bvae from "bvae"`.
 * Only what notebooks and the CLI use is exported here.
 */
export * from "./backend/init";
export * from "./profile";
export * from "./rng";
export * from "./models/objectives";
export type { GroundTruthDataset, ImageBatch } from "./data/dataset";
export * from "./render";
export * from "./display";
export * from "./files";
export * from "./charts/line";
export * from "./theory";
export * from "./check";
export * from "./findings";
export * from "./data/dsprites-index";
export * from "./data/image-folder";
export * from "./data/celeba";
export * from "./data/chairs";
export * from "./data/image-figures";
export * from "./data/image-datasets";

export * from "./charts/training";
export * from "./inspect";
export * from "./models";
export * from "./runs";
export * from "./train/presets";
export * from "./train";
export * from "./figures";
export * from "./metrics";
export * from "./baselines";
export * from "./data/fixtures";
export * from "./attributes";
export * from "./preset-runs";
export * from "./acquisition";
export * from "./capacity-budget";
export * from "./run-scores";
