/** A fixture notebook in nbformat 4 with every kind of output the notebooks produce (tests of the report and of `bvae report`). */
import type { NotebookJson } from "../../lib/report/report";

export const PNG_A = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
export const PNG_B = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9]);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

export function fixtureNotebook(): NotebookJson {
  return {
    cells: [
      { cell_type: "markdown", source: ["# 09 · A fixture notebook\n", "\n", "Intro text.\n"] },
      {
        cell_type: "code",
        execution_count: 1,
        source: "const run = bvae.presetRun('x', 'cpu');",
        outputs: [
          { output_type: "stream", name: "stdout", text: "[bvae] TensorFlow.js 4.22.0, backend: wasm\n" },
          { output_type: "stream", name: "stdout", text: "[dsprites-vae] using dsprites-vae-long-abc (long profile, partial): step 1234 (requested cpu)\n" },
          { output_type: "stream", name: "stdout", text: ["[dsprites-vae-long-abc] step 10/100 (10.0%)  3 steps/s\n"] },
          { output_type: "stream", name: "stderr", text: "a warning nobody needs\n" },
        ],
      },
      { cell_type: "markdown", source: "## Figure 1 · A chart\n\n```ts\n# not a heading\n```" },
      {
        cell_type: "code",
        execution_count: 2,
        source: "await bvae.showChart(spec, 'fig1-a');",
        outputs: [
          { output_type: "display_data", data: { "application/vnd.vegalite.v5+json": {}, "image/png": b64(PNG_A), "text/plain": "<chart fig1-a>" } },
          { output_type: "display_data", data: { "image/png": b64(PNG_B), "text/plain": "<image fig1-stale>" } },
          { output_type: "display_data", data: { "image/gif": b64(PNG_A), "text/plain": "<animation fig1-missing>" } },
          { output_type: "display_data", data: { "image/png": b64(PNG_A), "text/plain": "[object Object]" } },
          { output_type: "display_data", data: { "text/html": "<table><caption>a &amp; b</caption><thead><tr><th>model</th><th>kl</th></tr></thead><tbody><tr><td>VAE</td><td>25.9</td></tr><tr><td>a|b</td><td>-1.5e-3</td></tr></tbody></table>", "text/plain": "" } },
        ],
      },
      {
        cell_type: "code",
        execution_count: 3,
        source: "check(...)",
        outputs: [
          { output_type: "stream", name: "stdout", text: "✓ the VAE has more active latents (vae = 10, beta = 6)\n✓ KL >= 0\nsome note\n" },
          { output_type: "display_data", data: { "text/markdown": "**This run**: agrees.", "text/plain": "**This run**: agrees." } },
          { output_type: "error", ename: "ClaimError", evalue: "claim failed: beta reconstructs worse", traceback: [] } as never,
        ],
      },
      { cell_type: "code", execution_count: null, source: "notRun()", outputs: [] },
      { cell_type: "code", execution_count: null, source: "   ", outputs: [] },
    ],
  };
}
