import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { currentProfile, byProfile } from "../lib/profile";
import { initBackend } from "../lib/backend/init";
import { check } from "../lib/report/check";
import { projectRelative, projectRoot, writeFileAtomic } from "../lib/files";
import { main } from "../cli/main";
import { parseArgs, numberFlag } from "../cli/command";

test("profiles: default, explicit, and a clear error for a bad value", () => {
  assert.equal(currentProfile({}), "cpu");
  assert.equal(currentProfile({ PROFILE: "smoke" }), "smoke");
  assert.throws(() => currentProfile({ PROFILE: "fast" }), /PROFILE="fast" is not one of smoke, cpu, long, paper/);
  assert.equal(byProfile({ smoke: 1, cpu: 2, long: 3, paper: 4 }, "long"), 3);
});

test("backend: a bad BVAE_BACKEND is an error that lists the choices", async () => {
  await assert.rejects(initBackend({ env: { BVAE_BACKEND: "gpu" }, quiet: true }), /BVAE_BACKEND="gpu" is not one of/);
});

test("check passes quietly on true claims and throws with the values on false ones", () => {
  check("1 < 2", true);
  assert.throws(() => check("2 < 1", false, { a: 2, b: 1 }), /claim failed: 2 < 1 \(a = 2, b = 1\)/);
});

test("writeFileAtomic leaves no temporary file behind", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-"));
  const file = path.join(dir, "sub", "x.txt");
  writeFileAtomic(file, "hello");
  writeFileAtomic(file, "world");
  assert.equal(fs.readFileSync(file, "utf8"), "world");
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["x.txt"]);
});

test("projectRelative writes the project's absolute paths relative to its root, and leaves others", () => {
  const root = path.join(path.sep, "home", "me", "bvae");
  const text = `read from ${path.join(root, "runs", "a", "metrics.json")}; folder ${path.join(root, "data", "img")} not found; ${path.join(path.sep, "tmp", "x")}; ${root}-old/y`;
  assert.equal(projectRelative(text, root), `read from ${path.join("runs", "a", "metrics.json")}; folder ${path.join("data", "img")} not found; ${path.join(path.sep, "tmp", "x")}; ${root}-old/y`);
  assert.equal(projectRelative(text, root + path.sep), projectRelative(text, root));
  assert.equal(projectRelative(path.join(projectRoot(), "figures", "f.png")), path.join("figures", "f.png"));
});

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

test("cli flag parsing", () => {
  const p = parseArgs(["train", "vae", "--steps", "100", "--json", "--profile=smoke"], ["json"]);
  assert.deepEqual(p.positionals, ["train", "vae"]);
  assert.equal(numberFlag(p, "steps"), 100);
  assert.equal(p.flags.json, true);
  assert.equal(p.flags.profile, "smoke");
  assert.throws(() => numberFlag(parseArgs(["--steps", "abc"]), "steps"), /--steps expects a number, got "abc"/);
});
