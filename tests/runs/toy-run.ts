/** The tiny run the runs/ tests train (toy squares, an MLP of a few units: seconds on the cpu backend). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeConfig, type TrainConfig } from "../../lib/train/config";

export const TOY_CONFIG: TrainConfig = makeConfig({
  preset: "toy-vae",
  profile: "smoke",
  dataset: "toy",
  architecture: "tiny",
  numLatents: 3,
  batchSize: 8,
  heldOut: 16,
  steps: 16,
  historyEvery: 3,
  seed: 11,
  optimizer: { learningRate: 2e-3 },
});

/** A new, empty runs folder under the system's temporary folder. */
export const tmpRunsDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "bvae-runs-"));
