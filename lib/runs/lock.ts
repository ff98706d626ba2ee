/**
 * The lock of a partial run (runs/.partial/<name>/lock), so two processes never train the same run.
 *
 * The lock file names its owner: pid, host, the process's start time (Linux: field 22 of
 * /proc/<pid>/stat, in clock ticks since boot) and the boot id. A pid alone is not an identity: after
 * a crash or a reboot the pid is reused by some other live process, and a lock holding only the pid
 * would then block the run for ever; on a runs folder shared between machines (a cluster's network
 * file system) the same pid means nothing on another host. So:
 *   - owner on this host, same boot, pid alive with the recorded start time: held; refused;
 *   - owner on this host but gone (pid dead, reused by a process that started later, or rebooted
 *     since): taken over, with a message naming the old owner;
 *   - owner on another host: never taken over (it may be training there); the message says how to
 *     release it by hand if it is not.
 * The file is written complete under a temporary name and linked into place (link fails if a lock
 * exists): a lock is whole or absent. Taking over a stale lock is serialised by a second file
 * (`lock.takeover`), so two processes that both find the lock stale cannot both take it.
 * A lock written by an older version holds only a pid; it is read as an owner on this host with an
 * unknown start time.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { explainWriteError } from "../files";

const LOCK_FILE = "lock";

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Start time of the process (clock ticks since boot, /proc/<pid>/stat field 22); absent where /proc is not. */
  readonly startTime?: string;
  /** /proc/sys/kernel/random/boot_id: which boot of the host. */
  readonly bootId?: string;
  /** When the lock was taken (ISO time). */
  readonly since?: string;
  /** Tells this acquisition from any other (release removes only its own lock). */
  readonly token?: string;
}

/** alive: the owner runs (here). gone: it does not. elsewhere: another host, which cannot be asked. */
export type OwnerState = "alive" | "gone" | "elsewhere";

/** Field 22 of /proc/<pid>/stat (the process's start time), or undefined (no such process, or no /proc). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return rest[22 - 3]; // rest[0] is field 3 (state)
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** This process as a lock owner. */
export function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    host: os.hostname(),
    startTime: processStartTime(process.pid),
    bootId: bootId(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the owner of a lock still runs. */
export function ownerState(owner: LockOwner): OwnerState {
  return inspectOwner(owner).state;
}

/** The owner's state, and why it is gone. */
function inspectOwner(owner: LockOwner): { state: OwnerState; why?: string } {
  if (owner.host !== os.hostname()) return { state: "elsewhere" };
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return { state: "gone", why: "the host has restarted since" };
  if (!isAlive(owner.pid)) return { state: "gone", why: "it is no longer running" };
  const start = processStartTime(owner.pid);
  if (owner.startTime && start && owner.startTime !== start) return { state: "gone", why: `it is no longer running (pid ${owner.pid} now belongs to another process)` };
  return { state: "alive" };
}

export function describeOwner(owner: LockOwner): string {
  const here = owner.host === os.hostname();
  return `process ${owner.pid}${here ? "" : ` on host ${owner.host}`}${owner.since ? ` (since ${owner.since})` : ""}`;
}

/** A lock file's owner; a file that is not a lock (empty, garbage) gives `undefined`; a missing one throws ENOENT. */
function readOwner(file: string): { owner?: LockOwner; text: string } {
  const text = fs.readFileSync(file, "utf8");
  if (/^\s*\d+\s*$/.test(text)) return { owner: { pid: Number(text), host: os.hostname() }, text }; // older format: a pid
  try {
    const o = JSON.parse(text) as LockOwner;
    if (Number.isInteger(o.pid) && typeof o.host === "string") return { owner: o, text };
  } catch {
    // not JSON: below
  }
  return { text };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates `file` holding `text` only if it does not exist (complete or absent). False when it exists. */
function createExclusive(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, text);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw explainWriteError(err, `cannot write the lock file ${file}`, path.dirname(file), text.length);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export interface AcquireLockOptions {
  /** Told when a stale lock is taken over. Default: console.error. */
  readonly notice?: (message: string) => void;
}

/**
 * Takes the partial run's lock and returns its release (which removes the lock only if it is still
 * this acquisition's). Throws, naming the owner and what to do, when a live process (or a process
 * on another host) holds it.
 */
export function acquireLock(partialDir: string, options: AcquireLockOptions = {}): () => void {
  const lock = path.join(partialDir, LOCK_FILE);
  const takeover = `${lock}.takeover`;
  const notice = options.notice ?? ((m: string) => console.error(m));
  const me = currentOwner();
  const myText = JSON.stringify(me) + "\n";
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusive(lock, myText)) {
      return () => {
        try {
          if (readOwner(lock).owner?.token === me.token) fs.rmSync(lock, { force: true });
        } catch {
          // already gone
        }
      };
    }
    let found: { owner?: LockOwner; text: string };
    try {
      found = readOwner(lock);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
      throw err;
    }
    const { owner } = found;
    const { state, why } = owner ? inspectOwner(owner) : { state: "gone" as const, why: undefined };
    if (owner && state === "alive") {
      const legacy = owner.startTime === undefined ? ` If process ${owner.pid} is not a bvae training (its pid reused after a crash), delete ${lock}.` : "";
      throw new Error(`${partialDir} is being trained by ${describeOwner(owner)}: wait for it to finish, or stop it (kill -TERM ${owner.pid} checkpoints and exits), then run again.${legacy}`);
    }
    if (owner && state === "elsewhere") {
      throw new Error(`${partialDir} is locked by ${describeOwner(owner)}, which this host cannot check: it may be training there (a runs folder shared between machines). If it is not, delete ${lock} and run again.`);
    }
    // The owner is gone: take the lock over, one process at a time.
    if (!createExclusive(takeover, myText)) {
      let other: LockOwner | undefined;
      try {
        other = readOwner(takeover).owner;
      } catch {
        continue; // finished meanwhile
      }
      if (!other || ownerState(other) === "gone") fs.rmSync(takeover, { force: true }); // left by a process that died while taking over
      else sleep(20); // another process is taking over right now
      continue;
    }
    try {
      let now: string | undefined;
      try {
        now = fs.readFileSync(lock, "utf8");
      } catch {
        now = undefined; // released meanwhile
      }
      if (now === found.text) {
        fs.rmSync(lock, { force: true });
        notice(owner ? `[lock] ${partialDir}: took over the lock of ${describeOwner(owner)}: ${why}` : `[lock] ${partialDir}: replaced an unreadable lock file (${JSON.stringify(found.text.slice(0, 40))})`);
      }
    } finally {
      fs.rmSync(takeover, { force: true });
    }
  }
  throw new Error(`${partialDir}: could not take the lock (${lock}) after many attempts; is another process taking it over? Run again.`);
}

