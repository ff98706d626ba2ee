/**
 * The project's notebooks as the CLI reads them: the default list (notebooks/[0-9]*.ipynb, in
 * order), one notebook's JSON, and the runs the notebooks ask for (`bvae prepare` trains the missing
 * ones before they execute), read from their own `presetRun(...)` calls: the library does not know
 * the notebooks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../lib/files";
import type { NotebookJson } from "../lib/report";
import { runItemText } from "../lib/runs";
import type { ConfigOverrides, PresetName } from "../lib/train";

export function defaultNotebooks(): string[] {
  const dir = path.join(projectRoot(), "notebooks");
  if (!fs.existsSync(dir)) throw new Error(`no notebooks given and ${dir} does not exist`);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export function readNotebook(file: string): NotebookJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: cannot read a notebook (${err instanceof Error ? err.message : String(err)})`);
  }
  const cells = (parsed as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw new Error(`${file}: not a Jupyter notebook (no "cells" list)`);
  return parsed as NotebookJson;
}

/** A notebook's code: its code cells' sources, one after the other. */
export function notebookCode(notebook: NotebookJson): string {
  return notebook.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n");
}

/**
 * The runs the notebooks ask for, as `bvae prepare` items (`<preset>` or `<preset>:exact`, with the
 * call's overrides as JSON after it; the rule of lib/runs/plan.ts), each once, in the order the
 * notebooks first ask for them.
 */
export function notebookRuns(files: readonly string[]): string[] {
  const items: string[] = [];
  for (const file of files) {
    for (const item of presetRunItems(notebookCode(readNotebook(file)), path.basename(file))) if (!items.includes(item)) items.push(item);
  }
  return items;
}

/** What the notebooks score besides showing: the metrics of some runs, and the Higgins table. */
export interface NotebookScoring {
  /** The run items (as notebookRuns gives them) of the notebooks that call `runScores`. */
  readonly runs: readonly string[];
  /** True when a notebook calls `storedHigginsTable` (the Higgins table's baselines). */
  readonly baselines: boolean;
}

/**
 * What `bvae prepare` can score beside the trainings, so that the notebooks read the scores: the
 * presetRun items of every notebook that calls `runScores` (05, 06: they score the runs they ask
 * for), and the Higgins table when a notebook computes it. A notebook that scores only some of its
 * runs costs a few spare scorings, never a wrong score: the notebooks still compute what is missing.
 */
