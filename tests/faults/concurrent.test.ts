/**
 * Fault class: concurrent writers. Three trainings of one run started together: exactly one trains,
 * the others are refused naming it. Locks cannot be confused by pid reuse (a live process with
 * another start time), a dead owner's lock is taken over with a message, a lock from another host
 * is never stolen. Two processes storing scores into one file keep every entry.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { listRuns, readMetrics, runName, trainOrLoad } from "../../lib/runs";
import { currentOwner } from "../../lib/runs/lock";
import { findTemporaries, removeStaleTemporaries } from "../../lib/runs/temporaries";
import { ROOT, scratch, TOY } from "./helpers";

const NAME = runName(TOY);
let reference: string;

before(async () => {
  await tf.setBackend("cpu");
  reference = scratch("conc-ref");
  (await trainOrLoad(TOY, { runsDir: reference, quiet: true })).model.dispose();
});
after(() => fs.rmSync(reference, { recursive: true, force: true }));


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node child running `body` (with `tf`, `root` and `go` — a file whose appearance starts it — defined). */
function node(body: string) {
  const p = spawn(process.execPath, ["-e", `const tf = require("@tensorflow/tfjs"); const fs = require("fs"); const root = ${JSON.stringify(ROOT)};\n${body}`], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => p.on("exit", (c) => r(c)));
  return { p, exited, output: () => out };
}

test("three trainings of one run started at once: exactly one trains, two are refused naming it; the result is intact", async () => {
  const runs = scratch("three");
  const go = path.join(runs, "..", `${path.basename(runs)}.go`);
  try {
    const kids = [0, 1, 2].map(() =>
      node(`
        const { trainOrLoad } = require(root + "/dist/lib/runs/train-or-load.js");
        const toy = require(root + "/dist/lib/data/toy.js").makeToyDataset();
        const slow = { ...toy, observe: (f) => (Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120), toy.observe(f)) };
        tf.setBackend("cpu").then(async () => {
          while (!fs.existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 2));
          return trainOrLoad(${JSON.stringify(TOY)}, { runsDir: ${JSON.stringify(runs)}, quiet: true, checkpointEvery: 4, dataset: slow });
        }).then(() => { console.log("trained"); process.exit(0); }, (e) => { console.log(e.message); process.exit(1); });`),
    );
    await sleep(1500); // all three load tfjs, then wait for the signal
    fs.writeFileSync(go, "");
    const codes = await Promise.all(kids.map((k) => k.exited));
    const winners = kids.filter((_, i) => codes[i] === 0);
    assert.equal(winners.length, 1, kids.map((k) => k.output()).join("\n---\n"));
    for (const [i, k] of kids.entries()) {
      if (codes[i] === 0) continue;
      assert.equal(codes[i], 1);
      assert.match(k.output(), new RegExp(`\\.partial/${NAME} is being trained by process ${winners[0].p.pid} \\(since .*\\): wait for it to finish, or stop it \\(kill -TERM ${winners[0].p.pid} checkpoints and exits\\), then run again`));
    }
    assert.ok(fs.readFileSync(path.join(runs, NAME, "weights.bin")).equals(fs.readFileSync(path.join(reference, NAME, "weights.bin"))));
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
    fs.rmSync(go, { force: true });
  }
});

/** A partial run of TOY at step 4 whose lock file holds `lock`. */
async function lockedPartial(lock: string): Promise<{ runs: string; partial: string; lockFile: string }> {
  const runs = scratch("lock");
  (await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 4, checkpointEvery: 4 })).model.dispose();
  const partial = path.join(runs, ".partial", NAME);
  const lockFile = path.join(partial, "lock");
  fs.writeFileSync(lockFile, lock);
  return { runs, partial, lockFile };
}

test("a lock whose pid now belongs to another live process (another start time) is taken over with a message", async () => {
  const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  try {
    const me = currentOwner();
    const stale = { ...me, pid: sleeper.pid, startTime: "1", since: "2026-01-01T00:00:00.000Z" }; // the sleeper started long after tick 1
    const { runs, partial } = await lockedPartial(JSON.stringify(stale));
    try {
      assert.equal(listRuns({ runsDir: runs })[0].status, "partial", "listed as partial, not running");
      const notices: string[] = [];
      const run = await trainOrLoad(TOY, { runsDir: runs, quiet: true, notice: (m) => notices.push(m) });
      run.model.dispose();
      assert.equal(notices.length, 1);
      assert.equal(notices[0], `[lock] ${partial}: took over the lock of process ${sleeper.pid} (since 2026-01-01T00:00:00.000Z): it is no longer running (pid ${sleeper.pid} now belongs to another process)`);
      assert.ok(run.complete);
      assert.equal(sleeper.exitCode, null, "the process now holding that pid is left alone");
      assert.ok(fs.readFileSync(path.join(runs, NAME, "weights.bin")).equals(fs.readFileSync(path.join(reference, NAME, "weights.bin"))));
    } finally {
      fs.rmSync(runs, { recursive: true, force: true });
    }
  } finally {
    sleeper.kill();
  }
});

