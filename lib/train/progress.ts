/**
 * The progress line: step/total, steps/s, images/s, ETA and the latest loss terms.
 * On a TTY it rewrites one line with \r (at most a few times a second); in a notebook it rewrites
 * one output line in place (notebook.ts: a display update, every 2 s) and prints the last state;
 * elsewhere (logs, CI) it prints a plain line every `everySeconds`.
 */
export interface ProgressOptions {
  /** Label in front of the line, e.g. the run name. */
  readonly label: string;
  readonly totalSteps: number;
  /**
   * Where this session stops when before `totalSteps` (`--stop-after`): the ETA is then to this
   * step, with the whole run's after it, and the line printed on reaching it is the last.
   */
  readonly stopAt?: number;
  readonly batchSize: number;
  /** Seconds between plain lines when not on a TTY. Default 10. */
  readonly everySeconds?: number;
  /** Where lines go; default process.stdout on a TTY, console.log otherwise. */
  readonly stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean };
  /** Clock in ms (tests); default Date.now. */
  readonly now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

import { liveLine } from "../notebook";

export class Progress {
  private readonly startMs: number;
  private readonly startStep: number;
  private lastPrintMs = -Infinity;
  private readonly tty: boolean;
  private readonly stream: { write(s: string): unknown };
  private readonly now: () => number;
  private wroteTtyLine = false;
  private readonly live: { update(text: string): void } | undefined;
  private readonly stopAt: number;

  constructor(private readonly opts: ProgressOptions, startStep: number) {
    this.now = opts.now ?? Date.now;
    this.startMs = this.now();
    this.startStep = startStep;
    this.stopAt = Math.min(opts.totalSteps, opts.stopAt ?? opts.totalSteps);
    this.tty = Boolean((opts.stream ?? process.stdout).isTTY);
    this.live = opts.stream || this.tty ? undefined : liveLine();
    this.stream = opts.stream ?? (this.tty ? process.stdout : { write: (s: string) => console.log(s.replace(/\n$/, "")) });
  }

  /** The line for `stepsDone` completed steps (the measured rate covers this session only). */
  line(stepsDone: number, terms: { loss: number; recon: number; kl: number }): string {
    const { totalSteps, batchSize, label } = this.opts;
    const elapsed = (this.now() - this.startMs) / 1000;
    const rate = elapsed > 0 ? (stepsDone - this.startStep) / elapsed : 0;
    const eta = (to: number): string => formatDuration(rate > 0 ? (to - stepsDone) / rate : NaN);
    const pct = ((100 * stepsDone) / totalSteps).toFixed(1);
    const stop = this.stopAt < totalSteps ? `ETA ${eta(this.stopAt)} to the stop at ${this.stopAt} (${eta(totalSteps)} to ${totalSteps})` : `ETA ${eta(totalSteps)}`;
    return (
      `[${label}] step ${stepsDone}/${totalSteps} (${pct}%)  ${rate.toFixed(2)} steps/s  ${(rate * batchSize).toFixed(0)} img/s  ` +
      `${stop}  loss ${terms.loss.toFixed(2)} (recon ${terms.recon.toFixed(2)}, kl ${terms.kl.toFixed(2)})`
    );
  }

  /** Call after each step; prints when due (always on the last step). */
  update(stepsDone: number, terms: { loss: number; recon: number; kl: number }): void {
    const t = this.now();
    const last = stepsDone >= this.stopAt;
    const every = this.tty ? 250 : this.live ? 2000 : (this.opts.everySeconds ?? 10) * 1000;
    if (!last && t - this.lastPrintMs < every) return;
    this.lastPrintMs = t;
    const text = this.line(stepsDone, terms);
    if (this.tty) {
      this.stream.write(`\r${text}\x1b[K`);
      this.wroteTtyLine = true;
      if (last) this.finish();
    } else if (this.live) {
      this.live.update(text);
      if (last) this.stream.write(text + "\n");
    } else this.stream.write(text + "\n");
  }

  /** Prints a message on its own line (ends a \r line first). */
  log(message: string): void {
    this.finish();
    this.stream.write(message + "\n");
  }

  /** Ends the \r line, if any. */
  finish(): void {
    if (this.wroteTtyLine) {
      this.stream.write("\n");
      this.wroteTtyLine = false;
    }
  }
}
