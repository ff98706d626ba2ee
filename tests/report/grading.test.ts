/**
 * The grading rule (lib/grading.ts, docs/grading.md) on the cases the project meets: the Higgins
 * table's beta-VAE vs VAE gap, Table 1's order, a value inside or outside a published spread, a claim
 * in parts, and the scale rule (a shorter run that does not reproduce a claim is "not at scale").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { grade, gradedFinding, GRADING, restsOn } from "../../lib/report/grading";
import { checkFinding, findingsMarkdown } from "../../lib/report/findings";

test("value: within the relative tolerance, inside a published spread or a range agrees; else differs", () => {
  assert.equal(GRADING.relativeTolerance, 0.25);
  assert.equal(grade({ kind: "value", report: 15.5, ours: 14.3 }).verdict, "agrees"); // 7.7% off
  assert.equal(grade({ kind: "value", report: 15.5, ours: 11 }).verdict, "differs"); // 29% off
  assert.equal(grade({ kind: "value", report: 15.5, ours: 11, tolerance: 0.3 }).verdict, "agrees");
  assert.equal(grade({ kind: "value", report: { range: [24, 30] }, ours: 27.45 }).verdict, "agrees");
  const out = grade({ kind: "value", report: { range: [24, 30] }, ours: 14.3 });
  assert.deepEqual(out, { verdict: "differs", rule: "14.3 outside 24.0-30.0" });
  // 99.23 +- 0.1: 87.88 is outside the spread but within 25% of 99.23 -> agrees on size.
  assert.equal(grade({ kind: "value", report: { value: 99.23, spread: 0.1 }, ours: 87.88 }).verdict, "agrees");
  assert.equal(grade({ kind: "value", report: { value: 99.23, spread: 0.1 }, ours: 87.88, tolerance: 0.05 }).verdict, "differs");
  assert.match(grade({ kind: "value", report: { value: 61.58, spread: 0.5 }, ours: 61.9 }).rule, /inside the published spread/);
});

test("comparison: the Higgins table's gap (99.2 vs 61.6) against ours (87.9 vs 78.4) is the direction only", () => {
  const g = grade({ kind: "comparison", report: [99.23, 61.58], ours: [87.88, 78.44], size: "difference" });
  assert.equal(g.verdict, "partly");
  assert.equal(g.rule, "same direction only; difference 9.44 vs 37.7 (outside +-25%)");
  assert.equal(grade({ kind: "comparison", report: [99.23, 61.58], ours: [95, 60], size: "difference" }).verdict, "agrees"); // 35 vs 37.65
  assert.equal(grade({ kind: "comparison", report: [99.23, 61.58], ours: [70, 75], size: "difference" }).verdict, "differs");
  // Ratios: Table 1's beta-VAE[Higgins] / VAE = 23.77 / 11.28 = 2.11; ours 35.1 / 16.7 = 2.10.
  assert.equal(grade({ kind: "comparison", report: [23.77, 11.28], ours: [35.1, 16.7] }).verdict, "agrees");
  assert.equal(grade({ kind: "comparison", report: [23.77, 11.28], ours: [18, 16.7] }).verdict, "partly");
});

test("order: the same order agrees; one end in place is partly; neither differs", () => {
  const report = ["VAE", "capacity", "beta"];
  assert.equal(grade({ kind: "order", report, ours: ["VAE", "capacity", "beta"] }).verdict, "agrees");
  const g = grade({ kind: "order", report, ours: ["VAE", "beta", "capacity"] });
  assert.deepEqual(g, { verdict: "partly", rule: "only the first item in place (VAE < beta < capacity)" });
  assert.equal(grade({ kind: "order", report, ours: ["capacity", "VAE", "beta"] }).verdict, "partly"); // last in place
  assert.equal(grade({ kind: "order", report, ours: ["beta", "VAE", "capacity"] }).verdict, "differs");
});

test("parts: all agree, some partly, none differs, and the rule names the parts that fail", () => {
  const p = (a: boolean, b: boolean) => grade({ kind: "parts", parts: [{ name: "unused ~1", holds: a }, { name: "used ~0", holds: b }] });
  assert.equal(p(true, true).verdict, "agrees");
  assert.deepEqual(p(true, false), { verdict: "partly", rule: "1 of 2 parts hold; not: used ~0" });
  assert.equal(p(false, false).verdict, "differs");
  assert.throws(() => grade({ kind: "parts", parts: [] }), /at least one part/);
});

test("scale: a claim not reproduced by a shorter run is 'not at scale'; an agreement stays; equal lengths are graded as they are", () => {
  const order = { kind: "order" as const, report: ["VAE", "capacity", "beta"], ours: ["VAE", "beta", "capacity"] };
  const short = grade(order, { reportSteps: 1_500_000, oursSteps: 100_000 });
  assert.equal(short.verdict, "not at scale");
  assert.equal(short.rule, "partly at 100,000 steps: only the first item in place (VAE < beta < capacity); the report's 1,500,000 not reached");
  assert.equal(grade(order, { reportSteps: 100_000, oursSteps: 100_000 }).verdict, "partly");
  const paper = grade(order, { reportSteps: 350_000, oursSteps: 300_000, of: "Burgess et al.'s" });
  assert.match(paper.rule, /; Burgess et al.'s 350,000 not reached$/);
  assert.equal(grade({ ...order, ours: order.report }, { reportSteps: 1_500_000, oursSteps: 5_000 }).verdict, "agrees");
});

test("gradedFinding: the verdict and its rule come from the evidence and pass checkFinding; the table shows what it rests on", () => {
  const f = gradedFinding({
    source: "Table 1", claim: "order", report: "11.28 < 17.44 < 23.77", ours: "16.7 < 35.1 < 93.5",
    restsOn: "H network, 100,000 steps, seed 1",
    evidence: { kind: "order", report: ["VAE", "capacity", "beta"], ours: ["VAE", "beta", "capacity"] },
  });
  assert.equal(f.verdict, "partly");
  assert.deepEqual(checkFinding(f), f);
  assert.match(findingsMarkdown([f]), /\| 16\.7 < 35\.1 < 93\.5<br>\*rests on:\* H network, 100,000 steps, seed 1<br>\*graded:\* only the first item in place \(VAE < beta < capacity\) \|$/);
  assert.throws(() => checkFinding({ ...f, restsOn: " " }), /"restsOn" must be a non-empty string/);
});

test("restsOn names the network, the steps and the seed", () => {
  assert.equal(restsOn({ config: { architecture: "chairs", seed: 1 }, step: 100_000 }), "H network, 100,000 steps, seed 1");
  assert.equal(restsOn({ config: { architecture: "burgess", seed: 3 }, step: 25_000 }), "Burgess network, 25,000 steps, seed 3");
});

test("restsOn marks a partial run and joins several runs", () => {
  const partial = { config: { architecture: "chairs" as const, seed: 2 }, step: 19_000, complete: false };
  const whole = { config: { architecture: "burgess" as const, seed: 1 }, step: 100_000, complete: true };
  assert.equal(restsOn(partial, whole), "H network, 19,000 steps, seed 2, partial; Burgess network, 100,000 steps, seed 1");
  assert.equal(restsOn(whole, whole, partial), "Burgess network, 100,000 steps, seed 1 (2 runs); H network, 19,000 steps, seed 2, partial");
  assert.throws(() => restsOn(), /at least one run/);
});
