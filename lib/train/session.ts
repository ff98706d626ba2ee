/**
 * One training session of a run in its partial folder (runs/.partial/<name>, see lib/runs/): it
 * resumes from the newest checkpoint (checkpoint.ts), trains up to the config's steps, keeps the
 * weight snapshots at their steps (snapshots.ts), writes a checkpoint every `checkpointEvery`
 * steps, and checkpoints before it stops early (`stopAfter`) or when aborted. None of these
 * options changes the run's key.
 */
import * as tf from "@tensorflow/tfjs";
import * as path from "node:path";
import { dirBytes, explainWriteError } from "../files";
import { applyCheckpoint, latestCheckpoint, NonFiniteStateError, newestIntactCheckpoint, readCheckpoint, setAsideCheckpoint, writeCheckpoint, type CheckpointDir, type LoadedCheckpoint } from "./checkpoint";
import { Progress } from "./progress";
import { snapshotSteps, writeSnapshot } from "./snapshots";
import { NonFiniteLossError, type StepTerms, type Trainer } from "./trainer";

export interface SessionOptions {
  /** Steps between checkpoints. Default: about 20 per run, at least every 100 steps. */
  readonly checkpointEvery?: number;
  /** Seconds between progress lines when not on a TTY (notebooks, logs). Default 10. */
  readonly progressEverySeconds?: number;
  /** No progress lines. */
  readonly quiet?: boolean;
  /** Stop after this many steps in total, leaving a checkpointed partial run (time-boxed sessions, tests). */
  readonly stopAfter?: number;
  /** Aborting checkpoints the current step and stops (the CLI wires Ctrl-C to this). */
  readonly signal?: AbortSignal;
  /**
   * Told about faults recovered from, even when quiet: a stale lock taken over, a damaged checkpoint
   * skipped, stale temporary folders removed. Default: console.error.
   */
  readonly notice?: (message: string) => void;
  /** Told about each older checkpoint before the trainer removes it (it keeps two). */
  readonly beforeCheckpointRemoved?: (checkpoint: CheckpointDir) => void;
}

/** How the log lines name the run: its name, and the folder the complete run goes to. */
export interface SessionLabel {
  readonly name: string;
  readonly destination: string;
}

/**
 * Trains `trainer` in `partialDir` until the config's steps or `options.stopAfter` (then
 * checkpointed). Resolves to the session's logger, for the caller's closing line (silent when
 * quiet). When `options.signal` aborts, checkpoints the current step and throws.
 */
export async function trainSession(trainer: Trainer, partialDir: string, label: SessionLabel, options: SessionOptions = {}): Promise<(message: string) => void> {
  const { config } = trainer;
  const { name, destination } = label;
  const notice = options.notice ?? ((m: string) => console.error(m));
  const ck = resumePoint(partialDir, trainer, name, notice);
  const log = (m: string): void => (options.quiet ? undefined : progress.log(m));
  const stopAt = Math.min(config.steps, options.stopAfter ?? config.steps);
  const progress = new Progress({ label: name, totalSteps: config.steps, stopAt, batchSize: config.batchSize, everySeconds: options.progressEverySeconds }, ck?.state.step ?? 0);
  if (ck) {
    applyCheckpoint(trainer, ck);
    log(`[${name}] resumed from step ${ck.state.step} (${ck.dir})`);
  } else log(`[${name}] training ${config.steps} steps (${trainer.model.numParameters} parameters, backend ${tf.getBackend()}) -> ${destination}`);
  const every = options.checkpointEvery ?? Math.max(100, Math.ceil(config.steps / 20));
  const snapshotAt = new Set(snapshotSteps(config));
  const checkpoint = async (): Promise<void> => {
    try {
      await persist(name, partialDir, "checkpoint", trainer.step, checkpointBytes(trainer, partialDir), () => writeCheckpoint(trainer, partialDir, 2, options.beforeCheckpointRemoved));
    } catch (err) {
      throw err instanceof NonFiniteStateError ? diverged(name, partialDir, err) : err;
    }
  };
  while (trainer.step < stopAt) {
    let terms: StepTerms;
    try {
      terms = trainer.trainStep();
    } catch (err) {
      throw err instanceof NonFiniteLossError ? diverged(name, partialDir, err) : err;
    }
    if (!options.quiet) progress.update(trainer.step, terms);
    // Snapshot first: a checkpoint at a snapshot step then implies its snapshot is on disk.
    if (snapshotAt.has(trainer.step)) {
      await persist(name, partialDir, "weight snapshot", trainer.step, trainer.model.numParameters * 4 + 4096, () => writeSnapshot(partialDir, trainer.step, trainer.model.variables));
    }
    if (trainer.step % every === 0 && trainer.step < config.steps) await checkpoint();
    if (options.signal) {
      await new Promise((r) => setImmediate(r)); // lets a Ctrl-C handler run
      if (options.signal.aborted) {
        await checkpoint();
        throw new Error(`[${name}] interrupted at step ${trainer.step}; checkpoint saved, run again to resume`);
      }
    }
  }
  progress.finish();
  if (trainer.step < config.steps) {
    await checkpoint();
    log(`[${name}] stopped at step ${trainer.step} of ${config.steps}; checkpoint in ${partialDir}`);
  }
  return log;
}

