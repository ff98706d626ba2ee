import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRelative, projectRoot, writeFileAtomic } from "../lib/files";

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
