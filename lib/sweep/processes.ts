/**
 * Child processes side by side: `bvae sweep run` trains N runs at once and `bvae sweep report`
 * scores N at once, each in its own `node bin/bvae.js ...` process (one per core: the wasm backend
 * is single-threaded), as `bvae prepare` does for the notebooks' runs.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { projectRoot } from "../files";

export interface ChildTask {
  /** Names the task in messages and, with `prefix`, in front of each output line. */
  readonly label: string;
  /** Arguments of bin/bvae.js. */
  readonly args: readonly string[];
}

export interface ChildResult {
  readonly label: string;
  readonly code: number;
  readonly seconds: number;
}

export interface SideBySideOptions {
  /** Processes at once (>= 1). */
  readonly jobs: number;
  /** Put "[label] " in front of every output line (default false: output passes through). */
  readonly prefix?: boolean;
  /** Extra environment for the children. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where prefixed lines go (default process.stdout / process.stderr). */
  readonly write?: (line: string, stream: "stdout" | "stderr") => void;
}

/** Runs `bin/bvae.js <args>` for every task, `jobs` at a time, in order; resolves when all have ended. */
export async function runSideBySide(tasks: readonly ChildTask[], options: SideBySideOptions): Promise<ChildResult[]> {
  if (!(Number.isInteger(options.jobs) && options.jobs >= 1)) throw new Error(`jobs: expected a positive integer, got ${options.jobs}`);
  const launcher = path.join(projectRoot(), "bin", "bvae.js");
  const results: ChildResult[] = new Array(tasks.length);
  const write = options.write ?? ((line, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(line + "\n"));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      const task = tasks[i];
      const t0 = Date.now();
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [launcher, ...task.args], {
          stdio: options.prefix ? ["ignore", "pipe", "pipe"] : "inherit",
          env: { ...process.env, ...(options.env ?? {}) },
        });
        if (options.prefix) {
          for (const [stream, name] of [[child.stdout, "stdout"], [child.stderr, "stderr"]] as const) {
            readline.createInterface({ input: stream! }).on("line", (line) => write(`[${task.label}] ${line}`, name));
          }
        }
        child.on("error", (err) => {
          write(`[${task.label}] ${err.message}`, "stderr");
          resolve(1);
        });
        child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
      });
      results[i] = { label: task.label, code, seconds: (Date.now() - t0) / 1000 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, tasks.length) }, worker));
  return results;
}
