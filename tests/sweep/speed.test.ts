/** Training speed from earlier runs and the wall time of a sweep (sweep/speed.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { presetConfig } from "../../lib/train/presets";
import { formatHours, speedSamples, storedSpeed, wallSeconds, MIN_STEPS } from "../../lib/sweep/speed";
import { fakeRun } from "./fake-run";

test("speed: runs shorter than MIN_STEPS are left out, other batch sizes are scaled per image; wall time on N workers", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-sweep-speed-"));
  try {
    const cfg = (batchSize: number, architecture = "burgess") => ({ ...presetConfig("dsprites-vae", "cpu"), batchSize, architecture });
    fakeRun(root, cfg(64), "a", { complete: true, steps: 1000, seconds: 500 }); // 0.5 s / 64 images
    fakeRun(root, cfg(32), "b", { complete: true, steps: 1000, seconds: 1000 }); // 1 s / 32 images
    fakeRun(root, cfg(32), "c", { complete: true, steps: 1000, seconds: 300 }); // 0.3 s / 32 images
    fakeRun(root, cfg(32), "smoke", { complete: true, steps: MIN_STEPS - 1, seconds: 99 });
    fakeRun(root, cfg(64, "chairs"), "d", { complete: true, steps: 100, seconds: 150 });
    const samples = speedSamples([root]);
    assert.deepEqual(samples.map((s) => s.run).sort(), ["a", "b", "c", "d"]);
    const sp = storedSpeed(samples, "dsprites", "burgess")!;
    assert.ok(Math.abs(sp.secondsPerImage - 0.3 / 32) < 1e-12); // per image: 0.5/64 < 0.3/32 < 1/32, the median
    assert.deepEqual(sp.range, [0.5 / 64, 1 / 32]);
    assert.ok(Math.abs(storedSpeed(samples, "dsprites", "chairs")!.secondsPerImage - 1.5 / 64) < 1e-12);
  } finally {
    fs.rmSync(root, { recursive: true });
  }
  assert.equal(wallSeconds([3, 3, 3], 2), 6);
  assert.equal(wallSeconds([5, 1, 1, 1], 2), 5);
  assert.equal(wallSeconds([5, 1, 1, 1], 1), 8);
  assert.throws(() => wallSeconds([1], 0), /jobs must be a positive integer/);
  assert.deepEqual([formatHours(40), formatHours(12 * 60), formatHours(3 * 3600 + 5 * 60)], ["40 s", "12 min", "3 h 05 min"]);
});

