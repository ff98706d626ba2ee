export * from "./types";
export { buildModel, countParameters, DEFAULT_MODEL } from "./vae";
