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
    case "celeba":
      throw new Error(
        `dataset "${name}": no loader in this project yet (its images cannot be downloaded on this machine); ` +
          `pass an object implementing GroundTruthDataset as options.dataset`,
      );
    default: {
      const never: never = name;
      throw new Error(`unknown dataset "${String(never)}"`);
    }
  }
}
