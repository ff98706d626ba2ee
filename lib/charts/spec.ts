/** What every chart builder returns: a Vega-Lite 5 top-level spec with its data inlined. */
import type * as vl from "vega-lite";

export type VegaLiteSpec = vl.TopLevelSpec;
