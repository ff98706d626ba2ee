/**
 * Architectures: parameter counts computed by hand from the layer lists in targets.md, output
 * shapes for 1 and 3 channels and any number of latents, stable weight names, seeded init.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildModel, countParameters } from "../../lib/models/vae";
import type { ArchitectureName } from "../../lib/models/types";

before(async () => {
  await tf.setBackend("cpu");
});

/** A 4x4 convolution (or transposed convolution) with bias. */
const conv = (cin: number, cout: number): number => 16 * cin * cout + cout;
const dense = (nin: number, nout: number): number => nin * nout + nout;

function expectedCount(arch: ArchitectureName, z: number, nc: number): number {
  switch (arch) {
    case "chairs":
      return (
        // encoder: conv 32,32,64,64 (s2) -> conv 256 (4x4 valid) -> linear 2z
        conv(nc, 32) + conv(32, 32) + conv(32, 64) + conv(64, 64) + conv(64, 256) + dense(256, 2 * z) +
        // decoder: linear z->256 -> convT 256->64 (1->4) -> convT 64->64, 64->32, 32->32, 32->nc
        dense(z, 256) + conv(256, 64) + conv(64, 64) + conv(64, 32) + conv(32, 32) + conv(32, nc)
      );
    case "burgess":
      return (
        // encoder: 4 conv 32 -> FC 512->256 -> FC 256 -> 2z
        conv(nc, 32) + 3 * conv(32, 32) + dense(512, 256) + dense(256, 256) + dense(256, 2 * z) +
        // decoder: FC z->256 -> 256 -> 512 -> 3 convT 32 -> convT nc
        dense(z, 256) + dense(256, 256) + dense(256, 512) + 3 * conv(32, 32) + conv(32, nc)
      );
    case "mlp":
      return dense(4096 * nc, 1200) + dense(1200, 1200) + dense(1200, 2 * z) + dense(z, 1200) + 2 * dense(1200, 1200) + dense(1200, 4096 * nc);
    case "tiny":
      return dense(4096 * nc, 32) + dense(32, 2 * z) + dense(z, 32) + dense(32, 4096 * nc);
  }
}

test("parameter counts at z = 10, one channel: chairs 763,285 and burgess 502,005", () => {
  assert.equal(expectedCount("chairs", 10, 1), 763_285);
  assert.equal(expectedCount("burgess", 10, 1), 502_005);
  assert.equal(countParameters({ architecture: "chairs", numLatents: 10, channels: 1 }), 763_285);
  assert.equal(countParameters({ architecture: "burgess", numLatents: 10, channels: 1 }), 502_005);
});

test("parameter counts match the hand formula for every architecture, 1 and 3 channels, z = 5 and 10", () => {
  for (const arch of ["chairs", "burgess", "mlp", "tiny"] as const) {
    for (const nc of [1, 3] as const) {
      for (const z of [5, 10]) {
        assert.equal(countParameters({ architecture: arch, numLatents: z, channels: nc }), expectedCount(arch, z, nc), `${arch} z=${z} nc=${nc}`);
      }
    }
  }
});

test("encoder gives zMean, zLogVar [batch, z]; decoder gives logits [batch, 64, 64, nc]", () => {
  for (const arch of ["chairs", "burgess", "mlp", "tiny"] as const) {
    for (const [nc, z] of [[1, 10], [3, 5]] as const) {
      const m = buildModel({ architecture: arch, numLatents: z, channels: nc });
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const x = tf.randomUniform([2, 64, 64, nc]) as tf.Tensor4D;
        const { zMean, zLogVar } = m.encode(x);
        assert.deepEqual(zMean.shape, [2, z], `${arch} zMean`);
        assert.deepEqual(zLogVar.shape, [2, z], `${arch} zLogVar`);
        const logits = m.decode(zMean);
        assert.deepEqual(logits.shape, [2, 64, 64, nc], `${arch} logits`);
        // zMean is the first half of the encoder output, zLogVar the second.
        const h = m.encoder.apply(x) as tf.Tensor2D;
        assert.deepEqual(Array.from(h.slice([0, 0], [2, z]).dataSync()), Array.from(zMean.dataSync()));
      });
      assert.equal(tf.memory().numTensors, before, `${arch}: encode/decode leak tensors`);
      m.dispose();
    }
  }
});

test("weight names are stable across builds and the init is a function of the seed", () => {
  const a = buildModel({ architecture: "burgess", initSeed: 5 });
  const b = buildModel({ architecture: "burgess", initSeed: 5 });
  const c = buildModel({ architecture: "burgess", initSeed: 6 });
  assert.deepEqual(a.variables.map((v) => v.name), b.variables.map((v) => v.name));
  assert.equal(a.variables[0].name, "encoder/conv1/kernel");
  assert.equal(new Set(a.variables.map((v) => v.name)).size, a.variables.length);
  const first = (m: typeof a): number[] => Array.from(m.variables[0].variable.dataSync().slice(0, 16));
  assert.deepEqual(first(a), first(b));
  assert.notDeepEqual(first(a), first(c));
  // Each layer has its own seed: two kernels of equal shape are not copies.
  const k2 = a.variables.find((v) => v.name === "encoder/conv2/kernel")!.variable.dataSync();
  const k3 = a.variables.find((v) => v.name === "encoder/conv3/kernel")!.variable.dataSync();
  assert.notDeepEqual(Array.from(k2.slice(0, 8)), Array.from(k3.slice(0, 8)));
  // Biases start at zero, kernels are He-normal (std sqrt(2 / fan_in), truncated).
  const bias = a.variables.find((v) => v.name === "encoder/conv2/bias")!.variable.dataSync();
  assert.ok(bias.every((v) => v === 0));
  const std = Math.sqrt(Array.from(k2).reduce((s, v) => s + Number(v) ** 2, 0) / k2.length);
  const he = Math.sqrt(2 / (16 * 32));
  assert.ok(std > 0.7 * he && std < 1.1 * he, `conv2 kernel std ${std}, He ${he}`);
  [a, b, c].forEach((m) => m.dispose());
});

test("bad model configs are rejected with the field named", () => {
  assert.throws(() => buildModel({ numLatents: 0 }), /model\.numLatents/);
  assert.throws(() => buildModel({ channels: 2 as 1 }), /model\.channels/);
  assert.throws(() => buildModel({ architecture: "resnet" as "mlp" }), /model\.architecture/);
});
