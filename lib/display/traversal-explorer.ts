/**
 * The interactive latent traversal explorer as a Vega-Lite spec (a pure function: frames in, spec
 * out; nothing decoded or rendered here). JupyterLab 4 renders Vega-Lite outputs with vega-embed
 * even in an untrusted notebook, and Vega-Lite parameters bound to inputs stay live there, while
 * HTML/JS widgets do not run: so every frame is decoded beforehand (explorer-frames.ts) and the
 * spec only picks which ones to show.
 *
 * Three inputs: a menu of seed images, a menu of latents, a slider over the traversal values. The
 * view shows the chosen seed image, its decoding with the chosen latent set to the slider's value
 * (the other latents at the seed's posterior mean), and below them the row of every latent at that
 * value.
 */
import type { VegaLiteSpec } from "../charts/spec";

/** Pre-decoded traversal frames (explorer-frames.ts builds them from a model). */
export interface ExplorerFrames {
  /** The slider's stops: the values each latent takes, ascending, evenly spaced. */
  readonly values: readonly number[];
  /** The latents swept, in menu order. */
  readonly latents: readonly number[];
  /** One image per seed (the model's input), as data: URIs. */
  readonly seeds: readonly string[];
  /** frames[s][k][v]: seed s decoded with latent latents[k] set to values[v], as data: URIs. */
  readonly frames: readonly (readonly (readonly string[])[])[];
}

export interface ExplorerSpecOptions {
  /** A title above the explorer. Default none. */
  readonly title?: string;
  /** One label per entry of `latents`, in the same order. Default "z<i>". */
  readonly latentLabels?: readonly string[];
  /** One label per seed. Default "seed <s>". */
  readonly seedLabels?: readonly string[];
  /** Side of the large decoded image and of the seed image, px. Default 192 (3x a 64x64 frame). */
  readonly size?: number;
  /** Side of each image in the row of all latents, px. Default 64. */
  readonly thumb?: number;
  /** The latent shown first. Default latents[0]. */
  readonly initialLatent?: number;
}

/** The names of the explorer's parameters (Vega signals): the seed, the latent, the value. */
export const EXPLORER_PARAMS = { seed: "explorerSeed", latent: "explorerLatent", value: "explorerValue" } as const;

/** Checks the frames' shape: seeds x latents x values, and values evenly spaced. */
export function checkExplorerFrames(f: ExplorerFrames): void {
  const { values, latents, seeds, frames } = f;
  if (values.length < 2) throw new Error("traversal explorer: at least 2 values are needed for a slider");
  if (latents.length < 1 || seeds.length < 1) throw new Error("traversal explorer: no latents or no seeds");
  const step = (values[values.length - 1] - values[0]) / (values.length - 1);
  if (!(step > 0) || values.some((v, i) => Math.abs(v - (values[0] + i * step)) > 1e-6 * Math.max(1, Math.abs(step)))) {
    throw new Error(`traversal explorer: values must be ascending and evenly spaced (got ${values.join(", ")})`);
  }
  if (frames.length !== seeds.length || frames.some((s) => s.length !== latents.length || s.some((l) => l.length !== values.length))) {
    throw new Error(`traversal explorer: frames must be seeds (${seeds.length}) x latents (${latents.length}) x values (${values.length})`);
  }
}

/** The explorer's Vega-Lite spec. The frames are inlined once, as the dataset "frames". */
export function traversalExplorerSpec(f: ExplorerFrames, opts: ExplorerSpecOptions = {}): VegaLiteSpec {
  checkExplorerFrames(f);
  const { values, latents, seeds, frames } = f;
  const size = opts.size ?? 192;
  const thumb = opts.thumb ?? 64;
  const labels = opts.latentLabels ?? latents.map((l) => `z${l}`);
  if (labels.length !== latents.length) throw new Error(`traversal explorer: ${labels.length} latent labels for ${latents.length} latents`);
  const seedLabels = opts.seedLabels ?? seeds.map((_, s) => `seed ${s}`);
  const initialLatent = opts.initialLatent ?? latents[0];
  if (!latents.includes(initialLatent)) throw new Error(`traversal explorer: initial latent ${initialLatent} is not swept`);
  const step = (values[values.length - 1] - values[0]) / (values.length - 1);
  const round = (v: number) => Number(v.toPrecision(12));
  const middle = values[Math.floor((values.length - 1) / 2)];
  const { seed: S, latent: L, value: V } = EXPLORER_PARAMS;
  // One row per frame; `k` keeps the menu order of the latents for the row of all latents.
  const rows = frames.flatMap((perSeed, s) =>
    perSeed.flatMap((perLatent, k) => perLatent.map((url, v) => ({ s, l: latents[k], k, label: labels[k], value: round(values[v]), url }))),
  );
  // The slider's value matches the frame whose value is within half a step (float-safe).
  const atValue = `abs(datum.value - ${V}) < ${round(step / 2)}`;
  const image = (side: number) => ({ type: "image" as const, width: side, height: side, align: "left" as const, baseline: "top" as const });
  const single = (title: string, dataName: string, filter: string) => ({
    title,
    data: { name: dataName },
    transform: [{ filter }],
    width: size,
    height: size,
    mark: image(size),
    encoding: { url: { field: "url", type: "nominal" as const }, x: { value: 0 }, y: { value: 0 } },
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    ...(opts.title ? { title: opts.title } : {}),
    datasets: { frames: rows, seeds: seeds.map((url, s) => ({ s, url })) },
    params: [
      { name: S, value: 0, bind: { input: "select", options: seeds.map((_, s) => s), labels: [...seedLabels], name: "seed image " } },
      { name: L, value: initialLatent, bind: { input: "select", options: [...latents], labels: [...labels], name: "latent " } },
      { name: V, value: round(middle), bind: { input: "range", min: round(values[0]), max: round(values[values.length - 1]), step: round(step), name: "value " } },
    ],
    vconcat: [
      {
        hconcat: [
          single("seed image (input)", "seeds", `datum.s == ${S}`),
          single("decoded: the chosen latent at the slider's value", "frames", `datum.s == ${S} && datum.l == ${L} && ${atValue}`),
        ],
      },
      {
        title: "every latent at the slider's value",
        data: { name: "frames" },
        transform: [{ filter: `datum.s == ${S} && ${atValue}` }],
        width: { step: thumb + 6 },
        height: thumb,
        mark: image(thumb),
        encoding: {
          url: { field: "url", type: "nominal" },
          // Under each thumbnail its latent's name only (the full labels are in the menu and the tooltip).
          x: { field: "label", type: "nominal", sort: { field: "k" }, axis: { orient: "top", labelAngle: 0, title: null, ticks: false, domain: false, labelExpr: "split(datum.label, ' ')[0]" } },
          y: { value: 0 },
          tooltip: { field: "label", type: "nominal" },
        },
      },
    ],
    config: { view: { stroke: null } },
  };
  return spec as unknown as VegaLiteSpec;
}
