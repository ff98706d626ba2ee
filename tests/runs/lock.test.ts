/**
 * A partial run's lock (runs/lock.ts): a live holder keeps a second trainer out.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { acquireLock, isAlive, lockHolder } from "../../lib/runs/lock";
import { listRuns, runName, trainOrLoad } from "../../lib/runs";
import { TOY_CONFIG as CONFIG, tmpRunsDir as tmp } from "./toy-run";

before(async () => {
  await tf.setBackend("cpu");
});

test("a partial run locked by a live process is not trained by a second one", async () => {
  const dir = tmp();
  const partial = path.join(dir, ".partial", runName(CONFIG));
  fs.mkdirSync(partial, { recursive: true });
  fs.writeFileSync(path.join(partial, "config.json"), JSON.stringify(CONFIG));
  fs.writeFileSync(path.join(partial, "lock"), String(process.ppid));
  await assert.rejects(trainOrLoad(CONFIG, { runsDir: dir, quiet: true }), /being trained by process/);
  assert.equal(listRuns({ runsDir: dir })[0].status, "running");
  fs.rmSync(dir, { recursive: true });
});

test("acquireLock: a lock file with our pid, released after; a live holder is named, a dead one's lock taken over", () => {
  const dir = tmp();
  const lock = path.join(dir, "lock");
  const release = acquireLock(dir);
  assert.equal(fs.readFileSync(lock, "utf8"), String(process.pid));
  assert.equal(lockHolder(dir), process.pid);
  release();
  assert.ok(!fs.existsSync(lock));
  assert.equal(lockHolder(dir), undefined);
  fs.writeFileSync(lock, String(process.ppid)); // a live process that is not us
  assert.throws(() => acquireLock(dir), (err: Error) => err.message === `${dir} is being trained by process ${process.ppid}`);
  fs.writeFileSync(lock, "999999999"); // no such process
  assert.equal(lockHolder(dir), undefined);
  acquireLock(dir)();
  assert.deepEqual([isAlive(process.pid), isAlive(0), isAlive(-3), isAlive(1.5)], [true, false, false, false]);
  fs.rmSync(dir, { recursive: true });
});
