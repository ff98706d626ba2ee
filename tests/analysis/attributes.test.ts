import { test } from "node:test";
import * as assert from "node:assert/strict";
import { latentAttributeCorrelations, topAttributePerLatent, latentLabelNmi } from "../../lib/analysis/attributes";

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
