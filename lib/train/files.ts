/**
 * File helpers for run folders: atomic writes, and named tensors saved in tfjs's weights format
 * (a flat little-endian `.bin` plus a `.json` list of {name, shape, dtype}, as tf.io encodes them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { writeFileAtomic } from "../files";

export { writeFileAtomic };

export function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

export function readJson<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`${file}: cannot read (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Saves named tensors as `<base>.bin` + `<base>.json`. */
export async function saveTensors(base: string, tensors: readonly { name: string; tensor: tf.Tensor }[]): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors.map((t) => ({ name: t.name, tensor: t.tensor })));
  writeFileAtomic(`${base}.bin`, new Uint8Array(data));
  writeJson(`${base}.json`, specs);
}

/** Loads tensors saved by saveTensors; the caller owns (and disposes) the result. */
export function loadTensors(base: string): Record<string, tf.Tensor> {
  const specs = readJson<tf.io.WeightsManifestEntry[]>(`${base}.json`);
  const buf = fs.readFileSync(`${base}.bin`);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (buf.byteLength !== expected) {
    throw new Error(`${base}.bin: ${buf.byteLength} bytes, but ${base}.json describes ${expected} (truncated or mismatched file)`);
  }
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return tf.io.decodeWeights(ab, specs) as Record<string, tf.Tensor>;
}

/** Removes a folder tree if it exists. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A unique temporary sibling name for `target` (same filesystem, so rename is atomic). */
export function tempSibling(target: string, tag = "tmp"): string {
  return path.join(path.dirname(target), `.${tag}-${path.basename(target)}-${process.pid}-${Date.now()}`);
}

/**
 * Writes the folder `target` whole or not at all: `fill` writes into a temporary sibling, which is
 * then renamed to `target`. When `fill` throws (a full disk) the temporary is removed and the error
 * rethrown; a process killed mid-write leaves only the temporary, which lib/runs/temporaries finds.
 */
export async function writeDirAtomic(target: string, fill: (tmp: string) => Promise<void> | void): Promise<void> {
  const tmp = tempSibling(target);
  try {
    fs.mkdirSync(tmp, { recursive: true });
    await fill(tmp);
    fs.renameSync(tmp, target);
  } catch (err) {
    removeDir(tmp);
    throw err;
  }
}

/** writeDirAtomic for a synchronous `fill` (inside a synchronous caller, e.g. checkpoint rotation). */
export function writeDirAtomicSync(target: string, fill: (tmp: string) => void): void {
  const tmp = tempSibling(target);
  try {
    fs.mkdirSync(tmp, { recursive: true });
    fill(tmp);
    fs.renameSync(tmp, target);
  } catch (err) {
    removeDir(tmp);
    throw err;
  }
}
