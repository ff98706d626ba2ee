/**
 * A partial run's lock (runs/lock.ts): a live holder keeps a second trainer out. (Pid reuse, other
 * hosts and concurrent takeovers: tests/faults/concurrent.test.ts.)
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as os from "node:os";
import { acquireLock, isAlive, lockHolder, processStartTime } from "../../lib/runs/lock";
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

test("acquireLock: a lock file naming this process (pid, host, start time), released after; a live holder is named, a dead one's lock taken over", () => {
  const dir = tmp();
  const lock = path.join(dir, "lock");
  const release = acquireLock(dir);
  const owner = JSON.parse(fs.readFileSync(lock, "utf8")) as { pid: number; host: string; startTime?: string };
  assert.deepEqual([owner.pid, owner.host, owner.startTime], [process.pid, os.hostname(), processStartTime(process.pid)]);
  assert.equal(lockHolder(dir), process.pid);
  release();
  assert.ok(!fs.existsSync(lock));
  assert.equal(lockHolder(dir), undefined);
  fs.writeFileSync(lock, String(process.ppid)); // an old-style lock (a pid) of a live process that is not us
  assert.throws(() => acquireLock(dir), (err: Error) => err.message.startsWith(`${dir} is being trained by process ${process.ppid}: wait for it to finish`));
  fs.writeFileSync(lock, "999999999"); // no such process
  assert.equal(lockHolder(dir), undefined);
  const notices: string[] = [];
  acquireLock(dir, { notice: (m) => notices.push(m) })();
  assert.deepEqual(notices, [`[lock] ${dir}: took over the lock of process 999999999: it is no longer running`]);
  assert.deepEqual([isAlive(process.pid), isAlive(0), isAlive(-3), isAlive(1.5)], [true, false, false, false]);
  fs.rmSync(dir, { recursive: true });
});
