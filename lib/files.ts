/**
 * Small file helpers: atomic writes (temporary name, then rename), project paths, and write errors
 * explained (a full disk, a read-only folder) with the folder, the space and what to do.
 */
import * as fs from "fs";
import * as path from "path";

/** The project root: the folder holding package.json above dist/lib (or lib/ when run from source). */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "lib"))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/**
 * `text` with every absolute path inside the project written relative to its root
 * ("/home/me/bvae/runs/x" -> "runs/x"): what notebooks print, so that their committed outputs and
 * REPORT.md read the same whichever folder the project was cloned into.
 */
export function projectRelative(text: string, root: string = projectRoot()): string {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return text.split(prefix).join("");
}

/** Writes a file atomically: a reader sees the old content or the new one, never half of it. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  makeDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    assertFileTarget(file);
    throw explainWriteError(err, `cannot write ${file}`, path.dirname(file), typeof data === "string" ? Buffer.byteLength(data) : data.byteLength);
  }
}

/** Free bytes for this user on the file system holding `dir` (or its nearest existing parent). */
export function freeBytes(dir: string): number | undefined {
  try {
    let d = path.resolve(dir);
    while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
    const st = fs.statfsSync(d);
    return st.bavail * st.bsize;
  } catch {
    return undefined;
  }
}

/** Bytes of the files under `p` (a file: its size; 0 when absent). */
export function dirBytes(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return 0;
  }
  return st.isDirectory() ? fs.readdirSync(p).reduce((n, f) => n + dirBytes(path.join(p, f)), 0) : st.size;
}

/** "12.3 MB", or "45 kB" below a megabyte (so that a small need does not read "0.0 MB"). */
export function formatMB(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

/**
 * A write error in words: `what` failed, why (no space: how much is free and needed; a read-only
 * file system; no permission), and what to do. Other errors keep their message after `what`.
 */
export function explainWriteError(err: unknown, what: string, dir: string, neededBytes?: number): Error {
  const e = err as NodeJS.ErrnoException;
  return Object.assign(explain(e, what, dir, neededBytes), { code: e?.code }); // the code stays, so a caller can explain again with more context
}

function explain(e: NodeJS.ErrnoException, what: string, dir: string, neededBytes?: number): Error {
  switch (e?.code) {
    case "ENOSPC":
    case "EDQUOT": {
      const free = freeBytes(dir);
      const space = `${free !== undefined ? `${formatMB(free)} free` : "no space left"}${neededBytes ? `, about ${formatMB(neededBytes)} needed` : ""}`;
      return new Error(`${what}: the disk holding ${dir} is full (${e.code}; ${space}); free some space (bvae runs --clean removes stale temporary files), then run the same command again`);
    }
    case "EROFS":
      return new Error(`${what}: ${dir} is on a read-only file system (EROFS); use a writable folder (BVAE_RUNS_DIR=DIR for runs) or remount it read-write`);
    case "EACCES":
    case "EPERM":
      return new Error(`${what}: no permission to write in ${dir} (${e.code}); fix its permissions or use another folder (BVAE_RUNS_DIR=DIR for runs)`);
    default:
      return new Error(`${what}: ${e?.message ?? String(e)}`);
  }
}

/**
 * mkdir -p with a true error: Node's recursive mkdir reports ENOENT when a parent cannot be
 * created on a read-only file system; the failing level is retried alone to get the real cause.
 */
export function makeDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    // The nearest path that exists, from `dir` itself upward: when it is a file, that is the cause.
    let existing = path.resolve(dir);
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    if (fs.existsSync(existing) && !fs.statSync(existing).isDirectory()) throw new Error(`cannot create the folder ${dir}: ${existing} is a file, not a folder`);
    let parent = path.resolve(dir);
    while (!fs.existsSync(path.dirname(parent)) && path.dirname(parent) !== parent) parent = path.dirname(parent);
    let cause: unknown = err;
    try {
      fs.mkdirSync(parent);
    } catch (inner) {
      cause = inner;
    }
    throw explainWriteError(cause, `cannot create the folder ${dir}`, path.dirname(parent));
  }
}

/** Throws unless `file` can name a file: it must not be an existing folder. */
export function assertFileTarget(file: string): void {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`cannot write ${file}: it is a folder; give a file name`);
}

/** Throws an explained error unless a file can be created in `dir` (checked before long work whose result goes there). */
export function assertWritable(dir: string, what: string): void {
  withContext(what, () => makeDir(dir));
  const probe = path.join(dir, `.write-test.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(probe, "");
  } catch (err) {
    throw explainWriteError(err, what, dir);
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/**
 * Checked before long work whose result is the file `file` (an export): it must not be a folder,
 * and its folder must be creatable and writable; the error names `what` (e.g. "--export x.npz").
 */
export function assertWritableFile(file: string, what: string): void {
  withContext(what, () => assertFileTarget(file));
  assertWritable(path.dirname(path.resolve(file)), what);
}

/** Runs `check`; its error is rethrown led by `what` (its errno code kept). */
function withContext(what: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    throw Object.assign(new Error(`${what}: ${(err as Error).message}`), { code: (err as NodeJS.ErrnoException).code });
  }
}
