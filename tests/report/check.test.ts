/**
 * Claims checked where they are made (report/check.ts).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { check } from "../../lib/report/check";

test("check passes quietly on true claims and throws with the values on false ones", () => {
  check("1 < 2", true);
  assert.throws(() => check("2 < 1", false, { a: 2, b: 1 }), /claim failed: 2 < 1 \(a = 2, b = 1\)/);
});
