/** A run in words, as notebooks print it beside their numbers. */
import type { Run } from "./run";

/**
 * How far a run was trained: "5000 of 5000 steps (cpu profile)", "12000 of 100000 steps (long
 * profile, partial)"; with `{ total: false }`, "12000 steps (long profile, partial)".
 */
export function runSteps(run: Pick<Run, "step" | "complete" | "config">, options: { readonly total?: boolean } = {}): string {
  const steps = options.total === false ? `${run.step} steps` : `${run.step} of ${run.config.steps} steps`;
  return `${steps} (${run.config.profile} profile${run.complete ? "" : ", partial"})`;
}
