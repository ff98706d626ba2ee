/**
 * Adam (train/adam.ts) against a hand-written float64 update.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Adam } from "../../lib/train/adam";

before(async () => {
  await tf.setBackend("cpu");
});

test("Adam matches a hand-written float64 update on a quadratic", () => {
  tf.tidy(() => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Adam({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, [{ name: "w", variable: w }]);
    let ref = [1, -2];
    let m = [0, 0];
    let v = [0, 0];
    for (let t = 1; t <= 5; t++) {
      const g = ref.map((x) => 2 * x); // d/dw of w^2
      opt.apply([tf.mul(2, w)]);
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
      v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i] ** 2);
      ref = ref.map((x, i) => x - ((0.1 / (1 - 0.9 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
    }
    const got = Array.from(w.dataSync());
    got.forEach((x, i) => assert.ok(Math.abs(x - ref[i]) < 1e-5, `w[${i}] ${x} vs ${ref[i]}`));
    opt.dispose();
  });
});
