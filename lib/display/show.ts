/**
 * Shows charts and images in a notebook and saves them under figures/.
 *
 * A chart is displayed as ONE bundle holding the Vega-Lite spec (MIME application/vnd.vegalite.v5+json,
 * rendered by JupyterLab 4) and a PNG (shown by GitHub, nbviewer and classic Notebook), and saved as
 * figures/<name>.png, .svg and .vl.json. Outside a tslab kernel (CLI, tests) nothing is displayed and
 * the files are still written.
 *
 * The figures folder is `BVAE_FIGURES_DIR` when set (the smoke run of `make test` writes to build/),
 * else `<project>/figures`.
 */
import * as path from "path";
import { writeFileAtomic, projectRoot } from "../files";
import type { VegaLiteSpec } from "../charts/spec";
import { renderChart } from "./render";
import { liveLine, tslabWriter } from "../notebook";

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** Resolution of a chart's PNG: charts are at most 900 px wide (charts/layout.ts), their PNGs at most 1800. */
export const PNG_SCALE = 2;

/** The text/plain of a traversal explorer's output; `bvae report` reads the static figure's name
 * from it (the explorer is not a figure of its own: the report shows the figure once). */
export function explorerText(fallback: string): string {
  return `<traversal explorer of ${fallback}>`;
}
export const EXPLORER_TEXT = /^<traversal explorer of ([A-Za-z0-9][A-Za-z0-9._-]*)>$/;

/** True when running inside a tslab notebook kernel. */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

/** Where figures go. */
export function figuresDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BVAE_FIGURES_DIR ? path.resolve(env.BVAE_FIGURES_DIR) : path.join(projectRoot(), "figures");
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`figure name "${name}" must be letters, digits, '.', '_' or '-' (it becomes a file name)`);
  }
}

/** Sends one display bundle (several MIME types of the same thing) to the notebook, if any. */
export function displayBundle(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): boolean {
  const write = tslabWriter();
  if (!write) return false;
  write({ data, metadata, transient: {} }, false);
  return true;
}

let lastSaved: readonly string[] = [];

/** The files written by the last show* call (absolute paths). The show* functions return nothing,
 * so that a notebook cell ending in one prints no value. */
export function lastSavedFiles(): readonly string[] {
  return lastSaved;
}

/**
 * Renders a Vega-Lite chart, shows it inline (Vega-Lite + PNG in one bundle) and saves
 * <name>.png, <name>.svg and <name>.vl.json under the figures folder.
 */
export async function showChart(spec: VegaLiteSpec, name: string): Promise<void> {
  checkName(name);
  // The PNG is drawn at 2x (sharp on high-density screens) and shown at the chart's own size.
  const { svg, png } = await renderChart(spec, PNG_SCALE);
  const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
  const dir = figuresDir();
  const files = [path.join(dir, `${name}.png`), path.join(dir, `${name}.svg`), path.join(dir, `${name}.vl.json`)];
  writeFileAtomic(files[0], png);
  writeFileAtomic(files[1], svg);
  writeFileAtomic(files[2], JSON.stringify(spec, null, 2) + "\n");
  displayBundle({
    [VEGA_LITE_MIME]: spec,
    "image/png": png.toString("base64"),
    "text/plain": `<chart ${name}>`,
  }, Number.isFinite(width) ? { "image/png": { width: Math.round(width) } } : {});
  lastSaved = files;
}

/** Shows an image file's bytes inline and saves them as <name>.<ext>; a caption goes under it. */
function showImage(bytes: Uint8Array, name: string, ext: "png" | "gif", what: string, caption?: string): void {
  checkName(name);
  const file = path.join(figuresDir(), `${name}.${ext}`);
  writeFileAtomic(file, bytes);
  displayBundle({ [`image/${ext}`]: Buffer.from(bytes).toString("base64"), "text/plain": `<${what} ${name}>` });
  if (caption) showMarkdown(`*${caption}*`);
  lastSaved = [file];
}

/** Shows a PNG image (e.g. an image grid) inline and saves it as <name>.png; an optional caption under it. */
export function showPng(png: Uint8Array, name: string, caption?: string): void {
  showImage(png, name, "png", "image", caption);
}

/** Shows a GIF (e.g. a traversal animation) inline and saves it as <name>.gif; an optional caption under it. */
export function showGif(gif: Uint8Array, name: string, caption?: string): void {
  showImage(gif, name, "gif", "animation", caption);
}

