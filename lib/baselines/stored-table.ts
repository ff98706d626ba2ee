/**
 * The Higgins-table baselines, computed once per protocol and stored, so that notebook 05 and
 * `bvae eval --baselines` show the same rows without spending the encoder time again (the full
 * protocol takes about half an hour of CPU here, mostly the untrained VAE).
 *
 *   <runs>/baselines/higgins-table.json   { format, entries: [{ key, rows, seconds, backend, computedAt }] }
 *
 * An entry's key is the whole protocol plus what the rows depend on: the dataset, its source and a
 * fingerprint of its images (a change to the dSprites renderer gives a new key, not stale rows), and
 * the untrained VAE's architecture and seed. Rows are stored per baseline: a request for more rows
 * computes only the missing ones. (JSON has no NaN: a per-factor accuracy that was NaN reads back
 * as null.)
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { GroundTruthDataset } from "../data/dataset";
import { writeFileAtomic } from "../files";
import type { Encoder } from "../metrics/encoder";
import { makeRng } from "../rng";
import { canonicalJson } from "../train/config";
import { BASELINE_NAMES, HIGGINS_TABLE_DEFAULTS, higginsBaselineTable, type BaselineName, type HigginsTableConfig, type HigginsTableRow } from "./higgins-table";

export const BASELINES_FILE = "higgins-table.json";
const FORMAT = "bvae-baselines-1";

/** The protocol fields of HigginsTableConfig that the rows depend on. */
type TableProtocol = Pick<HigginsTableConfig, "numTrain" | "numEval" | "batchSize" | "seed" | "numFitImages" | "numComponents">;

export interface BaselineTableKey extends TableProtocol {
  readonly dataset: string;
  readonly source: string;
  /** Hash of a fixed sample of the dataset's images (see datasetFingerprint). */
  readonly fingerprint: string;
  /** Architecture of the untrained VAE (initialised with `seed`). */
  readonly untrainedVaeArchitecture: string;
}

interface Entry {
  readonly key: BaselineTableKey;
  readonly rows: HigginsTableRow[];
  /** Wall-clock seconds of the computation that produced each row (rows computed together share it). */
  readonly seconds: Partial<Record<BaselineName, number>>;
  readonly backend?: string;
  readonly computedAt: string;
}

export interface StoredTableOptions extends Partial<TableProtocol> {
  readonly baselines?: readonly BaselineName[];
  readonly untrainedVaeArchitecture: string;
  /** Builds the untrained VAE's encoder, only when its row must be computed; dispose is called after. */
  readonly untrainedVae: () => { encoder: Encoder; dispose(): void; backend?: string };
  /** Folder of the store (e.g. runs/baselines). */
  readonly dir: string;
  /** Recompute the requested rows even when stored (default false). */
  readonly force?: boolean;
  /** Write newly computed rows (default true). */
  readonly store?: boolean;
  readonly log?: (line: string) => void;
}

export interface StoredTable {
  /** The requested rows, in BASELINE_NAMES order. */
  readonly rows: readonly HigginsTableRow[];
  /** Rows read from the store (the others were computed now). */
  readonly storedRows: readonly BaselineName[];
  readonly file: string;
  readonly key: BaselineTableKey;
}

/** 12 hex digits of the SHA-256 of 32 images at fixed factors (seed 2017), with the image shape. */
export function datasetFingerprint(ds: GroundTruthDataset): string {
  const batch = ds.observe(ds.sampleFactors(32, makeRng(2017)));
  const hash = createHash("sha256").update(`${batch.n}x${batch.height}x${batch.width}x${batch.channels}`);
  hash.update(new Uint8Array(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength));
  return hash.digest("hex").slice(0, 12);
}

function readEntries(file: string): Entry[] {
  if (!fs.existsSync(file)) return [];
  let parsed: { format?: string; entries?: Entry[] };
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message}); delete it to recompute the baselines`);
  }
  if (parsed.format !== FORMAT || !Array.isArray(parsed.entries)) throw new Error(`${file}: expected {"format": "${FORMAT}", "entries": [...]}`);
  return parsed.entries;
}

type KeyOptions = Pick<StoredTableOptions, keyof TableProtocol | "untrainedVaeArchitecture">;

function tableKey(ds: GroundTruthDataset, options: KeyOptions): BaselineTableKey {
  const d = HIGGINS_TABLE_DEFAULTS;
  return {
    dataset: ds.name, source: ds.source, fingerprint: datasetFingerprint(ds),
    numTrain: options.numTrain ?? d.numTrain, numEval: options.numEval ?? d.numEval, batchSize: options.batchSize ?? d.batchSize,
    seed: options.seed ?? d.seed, numFitImages: options.numFitImages ?? d.numFitImages, numComponents: options.numComponents ?? d.numComponents,
    untrainedVaeArchitecture: options.untrainedVaeArchitecture,
  };
}

/** The baselines stored in `dir` for this protocol, in BASELINE_NAMES order; nothing is computed. */
export function storedBaselineRows(ds: GroundTruthDataset, options: KeyOptions & { readonly dir: string }): BaselineName[] {
  const key = canonicalJson(tableKey(ds, options));
  const entry = readEntries(path.join(options.dir, BASELINES_FILE)).find((e) => canonicalJson(e.key) === key);
  return BASELINE_NAMES.filter((b) => entry?.rows.some((r) => r.baseline === b));
}

/** The Higgins-table rows for this protocol: read from `dir` when stored, else computed (and stored). */
export function storedHigginsTable(ds: GroundTruthDataset, options: StoredTableOptions): StoredTable {
  const key = tableKey(ds, options);
  const wanted = BASELINE_NAMES.filter((b) => (options.baselines ?? BASELINE_NAMES).includes(b));
  const file = path.join(options.dir, BASELINES_FILE);
  const entries = readEntries(file);
  const index = entries.findIndex((e) => canonicalJson(e.key) === canonicalJson(key));
  const have = new Map<BaselineName, HigginsTableRow>();
  if (index >= 0 && !options.force) for (const r of entries[index].rows) if (wanted.includes(r.baseline)) have.set(r.baseline, r);
  const storedRows = wanted.filter((b) => have.has(b));
  const todo = wanted.filter((b) => !have.has(b));
  if (todo.length) {
    const vae = todo.includes("untrained-vae") ? options.untrainedVae() : undefined;
    const t0 = Date.now();
    try {
      const rows = higginsBaselineTable(ds, { ...key, baselines: todo, untrainedVae: vae?.encoder ?? null }, options.log);
      const seconds = Object.fromEntries(todo.map((b) => [b, (Date.now() - t0) / 1000]));
      for (const r of rows) have.set(r.baseline, r);
      if (options.store ?? true) {
        const old = index >= 0 ? entries[index] : undefined;
        const keep = (old?.rows ?? []).filter((r) => !todo.includes(r.baseline));
        const entry: Entry = {
          key, rows: BASELINE_NAMES.flatMap((b) => [...keep, ...rows].filter((r) => r.baseline === b)),
          seconds: { ...old?.seconds, ...seconds }, backend: vae?.backend ?? old?.backend, computedAt: new Date().toISOString(),
        };
        if (index >= 0) entries[index] = entry;
        else entries.push(entry);
        fs.mkdirSync(options.dir, { recursive: true });
        writeFileAtomic(file, JSON.stringify({ format: FORMAT, entries }, null, 2) + "\n");
      }
    } finally {
      vae?.dispose();
    }
  }
  return { rows: wanted.map((b) => have.get(b)!), storedRows, file, key };
}