export function notebookScoring(files: readonly string[]): NotebookScoring {
  const runs: string[] = [];
  let baselines = false;
  for (const file of files) {
    const code = notebookCode(readNotebook(file));
    if (/\bstoredHigginsTable\s*\(/.test(code)) baselines = true;
    if (!/\brunScores\s*\(/.test(code)) continue;
    for (const item of presetRunItems(code, path.basename(file))) if (!runs.includes(item)) runs.push(item);
  }
  return { runs, baselines };
}

/**
 * The items of every `presetRun(preset, profile, options)` call in `code`, in order. The preset is
 * a string literal, or the variable of a `for (const p of LIST)` loop over an array of string
 * literals (LIST written in place, or a const bound to it). The options (an object literal, or a
 * const bound to one, passed as is or spread into it) make the item exact when they say
 * `exact: true`, and give it overrides when they have `overrides: { ... }` (an object literal of
 * literal values, or a const bound to one): `dsprites-vae{"architecture":"burgess"}`.
 * A call in any other form is an error naming `where`: a notebook then writes its runs in one of
 * these forms. (`trainOrLoad` calls are not read: notebook runs that depend on a user's dataset.)
 */
export function presetRunItems(code: string, where: string): string[] {
  const items: string[] = [];
  const call = /\bpresetRun\s*\(/g;
  for (let m = call.exec(code); m; m = call.exec(code)) {
    const start = m.index + m[0].length;
    const args = splitArguments(code, start, where);
    const before = code.slice(0, m.index);
    const presets = presetsOf(args[0] ?? "", before, where);
    const options = args.length > 2 ? readOptions(args[2], before, where) : { exact: false, overrides: {} };
    // The item syntax is plan.ts's (runItemText); the preset is checked when the item is parsed.
    const overrides = options.overrides as ConfigOverrides;
    for (const p of presets) items.push(runItemText({ preset: p as PresetName, exact: options.exact, overrides }));
  }
  return items;
}

const STRING = /^(["'])([\w.-]+)\1$/;

function presetsOf(arg: string, before: string, where: string): string[] {
  const literal = STRING.exec(arg);
  if (literal) return [literal[2]];
  if (/^\w+$/.test(arg)) {
    const loop = lastMatch(before, new RegExp(`for\\s*\\(\\s*(?:const|let)\\s+${arg}\\s+of\\s+([^)]+)\\)`, "g"));
    const list = loop ? loop[1].trim() : undefined;
    const array = list?.startsWith("[") ? list : list && /^\w+$/.test(list) ? lastMatch(before, new RegExp(`(?:const|let)\\s+${list}\\s*(?::[^=]+)?=\\s*(\\[[^\\]]*\\])`, "g"))?.[1] : undefined;
    const names = array?.slice(1, -1).split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    if (names && names.length > 0 && names.every((s) => STRING.test(s))) return names.map((s) => STRING.exec(s)![2]);
  }
  throw new Error(`${where}: presetRun(${arg}, ...): the preset must be a string literal, or a for-of variable over an array of string literals`);
}

interface ItemOptions {
  readonly exact: boolean;
  readonly overrides: Record<string, unknown>;
}

/** The object literal `arg` is, or the one the const `arg` is bound to, as its members' texts. */
function objectMembers(arg: string, before: string, where: string, fail: () => never): { members: string[]; before: string } {
  if (/^\w+$/.test(arg)) {
    const decl = lastMatch(before, new RegExp(`(?:const|let)\\s+${arg}\\s*(?::[^=]+)?=\\s*\\{`, "g"));
    if (!decl) fail();
    const open = decl!.index + decl![0].length;
    return { members: splitArguments(before, open, where, "}"), before: before.slice(0, decl!.index) };
  }
  if (!arg.startsWith("{")) fail();
  return { members: splitArguments(arg, 1, where, "}"), before };
}

function readOptions(arg: string, before: string, where: string, depth = 0): ItemOptions {
  const fail = (): never => {
    throw new Error(`${where}: presetRun(..., ${arg}): options must be an object literal, or a const bound to one, with exact: true | false and overrides: { ... }`);
  };
  if (depth > 3) fail();
  const object = objectMembers(arg, before, where, fail);
  let exact = false;
  let overrides: Record<string, unknown> = {};
  for (const member of object.members) {
    const spread = /^\.\.\.(\w+)$/.exec(member);
    if (spread) {
      const inner = readOptions(spread[1], object.before, where, depth + 1);
      exact = inner.exact;
      overrides = { ...overrides, ...inner.overrides };
    } else if (/^exact\s*:/.test(member)) {
      const value = member.replace(/^exact\s*:\s*/, "");
      if (value !== "true" && value !== "false") fail();
      exact = value === "true";
    } else if (/^overrides\s*:/.test(member)) {
      overrides = { ...overrides, ...literalObject(member.replace(/^overrides\s*:\s*/, ""), object.before, where) };
    }
  }
  return { exact, overrides };
}

/** An object literal of literal values (strings, numbers, booleans, nested objects), or a const bound to one, as a value. */
function literalObject(text: string, before: string, where: string): Record<string, unknown> {
  const fail = (): never => {
    throw new Error(`${where}: presetRun(..., { overrides: ${text} }): overrides must be an object literal of literal values, or a const bound to one`);
  };
  const { members } = objectMembers(text, before, where, fail);
  const json = `{${members
    .map((m) => m.replace(/^(\w+)\s*:/, '"$1":').replace(/'([^'"\\]*)'/g, '"$1"'))
    .map((m) => m.replace(/([{,]\s*)(\w+)\s*:/g, '$1"$2":'))
    .join(",")}}`;
  try {
    const value = JSON.parse(json) as unknown;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // below
  }
  return fail();
}

function lastMatch(text: string, re: RegExp): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  return last;
}

/**
 * The comma-separated items from `start` up to the `close` that ends them (nested brackets and
 * string literals skipped), trimmed; empty items (a trailing comma) dropped.
 */
function splitArguments(text: string, start: number, where: string, close = ")"): string[] {
  const items: string[] = [];
  const closing: string[] = [close];
  let from = start;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") i = skipString(text, i, where);
    else if (c === "(" || c === "[" || c === "{") closing.push(c === "(" ? ")" : c === "[" ? "]" : "}");
    else if (c === ")" || c === "]" || c === "}") {
      if (c !== closing.pop()) break;
      if (closing.length === 0) {
        items.push(text.slice(from, i).trim());
        return items.filter((s) => s.length > 0);
      }
    } else if (c === "," && closing.length === 1) {
      items.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  throw new Error(`${where}: cannot read the arguments at "${text.slice(start, start + 60)}"`);
}

/** The index of the quote that ends the string literal opened at `i` (template literals: their `${...}` skipped). */
function skipString(text: string, i: number, where: string): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === quote) return j;
    else if (quote === "`" && text[j] === "$" && text[j + 1] === "{") {
      let depth = 0;
      for (j = j + 1; j < text.length; j++) {
        if (text[j] === '"' || text[j] === "'" || text[j] === "`") j = skipString(text, j, where);
        else if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
      }
    }
  }
  throw new Error(`${where}: an unterminated string literal at "${text.slice(i, i + 60)}"`);
}
