/**
 * The drawn stand-ins of CelebA and 3D Chairs (data/fixtures.ts): the official loaders open them, with their labels.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeCelebAFixture, writeChairsFixture, CELEBA_ATTRIBUTE_NAMES } from "../../lib/data/fixtures";
import { openCelebA } from "../../lib/data/celeba";
import { openChairs } from "../../lib/data/chairs";

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
