/**
 * The lock of a partial run (runs/.partial/<name>/lock): a file holding the pid of the process
 * that trains it, so two processes never train the same run. A lock left by a dead process is
 * taken over.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const LOCK_FILE = "lock";

/** Takes the partial run's lock and returns its release. Throws when a live process holds it. */
export function acquireLock(partialDir: string): () => void {
  const lock = path.join(partialDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lock, { force: true });
    } catch {
      const pid = Number(fs.readFileSync(lock, "utf8"));
      if (isAlive(pid) && pid !== process.pid) throw new Error(`${partialDir} is being trained by process ${pid}`);
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`${partialDir}: could not take the lock`);
}

/** The pid of the live process training this partial run, if any. */
export function lockHolder(partialDir: string): number | undefined {
  const lock = path.join(partialDir, LOCK_FILE);
  const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, "utf8")) : undefined;
  return pid !== undefined && isAlive(pid) ? pid : undefined;
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
