import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { latentAttributeCorrelations, topAttributePerLatent, latentLabelNmi } from "../lib/analysis/attributes";
import { writeCelebAFixture, writeChairsFixture, CELEBA_ATTRIBUTE_NAMES } from "../lib/data/fixtures";
import { openCelebA } from "../lib/data/celeba";
import { openChairs } from "../lib/data/chairs";

test("correlations: a latent equal to an attribute correlates 1, its negation -1, noise about 0", () => {
  const n = 400, k = 3, A = 2;
  const attrs = new Int8Array(n * A);
  const codes = new Float32Array(n * k);
  let s = 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    attrs[i * A] = rand() < 0.5 ? 1 : -1;
    attrs[i * A + 1] = rand() < 0.3 ? 1 : -1;
    codes[i * k] = attrs[i * A];
    codes[i * k + 1] = -2 * attrs[i * A + 1] + 5;
    codes[i * k + 2] = rand();
  }
  const c = latentAttributeCorrelations(codes, n, k, attrs, A);
  assert.ok(Math.abs(c[0][0] - 1) < 1e-9);
  assert.ok(Math.abs(c[1][1] + 1) < 1e-9);
  assert.ok(Math.abs(c[2][0]) < 0.15 && Math.abs(c[2][1]) < 0.15);
  const top = topAttributePerLatent(c, ["a", "b"], [0, 1]);
  assert.deepEqual(top.map((r) => r.attribute), ["a", "b"]);
  assert.throws(() => latentAttributeCorrelations(codes, n, 2, attrs, A), /expected 400 x 2/);
});

test("label NMI: a latent that is the label scores about 1, an unrelated one about 0", () => {
  const n = 2000;
  const classes = Int32Array.from({ length: n }, (_, i) => i % 10);
  const codes = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    codes[i * 2] = classes[i];
    codes[i * 2 + 1] = (i * 7919) % 13;
  }
  const nmi = latentLabelNmi(codes, n, 2, [{ name: "c", classes }]);
  assert.ok(nmi[0][0] > 0.99, String(nmi[0][0]));
  assert.ok(nmi[1][0] < 0.05, String(nmi[1][0]));
});

test("stand-in folders open with the official loaders and carry their labels", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-fixture-"));
  try {
    writeCelebAFixture(path.join(dir, "celeba"), 12);
    const celeba = openCelebA(path.join(dir, "celeba"), { heldOut: 2 });
    assert.equal(celeba.size, 12);
    assert.deepEqual(celeba.attributes.names, CELEBA_ATTRIBUTE_NAMES);
    celeba.close();
    writeChairsFixture(path.join(dir, "chairs"), 2);
    const chairs = openChairs(path.join(dir, "chairs"), { heldOut: 4 });
    assert.equal(chairs.size, 124);
    assert.equal(chairs.azimuthValues.length, 31);
    assert.deepEqual(chairs.elevationValues, [20, 30]);
    chairs.close();
    assert.throws(() => writeChairsFixture(path.join(dir, "chairs"), 1), /exists already/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
