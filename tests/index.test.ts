/**
 * lib/index.ts, the notebooks' `bvae`: every name a notebook's code uses is exported (a value at
 * run time, a type in the declarations), and the surface stays small.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as bvae from "../lib";
import { defaultNotebooks, notebookCode, readNotebook } from "../cli/notebooks";

test("every bvae.<name> of the notebooks' code is exported by lib/index.ts", () => {
  const used = new Set<string>();
  for (const file of defaultNotebooks()) {
    for (const m of notebookCode(readNotebook(file)).matchAll(/\bbvae\.([A-Za-z_]\w*)/g)) used.add(m[1]);
  }
  assert.ok(used.size > 50, `the notebooks use ${used.size} names`);
  const declarations = fs.readFileSync(path.join(__dirname, "..", "lib", "index.d.ts"), "utf8");
  const values = new Set(Object.keys(bvae));
  const missing = [...used].filter((n) => !values.has(n) && !new RegExp(`\\btype ${n}\\b`).test(declarations));
  assert.deepEqual(missing, [], "names the notebooks use but lib/index.ts does not export");
});

test("lib/index.ts exports a small surface (the notebooks' names and a few types)", () => {
  const values = Object.keys(bvae);
  // 117: cellProgress (05); latentMixing, MIXING_RATIO (01, 02); samplePrior, pixelEntropy, reconstruct,
  // showPriorSamples (02); showTraversalExplorer (01, 02, 03, 06) joined; 118: storedPresetRun (01, 02: the
  // H-network runs beside the shipped Burgess ones, shown only where stored)
  // 120: encodingProgress (05: a line while a model's scores are computed), meanSd (05: three seeds' spread)
  // 121: baselineProtocol (05's Higgins table, and `bvae prepare` computing it beside the trainings: one rule)
  // 122: storedRunOrStandIn (02, 04, 05: a stored long run, or at smoke a 20-step stand-in; was four copies)
  // 123: factorPixelVariance (03, 04: what each factor is worth to the reconstruction)
  // 124: commonStage (02, 05: runs of different lengths compared at the newest step all have weights for)
  assert.ok(values.length < 125, `${values.length} values exported`);
  for (const internal of ["listRuns", "planRuns", "runKey", "storeEntry", "acquireLock", "trainSession", "runBench"]) {
    assert.ok(!values.includes(internal), `${internal} is internal (its folder's index), not public`);
  }
});
