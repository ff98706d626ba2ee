/**
 * cli/notebooks.ts: the runs `bvae prepare` trains are read from the notebooks' own presetRun
 * calls (every form the reader knows, and a clear error for any other).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultNotebooks, notebookRuns, notebookScoring, presetRunItems } from "../../cli/notebooks";
import { parseRunItem } from "../../lib/runs/plan";

test("presetRunItems: literal presets, for-of lists, exact from the options literal, a const or a spread", () => {
  const code = [
    "const opts = { checkpointEvery: bvae.PROFILE_SETTINGS[profile].checkpointEvery };",
    'const a = await bvae.presetRun("dsprites-vae", profile, opts);',
    'const b = await bvae.presetRun("dsprites-beta", profile, { ...opts, exact: true });',
    "const exactOpts = { checkpointEvery: 10, exact: true };",
    "await bvae.presetRun('dsprites-vae-z5', profile, exactOpts);",
    'await bvae.presetRun("dsprites-capacity-z5", profile, { ...exactOpts, exact: false });',
    'const presets: bvae.PresetName[] = ["dsprites-vae", "dsprites-capacity-report"];',
    "for (const p of presets) {",
    "  const run = await bvae.presetRun(p, profile, { checkpointEvery: 5, quiet: f(1, [2, 3]) });",
    '  console.log(`${run.name} ${run.complete ? `done, ${run.step}` : "(partial)"}`);',
    "}",
    'for (const q of ["dsprites-capacity-paper"]) await bvae.presetRun(q, profile);',
  ].join("\n");
  assert.deepEqual(presetRunItems(code, "x.ipynb"), [
    "dsprites-vae", "dsprites-beta:exact", "dsprites-vae-z5:exact", "dsprites-capacity-z5",
    "dsprites-vae", "dsprites-capacity-report", "dsprites-capacity-paper",
  ]);
  assert.deepEqual(presetRunItems('bvae.showMarkdown("no runs here");', "y.ipynb"), []);
});

test("presetRunItems: overrides from the options (literal, const, spread) become the item's canonical JSON", () => {
  const code = [
    'await bvae.presetRun("dsprites-vae", profile, { overrides: { architecture: "burgess" } });',
    "const BURGESS = { architecture: 'burgess' };",
    'await bvae.presetRun("dsprites-beta", profile, { exact: true, overrides: BURGESS });',
    "const shipped = { overrides: BURGESS, quiet: true };",
    'const presets = ["dsprites-vae", "dsprites-beta"];',
    "for (const p of presets) await bvae.presetRun(p, profile, { ...shipped, overrides: { seed: 2, architecture: 'burgess' } });",
    'await bvae.presetRun("dsprites-beta-mlp", profile, { overrides: { optimizer: { learningRate: 1e-3 }, steps: 200 } });',
  ].join("\n");
  assert.deepEqual(presetRunItems(code, "x.ipynb"), [
    'dsprites-vae{"architecture":"burgess"}',
    'dsprites-beta:exact{"architecture":"burgess"}',
    'dsprites-vae{"architecture":"burgess","seed":2}',
    'dsprites-beta{"architecture":"burgess","seed":2}',
    'dsprites-beta-mlp{"optimizer":{"learningRate":0.001},"steps":200}',
  ]);
  for (const item of presetRunItems(code, "x.ipynb")) parseRunItem(item);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile, { overrides: pick() });', "04.ipynb"), /04\.ipynb: presetRun\(\.\.\., \{ overrides: pick\(\) \}\): overrides must be an object literal of literal values/);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile, { overrides: { seed: s } });', "04.ipynb"), /overrides must be an object literal of literal values/);
});

test("presetRunItems: a call in another form is an error naming the notebook", () => {
  assert.throws(() => presetRunItems("await bvae.presetRun(pick(), profile);", "03.ipynb"), /03\.ipynb: presetRun\(pick\(\), \.\.\.\): the preset must be a string literal/);
  assert.throws(() => presetRunItems("for (const p of chosen()) await bvae.presetRun(p, profile);", "05.ipynb"), /05\.ipynb: presetRun\(p, \.\.\.\)/);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile, makeOptions());', "06.ipynb"), /06\.ipynb: presetRun\(\.\.\., makeOptions\(\)\): options must be an object literal/);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile, { exact: wanted });', "06.ipynb"), /options must be an object literal, or a const bound to one, with exact: true \| false and overrides/);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile, undefinedOpts);', "06.ipynb"), /06\.ipynb: presetRun\(\.\.\., undefinedOpts\)/);
  assert.throws(() => presetRunItems('await bvae.presetRun("dsprites-vae", profile', "07.ipynb"), /07\.ipynb: cannot read the arguments/);
});

test("notebookRuns: every notebook's items in order, each once; the shipped notebooks ask for valid items only", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-notebook-runs-"));
  const write = (name: string, cells: { cell_type: string; source: string[] }[]) => {
    fs.writeFileSync(path.join(dir, name), JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    return path.join(dir, name);
  };
  const first = write("01.ipynb", [
    { cell_type: "markdown", source: ['`bvae.presetRun("dsprites-beta", profile)` in prose is not a call'] },
    { cell_type: "code", source: ['const run = await bvae.presetRun("dsprites-vae", profile);\n'] },
  ]);
  const second = write("02.ipynb", [
    { cell_type: "code", source: ["const opts = { exact: true };\n"] },
    { cell_type: "code", source: ['await bvae.presetRun("dsprites-vae", profile);\n', 'await bvae.presetRun("dsprites-beta", profile, opts);\n'] },
  ]);
  assert.deepEqual(notebookRuns([first, second]), ["dsprites-vae", "dsprites-beta:exact"]);
  assert.throws(() => notebookRuns([path.join(dir, "missing.ipynb")]), /missing\.ipynb: cannot read a notebook/);
  fs.rmSync(dir, { recursive: true });

  const shipped = notebookRuns(defaultNotebooks());
  assert.ok(shipped.length > 0, "the notebooks ask for runs");
  for (const item of shipped) parseRunItem(item);
});

test("notebookScoring: the runs of the notebooks that call runScores, and whether one computes the Higgins table", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-notebook-scoring-"));
  const write = (name: string, code: string) => {
    fs.writeFileSync(path.join(dir, name), JSON.stringify({ cells: [{ cell_type: "code", source: [code] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    return path.join(dir, name);
  };
  const shows = write("01.ipynb", 'const a = await bvae.presetRun("dsprites-vae", profile);\n');
  const scores = write("05.ipynb", 'for (const p of ["dsprites-vae", "dsprites-beta"]) {\n  const r = await bvae.presetRun(p, profile);\n  bvae.runScores(r, ds, protocol);\n}\n');
  const table = write("07.ipynb", 'const t = bvae.storedHigginsTable(ds, options);\n');
  assert.deepEqual(notebookScoring([shows]), { runs: [], baselines: false });
  assert.deepEqual(notebookScoring([shows, scores, table]), { runs: ["dsprites-vae", "dsprites-beta"], baselines: true });
  fs.rmSync(dir, { recursive: true });
  // The shipped notebooks: 05 scores the VAE, beta-VAE and capacity run and computes the table; 06 scores the 5-latent pair.
  const shipped = notebookScoring(defaultNotebooks());
  assert.equal(shipped.baselines, true);
  for (const item of ["dsprites-vae", "dsprites-beta", "dsprites-capacity-report", "dsprites-vae-z5:exact", "dsprites-capacity-z5:exact"]) {
    assert.ok(shipped.runs.includes(item), `${item} in ${shipped.runs.join(", ")}`);
  }
  assert.ok(!shipped.runs.includes("dsprites-capacity-paper:exact"), "notebook 03's gamma-1000 run is shown, not scored");
});
