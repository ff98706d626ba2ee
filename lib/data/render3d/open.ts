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
