/**
 * The data a run was trained on, as part of its identity. dSprites comes from the generator unless
 * the official file sits in data/, in which case that file is read instead (lib/data/dsprites.ts).
 * Both give images of the same factors, but not the same images: a run trained on one must not be
 * loaded, resumed or scored as a run of the other.
 *
 * So the official file's fingerprint joins the run's config (`dataSource`, hence its key and folder)
 * while the generator adds nothing: every generator run keeps the key it always had, and a run on
 * the file gets its own. `resolveDataSource` fills the field in from what is in data/ now; every
 * lookup and training goes through it, and the dataset actually opened is checked against it.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../files";
import type { GroundTruthDataset } from "../data/dataset";
import { DSPRITES_OFFICIAL_FILE } from "../data/dsprites-file";
import type { TrainConfig } from "../train/config";

/** Where dSprites' official file is looked for (lib/data/dsprites.ts: DEFAULT_DSPRITES_PATH). */
export const OFFICIAL_DSPRITES_PATH = path.join(projectRoot(), "data", DSPRITES_OFFICIAL_FILE);

const cache = new Map<string, { key: string; fingerprint: string }>();

/** 16 hex digits of the SHA-256 of a file's bytes (cached per path, size and modification time). */
export function fileFingerprint(file: string): string {
  const st = fs.statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit?.key === key) return hit.fingerprint;
  const h = createHash("sha256");
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  const fingerprint = h.digest("hex").slice(0, 16);
  cache.set(file, { key, fingerprint });
  return fingerprint;
}

/** The `dataSource` of a dSprites file. */
export function dspritesFileSource(file: string): string {
  return `dsprites-file:${fileFingerprint(file)}`;
}

/** The data source of an opened dataset: undefined for the generator (and the toy and folder datasets), else the file's. */
export function datasetSourceId(dataset: Pick<GroundTruthDataset, "name" | "source">): string | undefined {
  return dataset.name === "dsprites" && dataset.source !== "generated" ? dspritesFileSource(dataset.source) : undefined;
}

/**
 * The config with its data source filled in from what training would read now: a dSprites config
 * without one gets the official file's fingerprint when that file exists (`officialFile`), else
 * stays as it is (the generator). A config that names its source is returned unchanged.
 */
export function resolveDataSource(config: TrainConfig, officialFile = OFFICIAL_DSPRITES_PATH): TrainConfig {
  if (config.dataset !== "dsprites" || config.dataSource !== undefined || !fs.existsSync(officialFile)) return config;
  return { ...config, dataSource: dspritesFileSource(officialFile) };
}

const describe = (source: string | undefined): string => source ?? "the generator";

/** Throws, naming both, when `dataset` is not the data source the config (its run) names. */
export function checkDataSource(config: TrainConfig, dataset: Pick<GroundTruthDataset, "name" | "source">, what: string): void {
  const actual = datasetSourceId(dataset);
  if (actual !== config.dataSource) {
    throw new Error(
      `${what} was trained on ${config.dataset} from ${describe(config.dataSource)}, but the data opened now comes from ${describe(actual)}` +
        `${dataset.source !== "generated" ? ` (${dataset.source})` : ""}: its results would not be of this data. ` +
        (config.dataSource ? "Put that file back in data/ to use it." : `Move ${OFFICIAL_DSPRITES_PATH} away to use it; with the file in place, the file's own runs are trained and used.`),
    );
  }
}
