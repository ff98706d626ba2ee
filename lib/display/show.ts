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

export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The text/plain of a traversal explorer's output; `bvae report` reads the static figure's name
 * from it (the explorer is not a figure of its own: the report shows the figure once). */
export function explorerText(fallback: string): string {
  return `<traversal explorer of ${fallback}>`;
}
export const EXPLORER_TEXT = /^<traversal explorer of ([A-Za-z0-9][A-Za-z0-9._-]*)>$/;

interface DisplayData {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}
type WriteDisplayData = (d: DisplayData, update: boolean) => void;

/** tslab's hook for display data, when this process is a tslab kernel executing a cell. */
function tslabWriter(): WriteDisplayData | undefined {
  try {
    // tslab is a dependency; the kernel and this library resolve the same module instance.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

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
  const { svg, png } = await renderChart(spec);
  const dir = figuresDir();
  const files = [path.join(dir, `${name}.png`), path.join(dir, `${name}.svg`), path.join(dir, `${name}.vl.json`)];
  writeFileAtomic(files[0], png);
  writeFileAtomic(files[1], svg);
  writeFileAtomic(files[2], JSON.stringify(spec, null, 2) + "\n");
  displayBundle({
    [VEGA_LITE_MIME]: spec,
    "image/png": png.toString("base64"),
    "text/plain": `<chart ${name}>`,
  });
  lastSaved = files;
}

/** Shows an image file's bytes inline and saves them as <name>.<ext>. */
function showImage(bytes: Uint8Array, name: string, ext: "png" | "gif", what: string): void {
  checkName(name);
  const file = path.join(figuresDir(), `${name}.${ext}`);
  writeFileAtomic(file, bytes);
  displayBundle({ [`image/${ext}`]: Buffer.from(bytes).toString("base64"), "text/plain": `<${what} ${name}>` });
  lastSaved = [file];
}

/** Shows a PNG image (e.g. an image grid) inline and saves it as <name>.png. */
export function showPng(png: Uint8Array, name: string): void {
  showImage(png, name, "png", "image");
}

/** Shows a GIF (e.g. a traversal animation) inline and saves it as <name>.gif. */
export function showGif(gif: Uint8Array, name: string): void {
  showImage(gif, name, "gif", "animation");
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
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => formatCell(r[c]).length)));
  const text = [
    ...(caption ? [caption] : []),
    cols.map((c, i) => c.padEnd(widths[i])).join("  "),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => cols.map((c, i) => formatCell(r[c]).padEnd(widths[i])).join("  ")),
  ].join("\n");
  if (display && displayBundle({ "text/html": tableHtml(rows, caption), "text/plain": text })) return "";
  return text;
}

function formatCell(v: unknown): string {
  return typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);
}

/** The table as the HTML a notebook shows (`bvae report` turns it back into a Markdown table). */
export function tableHtml(rowsIn: ReadonlyArray<object>, caption?: string): string {
  const rows = rowsIn as ReadonlyArray<Record<string, unknown>>;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return (
    `<table>${caption ? `<caption>${esc(caption)}</caption>` : ""}<thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(formatCell(r[c]))}</td>`).join("")}</tr>`).join("")}</tbody></table>`
  );
}

/** Shows Markdown computed in a cell (e.g. a conclusion that quotes the numbers just measured). */
export function showMarkdown(markdown: string): void {
  if (!displayBundle({ "text/markdown": markdown, "text/plain": markdown })) console.log(markdown);
}
