/**
 * bvae runs (cli/runs.ts): an empty folder, then a partial run with its step, snapshots and scored steps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runsCommand } from "../../cli/runs";
import { capture } from "./capture";

test("bvae runs lists nothing in an empty folder, then a partial run with its step, snapshots and scored steps", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-cli-runs-"));
  const saved = process.env.BVAE_RUNS_DIR;
  process.env.BVAE_RUNS_DIR = dir;
  try {
    assert.match((await capture(() => runsCommand.run([]))).out, /\(none\)/);
    const partial = path.join(dir, ".partial", "x-smoke-0123456789");
    fs.mkdirSync(path.join(partial, "ckpt-000000040"), { recursive: true });
    fs.writeFileSync(path.join(partial, "config.json"), JSON.stringify({ steps: 100, architecture: "burgess", numLatents: 10, regulariser: { kind: "beta", beta: 4 } }));
    assert.match((await capture(() => runsCommand.run([]))).out, /partial\s+x-smoke-0123456789\s+40\/100\s+burgess z=10 beta=4\s+-\s+-/);
    // Its weight snapshots and the steps whose scores are stored with it.
    for (const step of [10, 5]) {
      fs.mkdirSync(path.join(partial, "snapshots", `step-${step}`), { recursive: true });
      fs.writeFileSync(path.join(partial, "snapshots", `step-${step}`, "weights.json"), "{}");
    }
    fs.writeFileSync(path.join(partial, "metrics-step-40.json"), "{}");
    fs.writeFileSync(path.join(partial, "metrics-step-10.json"), "{}");
    const { out } = await capture(() => runsCommand.run([]));
    assert.match(out, /partial\s+x-smoke-0123456789\s+40\/100\s+burgess z=10 beta=4\s+5,10\s+10,40/);
  } finally {
    if (saved === undefined) delete process.env.BVAE_RUNS_DIR;
    else process.env.BVAE_RUNS_DIR = saved;
    fs.rmSync(dir, { recursive: true });
  }
});
