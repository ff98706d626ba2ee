/**
 * storedHigginsTable: the baselines are computed once per protocol, stored, read back unchanged;
 * only missing rows are computed; --force recomputes; another dataset (fingerprint) or protocol is
 * a new entry. Toy dataset, small protocol.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { datasetFingerprint, storedHigginsTable, type StoredTableOptions } from "../../lib/baselines/stored-table";
import { higginsBaselineTable } from "../../lib/baselines/higgins-table";
import { pixelEncoder } from "../../lib/baselines/pixels";
import { makeToyDataset } from "../../lib/data/toy";
import type { GroundTruthDataset } from "../../lib/data/dataset";

const ds = makeToyDataset();
const protocol = { numTrain: 60, numEval: 40, batchSize: 8, seed: 3, numFitImages: 100, numComponents: 3 };

function options(dir: string, calls: { n: number }, extra: Partial<StoredTableOptions> = {}): StoredTableOptions {
  // Stand-in for the untrained VAE: the raw pixels (what matters here is when it is built).
  return {
    ...protocol, dir, untrainedVaeArchitecture: "test-projection",
    untrainedVae: () => {
      calls.n++;
      return { encoder: pixelEncoder, dispose: () => {} };
    },
    ...extra,
  };
}

test("storedHigginsTable: computed once and stored, then read back with the same values", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-baselines-"));
  const calls = { n: 0 };
  const first = storedHigginsTable(ds, options(dir, calls, { baselines: ["ground-truth", "raw-pixels", "pca"] }));
  assert.deepEqual(first.storedRows, []);
  assert.deepEqual(first.rows.map((r) => r.baseline), ["ground-truth", "raw-pixels", "pca"]);
  assert.equal(calls.n, 0, "the untrained VAE is built only for its row");
  // The same numbers as computing the table directly.
  const direct = higginsBaselineTable(ds, { ...protocol, baselines: ["ground-truth", "raw-pixels", "pca"] });
  assert.deepEqual(first.rows.map((r) => r.accuracy), direct.map((r) => r.accuracy));
  // Progress while the points are encoded (most of the table's time): a line at each quarter passed, 64 points
  // a chunk here (1,024 codes / (2 x 8)).
  const lines: string[] = [];
  higginsBaselineTable(ds, { ...protocol, numTrain: 200, numEval: 130, baselines: ["pca"] }, (l) => lines.push(l));
  assert.deepEqual(lines.filter((l) => / of \d+ in /.test(l)).map((l) => l.replace(/ in \d+ s$/, "")), [
    "training points: 64 of 200", "training points: 128 of 200", "training points: 192 of 200",
    "evaluation points: 64 of 130", "evaluation points: 128 of 130",
  ]);

  const again = storedHigginsTable(ds, options(dir, calls, { baselines: ["pca", "raw-pixels"] }));
  assert.deepEqual(again.storedRows, ["raw-pixels", "pca"]);
  assert.deepEqual(again.rows.map((r) => r.accuracy), [first.rows[1].accuracy, first.rows[2].accuracy]);

  // Asking for every row computes only the missing ones (ica, untrained-vae) and keeps the rest.
  const all = storedHigginsTable(ds, options(dir, calls));
  assert.deepEqual(all.storedRows, ["ground-truth", "raw-pixels", "pca"]);
  assert.equal(calls.n, 1);
  const file = JSON.parse(fs.readFileSync(all.file, "utf8"));
  assert.equal(file.entries.length, 1);
  assert.deepEqual(file.entries[0].rows.map((r: { baseline: string }) => r.baseline), ["ground-truth", "raw-pixels", "pca", "ica", "untrained-vae"]);
  assert.equal(storedHigginsTable(ds, options(dir, calls)).storedRows.length, 5);
  assert.equal(calls.n, 1);

  // force recomputes (same seed, same values); another protocol is another entry.
  const forced = storedHigginsTable(ds, options(dir, calls, { baselines: ["raw-pixels"], force: true }));
  assert.deepEqual(forced.storedRows, []);
  assert.equal(forced.rows[0].accuracy, first.rows[1].accuracy);
  assert.deepEqual(storedHigginsTable(ds, options(dir, calls, { baselines: ["raw-pixels"], seed: 4 })).storedRows, []);
  assert.equal(JSON.parse(fs.readFileSync(all.file, "utf8")).entries.length, 2);
});

test("storedHigginsTable: a dataset whose images differ has another fingerprint, hence its own rows", () => {
  const shifted: GroundTruthDataset = {
    ...ds,
    observe(f) {
      const b = ds.observe(f);
      const data = new Float32Array(b.data);
      for (let i = 0; i < data.length; i += 97) data[i] = 1 - data[i];
      return { ...b, data };
    },
  };
  assert.notEqual(datasetFingerprint(shifted), datasetFingerprint(ds));
  assert.equal(datasetFingerprint(makeToyDataset()), datasetFingerprint(ds));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-baselines-"));
  storedHigginsTable(ds, options(dir, { n: 0 }, { baselines: ["raw-pixels"] }));
  assert.deepEqual(storedHigginsTable(shifted, options(dir, { n: 0 }, { baselines: ["raw-pixels"] })).storedRows, []);
});

test("storedHigginsTable: a damaged store is a clear error naming the file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-baselines-"));
  fs.writeFileSync(path.join(dir, "higgins-table.json"), "{ not json");
  assert.throws(() => storedHigginsTable(ds, options(dir, { n: 0 })), /higgins-table\.json: not valid JSON/);
  fs.writeFileSync(path.join(dir, "higgins-table.json"), JSON.stringify({ format: "other" }));
  assert.throws(() => storedHigginsTable(ds, options(dir, { n: 0 })), /expected \{"format": "bvae-baselines-1"/);
});
