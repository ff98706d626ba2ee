/** Small file helpers: atomic writes (temporary name, then rename) and project paths. */
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
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
