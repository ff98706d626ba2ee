/**
 * Renders a Vega-Lite spec to SVG and PNG in Node (vega 5 + node-canvas), headless.
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { VegaLiteSpec } from "../charts/spec";

export interface RenderedChart {
  readonly svg: string;
  readonly png: Buffer;
}

/** Compiles a Vega-Lite spec to a Vega view (no renderer attached). */
function makeView(spec: VegaLiteSpec): vega.View {
  const compiled = vl.compile(spec).spec;
  return new vega.View(vega.parse(compiled), { renderer: "none" });
}

/** SVG and PNG (at `scale` x resolution) of a Vega-Lite spec. */
export async function renderChart(spec: VegaLiteSpec, scale = 2): Promise<RenderedChart> {
  const view = makeView(spec);
  try {
    const svg = await view.toSVG();
    // toCanvas uses node-canvas when it is installed; the result has toBuffer().
    const canvas = (await view.toCanvas(scale)) as unknown as { toBuffer(mime: "image/png"): Buffer };
    return { svg, png: canvas.toBuffer("image/png") };
  } finally {
    view.finalize();
  }
}