/** Bytes a checkpoint takes: the newest one's size, else the weights and Adam's two moments plus the history. */
export function checkpointBytes(trainer: Trainer, partialDir: string): number {
  const last = latestCheckpoint(partialDir);
  if (last) return dirBytes(last.dir);
  return trainer.model.numParameters * 4 * 3 + (trainer.history.rows.length + 1) * (6 + 4 * trainer.config.numLatents) * 24;
}

/**
 * Runs a write of the session (a checkpoint, a snapshot); when it fails, the error names the run,
 * the step, the folder, why (a full disk: free and needed space) and what survives: the newest
 * checkpoint, from which the same command resumes. The write itself leaves no temporary behind.
 */
export async function persist(name: string, partialDir: string, what: string, step: number, bytesNeeded: number, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (err instanceof NonFiniteStateError) throw err; // divergence, not a failed write: the caller says so
    const last = latestCheckpoint(partialDir);
    const kept = last ? ` The checkpoint of step ${last.step} (${last.dir}) is intact; running the same command again resumes from it.` : " No checkpoint was written before; running the same command again starts the run anew.";
    const explained = explainWriteError(err, `[${name}] could not write the ${what} of step ${step} in ${partialDir}`, partialDir, bytesNeeded);
    throw Object.assign(new Error(`${explained.message}.${kept}`), { code: (err as NodeJS.ErrnoException).code });
  }
}

/** The divergence error, with the run and what to do (resuming would diverge again: training is deterministic). */
function diverged(name: string, partialDir: string, err: NonFiniteLossError | NonFiniteStateError): Error {
  const last = latestCheckpoint(partialDir);
  const kept = last ? `the checkpoint of step ${last.step} (${last.dir}) is intact, but resuming repeats the same steps and diverges again` : "no checkpoint was written before it";
  return Object.assign(new Error(`[${name}] ${err.message}; ${kept}. Train a new run with a lower learning rate or another seed (bvae train ... --seed N).`), { step: err.step });
}

/**
 * The checkpoint to resume from: the newest intact one, read whole. Newer damaged ones are moved
 * aside (kept as ckpt-<step>.damaged) with a notice naming what is wrong; when every checkpoint is
 * damaged nothing is touched and the error lists them (training from the start would silently
 * throw their steps away).
 */
function resumePoint(partialDir: string, trainer: Trainer, name: string, notice: (m: string) => void): LoadedCheckpoint | undefined {
  const found = newestIntactCheckpoint(partialDir, trainer.config);
  if (!found) return undefined;
  if (!found.intact) {
    throw new Error(
      `[${name}] every checkpoint in ${partialDir} is damaged, so the run cannot resume:\n` +
        found.damaged.map((d) => `  ${path.basename(d.dir)}: ${d.problem}`).join("\n") +
        `\nNothing was changed. Restore them from a copy, or move ${partialDir} away to train the run from the start.`,
    );
  }
  const loaded = readCheckpoint(found.intact.dir, trainer.config);
  for (const d of found.damaged) {
    const kept = setAsideCheckpoint(d.dir);
    notice(`[${name}] checkpoint ${path.basename(d.dir)} is damaged (${d.problem}); resuming from the newest intact one, step ${found.intact.step}. The damaged one is kept as ${kept}; delete it when you no longer need it.`);
  }
  return loaded;
}
