/**
 * Showing and saving: charts rendered to SVG and PNG, images and GIFs, the figures of the report
 * (traversals, reconstructions, dataset samples); shown in the notebook and saved under figures/.
 */
export {
  showChart, showPng, showGif, showTable, showMarkdown, cellProgress, formatTable, tableHtml, displayBundle, inNotebook, figuresDir, lastSavedFiles, VEGA_LITE_MIME,
  explorerText, EXPLORER_TEXT,
} from "./show";
export { renderChart, type RenderedChart } from "./render";
export { imageGridPng, gifFromFrames, type GridOptions, type GifOptions } from "./images";
export { showTraversals, showReconstructionGrid, showTraversalGif, showPriorSamples, showTraversalExplorer } from "./figures";
export { traversalExplorerSpec, EXPLORER_PARAMS, type ExplorerFrames, type ExplorerSpecOptions } from "./traversal-explorer";
export { traversalFrames, decodeTraversals, explorerFrames, type ExplorerFrameOptions, type DecodedTraversals } from "./explorer-frames";
export { encodePng, pngDataUri } from "./png";
export { dspritesSamplesPng, dspritesTraversalsPng, dspritesWalkGif } from "./dsprites-figures";
export { celebaSamplesPng, chairsSamplesPng, chairViewsPng, cropIllustrationPng } from "./image-figures";
export { renderedSamplesPng, renderedSweepPng, renderedFactorGridPng, previewClasses } from "./render3d-figures";
