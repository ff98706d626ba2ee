/**
 * DCI (metrics/dci.ts) from known importance matrices.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { dciFromImportance } from "../../lib/metrics/dci";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not within ${tol} of ${b}`);

test("DCI from an importance matrix: diagonal 1, uniform 0, a shared factor", () => {
  const diag = dciFromImportance([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  close(diag.disentanglement, 1, 1e-6, "D(diag)");
  close(diag.completeness, 1, 1e-6, "C(diag)");
  const uni = dciFromImportance([[1, 1], [1, 1]]);
  close(uni.disentanglement, 0, 1e-9, "D(uniform)");
  close(uni.completeness, 0, 1e-9, "C(uniform)");
  // Two latents both for factor 0: each latent is disentangled, factor 0 is not complete.
  const shared = dciFromImportance([[0.5, 0], [0.5, 0]]);
  close(shared.disentanglement, 1, 1e-6, "D(shared)");
  close(shared.completeness, 0, 1e-6, "C(shared)");
  const zero = dciFromImportance([[0, 0], [0, 0]]);
  close(zero.disentanglement, 0, 1e-9, "D(zero)");
});
