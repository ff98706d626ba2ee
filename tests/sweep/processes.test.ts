/** Child processes side by side (sweep/processes.ts): order, waiting for other tasks, skipping after a failure. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runSideBySide, type ChildTask } from "../../lib/sweep/processes";

// Quick real children: `bvae train --help` exits 0, an unknown command exits 2.
const ok = (label: string, after?: number[]): ChildTask => ({ label, args: ["train", "--help"], after });
const bad = (label: string, after?: number[]): ChildTask => ({ label, args: ["no-such-command"], after });

/** Runs the tasks with prefixed output; returns the results and the order in which tasks first printed. */
async function run(tasks: ChildTask[], jobs: number) {
  const lines: string[] = [];
  const results = await runSideBySide(tasks, { jobs, prefix: true, write: (line) => lines.push(line) });
  const order: string[] = [];
  for (const l of lines) {
    const label = /^\[([^\]]+)\]/.exec(l)?.[1];
    if (label && !order.includes(label)) order.push(label);
  }
  return { results, order, lines };
}

test("one slot runs the tasks in order; a task waits for the ones it names", async () => {
  // c waits for d, listed after it: one slot takes a, b, then d (c is not ready), then c.
  const { results, order } = await run([ok("a"), ok("b"), ok("c", [3]), ok("d")], 1);
  assert.deepEqual(order, ["a", "b", "d", "c"]);
  assert.deepEqual(results.map((r) => [r.label, r.code, r.skipped ?? false]), [
    ["a", 0, false], ["b", 0, false], ["c", 0, false], ["d", 0, false],
  ]);
});

test("a failed task skips the tasks that wait for it (and theirs), and the others still run", async () => {
  const { results, lines } = await run([bad("train-x"), ok("score-x", [0]), ok("after-score", [1]), ok("train-y"), ok("score-y", [3])], 2);
  assert.deepEqual(results.map((r) => [r.label, r.code, r.skipped ?? false]), [
    ["train-x", 2, false], ["score-x", 1, true], ["after-score", 1, true], ["train-y", 0, false], ["score-y", 0, false],
  ]);
  assert.ok(lines.includes("[score-x] not started: train-x failed"), lines.join("\n"));
  assert.ok(lines.includes("[after-score] not started: score-x failed"), lines.join("\n"));
});

test("a waiting task is taken as soon as its task has ended, before the tasks listed after it", async () => {
  const { order, results } = await run([ok("train-a"), ok("score-a", [0]), ok("train-b"), ok("score-b", [2])], 1);
  assert.deepEqual(order, ["train-a", "score-a", "train-b", "score-b"]);
  assert.ok(results.every((r) => r.code === 0 && !r.skipped));
});

test("an `after` that names no other task is refused, naming the task", async () => {
  await assert.rejects(runSideBySide([ok("a", [0])], { jobs: 1 }), /task 0 \(a\): after 0 names no other task/);
  await assert.rejects(runSideBySide([ok("a", [5])], { jobs: 1 }), /after 5 names no other task/);
});
