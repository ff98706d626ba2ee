/**
 * scripts/check-notebook-code.ts: a notebook's code cells type-checked as one strict module against
 * the library's declarations, with the line and cell limits, every problem located by cell and line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { checkNotebookCode, formatProblem, MAX_CELL_LINES, MAX_LINE_LENGTH } from "../../scripts/check-notebook-code";

function writeNotebook(cells: { kind: "code" | "markdown"; source: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-nbcode-"));
  const file = path.join(dir, "09-fixture.ipynb");
  const notebook = {
    cells: cells.map(({ kind, source }) => ({
      cell_type: kind, metadata: {}, source: source.split(/(?<=\n)/),
      ...(kind === "code" ? { outputs: [], execution_count: null } : {}),
    })),
    metadata: {}, nbformat: 4, nbformat_minor: 5,
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
  return file;
}

const SETUP = 'import * as bvae from "bvae";\nconst profile: bvae.Profile = bvae.currentProfile();\n';

test("a clean notebook: cells share one scope, top-level await, the library's types", () => {
  const longest = `console.log(steps, "${"y".repeat(MAX_LINE_LENGTH - 23)}");`;
  assert.equal(longest.length, MAX_LINE_LENGTH);
  const file = writeNotebook([
    { kind: "code", source: SETUP },
    { kind: "markdown", source: `# A very long markdown line is prose, not code: ${"x".repeat(200)}` },
    { kind: "code", source: "await bvae.initBackend();\nconst steps: number = bvae.PROFILE_SETTINGS[profile].checkpointEvery;\n" },
    { kind: "code", source: `${longest}\n` },
  ]);
  assert.deepEqual(checkNotebookCode([file]), []);
});

test("a type error, a long line and a long cell, each named by notebook, cell and line", () => {
  const long = `const note = "${"z".repeat(MAX_LINE_LENGTH)}";`;
  const file = writeNotebook([
    { kind: "markdown", source: "# 09 · fixture" },
    { kind: "code", source: SETUP },
    { kind: "markdown", source: "## next" },
    { kind: "code", source: `const steps: string = bvae.PROFILE_SETTINGS[profile].steps;\n${long}\n` },
    { kind: "code", source: Array.from({ length: MAX_CELL_LINES + 2 }, (_, i) => `const v${i} = ${i};`).join("\n") },
    { kind: "code", source: "const run = await bvae.presetRun(\"no-such-preset\", profile);\n" },
  ]);
  const lines = checkNotebookCode([file]).map(formatProblem);
  assert.deepEqual(lines, [
    `${file} cell 3 line 1: TS2322 (column 7): Type 'number | undefined' is not assignable to type 'string'. Type 'undefined' is not assignable to type 'string'.`,
    `${file} cell 3 line 2: a line of ${long.length} characters (at most ${MAX_LINE_LENGTH})`,
    `${file} cell 4 line ${MAX_CELL_LINES + 1}: a cell of ${MAX_CELL_LINES + 2} lines (at most ${MAX_CELL_LINES}): split it`,
    `${file} cell 5 line 1: TS2345 (column 34): Argument of type '"no-such-preset"' is not assignable to parameter of type 'PresetName'.`,
  ]);
  // The command (what `make test` runs) prints the same lines and fails.
  const cli = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "check-notebook-code.js"), file], { encoding: "utf8" });
  assert.equal(cli.status, 1, cli.stderr);
  assert.equal(cli.stdout, [...lines, "[check-notebook-code] 1 notebooks: 4 problems (2 type errors, 0 cross-cell shorthands, 1 lines over 100 characters, 1 cells over 25 lines)", ""].join("\n"));
});

test("a name declared in two cells is an error (one module), and so is a name never declared", () => {
  const file = writeNotebook([
    { kind: "code", source: `${SETUP}const x = 1;` },
    { kind: "code", source: "const x = 2;\nconsole.log(y);" },
  ]);
  const lines = checkNotebookCode([file]).map(formatProblem);
  assert.deepEqual(lines, [
    `${file} cell 0 line 3: TS2451 (column 7): Cannot redeclare block-scoped variable 'x'.`,
    `${file} cell 1 line 1: TS2451 (column 7): Cannot redeclare block-scoped variable 'x'.`,
    `${file} cell 1 line 2: TS2304 (column 13): Cannot find name 'y'.`,
  ]);
});


test("a shorthand property for a name of another cell (tslab fails on it at run time); of the same cell, fine", () => {
  const file = writeNotebook([
    { kind: "code", source: `${SETUP}const kl = 1;\nfunction f() { return 2; }\nconst { a, b: [c] } = { a: 1, b: [2] };` },
    { kind: "code", source: "const own = 3;\nconsole.log({ own, kl: kl }, { kl }, [f].map((kl) => ({ kl })));\nconsole.log({ f, c, a });" },
  ]);
  assert.deepEqual(checkNotebookCode([file]).map(formatProblem), [
    `${file} cell 1 line 2: tslab (column 32): { kl } names kl of another cell, which fails at run time; write { kl: kl }`,
    `${file} cell 1 line 3: tslab (column 15): { f } names f of another cell, which fails at run time; write { f: f }`,
    `${file} cell 1 line 3: tslab (column 18): { c } names c of another cell, which fails at run time; write { c: c }`,
    `${file} cell 1 line 3: tslab (column 21): { a } names a of another cell, which fails at run time; write { a: a }`,
  ]);
});