test("a dead owner's lock (and an unreadable lock file) is taken over with a message", async () => {
  const dead = { ...currentOwner(), pid: 2 ** 22 + 4321 };
  for (const [lock, expected] of [
    [JSON.stringify(dead), `took over the lock of process ${dead.pid} (since ${dead.since}): it is no longer running`],
    ["\u0000\u0000garbage", "replaced an unreadable lock file"],
  ] as const) {
    const { runs, partial } = await lockedPartial(lock);
    try {
      const notices: string[] = [];
      const part = await trainOrLoad(TOY, { runsDir: runs, quiet: true, stopAfter: 8, checkpointEvery: 4, notice: (m) => notices.push(m) });
      part.model.dispose();
      assert.ok(notices[0]?.startsWith(`[lock] ${partial}: ${expected}`), notices.join("\n"));
      assert.ok(!fs.existsSync(path.join(partial, "lock")), "released after the session");
    } finally {
      fs.rmSync(runs, { recursive: true, force: true });
    }
  }
});

test("a lock from another host is never taken over; an old-style pid lock of a live process is refused with what to do", async () => {
  const elsewhere = { ...currentOwner(), host: `${os.hostname()}-node17`, pid: 4242 };
  const { runs, partial, lockFile } = await lockedPartial(JSON.stringify(elsewhere));
  try {
    const before = fs.readFileSync(lockFile);
    await assert.rejects(
      trainOrLoad(TOY, { runsDir: runs, quiet: true }),
      { message: `${partial} is locked by process 4242 on host ${elsewhere.host} (since ${elsewhere.since}), which this host cannot check: it may be training there (a runs folder shared between machines). If it is not, delete ${lockFile} and run again.` },
    );
    assert.ok(fs.readFileSync(lockFile).equals(before), "the other host's lock is untouched");
    const listed = listRuns({ runsDir: runs })[0];
    assert.deepEqual([listed.status, listed.pid, listed.host], ["running", 4242, elsewhere.host]);
    // That host's write in progress (its pid means nothing here) is not cleaned away.
    const theirs = path.join(partial, `.tmp-ckpt-000000008-${2 ** 22 + 7}-${Date.now()}`);
    fs.mkdirSync(theirs);
    assert.deepEqual(findTemporaries(runs).map((t) => [t.path, t.stale]), [[theirs, false]]);
    assert.deepEqual(removeStaleTemporaries(runs), []);
    fs.rmSync(theirs, { recursive: true });
    fs.writeFileSync(lockFile, String(process.ppid)); // the format before start times: a pid
    await assert.rejects(
      trainOrLoad(TOY, { runsDir: runs, quiet: true }),
      new RegExp(`is being trained by process ${process.ppid}: .* If process ${process.ppid} is not a bvae training \\(its pid reused after a crash\\), delete ${lockFile}\\.`),
    );
    assert.equal(fs.readFileSync(lockFile, "utf8"), String(process.ppid));
    assert.deepEqual(fs.readdirSync(partial).filter((f) => f.startsWith("ckpt-")), ["ckpt-000000004"], "the checkpoint is untouched");
  } finally {
    fs.rmSync(runs, { recursive: true, force: true });
  }
});

test("two processes storing scores into one metrics.json at once keep every entry", async () => {
  const dir = scratch("store");
  try {
    const writer = (offset: number) =>
      node(`
        const { storeEntry } = require(root + "/dist/lib/runs/score-files.js");
        for (let i = 0; i < 60; i++) {
          const protocol = { numTrain: 100 + ${offset} + i, numEval: 50, batchSize: 8, seed: 0 };
          storeEntry(${JSON.stringify(dir)}, { protocol, scores: [{ metric: "mig", value: i }], seconds: {}, backend: "cpu", datasetSource: "generated", evaluatedAt: "" }, false);
        }`);
    const [a, b] = [writer(0), writer(1000)];
    assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0], a.output() + b.output());
    const entries = readMetrics(dir)?.entries ?? [];
    assert.equal(entries.length, 120, "no entry lost to a concurrent read-modify-write");
    assert.deepEqual(fs.readdirSync(dir).sort(), ["metrics.json"], "no lock or temporary file left");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
