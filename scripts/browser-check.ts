/**
 * make browser-check: each executed notebook opened in headless Chromium as JupyterLab shows it, and
 * checked: every chart drawn (Vega made an svg, no error) and none wider than the output area.
 *
 * JupyterLab is not needed: each notebook's outputs go into one page (build/browser/<notebook>.html)
 * laid out like JupyterLab's output area (OUTPUT_WIDTH px wide): Vega-Lite outputs rendered by the
 * same vega / vega-lite builds JupyterLab 4 uses (loaded from node_modules), images at their
 * display width (max-width 100%, as JupyterLab), tables and text as they are. A script in the page
 * writes what it found into the DOM; Chromium's --dump-dom hands it back. Screenshots of each page go
 * to build/browser/<notebook>.png.
 *
 * Usage: node dist/scripts/browser-check.js [NOTEBOOK...]   (default notebooks/[0-9]*.ipynb)
 * Exits 0 with a message when Chromium is absent (nothing to check with), 1 when a check fails.
 */
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { projectRoot } from "../lib/files";
import { OUTPUT_WIDTH } from "../lib/charts/layout";

const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => fs.existsSync(p));

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, Record<string, unknown> | unknown>;
}
const joined = (t: unknown) => (Array.isArray(t) ? t.join("") : String(t ?? ""));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** The page of one notebook: its outputs in a JupyterLab-wide output area, charts rendered by Vega. */
export function notebookPage(notebook: { cells: { cell_type: string; outputs?: Output[] }[] }, root: string): { html: string; charts: number } {
  const parts: string[] = [];
  const specs: unknown[] = [];
  for (const cell of notebook.cells) {
    for (const out of cell.outputs ?? []) {
      const data = out.data ?? {};
      if (out.output_type === "stream") parts.push(`<pre>${esc(joined(out.text))}</pre>`);
      else if (VEGA_LITE_MIME in data) {
        parts.push(`<div class="chart" data-name="${esc(joined(data["text/plain"]))}" data-index="${specs.length}"></div>`);
        specs.push(data[VEGA_LITE_MIME]);
      } else if ("image/png" in data || "image/gif" in data) {
        const ext = "image/gif" in data ? "gif" : "png";
        const width = (out.metadata?.[`image/${ext}`] as { width?: number } | undefined)?.width;
        parts.push(`<img class="image" alt="${esc(joined(data["text/plain"]))}" ${width ? `width="${width}"` : ""} src="data:image/${ext};base64,${joined(data[`image/${ext}`]).replace(/\s+/g, "")}">`);
      } else if ("text/html" in data) parts.push(joined(data["text/html"]));
      else if ("text/markdown" in data) parts.push(`<pre>${esc(joined(data["text/markdown"]))}</pre>`);
      else if ("text/plain" in data) parts.push(`<pre>${esc(joined(data["text/plain"]))}</pre>`);
    }
  }
  const lib = (p: string) => `file://${path.join(root, "node_modules", p)}`;
  const html = `<!doctype html><html><head><meta charset="utf-8">
<style>body{margin:0;font-family:sans-serif} .area{width:${OUTPUT_WIDTH}px;overflow-x:auto;padding:4px} img{max-width:100%} pre{white-space:pre-wrap}</style>
<script src="${lib("vega/build/vega.min.js")}"></script><script src="${lib("vega-lite/build/vega-lite.min.js")}"></script></head>
<body><div class="area">${parts.join("\n")}</div><pre id="result"></pre>
<script>
const specs = ${JSON.stringify(specs)};
window.addEventListener("load", async () => {
  const found = { charts: [], images: [] };
  for (const div of document.querySelectorAll(".chart")) {
    const r = { name: div.dataset.name, svg: false, width: 0, error: "" };
    try {
      const view = new vega.View(vega.parse(vegaLite.compile(specs[Number(div.dataset.index)]).spec), { renderer: "svg", container: div, hover: true });
      await view.runAsync();
      const svg = div.querySelector("svg");
      r.svg = !!svg;
      r.width = svg ? svg.getBoundingClientRect().width : 0;
    } catch (e) { r.error = String(e && e.message || e); }
    found.charts.push(r);
  }
  for (const img of document.querySelectorAll("img.image")) {
    found.images.push({ name: img.alt, width: img.getBoundingClientRect().width, natural: img.naturalWidth });
  }
  found.areaWidth = document.querySelector(".area").clientWidth;
  document.getElementById("result").textContent = "RESULT " + JSON.stringify(found);
});
</script></body></html>`;
  return { html, charts: specs.length };
}

interface Found {
  charts: { name: string; svg: boolean; width: number; error: string }[];
  images: { name: string; width: number; natural: number }[];
  areaWidth: number;
}

function chromium(args: string[]): string {
  return execFileSync(CHROMIUM as string, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--allow-file-access-from-files", "--hide-scrollbars", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}

function main(): number {
  const root = projectRoot();
  const notebooks = process.argv.slice(2).length
    ? process.argv.slice(2)
    : fs.readdirSync(path.join(root, "notebooks")).filter((f) => /^\d.*\.ipynb$/.test(f) && !f.includes(".failed.")).sort().map((f) => path.join(root, "notebooks", f));
  if (!CHROMIUM) {
    console.log("[browser-check] skipped: no Chromium (/usr/bin/chromium; Debian: apt-get install chromium)");
    return 0;
  }
  const out = path.join(root, "build", "browser");
  fs.mkdirSync(out, { recursive: true });
  const problems: string[] = [];
  for (const file of notebooks) {
    const name = path.basename(file, ".ipynb");
    const { html, charts } = notebookPage(JSON.parse(fs.readFileSync(file, "utf8")), root);
    const page = path.join(out, `${name}.html`);
    fs.writeFileSync(page, html);
    const dom = chromium(["--virtual-time-budget=60000", "--dump-dom", `file://${page}`]);
    const m = /RESULT (\{.*\})/.exec(dom.replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    if (!m) {
      problems.push(`${name}: the page reported nothing (did vega load?)`);
      continue;
    }
    const found = JSON.parse(m[1]) as Found;
    const height = 400 + found.charts.length * 450 + found.images.length * 500;
    chromium([`--window-size=${OUTPUT_WIDTH + 40},${Math.min(height, 16000)}`, `--screenshot=${path.join(out, `${name}.png`)}`, "--virtual-time-budget=60000", `file://${page}`]);
    if (found.charts.length !== charts) problems.push(`${name}: ${charts} charts in the notebook, ${found.charts.length} on the page`);
    for (const c of found.charts) {
      if (c.error) problems.push(`${name}: ${c.name}: ${c.error}`);
      else if (!c.svg) problems.push(`${name}: ${c.name}: no svg drawn`);
      else if (c.width > OUTPUT_WIDTH) problems.push(`${name}: ${c.name} is ${Math.round(c.width)} px wide (output area ${OUTPUT_WIDTH})`);
    }
    for (const img of found.images) if (img.width > found.areaWidth) problems.push(`${name}: ${img.name} shown ${img.width} px wide`);
    const widest = Math.max(0, ...found.charts.map((c) => c.width));
    console.log(`[browser-check] ${name}: ${found.charts.filter((c) => c.svg && !c.error).length}/${charts} charts drawn (widest ${Math.round(widest)} px), ${found.images.length} images; screenshot build/browser/${name}.png`);
  }
  for (const p of problems) console.error(`[browser-check] FAIL ${p}`);
  return problems.length ? 1 : 0;
}

if (require.main === module) process.exit(main());