/** The owner of this partial run's lock, with whether it runs; undefined when unlocked or the owner is gone. */
export function lockOwner(partialDir: string): { owner: LockOwner; state: Exclude<OwnerState, "gone"> } | undefined {
  let owner: LockOwner | undefined;
  try {
    owner = readOwner(path.join(partialDir, LOCK_FILE)).owner;
  } catch {
    return undefined;
  }
  if (!owner) return undefined;
  const state = ownerState(owner);
  return state === "gone" ? undefined : { owner, state };
}

/** The pid of the live process training this partial run on this host, if any. */
export function lockHolder(partialDir: string): number | undefined {
  const held = lockOwner(partialDir);
  return held?.state === "alive" ? held.owner.pid : undefined;
}

/**
 * Runs `fn` holding a short-lived lock file (`file`), for read-modify-write of a shared file by
 * several processes (two `bvae eval`s storing scores in one metrics.json). Waits up to `waitMs` for
 * a live holder; a holder that is gone is replaced.
 */
export function withFileLock<T>(file: string, fn: () => T, waitMs = 60_000): T {
  const me = currentOwner();
  const text = JSON.stringify(me) + "\n";
  const deadline = Date.now() + waitMs;
  while (!createExclusive(file, text)) {
    let owner: LockOwner | undefined;
    try {
      owner = readOwner(file).owner;
    } catch {
      continue; // released meanwhile
    }
    if (!owner || ownerState(owner) === "gone") {
      fs.rmSync(file, { force: true }); // a holder that died (tiny window: a holder only writes one file)
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file} is held by ${describeOwner(owner)} for over ${waitMs / 1000} s; if no bvae process runs, delete it`);
    sleep(25);
  }
  try {
    return fn();
  } finally {
    try {
      if (readOwner(file).owner?.token === me.token) fs.rmSync(file, { force: true });
    } catch {
      // gone
    }
  }
}
