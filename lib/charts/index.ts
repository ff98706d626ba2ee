/** Charts: pure builders, rows in and a Vega-Lite spec out (nothing is rendered here; display/ renders). */
export type { VegaLiteSpec } from "./spec";
export { lineChart, sideBySide, CHART_CONFIG, type Row, type LineChartOptions } from "./line";
export { reconChart, klTotalChart, perLatentChart, varianceComparisonChart, barChart, type BarChartOptions } from "./training";
export { sweepChart, type SweepChartOptions } from "./sweep";
export { modelColor, latentColor, paletteScale } from "./palette";
export { OUTPUT_WIDTH } from "./layout";
