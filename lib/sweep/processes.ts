/**
 * Child processes side by side: `bvae sweep run` trains N runs at once, `bvae sweep report` scores
 * N at once and `bvae prepare` trains and scores the notebooks' runs, each task in its own
 * `node bin/bvae.js ...` process (one per core: the wasm backend is single-threaded). A task may
 * wait for others (`after`): a run's scoring starts when its training has ended well.
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
  /** Indices of tasks that must have exited with 0 before this one starts (default none). */
  readonly after?: readonly number[];
}

export interface ChildResult {
  readonly label: string;
  /** The exit code; 1 when the task was skipped. */
  readonly code: number;
  readonly seconds: number;
  /** True when it never started: a task it waited for failed (or was skipped). */
  readonly skipped?: boolean;
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

/**
 * Runs `bin/bvae.js <args>` for every task, `jobs` at a time; a free slot takes the first task (in
 * the given order) whose `after` tasks have all succeeded. Resolves when all have ended or been
 * skipped.
 */
export async function runSideBySide(tasks: readonly ChildTask[], options: SideBySideOptions): Promise<ChildResult[]> {
  if (!(Number.isInteger(options.jobs) && options.jobs >= 1)) throw new Error(`jobs: expected a positive integer, got ${options.jobs}`);
  tasks.forEach((t, i) => {
    for (const j of t.after ?? []) {
      if (!(Number.isInteger(j) && j >= 0 && j < tasks.length && j !== i)) throw new Error(`task ${i} (${t.label}): after ${j} names no other task`);
    }
  });
  const launcher = path.join(projectRoot(), "bin", "bvae.js");
  const results: (ChildResult | undefined)[] = new Array(tasks.length).fill(undefined);
  const started = new Array<boolean>(tasks.length).fill(false);
  const write = options.write ?? ((line, stream) => (stream === "stdout" ? process.stdout : process.stderr).write(line + "\n"));
  const runOne = (task: ChildTask): Promise<number> => new Promise<number>((resolve) => {
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
  // Tasks whose waited-for tasks failed are skipped (repeatedly: a skip can skip the tasks after it).
  const skipBlocked = (): void => {
    for (let changed = true; changed;) {
      changed = false;
      tasks.forEach((t, i) => {
        if (started[i] || results[i]) return;
        const failed = (t.after ?? []).find((j) => results[j] && results[j]!.code !== 0);
        if (failed === undefined) return;
        results[i] = { label: t.label, code: 1, seconds: 0, skipped: true };
        write(`[${t.label}] not started: ${tasks[failed].label} failed`, "stderr");
        changed = true;
      });
    }
  };
  const ready = (): number => {
    skipBlocked();
    return tasks.findIndex((t, i) => !started[i] && !results[i] && (t.after ?? []).every((j) => results[j]?.code === 0));
  };
  // Workers with nothing ready wait here; each task's end wakes them all to look again.
  const waiting: (() => void)[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = ready();
      if (i < 0) {
        // Nothing ready: done when nothing is running either, else wait for a running task to end.
        if (started.every((s, k) => !s || results[k])) return;
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      started[i] = true;
      const t0 = Date.now();
      const code = await runOne(tasks[i]);
      results[i] = { label: tasks[i].label, code, seconds: (Date.now() - t0) / 1000 };
      for (const resolve of waiting.splice(0)) resolve();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, tasks.length) }, worker));
  return results.map((r, i) => r ?? { label: tasks[i].label, code: 1, seconds: 0, skipped: true });
}
