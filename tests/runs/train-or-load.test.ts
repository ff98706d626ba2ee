/**
 * trainOrLoad (runs/train-or-load.ts): a run folder is complete or absent, never silently
 * overwritten, and a run killed mid-way (SIGKILL of a child process) or stopped early resumes from its last
 * checkpoint to the same weights, bit for bit, as an uninterrupted run (cpu backend, tiny MLP).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, loadLatest, runName } from "../../lib/runs";
import { trainOrLoad } from "../../lib/runs/train-or-load";
import { projectRoot } from "../../lib/files";
import { TOY_CONFIG as CONFIG, tmpRunsDir as tmp } from "./toy-run";
import { makeToyDataset } from "../../lib/data/toy";

before(async () => {
  await tf.setBackend("cpu");
});

function historyWithoutSeconds(dir: string): string {
  const lines = fs.readFileSync(path.join(dir, "history.csv"), "utf8").trim().split("\n");
  const col = lines[0].split(",").indexOf("seconds");
  return lines.map((l) => l.split(",").filter((_, i) => i !== col).join(",")).join("\n");
}

test("a run killed mid-way resumes from its last checkpoint to the same weights as an uninterrupted run", async () => {
  // Uninterrupted reference.
  const refDir = tmp();
  const ref = await trainOrLoad(CONFIG, { runsDir: refDir, quiet: true });
  assert.ok(ref.complete);
  ref.model.dispose();
  const refRun = path.join(refDir, runName(CONFIG));
  assert.deepEqual(fs.readdirSync(refRun).sort(), ["config.json", "history.csv", "snapshots", "summary.json", "weights.bin", "weights.json"]);
  assert.ok(!fs.existsSync(path.join(refDir, ".partial", runName(CONFIG))), "the partial folder is removed once complete");

  // A child process trains the same config, checkpointing every 4 steps; SIGKILL after the first checkpoint.
  const killedDir = tmp();
  const partial = path.join(killedDir, ".partial", runName(CONFIG));
  const root = projectRoot();
  // Its batches take >= 150 ms each (same images), so the kill lands well before the last step.
  const script = `
    const tf = require("@tensorflow/tfjs");
    const { trainOrLoad } = require(${JSON.stringify(path.join(root, "dist/lib/runs/train-or-load.js"))});
    const toy = require(${JSON.stringify(path.join(root, "dist/lib/data/toy.js"))}).makeToyDataset();
    const slow = { ...toy, observe: (f) => (Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150), toy.observe(f)) };
    tf.setBackend("cpu").then(() => trainOrLoad(${JSON.stringify(CONFIG)}, { runsDir: ${JSON.stringify(killedDir)}, quiet: true, checkpointEvery: 4, dataset: slow }));`;
  const child = spawn(process.execPath, ["-e", script], { cwd: root, stdio: "ignore" });
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  let killedAt = -1;
  while (killedAt < 0) {
    const ckpts = fs.existsSync(partial) ? fs.readdirSync(partial).filter((n) => /^ckpt-\d+$/.test(n)) : [];
    if (ckpts.length > 0) {
      child.kill("SIGKILL");
      killedAt = Number(ckpts[ckpts.length - 1].slice(5));
    } else if (child.exitCode !== null) throw new Error(`the child exited (${child.exitCode}) before a checkpoint appeared`);
    else await new Promise((r) => setTimeout(r, 20));
  }
  await exited;
  assert.ok(killedAt >= 4 && killedAt < CONFIG.steps, `killed after checkpoint ${killedAt}`);
  assert.ok(!fs.existsSync(path.join(killedDir, runName(CONFIG))), "no run folder for a killed run");
  const listed = listRuns({ runsDir: killedDir });
  assert.equal(listed.length, 1);
  assert.equal(listed[0].status, "partial"); // the lock's pid is dead
  assert.ok(listed[0].step >= 4);

  const resumed = await trainOrLoad(CONFIG, { runsDir: killedDir, quiet: true, checkpointEvery: 4 });
  assert.ok(resumed.complete);
  resumed.model.dispose();
  const resRun = path.join(killedDir, runName(CONFIG));
  assert.ok(fs.readFileSync(path.join(resRun, "weights.bin")).equals(fs.readFileSync(path.join(refRun, "weights.bin"))), "weights differ from the uninterrupted run");
  assert.equal(historyWithoutSeconds(resRun), historyWithoutSeconds(refRun));
  // The snapshots (some written before the kill, some after) match the uninterrupted run's too.
  const snaps = fs.readdirSync(path.join(refRun, "snapshots")).sort();
  assert.deepEqual(fs.readdirSync(path.join(resRun, "snapshots")).sort(), snaps);
  for (const s of snaps) {
    const bin = (dir: string) => fs.readFileSync(path.join(dir, "snapshots", s, "weights.bin"));
    assert.ok(bin(resRun).equals(bin(refRun)), `snapshot ${s} differs from the uninterrupted run`);
  }
  fs.rmSync(killedDir, { recursive: true });

  // stopAfter leaves a partial run; the next call resumes it to the same weights.
  const stoppedDir = tmp();
  const part = await trainOrLoad(CONFIG, { runsDir: stoppedDir, quiet: true, stopAfter: 7, checkpointEvery: 100 });
  assert.equal(part.complete, false);
  assert.equal(part.step, 7);
  part.model.dispose();
  // loadLatest reads the newest checkpoint without training; nothing at all for an unknown run.
  const latest = loadLatest(CONFIG, { runsDir: stoppedDir })!;
  assert.deepEqual([latest.complete, latest.step, latest.history.rows.length], [false, 7, 3]);
  latest.model.dispose();
  assert.equal(loadLatest({ ...CONFIG, seed: 5 }, { runsDir: stoppedDir }), undefined);
  const l = listRuns({ runsDir: stoppedDir });
  assert.deepEqual(l.map((r) => [r.status, r.step, r.steps]), [["partial", 7, 16]]);
  // A leftover temporary checkpoint folder (a write cut short) is ignored.
  fs.mkdirSync(path.join(stoppedDir, ".partial", runName(CONFIG), `.tmp-ckpt-000000012-1-1`));
  const done = await trainOrLoad(CONFIG, { runsDir: stoppedDir, quiet: true });
  done.model.dispose();
  assert.ok(fs.readFileSync(path.join(stoppedDir, runName(CONFIG), "weights.bin")).equals(fs.readFileSync(path.join(refRun, "weights.bin"))));
  fs.rmSync(stoppedDir, { recursive: true });

  // A complete run is loaded, not retrained: a dataset that cannot be read proves it.
  const toy = makeToyDataset();
  const unreadable = { ...toy, observe: (): never => { throw new Error("should not train"); } };
  const loaded = await trainOrLoad(CONFIG, { runsDir: refDir, quiet: true, dataset: unreadable });
  assert.ok(loaded.complete);
  assert.equal(loaded.history.rows.length, 6); // steps 0, 3, ..., 15
  assert.equal(loaded.historyFrame.height, 6);
  assert.equal(listRuns({ runsDir: refDir })[0].status, "complete");
  // The loaded model reproduces the weights file.
  const w = loaded.model.variables[0].variable.dataSync();
  const bin = fs.readFileSync(path.join(refRun, "weights.bin"));
  assert.deepEqual(Array.from(w.slice(0, 8)), Array.from(new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + 32))));
  loaded.model.dispose();

  // A run folder whose config differs from its name's is an error, never overwritten.
  const cfgFile = path.join(refRun, "config.json");
  const stored = JSON.parse(fs.readFileSync(cfgFile, "utf8"));
  fs.writeFileSync(cfgFile, JSON.stringify({ ...stored, seed: 99 }));
  await assert.rejects(trainOrLoad(CONFIG, { runsDir: refDir, quiet: true }), /different config/);
  assert.equal(JSON.parse(fs.readFileSync(cfgFile, "utf8")).seed, 99);
  fs.rmSync(refDir, { recursive: true });
});
