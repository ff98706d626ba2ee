/**
 * Opens the dataset a TrainConfig names. dSprites is rendered by lib/data/dsprites (or read from
 * the official file); CelebA and Chairs need their files, which cannot be downloaded here.
 */
import type { GroundTruthDataset } from "../data/dataset";
import { makeToyDataset } from "../data/toy";
import type { DatasetName } from "./config";

export function openDataset(name: DatasetName): GroundTruthDataset {
  switch (name) {
    case "toy":
      return makeToyDataset();
    case "dsprites": {
      // Loaded lazily, so that code training on other datasets never loads the dSprites renderer.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { openDsprites } = require("../data/dsprites") as typeof import("../data/dsprites");
      return openDsprites();
    }
    case "chairs":
    case "celeba": {
      // Read from the folder a user provides (BVAE_CELEBA_ROOT / BVAE_CHAIRS_ROOT, else data/);
      // one pseudo-factor "item" adapts it to the engine's dataset interface.
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { imageDatasetRoot, openImageDataset } = require("../data/image-datasets") as typeof import("../data/image-datasets");
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { itemIndexedDataset } = require("../data/image-folder") as typeof import("../data/image-folder");
      const variable = name === "celeba" ? "BVAE_CELEBA_ROOT" : "BVAE_CHAIRS_ROOT";
      try {
        return itemIndexedDataset(openImageDataset(name));
      } catch (err) {
        const how = process.env[variable] ? `${variable}=${process.env[variable]}` : `${variable} is not set, so data/ was used`;
        throw new Error(`${(err as Error).message}\n(looked in ${imageDatasetRoot(name)}: ${how}; set ${variable}=DIR to the folder holding the dataset, see data/README.md)`);
      }
    }
    case "chairs3d":
    case "faces3d": {
      // The whole set: read from the disk cache, or rendered once now and saved there (lib/data/render3d/open.ts).
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { openRenderedComplete } = require("../data/render3d/open") as typeof import("../data/render3d/open");
      return openRenderedComplete(name);
    }
    default: {
      const never: never = name;
      throw new Error(`unknown dataset "${String(never)}"`);
    }
  }
}
