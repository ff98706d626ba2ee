/** Slurm's side of a sweep (sweep/slurm.ts): array specs, time limits, quoting, and the answers of sbatch, squeue and sacct. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { arraySpec, parseSacct, parseSbatchOutput, parseSqueue, shellQuote, slurmTime } from "../../lib/sweep/slurm";

test("array specs fold ranges and throttle; time limits round up to minutes", () => {
  assert.equal(arraySpec([8, 0, 1, 2, 5, 7]), "0-2,5,7-8");
  assert.equal(arraySpec([3], 2), "3%2");
  assert.equal(arraySpec([0, 1, 2, 3], 4), "0-3%4");
  assert.throws(() => arraySpec([]), /no task/);
  assert.equal(slurmTime(30), "00:01:00");
  assert.equal(slurmTime(3600 * 2 + 61), "02:02:00");
  assert.equal(slurmTime(86_400 + 3600 + 60), "1-01:01:00");
  assert.equal(shellQuote("/a/b-c.json"), "/a/b-c.json");
  assert.equal(shellQuote("/a b/it's"), `'/a b/it'\\''s'`);
});

test("sbatch, squeue and sacct answers are parsed; anything else is refused", () => {
  assert.equal(parseSbatchOutput("123\n"), "123");
  assert.equal(parseSbatchOutput("4567;cluster1\n"), "4567");
  assert.throws(() => parseSbatchOutput("sbatch: error: invalid partition\n"), /expected a job id/);
  assert.deepEqual(parseSqueue("12_0|RUNNING|1:02|node7|None\n12_3|PENDING|0:00||Priority\n12_[4-5]|PENDING|0:00||Priority\n"), [
    { jobId: "12", index: 0, state: "RUNNING", elapsed: "1:02", node: "node7", reason: "None", source: "squeue" },
    { jobId: "12", index: 3, state: "PENDING", elapsed: "0:00", node: "", reason: "Priority", source: "squeue" },
  ]);
  assert.deepEqual(parseSacct("12_1|COMPLETED|00:03:10|node7|0:0\n12_2|CANCELLED by 0|00:00:04|node7|0:15\n12.batch|COMPLETED|00:03:10|node7|0:0\n"), [
    { jobId: "12", index: 1, state: "COMPLETED", elapsed: "00:03:10", node: "node7", reason: "exit 0:0", source: "sacct" },
    { jobId: "12", index: 2, state: "CANCELLED", elapsed: "00:00:04", node: "node7", reason: "exit 0:15", source: "sacct" },
  ]);
});

