/**
 * Picks the TensorFlow.js backend, once per process.
 *
 * Order of preference: tfjs-node-gpu (CUDA) -> tfjs-node -> wasm -> cpu. The native packages are
 * optional (they cannot be installed on machines without internet access to their binaries), so
 * they are loaded by a name held in a variable: nothing imports them statically.
 *
 * `BVAE_BACKEND=tensorflow-gpu|tensorflow|wasm|cpu` forces a choice (an error if it cannot load).
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "./wasm/register";

/** The backends this project knows how to load, best first. */
export type BackendName = "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"];

export interface BackendInfo {
  /** What we asked for. */
  readonly name: BackendName;
  /** What tf.getBackend() reports afterwards ("tensorflow" for both native packages). */
  readonly tfBackend: string;
  /** Why this one: "forced by BVAE_BACKEND" or the list of skipped candidates with reasons. */
  readonly reason: string;
}

let chosen: BackendInfo | undefined;
/** Hooks run after a backend is set (e.g. the wasm training kernels register themselves here). */
const onReady: Array<(info: BackendInfo) => void> = [];

/** Registers a hook that runs once the backend is initialised (immediately if it already is). */
export function onBackendReady(hook: (info: BackendInfo) => void): void {
  onReady.push(hook);
  if (chosen) hook(chosen);
}

function dynamicRequire(name: string): unknown {
  // A computed name keeps bundlers and tsc from resolving optional native packages.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require(name);
}

async function tryBackend(name: BackendName): Promise<void> {
  switch (name) {
    case "tensorflow-gpu":
      // Its native binding links against CUDA: without a working CUDA install the require throws.
      dynamicRequire("@tensorflow/tfjs-node-gpu");
      break;
    case "tensorflow":
      dynamicRequire("@tensorflow/tfjs-node");
      break;
    case "wasm":
      dynamicRequire("@tensorflow/tfjs-backend-wasm");
      break;
    case "cpu":
      break;
    default: {
      const never: never = name;
      throw new Error(`unknown backend ${String(never)}`);
    }
  }
  const tfName = name === "tensorflow-gpu" ? "tensorflow" : name;
  const ok = await tf.setBackend(tfName);
  if (!ok) throw new Error(`tf.setBackend("${tfName}") returned false`);
  await tf.ready();
}

function parseForced(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === "") return undefined;
  if ((BACKEND_ORDER as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`BVAE_BACKEND="${value}" is not one of ${BACKEND_ORDER.join(", ")}`);
}

/**
 * Initialises the best available backend (or the one forced by BVAE_BACKEND), prints it once,
 * and returns what was chosen. Safe to call many times.
 */
export async function initBackend(options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<BackendInfo> {
  if (chosen) return chosen;
  const env = options.env ?? process.env;
  const forced = parseForced(env.BVAE_BACKEND);
  const skipped: string[] = [];
  const candidates = forced ? [forced] : BACKEND_ORDER;
  for (const name of candidates) {
    try {
      await tryBackend(name);
      chosen = {
        name,
        tfBackend: tf.getBackend(),
        reason: forced ? "forced by BVAE_BACKEND" : skipped.length ? `skipped ${skipped.join("; ")}` : "first choice",
      };
      break;
    } catch (err) {
      const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
      if (forced) throw new Error(`BVAE_BACKEND=${forced} could not be loaded: ${msg}`);
      skipped.push(`${name} (${msg.length > 80 ? msg.slice(0, 77) + "..." : msg})`);
    }
  }
  if (!chosen) throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.join("; ")}`);
  // The wasm backend lacks / has slow conv gradient kernels: install ours (lib/backend/wasm) first.
  if (chosen.tfBackend === "wasm") registerWasmTrainingKernels();
  for (const hook of onReady) hook(chosen);
  if (!options.quiet) console.log(`[bvae] TensorFlow.js ${tf.version.tfjs}, backend: ${chosen.name}`);
  return chosen;
}

/** The backend chosen so far, if any. */
export function currentBackend(): BackendInfo | undefined {
  return chosen;
}
