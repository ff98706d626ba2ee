/**
 * The models: VAE architectures (encoder and decoder), and the objectives they are trained with
 * (reconstruction, KL per latent, and the regulariser that makes VAE, beta-VAE or capacity increase).
 */
export * from "./types";
export { buildModel, countParameters, DEFAULT_MODEL } from "./vae";
export {
  klPerLatent, reconstructionLoss, capacityAt, regulariserTerm, objective, disposeTerms, reparameterise, LOGIT_CLAMP,
  type DecoderDistribution, type Regulariser, type ObjectiveTerms,
} from "./objectives";
