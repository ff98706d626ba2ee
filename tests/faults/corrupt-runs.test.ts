/**
 * Fault class: corrupt run folders. A damaged checkpoint, config, summary, history or scores file is
 * reported naming the file, what is wrong and what to do; resume falls back to the newest intact
 * checkpoint; one damaged run never hides the others; temporaries left by interrupted writes are
 * listed and cleaned; and the damaged files themselves are kept as they were.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, loadRun, runName, storedScores, trainOrLoad } from "../../lib/runs";
import { ADAPTER_DEFAULTS } from "../../lib/metrics/adapter";
import { findTemporaries } from "../../lib/runs/temporaries";
import { runsCommand } from "../../cli/runs";
import { evalCommand } from "../../cli/eval";
import { capture, fingerprint, scratch, TOY, withEnv } from "./helpers";

const NAME = runName(TOY);
const OTHER = { ...TOY, seed: 12 };
let reference: string; // an uninterrupted run of TOY (and one of OTHER) in this runs folder

before(async () => {
  await tf.setBackend("cpu");
  reference = scratch("reference");
  for (const c of [TOY, OTHER]) (await trainOrLoad(c, { runsDir: reference, quiet: true })).model.dispose();
});
after(() => fs.rmSync(reference, { recursive: true, force: true }));


const weights = (runsDir: string): Buffer => fs.readFileSync(path.join(runsDir, NAME, "weights.bin"));

/** A partial run of TOY stopped at step 8 with checkpoints at 4 and 8. */
async function partialAt8(): Promise<{ runs: string; partial: string }> {
  const runs = scratch("partial");
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 8, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  assert.deepEqual(fs.readdirSync(partial).filter((f) => f.startsWith("ckpt-")), ["ckpt-000000004", "ckpt-000000008"]);
  return { runs, partial };
}

