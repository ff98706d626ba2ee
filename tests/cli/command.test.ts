/**
 * The CLI's flag parsing (cli/command.ts).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { parseArgs, numberFlag } from "../../cli/command";

test("cli flag parsing", () => {
  const p = parseArgs(["train", "vae", "--steps", "100", "--json", "--profile=smoke"], ["json"]);
  assert.deepEqual(p.positionals, ["train", "vae"]);
  assert.equal(numberFlag(p, "steps"), 100);
  assert.equal(p.flags.json, true);
  assert.equal(p.flags.profile, "smoke");
  assert.throws(() => numberFlag(parseArgs(["--steps", "abc"]), "steps"), /--steps expects a number, got "abc"/);
});
