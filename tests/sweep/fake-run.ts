/**
 * Run folders made by hand for the sweep tests (tests/sweep/*.test.ts, tests/cli/sweep*.test.ts):
 * complete (config + summary with its final terms) or partial (config + one checkpoint that passes
 * the checkpoint checks: state, empty weight files, a history up to its step). No training.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { History } from "../../lib/train/history";

interface FakeConfig {
  readonly preset?: string;
  readonly numLatents?: number;
  readonly historyEvery?: number;
}

export function fakeRun(root: string, config: object & FakeConfig, name: string, how: { complete: boolean; steps: number; seconds: number; lockPid?: number }): void {
  const dir = how.complete ? path.join(root, name) : path.join(root, ".partial", name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
  const z = config.numLatents ?? 10;
  if (how.complete) {
    const final = { recon: 1, kl: 1, loss: 2, klPerLatent: new Array(z).fill(0.1) };
    fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify({ steps: how.steps, seconds: how.seconds, backend: "wasm", final }));
  } else {
    const ck = path.join(dir, `ckpt-${String(how.steps).padStart(9, "0")}`);
    fs.mkdirSync(ck);
    const state = { step: how.steps, adamT: how.steps, seconds: how.seconds, backend: "wasm", datasetSource: "generated", savedAt: "2026-01-01T00:00:00.000Z" };
    fs.writeFileSync(path.join(ck, "state.json"), JSON.stringify(state));
    for (const f of ["model", "optimizer"]) {
      fs.writeFileSync(path.join(ck, `${f}.json`), "[]");
      fs.writeFileSync(path.join(ck, `${f}.bin`), "");
    }
    const every = config.historyEvery ?? 100;
    const h = new History(z);
    const zeros = new Array(z).fill(0);
    for (let s = 0; s < how.steps; s += every) h.push({ step: s, seconds: s / 10, recon: 1, kl: 1, loss: 2, capacity: 0, klPerLatent: zeros, mu: zeros, muSd: zeros, var: zeros });
    h.save(path.join(ck, "history.csv"));
  }
  if (how.lockPid !== undefined) fs.writeFileSync(path.join(dir, "lock"), String(how.lockPid));
}