test("a cut newest checkpoint: resume falls back to the older one, says so, keeps the damaged one aside, and ends with the same weights", async () => {
  const { runs, partial } = await partialAt8();
  try {
    const bin = path.join(partial, "ckpt-000000008", "model.bin");
    fs.truncateSync(bin, fs.statSync(bin).size - 100);
    const damaged = fingerprint(path.join(partial, "ckpt-000000008"));
    const notices: string[] = [];
    const run = await trainOrLoad(TOY, { runsDir: runs, quiet: true, checkpointEvery: 4, notice: (m) => notices.push(m) });
    run.model.dispose();
    assert.equal(notices.length, 1);
    assert.match(notices[0], new RegExp(`\\[${NAME}\\] checkpoint ckpt-000000008 is damaged \\(.*model\\.bin.*\\); resuming from the newest intact one, step 4\\. The damaged one is kept as .*ckpt-000000008\\.damaged`));
    assert.ok(weights(runs).equals(weights(reference)), "the resumed run ends with the weights of an uninterrupted one");
    // The partial folder is gone with the completed run, but the damaged checkpoint was moved, not deleted, until then.
    assert.ok(!fs.existsSync(partial));
    assert.ok(Object.keys(damaged).length > 0);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("a flipped byte (same size) in a checkpoint fails its recorded SHA-256; when every checkpoint is damaged nothing is touched", async () => {
  const { runs, partial } = await partialAt8();
  try {
    const flip = (file: string): void => {
      const b = fs.readFileSync(file);
      b[b.length >> 1] ^= 0x40;
      fs.writeFileSync(file, b);
    };
    flip(path.join(partial, "ckpt-000000008", "optimizer.bin"));
    // ckpt-4 as an older version wrote it (no checksums in state.json), with its history emptied: the strict history read catches it.
    const state = path.join(partial, "ckpt-000000004", "state.json");
    fs.writeFileSync(state, JSON.stringify({ ...JSON.parse(fs.readFileSync(state, "utf8")), files: undefined }));
    fs.writeFileSync(path.join(partial, "ckpt-000000004", "history.csv"), "");
    const before = fingerprint(partial);
    const err = await trainOrLoad(TOY, { runsDir: runs, quiet: true, notice: () => assert.fail("no notice: nothing is resumed") }).then(() => undefined, (e: Error) => e);
    assert.ok(err);
    assert.match(err.message, new RegExp(`\\[${NAME}\\] every checkpoint in .* is damaged, so the run cannot resume:`));
    assert.match(err.message, /ckpt-000000008: .*optimizer\.bin: its SHA-256 differs from the one recorded in state\.json/);
    assert.match(err.message, /ckpt-000000004: .*history\.csv: empty file/);
    assert.match(err.message, /Nothing was changed\. Restore them from a copy, or move .* away to train the run from the start/);
    assert.deepEqual(fingerprint(partial), before, "the partial folder is exactly as it was (lock released)");
    const listed = listRuns({ runsDir: runs });
    assert.deepEqual(listed.map((r) => r.status), ["damaged"]);
    assert.match(listed[0].problem ?? "", /every checkpoint is damaged/);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("one run with a bad config.json is listed as damaged and never hides the others (bvae runs, eval --history)", async () => {
  const runs = scratch("listing");
  try {
    fs.cpSync(reference, runs, { recursive: true });
    const bad = path.join(runs, NAME, "config.json");
    fs.writeFileSync(bad, '{"preset": "toy-vae", "steps": 1');
    // A scores file for the other run, so that eval --history has something to show.
    const other = path.join(runs, runName(OTHER));
    const scores = { format: "bvae-metrics-1", run: runName(OTHER), entries: [{ protocol: { numTrain: 10, numEval: 5, batchSize: 4, seed: 0 }, scores: [{ metric: "mig", value: 0.25 }], seconds: {}, backend: "cpu", datasetSource: "generated", evaluatedAt: "" }] };
    fs.writeFileSync(path.join(other, "metrics.json"), JSON.stringify(scores));
    const before = fingerprint(runs);
    const listed = listRuns({ runsDir: runs });
    assert.deepEqual(listed.map((r) => [r.name, r.status]).sort(), [[NAME, "damaged"], [runName(OTHER), "complete"]].sort());
    assert.match(listed.find((r) => r.name === NAME)?.problem ?? "", /config\.json: not valid JSON/);
    const shown = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => runsCommand.run([])));
    assert.equal(shown.value, 1);
    assert.match(shown.out, new RegExp(`complete\\s+${runName(OTHER)}\\s+16/16`));
    assert.match(shown.out, new RegExp(`damaged\\s+${NAME}`));
    assert.match(shown.out, new RegExp(`problems .*\\n  ${NAME}: .*config\\.json: not valid JSON`));
    const history = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => evalCommand.run(["--history", "--num-train", "10", "--num-eval", "5", "--batch-size", "4"])));
    assert.equal(history.value, 1);
    assert.match(history.out, new RegExp(`warning: ${NAME} skipped: .*config\\.json: not valid JSON`));
    assert.match(history.out, new RegExp(`\\| ${runName(OTHER)} \\| 16 \\| .*0\\.2500`));
    assert.deepEqual(fingerprint(runs), before, "listing changes nothing");
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("a bad metrics.json names the file and what to do, before anything is computed, even with --force", async () => {
  const runs = scratch("metrics");
  try {
    fs.cpSync(reference, runs, { recursive: true });
    const dir = path.join(runs, NAME);
    fs.writeFileSync(path.join(dir, "metrics.json"), '{"format": "bvae-metrics-1", "entries": [');
    const before = fingerprint(runs);
    const run = { dir, complete: true, step: TOY.steps };
    const expected = new RegExp(`${dir}/metrics\\.json: not valid JSON \\(.*\\); the stored scores cannot be read: move it away \\(mv .*metrics\\.json .*metrics\\.json\\.bad\\) and run bvae eval again`);
    assert.throws(() => storedScores(run, ADAPTER_DEFAULTS), expected);
    assert.throws(() => storedScores(run, ADAPTER_DEFAULTS, { force: true }), expected);
    const t0 = Date.now();
    const cli = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => evalCommand.run([NAME, "--force"])));
    assert.match(cli.error?.message ?? "", expected);
    assert.ok(Date.now() - t0 < 5000, "refused at once, not after computing");
    fs.writeFileSync(path.join(dir, "metrics.json"), JSON.stringify({ format: "bvae-metrics-1", entries: {} }));
    assert.throws(() => storedScores(run, ADAPTER_DEFAULTS), /metrics\.json: "entries" is not a list of \{protocol, scores\}/);
    fs.writeFileSync(path.join(dir, "metrics.json"), '{"format": "bvae-metrics-1", "entries": [');
    assert.deepEqual(fingerprint(runs), before);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("a cut or empty history.csv is an error naming the file and line, never rows of zeros", () => {
  const runs = scratch("history");
  try {
    fs.cpSync(reference, runs, { recursive: true });
    const file = path.join(runs, NAME, "history.csv");
    const text = fs.readFileSync(file, "utf8");
    assert.equal(loadRun(path.join(runs, NAME)).history.rows.length, 6, "the intact run loads (steps 0, 3, ..., 15)");
    fs.writeFileSync(file, text.slice(0, text.length - 30)); // cut inside the last row
    assert.throws(() => loadRun(path.join(runs, NAME)), new RegExp(`${file}: the last line has no line end \\(the file was cut short\\); the history of this run or checkpoint is damaged`));
    const lines = text.trim().split("\n");
    fs.writeFileSync(file, [...lines.slice(0, -1), lines[lines.length - 1].split(",").slice(0, 10).join(",")].join("\n") + "\n");
    assert.throws(() => loadRun(path.join(runs, NAME)), /history\.csv: line 7 has 10 fields, the header \d+/);
    fs.writeFileSync(file, lines.slice(0, -1).join("\n") + "\n"); // a whole row missing
    assert.throws(() => loadRun(path.join(runs, NAME)), /its last row is step 12, but at step 16 the last recorded step is 15 \(rows are missing\)/);
    fs.writeFileSync(file, [lines[0], lines[1].replace(/^0,[^,]*,/, "0,,")].join("\n") + "\n");
    assert.throws(() => loadRun(path.join(runs, NAME)), /line 2: seconds is "", expected a finite number/);
    fs.writeFileSync(file, "");
    assert.throws(() => loadRun(path.join(runs, NAME)), /history\.csv: empty file/);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("temporaries left by killed writers are listed (bvae runs), cleaned (--clean, and by training), and a live writer's kept", async () => {
  const runs = scratch("temps");
  try {
    const { partial } = { partial: path.join(runs, ".partial", NAME) };
    (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 4, checkpointEvery: 4 })).model.dispose();
    const dead = 2 ** 22 + 12345; // above pid_max's default: no such process
    const stamp = String(Date.now());
    const orphanCkpt = path.join(partial, `.tmp-ckpt-000000008-${dead}-${stamp}`);
    fs.mkdirSync(orphanCkpt);
    fs.writeFileSync(path.join(orphanCkpt, "model.bin"), Buffer.alloc(300_000));
    const orphanRun = path.join(runs, `.tmp-${runName(OTHER)}-${dead}-${stamp}`);
    fs.mkdirSync(orphanRun);
    fs.writeFileSync(path.join(orphanRun, "weights.bin"), Buffer.alloc(100_000));
    const live = path.join(runs, `.tmp-${runName(OTHER)}-${process.pid}-${stamp}`); // a write in progress (this process)
    fs.mkdirSync(live);
    const listed = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => runsCommand.run([])));
    assert.match(listed.out, /temporary files \(writes in progress, or left by interrupted ones\): 3, 391 kB/);
    assert.match(listed.out, new RegExp(`stale\\s+293 kB\\s+${orphanCkpt}`));
    assert.match(listed.out, new RegExp(`writing\\s+0 B\\s+${live}`));
    assert.match(listed.out, /bvae runs --clean removes the 2 stale one\(s\)/);
    // Training this run removes the stale temporaries of this run only, and says so.
    const notices: string[] = [];
    (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 8, checkpointEvery: 4, notice: (m) => notices.push(m) })).model.dispose();
    assert.match(notices.join("\n"), new RegExp(`\\[${NAME}\\] removed 1 temporary file\\(s\\) left by interrupted writes \\(293 kB\\): .*\\.tmp-ckpt-000000008-${dead}-${stamp}`));
    assert.ok(!fs.existsSync(orphanCkpt) && fs.existsSync(orphanRun) && fs.existsSync(live));
    const cleaned = await withEnv({ BVAE_RUNS_DIR: runs }, () => capture(() => runsCommand.run(["--clean"])));
    assert.match(cleaned.out, new RegExp(`removed ${orphanRun} \\(97.7 kB|removed ${orphanRun} \\(98 kB`));
    assert.deepEqual(findTemporaries(runs).map((t) => t.path), [live]);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("a dataset that cannot be opened leaves no lock and no phantom 'partial 0/N' run", async () => {
  const runs = scratch("phantom");
  const empty = scratch("nochairs");
  try {
    const config = { ...TOY, preset: "chairs-x", dataset: "chairs" as const };
    await withEnv({ BVAE_CHAIRS_ROOT: empty }, () => assert.rejects(trainOrLoad(config, { runsDir: runs, quiet: true }), /3D Chairs: folder .* not found/));
    assert.deepEqual(fs.readdirSync(runs), []);
    assert.deepEqual(listRuns({ runsDir: runs }), []);
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
