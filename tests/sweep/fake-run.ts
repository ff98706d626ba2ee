/** Run folders made by hand for the sweep tests (tests/sweep/plan.test.ts, speed.test.ts). */
import * as fs from "node:fs";
import * as path from "node:path";

/** A fake run folder: complete (config + summary) or partial (config + a checkpoint's state.json). */
export function fakeRun(root: string, config: object & { preset?: string }, name: string, how: { complete: boolean; steps: number; seconds: number; lockPid?: number }): void {
  const dir = how.complete ? path.join(root, name) : path.join(root, ".partial", name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  if (how.complete) fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify({ steps: how.steps, seconds: how.seconds, backend: "wasm" }));
  else {
    const ck = path.join(dir, `ckpt-${String(how.steps).padStart(9, "0")}`);
    fs.mkdirSync(ck);
    fs.writeFileSync(path.join(ck, "state.json"), JSON.stringify({ step: how.steps, seconds: how.seconds, backend: "wasm" }));
  }
  if (how.lockPid !== undefined) fs.writeFileSync(path.join(dir, "lock"), String(how.lockPid));
}
