/**
 * The bvae entry (cli/main.ts): --help lists the commands; an unknown command exits 2.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { main } from "../../cli/main";

test("cli: --help lists commands; an unknown command exits 2", async () => {
  const logs: string[] = [];
  const orig = console.log, origErr = console.error;
  console.log = (s: string) => void logs.push(s);
  console.error = (s: string) => void logs.push(s);
  try {
    assert.equal(await main(["--help"]), 0);
    assert.match(logs.join("\n"), /Usage: bvae <command>/);
    assert.equal(await main(["no-such-command"]), 2);
    assert.match(logs.join("\n"), /unknown command "no-such-command"/);
  } finally {
    console.log = orig;
    console.error = origErr;
  }
});
