/**
 * Temporary files and folders in the runs folder: every write goes to a temporary name first and is
 * renamed when complete (a checkpoint `.tmp-ckpt-<step>-<pid>-<ms>`, a finished run
 * `.tmp-<name>-<pid>-<ms>`, a file `<file>.<pid>.<ms>.tmp`, a lock `lock.<pid>.<hex>.tmp`). A
 * process killed mid-write leaves its temporary behind, hidden by its dot and never read; on a
 * small disk such leftovers eat the space the next attempt needs. They are found here by name: a
 * temporary is stale when the process that wrote it is gone, or when it is older than an hour
 * (no write takes that long). A run's temporaries are never stale while another live process, or
 * a process on another host sharing the runs folder, holds that run's lock (a pid means nothing
 * across hosts). `bvae runs` lists them and `bvae runs --clean` removes them; training removes the
 * stale ones of its own run before it starts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { isAlive, lockOwner } from "./lock";

export interface Temporary {
  readonly path: string;
  /** Bytes it holds (a folder: the sum of its files). */
  readonly bytes: number;
  readonly modified: Date;
  /** The pid in its name (the writer). */
  readonly writerPid: number;
  /** The writer is gone, or it is older than STALE_AFTER_MS: safe to remove. */
  readonly stale: boolean;
}

/** Older than this, a temporary is stale whatever its writer (a checkpoint or run folder is written in seconds). */
export const STALE_AFTER_MS = 60 * 60 * 1000;

const PATTERNS = [/^\.tmp-.+-(\d+)-\d{13}$/, /^.+\.(\d+)\.\d{13}\.tmp$/, /^.*lock(?:\.takeover)?\.(\d+)\.[0-9a-f]{8}\.tmp$/];

/** The writer's pid if `name` is a temporary's name. */
export function temporaryWriter(name: string): number | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(name);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function sizeOf(p: string): number {
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
}

/** Whether a process other than this one (alive here, or on another host) holds the lock of the partial run `name`. */
function lockedByOther(root: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  const held = lockOwner(path.join(root, ".partial", name));
  return held !== undefined && !(held.owner.pid === process.pid && held.owner.host === os.hostname());
}

/** The run a temporary belongs to: its partial folder's name, or a final folder's from `.tmp-<name>-<pid>-<ms>`. */
function runOf(root: string, p: string): string | undefined {
  const rel = path.relative(root, p).split(path.sep);
  if (rel[0] === ".partial" && rel.length > 2) return rel[1];
  if (rel.length === 1) return /^\.tmp-(.+)-\d+-\d{13}$/.exec(rel[0])?.[1];
  return undefined;
}

function scan(root: string, dir: string, out: Temporary[], now: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const pid = temporaryWriter(n);
    if (pid === undefined) continue;
    const p = path.join(dir, n);
    try {
      const st = fs.lstatSync(p);
      const old = now - st.mtimeMs > STALE_AFTER_MS;
      const stale = pid !== process.pid && (old || (!isAlive(pid) && !lockedByOther(root, runOf(root, p))));
      out.push({ path: p, bytes: sizeOf(p), modified: st.mtime, writerPid: pid, stale });
    } catch {
      // removed meanwhile
    }
  }
}

/** The folders a run's writes use: the run folder and its snapshots. */
function runFolders(runDir: string): string[] {
  return [runDir, path.join(runDir, "snapshots")];
}

/**
 * Every temporary under the runs folder `root`: at its top, in each complete run and its snapshots,
 * in .partial/ and in each partial run and its snapshots. With `only`, just those of that run name.
 */
export function findTemporaries(root: string, only?: string): Temporary[] {
  const out: Temporary[] = [];
  const now = Date.now();
  const dirs: string[] = [root, path.join(root, ".partial")];
  for (const base of [root, path.join(root, ".partial")]) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(base, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith(".")).map((d) => d.name);
    } catch {
      // no such folder
    }
    for (const n of names) if (only === undefined || n === only) dirs.push(...runFolders(path.join(base, n)));
  }
  for (const d of dirs) scan(root, d, out, now);
  // At the top level, `only` keeps the temporaries of that run's final folder (.tmp-<name>-<pid>-<ms>).
  const shared = new Set([root, path.join(root, ".partial")]);
  return only === undefined ? out : out.filter((t) => !shared.has(path.dirname(t.path)) || path.basename(t.path).startsWith(`.tmp-${only}-`));
}

/** Removes the stale temporaries (of one run with `only`); returns what was removed. */
export function removeStaleTemporaries(root: string, only?: string): Temporary[] {
  const removed: Temporary[] = [];
  for (const t of findTemporaries(root, only)) {
    if (!t.stale) continue;
    fs.rmSync(t.path, { recursive: true, force: true });
    removed.push(t);
  }
  return removed;
}

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} kB` : `${bytes} B`;
}
