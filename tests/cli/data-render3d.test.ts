/** `bvae data chairs3d|faces3d`: what it prints, the npz it exports, the figures it writes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dataCommand } from "../../cli/data";
import { NpzReader, int64ToInt32 } from "../../lib/data/npz";
import { openChairs3d } from "../../lib/data/chairs3d";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render3d-cli-test-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    const code = await dataCommand.run(args);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

test("bvae data chairs3d prints factors, count, memory and render speed; exports npz; writes figures", async () => {
  const file = path.join(dir, "chairs3d.npz");
  const figures = path.join(dir, "figures");
  const { code, out } = await capture(["chairs3d", "--no-cache", "--speed", "20", "--export", file, "--subset", "40", "--figures", figures]);
  assert.equal(code, 0);
  assert.match(out, /legStyle +4 +straight, tapered, pedestal, sled/);
  assert.match(out, /azimuth +31 +0\.\.348\.39 degrees/);
  assert.match(out, /images: +7,936 \(64x64x3 RGB\)/);
  assert.match(out, /memory: +93 MB uint8 for the whole set/);
  assert.match(out, /cache: +off/);
  assert.match(out, /render: +\d+ images\/s \(20 random images rendered afresh, one thread, load average/);
  assert.match(out, /exported: 40 images/);
  const r = NpzReader.open(file);
  try {
    assert.deepEqual(r.readArray("imgs").shape, [40, 64, 64, 3]);
    const classes = int64ToInt32(r.readArray("latents_classes").data, "latents_classes");
    assert.deepEqual(r.readArray("latents_values").shape, [40, 6]);
    assert.deepEqual(r.readArray("imgs").data, openChairs3d({ cache: "off" }).observeBytes(classes));
  } finally {
    r.close();
  }
  for (const f of ["chairs3d-samples.png", "chairs3d-sweep.png", "chairs3d-views.png"]) assert.ok(fs.statSync(path.join(figures, f)).size > 1000, f);
});

test("bvae data faces3d; contradictory flags are rejected", async () => {
  const { code, out } = await capture(["faces3d", "--no-cache", "--speed", "10"]);
  assert.equal(code, 0);
  assert.match(out, /hairColor +4 +black, brown, blond, grey/);
  assert.match(out, /images: +19,440/);
  await assert.rejects(dataCommand.run(["chairs3d", "--cache", "--no-cache"]), /--cache and --no-cache exclude each other/);
  const bad = await capture(["chairs4d"]);
  assert.equal(bad.code, 2);
});

test("an --export or --figures that cannot be written is refused before any rendering, naming the flag and the path", async () => {
  const blocker = path.join(dir, "a-file");
  fs.writeFileSync(blocker, "");
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await assert.rejects(dataCommand.run(["faces3d", "--no-cache", "--export", path.join(blocker, "x.npz")]), /--export .*a-file\/x\.npz: cannot create the folder .*a-file: .*a-file is a file, not a folder/);
    await assert.rejects(dataCommand.run(["chairs3d", "--no-cache", "--export", dir]), /--export .*: .* is a folder; give a file name/);
    await assert.rejects(dataCommand.run(["chairs3d", "--no-cache", "--figures", blocker]), /--figures .*a-file: cannot write in that folder: cannot create the folder .*a-file: .* is a file, not a folder/);
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, []); // nothing opened, measured or rendered first
});
