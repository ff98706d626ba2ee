/**
 * scripts/run_notebooks.py --jobs: notebooks executed side by side in the project's tslab kernel,
 * each saved with its outputs; a failing one is reported and stops no other. Needs Python with
 * nbclient and the kernel spec of `make test` (JUPYTER_PATH); skipped, saying why, without them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../lib/files";

const PYTHON = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import nbclient"]).status === 0);
const KERNEL = process.env.JUPYTER_PATH && fs.existsSync(path.join(process.env.JUPYTER_PATH, "kernels", "tslab"));
const skip = !PYTHON ? "no Python with nbclient" : !KERNEL ? "no tslab kernel spec in JUPYTER_PATH (run under make)" : false;

function notebook(dir: string, name: string, code: string): string {
  const file = path.join(dir, name);
  const nb = {
    cells: [{ cell_type: "code", execution_count: null, id: "c1", metadata: {}, outputs: [], source: [code] }],
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4, nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

test("--jobs 2: every notebook executed and saved; a failure is reported and the others still run", { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-run-notebooks-"));
  const out = path.join(dir, "out");
  const files = [
    notebook(dir, "a.ipynb", 'console.log("from a: " + (6 * 7));'),
    notebook(dir, "b.ipynb", 'throw new Error("b fails on purpose");'),
    notebook(dir, "c.ipynb", 'console.log("from c");'),
  ];
  const script = path.join(projectRoot(), "scripts", "run_notebooks.py");
  const r = spawnSync(PYTHON!, [script, "--jobs", "2", "--timeout", "120", "--out-dir", out, ...files], { encoding: "utf8", timeout: 240_000 });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /\[notebooks\] 3 notebooks, 2 at a time/);
  assert.match(r.stderr, /\[notebooks\] FAILED: b\.ipynb/);
  assert.match(r.stdout, /\[a\] from a: 42/); // relayed as it came, prefixed with its notebook
  const text = (f: string) => JSON.stringify(JSON.parse(fs.readFileSync(path.join(out, f), "utf8")).cells[0].outputs);
  assert.match(text("a.ipynb"), /from a: 42/);
  assert.match(text("c.ipynb"), /from c/);
  assert.ok(!fs.existsSync(path.join(out, "b.ipynb")) && fs.existsSync(path.join(out, "b.failed.ipynb")));
  fs.rmSync(dir, { recursive: true });
});

test("--jobs 0 is refused", { skip: PYTHON ? false : "no Python with nbclient" }, () => {
  const r = spawnSync(PYTHON!, [path.join(projectRoot(), "scripts", "run_notebooks.py"), "--jobs", "0", "x.ipynb"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--jobs: expected a positive integer, got 0/);
});
