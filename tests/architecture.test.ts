/**
 * The floors of lib/ (README.md, Architecture), read from the source's imports: each folder
 * imports only folders on lower floors, no files import each other in a circle, and the rules
 * the README states hold.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../lib/files";

/** Each unit of lib/ (a folder, or a top-level file) on its floor. */
const FLOORS: Readonly<Record<string, number>> = {
  rng: 1, files: 1, profile: 1, notebook: 1, models: 1, "backend/wasm": 1,
  backend: 2, data: 2,
  train: 3, metrics: 3,
  runs: 4, analysis: 4, baselines: 4, charts: 4, bench: 4,
  display: 5, sweep: 5,
  report: 6,
  index: 7,
};

const root = projectRoot();

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : e.name.endsWith(".ts") ? [rel] : [];
  });
}

/** The project files a source imports (import, export ... from, import(), require()), and the packages. */
function imports(file: string): { files: string[]; packages: string[] } {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)"([^"]+)"/g)].map((m) => m[1]);
  const files: string[] = [];
  for (const spec of specs.filter((s) => s.startsWith("."))) {
    const base = path.join(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(path.join(root, f)));
    assert.ok(target, `${file}: "${spec}" names no source file`);
    files.push(target!);
  }
  return { files, packages: specs.filter((s) => !s.startsWith(".")) };
}

/** lib/runs/key.ts -> runs; lib/backend/wasm/heap.ts -> backend/wasm; lib/rng.ts -> rng; cli/x.ts -> cli. */
function unitOf(file: string): string {
  const parts = file.split(path.sep);
  if (parts[0] !== "lib") return parts[0];
  if (parts.length === 2) return parts[1].replace(/\.ts$/, "");
  return parts[1] === "backend" && parts[2] === "wasm" ? "backend/wasm" : parts[1];
}

const LIB = sources("lib");
const GRAPH = new Map(LIB.map((f) => [f, imports(f)]));

test("every unit of lib/ has a floor, and imports only units on lower floors", () => {
  const upward: string[] = [];
  for (const [file, { files }] of GRAPH) {
    const from = unitOf(file);
    assert.ok(FLOORS[from] !== undefined, `${file}: unit "${from}" has no floor (README.md, Architecture)`);
    for (const target of files) {
      const to = unitOf(target);
      if (to !== from && !(FLOORS[to] < FLOORS[from])) upward.push(`${file} -> ${target} (${from} on ${FLOORS[from]}, ${to} on ${FLOORS[to]})`);
    }
  }
  assert.deepEqual(upward, []);
});

test("no files of lib/ import each other in a circle", () => {
  const state = new Map<string, "open" | "done">();
  const circles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      circles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const next of GRAPH.get(file)?.files ?? []) visit(next, [...trail, file]);
    state.set(file, "done");
  };
  for (const file of LIB) visit(file, []);
  assert.deepEqual(circles, []);
});

test("the stated rules: metrics never import train, data never imports models, charts never import tfjs, lib never imports cli", () => {
  const broken: string[] = [];
  for (const [file, { files, packages }] of GRAPH) {
    const unit = unitOf(file);
    const units = files.map(unitOf);
    if (unit === "metrics" && units.includes("train")) broken.push(`${file} imports train/`);
    if (unit === "data" && units.includes("models")) broken.push(`${file} imports models/`);
    if (unit === "charts" && packages.some((p) => p.startsWith("@tensorflow/"))) broken.push(`${file} imports tfjs`);
    if (units.includes("cli")) broken.push(`${file} imports cli/`);
  }
  assert.deepEqual(broken, []);
});
