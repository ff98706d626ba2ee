import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dataCommand } from "../../cli/data";
import { loadDspritesFile } from "../../lib/data/dsprites-file";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dsprites-cli-test-"));
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

test("bvae data dsprites prints source, factors, count and memory", async () => {
  const { code, out } = await capture(["dsprites", "--source", "generated"]);
  assert.equal(code, 0);
  assert.match(out, /source: +generated/);
  assert.match(out, /factors: +color 1, shape 3, scale 6, orientation 40, posX 32, posY 32/);
  assert.match(out, /images: +737280/);
  assert.match(out, /memory: +rss \d+ MB/);
  // The pixel variance each factor explains, largest first: position leads on dSprites; colour (one value) explains nothing.
  assert.match(out, /pixels: +variance each factor explains.*: pos[XY] \d+\.\d \(\d+%\), pos[XY] \d+\.\d \(\d+%\), .*color 0\.0 \(0%\); all factors \d+\.\d \(500 pairs each, seed 0\)/);
});

test("--export with --subset and --filter writes a file that --file reads back", async () => {
  const file = path.join(dir, "hearts.npz");
  const r = await capture(["dsprites", "--source", "generated", "--export", file, "--subset", "50", "--filter", "shape=2,scale=5"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /exported: 50 images/);
  const data = loadDspritesFile(file);
  assert.equal(data.n, 50);
  for (let i = 0; i < 50; i++) assert.deepEqual([data.classes[i * 6 + 1], data.classes[i * 6 + 2]], [2, 5]);
  const back = await capture(["dsprites", "--file", file]);
  assert.match(back.out, /source: +official-format file .*hearts\.npz \(subset\)/);
  assert.match(back.out, /images: +50 /);
  assert.match(back.out, /pixels: .*not measured \(a subset file lacks most of the pairs it needs\)/);
  await assert.rejects(dataCommand.run(["dsprites", "--source", "generated", "--export", file, "--filter", "size=2"]), /--filter: "size=2" should be factor=class/);
  await assert.rejects(dataCommand.run(["dsprites", "--source", "generated", "--export", file, "--filter", "shape=3"]), /shape class 3 out of range/);
  await assert.rejects(dataCommand.run(["dsprites", "--source", "maybe"]), /--source must be auto, generated or file/);
});
