/**
 * Adagrad (lib/train/adagrad.ts): the update against a float64 hand computation; a run trained with
 * it, stopped and resumed from its checkpoint, ends with the same weights bit for bit as a run
 * trained straight through (its sums are saved and restored whole); its config keeps its kind.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Adagrad, DEFAULT_ADAGRAD } from "../../lib/train/adagrad";
import { makeConfig } from "../../lib/train/config";
import { runName, trainOrLoad } from "../../lib/runs";
import { makeOptimizer } from "../../lib/train/optimizer";
import { Adam } from "../../lib/train/adam";

before(async () => {
  await tf.setBackend("cpu");
});

test("Adagrad matches a hand-written float64 update on a quadratic (PyTorch's rule, and a nonzero start)", () => {
  for (const init of [0, 0.1]) {
    tf.tidy(() => {
      const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
      const opt = new Adagrad({ ...DEFAULT_ADAGRAD, learningRate: 0.1, initialAccumulator: init }, [{ name: "w", variable: w }]);
      let ref = [1, -2, 0.5];
      let s = [init, init, init];
      for (let t = 1; t <= 6; t++) {
        const g = ref.map((x) => 2 * x); // d/dw of w^2
        opt.apply([tf.mul(2, w)]);
        s = s.map((si, i) => si + g[i] ** 2);
        ref = ref.map((x, i) => x - (0.1 * g[i]) / (Math.sqrt(s[i]) + 1e-10));
      }
      assert.equal(opt.t, 6);
      const got = Array.from(w.dataSync());
      got.forEach((x, i) => assert.ok(Math.abs(x - ref[i]) < 1e-5, `init ${init}: w[${i}] ${x} vs ${ref[i]}`));
      // The first step moves every weight by lr (g / |g|) when the sums start at 0: a known answer.
      opt.dispose();
    });
  }
});

test("the first Adagrad step from zero sums moves each weight by exactly the learning rate", () => {
  tf.tidy(() => {
    const w = tf.variable(tf.tensor1d([3, -0.25]));
    const opt = makeOptimizer(DEFAULT_ADAGRAD, [{ name: "w", variable: w }]);
    assert.ok(opt instanceof Adagrad);
    opt.apply([tf.tensor1d([4, -1e-3])]);
    const got = Array.from(w.dataSync());
    assert.ok(Math.abs(got[0] - (3 - 1e-2)) < 1e-6 && Math.abs(got[1] - (-0.25 + 1e-2)) < 1e-6, `got ${got}`);
    opt.dispose();
    assert.ok(makeOptimizer({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, []) instanceof Adam);
  });
});

test("a run trained with Adagrad, stopped and resumed, ends with the weights of an uninterrupted one", async () => {
  const config = makeConfig({
    preset: "toy-adagrad", profile: "smoke", dataset: "toy", architecture: "tiny", numLatents: 3,
    batchSize: 8, heldOut: 16, steps: 14, historyEvery: 3, seed: 4,
    optimizer: { ...DEFAULT_ADAGRAD, learningRate: 5e-2 },
  });
  assert.equal((config.optimizer as { kind?: string }).kind, "adagrad");
  const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "bvae-adagrad-"));
  const straight = tmp();
  (await trainOrLoad(config, { runsDir: straight, quiet: true })).model.dispose();
  const stopped = tmp();
  const part = await trainOrLoad(config, { runsDir: stopped, quiet: true, stopAfter: 6, checkpointEvery: 100 });
  assert.equal(part.complete, false);
  part.model.dispose();
  const ckpt = fs.readdirSync(path.join(stopped, ".partial", runName(config))).find((n) => n.startsWith("ckpt-"))!;
  const state = JSON.parse(fs.readFileSync(path.join(stopped, ".partial", runName(config), ckpt, "optimizer.json"), "utf8"));
  assert.ok(JSON.stringify(state).includes("s/"), "the checkpoint holds Adagrad's sums");
  (await trainOrLoad(config, { runsDir: stopped, quiet: true })).model.dispose();
  const bin = (dir: string) => fs.readFileSync(path.join(dir, runName(config), "weights.bin"));
  assert.ok(bin(stopped).equals(bin(straight)), "resumed weights differ from the uninterrupted run's");
  fs.rmSync(straight, { recursive: true });
  fs.rmSync(stopped, { recursive: true });
});
