/**
 * Showing and saving: charts rendered to SVG and PNG, images and GIFs, the figures of the report
 * (traversals, reconstructions, dataset samples); shown in the notebook and saved under figures/.
 */
export {
  showChart, showPng, showGif, showTable, showMarkdown, cellProgress, formatTable, tableHtml, displayBundle, inNotebook, figuresDir, lastSavedFiles, VEGA_LITE_MIME,
} from "./show";
export { renderChart, type RenderedChart } from "./render";
export { imageGridPng, gifFromFrames, type GridOptions, type GifOptions } from "./images";
export { showTraversals, showReconstructionGrid, showTraversalGif, showPriorSamples } from "./figures";
export { dspritesSamplesPng, dspritesTraversalsPng, dspritesWalkGif } from "./dsprites-figures";
export { celebaSamplesPng, chairsSamplesPng, chairViewsPng, cropIllustrationPng } from "./image-figures";
export { renderedSamplesPng, renderedSweepPng, renderedFactorGridPng, previewClasses } from "./render3d-figures";
