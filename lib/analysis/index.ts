/**
 * Looking inside trained models, and the numbers of the report's theory: posteriors, traversals,
 * reconstruction errors, active latents, which latent encodes which factor, the order factors are
 * learned in, where the capacity goes, latents against labels; section 2's Gaussian examples.
 */
export {
  encodeBatch, decodeLatents, reconstruct, traverse, linspace, reconstructionErrors, activeLatents, inactiveLatents,
  type Posteriors, type TraversalOptions, type ReconstructionErrors,
} from "./inspect";
export { latentFactorMap, latentMixing, MIXING_RATIO, type LatentFactorMap, type LatentMixing } from "./latent-factors";
export { runFactorMap, type TrainedModel } from "./run-factors";
export { samplePrior, pixelEntropy } from "./prior";
export { acquisitionOrder, type Acquisition, type AcquiredLatent } from "./acquisition";
export { capacityBudget, type CapacityBudget, type FactorBudget } from "./capacity-budget";
export { latentAttributeCorrelations, topAttributePerLatent, latentLabelNmi, type LatentAttributeRow } from "./attributes";
export {
  normalPdf, normalCdf, erfc, gaussianKl, linearGaussianLogEvidence, linearGaussianPosterior, linearGaussianElbo,
  linearGaussianElboMonteCarlo, twoPosteriors, confusionMonteCarlo, type ElboTerms, type OverlapPoint,
} from "./theory";
