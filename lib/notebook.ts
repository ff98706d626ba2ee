/**
 * One line of a notebook's output that updates in place (a display with a display_id, re-sent as
 * update_display_data): training progress and long cells' progress show their latest state instead
 * of a new line every few seconds. tslab sends process.stdout.write to the cell too, but a "\r" there
 * only rewrites the line in some front ends and the saved notebook keeps every update; a display
 * update works in JupyterLab, classic Notebook and nbclient (the saved notebook holds the last state).
 *
 * Outside a tslab kernel (CLI, tests) there is nowhere to display: `liveLine` returns undefined.
 */

interface DisplayData {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}
type WriteDisplayData = (d: DisplayData, update: boolean) => void;

/** tslab's hook for display data, when this process is a tslab kernel executing a cell. */
export function tslabWriter(): WriteDisplayData | undefined {
  try {
    // tslab is a dependency; the kernel and this library resolve the same module instance.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** Marks a live line's output, so that `bvae report` leaves it out. */
export const LIVE_LINE_METADATA = "bvae_live_line";

let counter = 0;

/** A line that `update` rewrites in place; undefined outside a notebook. */
export function liveLine(): { update(text: string): void } | undefined {
  const write = tslabWriter();
  if (!write) return undefined;
  const id = `bvae-live-${process.pid}-${++counter}`;
  let shown = false;
  return {
    update(text: string) {
      write({ data: { "text/plain": text }, metadata: { [LIVE_LINE_METADATA]: true }, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}
