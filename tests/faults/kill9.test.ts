/**
 * Fault class: kill -9 at random points. A child trains the toy run, checkpointing every 2 steps,
 * and is killed with SIGKILL at seeded random moments (and once as soon as a temporary folder of a
 * write in progress appears); after every kill each checkpoint on disk is intact and the lock is
 * recognised as stale; resuming until done gives the weights and history of an uninterrupted run,
 * byte for byte, and leaves no temporary file behind.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, runName, trainOrLoad } from "../../lib/runs";
import { checkpointDirs, checkpointProblem } from "../../lib/train/checkpoint";
import { findTemporaries } from "../../lib/runs/temporaries";
import { makeRng } from "../../lib/rng";
import { ROOT, scratch, TOY } from "./helpers";

const NAME = runName(TOY);
let reference: string;

before(async () => {
  await tf.setBackend("cpu");
  reference = scratch("kill-ref");
  (await trainOrLoad(TOY, { runsDir: reference, quiet: true })).model.dispose();
});
after(() => fs.rmSync(reference, { recursive: true, force: true }));


/** A child training TOY into `runs` (each batch slowed to 120 ms); prints "ready" once the backend is up. */
function child(runs: string) {
  const script = `
    const tf = require("@tensorflow/tfjs");
    const { trainOrLoad } = require(${JSON.stringify(path.join(ROOT, "dist/lib/runs/train-or-load.js"))});
    const toy = require(${JSON.stringify(path.join(ROOT, "dist/lib/data/toy.js"))}).makeToyDataset();
    const slow = { ...toy, observe: (f) => (Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120), toy.observe(f)) };
    tf.setBackend("cpu").then(() => { console.log("ready"); return trainOrLoad(${JSON.stringify(TOY)}, { runsDir: ${JSON.stringify(runs)}, quiet: true, checkpointEvery: 2, dataset: slow, notice: () => {} }); })
      .then((r) => { console.log("done " + r.complete); process.exit(0); }, (e) => { console.error(e.message); process.exit(1); });`;
  const p = spawn(process.execPath, ["-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const ready = new Promise<void>((resolve) => p.stdout.on("data", () => out.includes("ready") && resolve()));
  const exited = new Promise<number | null>((resolve) => p.on("exit", (code) => resolve(code)));
  return { p, ready, exited, output: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function assertIntact(runs: string, when: string): void {
  const partial = path.join(runs, ".partial", NAME);
  for (const ck of checkpointDirs(partial)) assert.equal(checkpointProblem(ck.dir, TOY), undefined, `${when}: ${ck.dir} is not intact`);
  const listed = listRuns({ runsDir: runs });
  assert.ok(listed.every((r) => r.status !== "running"), `${when}: the killed process's lock is seen as stale`);
}

/** The newest checkpoint's step of the partial run (0 when none). */
function newestStep(runs: string): number {
  const all = checkpointDirs(path.join(runs, ".partial", NAME));
  return all.length ? all[all.length - 1].step : 0;
}

test("kill -9 at random points, then resume: every checkpoint stays intact and the result is byte-identical", async (t) => {
  const runs = scratch("kill");
  const rng = makeRng(2024);
  try {
    let targeted = false;
    let last = 0;
    for (let kill = 1; kill <= 3; kill++) {
      const c = child(runs);
      await Promise.race([c.ready, c.exited]);
      // Wait for progress past the previous kill (a new checkpoint), then kill at a random moment after it.
      const until = Date.now() + 20_000;
      while (c.p.exitCode === null && newestStep(runs) <= last && Date.now() < until) await sleep(5);
      if (kill === 2) {
        // Once: kill as soon as a write in progress shows its temporary folder (if one is caught).
        const partial = path.join(runs, ".partial", NAME);
        const stop = Date.now() + 3000;
        while (c.p.exitCode === null && Date.now() < stop) {
          if (fs.readdirSync(partial).some((f) => f.startsWith(".tmp-"))) {
            c.p.kill("SIGKILL");
            targeted = true;
            break;
          }
          await sleep(1);
        }
      } else await sleep(Math.floor(rng.next() * 300));
      c.p.kill("SIGKILL");
      assert.equal(await c.exited, null, `the child ended before kill ${kill}: ${c.output()}`);
      last = newestStep(runs);
      assert.ok(last > 0 && last < TOY.steps, `kill ${kill} landed mid-run (newest checkpoint ${last})`);
      assertIntact(runs, `after kill ${kill}`);
    }
    t.diagnostic(`kill 2 ${targeted ? "caught a write in progress (its temporary folder)" : "found no write in progress within 3 s"}`);
    const final = child(runs);
    assert.equal(await final.exited, 0, final.output());
    assert.match(final.output(), /done true/);
    const bin = (d: string, f: string) => fs.readFileSync(path.join(d, NAME, f));
    assert.ok(bin(runs, "weights.bin").equals(bin(reference, "weights.bin")), "weights differ from the uninterrupted run");
    const noSeconds = (d: string) => bin(d, "history.csv").toString().split("\n").map((l) => l.split(",").filter((_, i) => i !== 1).join(",")).join("\n");
    assert.equal(noSeconds(runs), noSeconds(reference));
    for (const s of fs.readdirSync(path.join(reference, NAME, "snapshots"))) {
      assert.ok(bin(runs, `snapshots/${s}/weights.bin`).equals(bin(reference, `snapshots/${s}/weights.bin`)), `snapshot ${s} differs`);
    }
    // Whatever the kills left (a kill mid-write leaves a temporary folder) was cleaned by the resumed sessions.
    assert.deepEqual(findTemporaries(runs), [], `temporaries left (targeted kill: ${targeted})`);
    assert.ok(!fs.existsSync(path.join(runs, ".partial", NAME)));
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});
