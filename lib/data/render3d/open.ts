/** The rendered datasets by name, for the training engine, the CLI and notebooks. */
import { openChairs3d } from "../chairs3d";
import { openFaces3d } from "../faces3d";
import type { RenderedDataset, RenderedOptions } from "./rendered-dataset";

export type RenderedDatasetName = "chairs3d" | "faces3d";
export const RENDERED_DATASETS: readonly RenderedDatasetName[] = ["chairs3d", "faces3d"];

export function isRenderedDatasetName(name: string): name is RenderedDatasetName {
  return (RENDERED_DATASETS as readonly string[]).includes(name);
}

/** Opens a rendered dataset (reading its disk cache when valid, else rendering on demand). */
export function openRendered(name: RenderedDatasetName, opts: RenderedOptions = {}): RenderedDataset {
  switch (name) {
    case "chairs3d":
      return openChairs3d(opts);
    case "faces3d":
      return openFaces3d(opts);
    default: {
      const never: never = name;
      throw new Error(`unknown rendered dataset "${String(never)}" (available: ${RENDERED_DATASETS.join(", ")})`);
    }
  }
}

/**
 * For training and evaluation: the whole set, from the disk cache or rendered now (then saved
 * there), so that no training step waits on rendering. Rendering on demand would spread the same
 * work over the first epoch (measured on faces3d, cpu profile, a loaded machine: 79 images/s of
 * training instead of 163 from a complete set); here it is paid once (chairs3d ~10 s, faces3d
 * ~60-115 s on that machine) and later processes read the file in a second or two.
 */
export function openRenderedComplete(name: RenderedDatasetName, opts: RenderedOptions = {}, log?: (line: string) => void): RenderedDataset {
  return completeRendered(openRendered(name, opts), log);
}

/** Renders whatever `ds` lacks and saves the disk cache; a cache that cannot be written is reported and the set kept in memory. */
export function completeRendered(ds: RenderedDataset, log: (line: string) => void = (l) => process.stderr.write(l + "\n")): RenderedDataset {
  if (ds.rendered === ds.size) return ds;
  const why = ds.cacheState === "off" ? "disk cache off" : ds.cacheState === "missing" ? "no disk cache yet" : `disk cache ${ds.cacheState}: ${ds.cacheReason}`;
  log(`[${ds.name}] rendering all ${ds.size} images once (${why}) ...`);
  const r = ds.renderAll();
  let saved = "";
  if (ds.cacheFile) {
    try {
      saved = `, saved to ${ds.saveCache().file}`;
    } catch (err) {
      saved = `; the disk cache could not be written (${(err as Error).message}), kept in memory`;
    }
  }
  log(`[${ds.name}] rendered ${r.rendered} images in ${r.seconds.toFixed(1)} s (${(r.rendered / r.seconds).toFixed(0)} images/s)${saved}`);
  return ds;
}
