/** MIG (metrics/mig.ts) on known answers: codes equal to the factors, and every latent duplicated. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { computeMig } from "../../lib/metrics/mig";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("MIG on codes equal to factors with at most 20 values is exactly 1, and 0 with every latent duplicated", () => {
  // A full 3 x 10 factorial design repeated 10 times: the two factors are exactly independent in
  // the sample, so the runner-up mutual information is exactly 0.
  const n = 300;
  const f = new Int32Array(n * 2);
  const z = new Float64Array(n * 2);
  const z2 = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    f[i * 2] = i % 3;
    f[i * 2 + 1] = Math.floor(i / 3) % 10;
    z[i * 2] = f[i * 2];
    z[i * 2 + 1] = f[i * 2 + 1];
    z2.set([f[i * 2], f[i * 2 + 1], f[i * 2], f[i * 2 + 1]], i * 4);
  }
  const factors = { data: f, n, numFactors: 2 };
  close(computeMig({ data: z, n, numLatents: 2 }, factors).value, 1, 1e-12, "MIG(identity)");
  close(computeMig({ data: z2, n, numLatents: 4 }, factors).value, 0, 1e-12, "MIG(duplicated)");
});
