/** The dSprites pieces notebooks use (one export line in lib/index.ts). */
export * from "./dsprites-spec";
export * from "./dsprites";
export * from "./dsprites-figures";
export * from "./splits";
export * from "../images";
export { exportDspritesNpz, selectDspritesIndices } from "./dsprites-export";
export { DSPRITES_OFFICIAL_FILE, loadDspritesFile } from "./dsprites-file";
