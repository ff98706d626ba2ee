/**
 * Shared by the fault suite (tests/faults/*.test.ts): scratch folders, the toy config every training
 * case uses (seconds on the cpu backend), console capture, and fingerprints of a folder's files to
 * assert that a refused operation left the previous state exactly as it was.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TrainConfig } from "../../lib/train/config";
import { TOY_CONFIG } from "../runs/toy-run";

/** The project root (tests run from dist/tests/faults). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");

export const scratch = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `bvae-fault-${prefix}-`));

/** 16 steps of the tiny MLP on the toy squares: a whole run in about a second (the runs/ tests' own). */
export const TOY: TrainConfig = TOY_CONFIG;

/** Every file under `dir` (relative path -> SHA-256 of its bytes). */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash("sha256").update(fs.readFileSync(p)).digest("hex");
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** Runs `fn` with console.log/error captured; resolves to its result or error and the text. */
export async function capture<T>(fn: () => Promise<T> | T): Promise<{ value?: T; error?: Error; out: string }> {
  const lines: string[] = [];
  const saved = [console.log, console.error, console.warn];
  console.log = console.error = console.warn = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    return { value: await fn(), out: lines.join("\n") };
  } catch (err) {
    return { error: err as Error, out: lines.join("\n") };
  } finally {
    [console.log, console.error, console.warn] = saved;
  }
}

/** Runs `fn` with environment variables set (undefined: removed), restoring them after. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
