/**
 * scripts/campaign.sh on a toy queue: a stand-in `node` on PATH records when each line's training
 * starts and ends (it sleeps instead of training), so the queue's order and overlap are read back.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../lib/files";

// The stand-in for `node bin/bvae.js train <preset> [flags]`: "start <args>", a sleep (1 s for preset
// "long", 0.2 s otherwise), "end <args>", each line appended to $EVENTS.
const FAKE_NODE = `#!/usr/bin/env bash
shift 2
echo "start $*" >> "$EVENTS"
if [[ "$1" == long ]]; then sleep 1; else sleep 0.2; fi
echo "end $*" >> "$EVENTS"
`;

function runQueue(queue: string[]): { events: string[]; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bvae-campaign-"));
  try {
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.copyFileSync(path.join(projectRoot(), "scripts", "campaign.sh"), path.join(dir, "scripts", "campaign.sh"));
    fs.mkdirSync(path.join(dir, "shim"));
    fs.writeFileSync(path.join(dir, "shim", "node"), FAKE_NODE, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "queue.txt"), ["# a toy queue", ...queue].join("\n") + "\n");
    const events = path.join(dir, "events.txt");
    const r = spawnSync("bash", [path.join(dir, "scripts", "campaign.sh")], {
      encoding: "utf8", timeout: 60_000,
      env: { ...process.env, PATH: `${path.join(dir, "shim")}:${process.env.PATH}`, EVENTS: events, CAMPAIGN: path.join(dir, "queue.txt"), JOBS: "2" },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return { events: fs.readFileSync(events, "utf8").trim().split("\n"), log: r.stdout };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("campaign: a run on two lines trains its later line only after the earlier one ended; other lines overlap", () => {
  const { events, log } = runQueue([
    "long --stop-after 100 --checkpoint-every 10",
    "short --seed 2",
    "long --stop-after 200 --checkpoint-every 10",
    "other",
  ]);
  const at = (e: string) => {
    const i = events.indexOf(e);
    assert.ok(i >= 0, `${e} in ${events.join(" | ")}`);
    return i;
  };
  // Two at a time: the short line ran beside the first long one.
  assert.ok(at("start short --seed 2") < at("end long --stop-after 100 --checkpoint-every 10"));
  // The same run's later line waited for the earlier one, though a slot was free when the short line ended.
  assert.ok(at("end long --stop-after 100 --checkpoint-every 10") < at("start long --stop-after 200 --checkpoint-every 10"));
  assert.match(log, /line 3 waits for the line training the same run to end/);
  assert.equal(events.length, 8, events.join(" | "));
  assert.match(log, /done: 4 lines/);
});

test("campaign: lines of different runs never wait for each other", () => {
  const { events, log } = runQueue(["long --seed 1", "long --seed 2"]);
  assert.ok(events.indexOf("start long --seed 2") < events.indexOf("end long --seed 1"), events.join(" | "));
  assert.doesNotMatch(log, /waits/);
});