/** Shows a small table (rows of records) as HTML + plain text. Returns nothing (a cell ending in it prints no value). */
export function showTable(rows: ReadonlyArray<object>, caption?: string): void {
  const text = formatTable(rows, caption, true);
  if (text) console.log(text);
}

/** The table as plain text; with `display`, also sends it to the notebook as HTML + text and returns "". */
export function formatTable(rowsIn: ReadonlyArray<object>, caption?: string, display = false): string {
  const rows = rowsIn as ReadonlyArray<Record<string, unknown>>;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const max = columnMaxima(rows, cols);
  const cell = (r: Record<string, unknown>, i: number) => formatCell(r[cols[i]], max[i]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => cell(r, i).length)));
  const text = [
    ...(caption ? [caption] : []),
    cols.map((c, i) => c.padEnd(widths[i])).join("  "),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => cols.map((_, i) => cell(r, i).padEnd(widths[i])).join("  ")),
  ].join("\n");
  if (display && displayBundle({ "text/html": tableHtml(rows, caption), "text/plain": text })) return "";
  return text;
}

/**
 * A table cell: integers as they are; other numbers to 4 significant digits without exponent
 * (0.0002661 stays 0.0002661 in a column of such values); a number below a thousandth of its
 * column's largest, or below 1e-12, is 0 in all but rounding (a KL of 0.0003 nats beside 5 nats,
 * -2.2e-16 from float error) and is shown as 0. A mean with its spread (`meanSd`'s { mean, sd }) is
 * "0.2733 ± 0.08083", its sd read at its mean's precision ("± -" for one value). A missing value is "-".
 */
export function formatCell(v: unknown, columnMax = 0): string {
  if (v === undefined || v === null) return "-"; // a row without this column (e.g. a run not trained)
  if (isMeanSd(v)) return `${formatCell(v.mean)} ± ${Number.isNaN(v.sd) ? "-" : formatCell(v.sd, Math.abs(v.mean))}`;
  if (typeof v !== "number") return String(v);
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  if (Math.abs(v) < 1e-12 || Math.abs(v) < 1e-3 * columnMax) return "0";
  if (Math.abs(v) >= 1e4) return Math.round(v).toString();
  const s = Number(v.toPrecision(4));
  return Math.abs(s) < 1e-6 ? s.toExponential() : String(s);
}

function isMeanSd(v: unknown): v is { readonly mean: number; readonly sd: number } {
  return typeof v === "object" && v !== null && typeof (v as { mean?: unknown }).mean === "number" && typeof (v as { sd?: unknown }).sd === "number";
}

/** The largest absolute number of each column (0 for columns without numbers). */
function columnMaxima(rows: ReadonlyArray<Record<string, unknown>>, cols: readonly string[]): number[] {
  return cols.map((c) => Math.max(0, ...rows.map((r) => (typeof r[c] === "number" && Number.isFinite(r[c]) ? Math.abs(r[c] as number) : 0))));
}

/** The table as the HTML a notebook shows (`bvae report` turns it back into a Markdown table). */
export function tableHtml(rowsIn: ReadonlyArray<object>, caption?: string): string {
  const rows = rowsIn as ReadonlyArray<Record<string, unknown>>;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const max = columnMaxima(rows, cols);
  return (
    `<table>${caption ? `<caption>${esc(caption)}</caption>` : ""}<thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${cols.map((c, i) => `<td>${esc(formatCell(r[c], max[i]))}</td>`).join("")}</tr>`).join("")}</tbody></table>`
  );
}

/**
 * Progress of a long cell on one line that updates in place ("[label] 3/6 identity, 24 s"); outside
 * a notebook each update is printed. `bvae report` leaves the line out.
 */
export function cellProgress(label: string, total: number): { step(what: string): void } {
  const line = liveLine();
  const start = Date.now();
  let done = 0;
  return {
    step(what: string) {
      done++;
      const text = `[${label}] ${done}/${total} ${what}, ${Math.round((Date.now() - start) / 1000)} s`;
      if (line) line.update(text);
      else console.log(text);
    },
  };
}

/** Shows Markdown computed in a cell (e.g. a conclusion that quotes the numbers just measured). */
export function showMarkdown(markdown: string): void {
  if (!displayBundle({ "text/markdown": markdown, "text/plain": markdown })) console.log(markdown);
}
