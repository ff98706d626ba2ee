/**
 * Where a user's CelebA / 3D Chairs folders are, and one entry point to open either by name
 * (for the training engine's openDataset and for notebooks).
 *
 * Root folder: BVAE_CELEBA_ROOT / BVAE_CHAIRS_ROOT when set, else `data/` at the project root
 * (data/README.md: data/img_align_celeba + data/list_attr_celeba.txt, data/rendered_chairs/).
 */
import * as path from "node:path";
import { projectRoot } from "../files";
import { openCelebA, type CelebADataset } from "./celeba";
import { openChairs, type ChairsDataset } from "./chairs";
import type { ImageFolderOptions } from "./image-folder";

export type ImageDatasetName = "celeba" | "chairs";

/** The folder that holds the dataset in its official layout. */
export function imageDatasetRoot(name: ImageDatasetName, env: NodeJS.ProcessEnv = process.env): string {
  switch (name) {
    case "celeba":
      return env.BVAE_CELEBA_ROOT ? path.resolve(env.BVAE_CELEBA_ROOT) : path.join(projectRoot(), "data");
    case "chairs":
      return env.BVAE_CHAIRS_ROOT ? path.resolve(env.BVAE_CHAIRS_ROOT) : path.join(projectRoot(), "data");
    default: {
      const never: never = name;
      throw new Error(`unknown image dataset "${String(never)}"`);
    }
  }
}

/** Opens CelebA or 3D Chairs from `root` (default: imageDatasetRoot(name)). */
export function openImageDataset(name: ImageDatasetName, root?: string, opts: ImageFolderOptions = {}): CelebADataset | ChairsDataset {
  const dir = root ?? imageDatasetRoot(name);
  switch (name) {
    case "celeba":
      return openCelebA(dir, opts);
    case "chairs":
      return openChairs(dir, opts);
    default: {
      const never: never = name;
      throw new Error(`unknown image dataset "${String(never)}"`);
    }
  }
}
