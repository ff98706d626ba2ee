#!/usr/bin/env python3
"""Executes notebooks headless with the project's tslab kernel, in order, and saves them with outputs.

Usage: run_notebooks.py [--out-dir DIR] [--timeout S] [--quiet] [--jobs N] NOTEBOOK...

While a notebook runs, what its cells print is relayed to the terminal as it comes, each line
prefixed with the notebook's name: printed lines (stdout, stderr) at once, and the lines that update
in place in the notebook (training and long cells' progress, lib/notebook.ts) at most every
RELAY_EVERY seconds each. --quiet relays nothing.

A failing cell stops the run: the exit code is 1 and the message names the notebook, the cell
number and prints the error text. tslab reports errors on stderr (not as an error output), so the
stderr of the failing cell is printed too. Each notebook is written atomically (temporary name,
then rename); a notebook whose run failed is saved as <name>.failed.ipynb beside it for inspection.

--jobs N executes N notebooks at once (one kernel each, one process per notebook; the notebooks are
independent: each writes its own figures), the longest first by their previous execution (the cells'
recorded times), so the short ones fill the end; a failure stops no other notebook, the exit code is
1 and each failure is reported. Not for notebooks that train the same run (the smoke profile's
stand-ins): the run's lock refuses the second trainer.
"""
import argparse
import datetime
import os
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s\n%s" % (out.get("ename"), out.get("evalue"), "\n".join(out.get("traceback", []))))
    return "".join(parts).strip()


def failing_cell(nb):
    """The last executed code cell: nbclient stops right after the failing one."""
    last = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            last = i
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell_text(cell):
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                return i
    return last


RELAY_EVERY = 10.0
LIVE_LINE_METADATA = "bvae_live_line"  # lib/notebook.ts


class RelayingClient(NotebookClient):
    """A NotebookClient that relays the cells' printed lines and progress lines to the terminal."""

    def __init__(self, nb, name, quiet=False, **kw):
        super().__init__(nb, **kw)
        self._name = name
        self._quiet = quiet
        self._last_relay = {}

    def _relay(self, text, stream=sys.stdout):
        for line in text.rstrip("\n").split("\n"):
            if line.strip():
                print("[%s] %s" % (self._name, line), file=stream, flush=True)

    def process_message(self, msg, cell, cell_index):
        if not self._quiet:
            kind, content = msg.get("msg_type"), msg.get("content", {})
            if kind == "stream":
                self._relay(content.get("text", ""), sys.stderr if content.get("name") == "stderr" else sys.stdout)
            elif kind in ("display_data", "update_display_data") and content.get("metadata", {}).get(LIVE_LINE_METADATA):
                key = content.get("transient", {}).get("display_id")
                now = time.time()
                if kind == "display_data" or now - self._last_relay.get(key, 0.0) >= RELAY_EVERY:
                    self._last_relay[key] = now
                    self._relay(str(content.get("data", {}).get("text/plain", "")))
        return super().process_message(msg, cell, cell_index)


def write_atomic(nb, path):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)


def code_cell_number(nb, index):
    return sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")


def previous_seconds(path):
    """How long the notebook's last execution took (first cell's start to last cell's end), else 0."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return 0.0
    times = []
    for cell in nb.cells:
        for key in ("iopub.status.busy", "iopub.status.idle"):
            value = cell.get("metadata", {}).get("execution", {}).get(key)
            if value:
                try:
                    times.append(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
                except ValueError:
                    pass
    return max(times) - min(times) if times else 0.0


def run_side_by_side(args):
    """Each notebook in its own process of this script, args.jobs at a time, the longest first."""
    order = sorted(args.notebooks, key=previous_seconds, reverse=True)
    flags = ["--timeout", str(args.timeout), "--kernel", args.kernel] + (["--quiet"] if args.quiet else [])
    flags += ["--out-dir", args.out_dir] if args.out_dir else []
    print("[notebooks] %d notebooks, %d at a time: %s" % (len(order), args.jobs, ", ".join(os.path.basename(p) for p in order)), flush=True)
    running, failed = [], []
    t0 = time.time()
    while order or running:
        while order and len(running) < args.jobs:
            path = order.pop(0)
            running.append((path, subprocess.Popen([sys.executable, os.path.abspath(__file__)] + flags + [path])))
        time.sleep(0.2)
        for item in list(running):
            if item[1].poll() is not None:
                running.remove(item)
                if item[1].returncode != 0:
                    failed.append(os.path.basename(item[0]))
    if failed:
        print("[notebooks] FAILED: %s (their errors are above)" % ", ".join(failed), file=sys.stderr)
        return 1
    print("[notebooks] all %d done in %.1f s" % (len(args.notebooks), time.time() - t0), flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out-dir", default=None, help="where executed notebooks go (default: in place)")
    ap.add_argument("--timeout", type=int, default=6 * 3600, help="seconds per cell")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--quiet", action="store_true", help="do not relay what the cells print")
    ap.add_argument("--jobs", type=int, default=1, help="notebooks executed at once (default 1)")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("--jobs: expected a positive integer, got %d" % args.jobs)
    if args.jobs > 1 and len(args.notebooks) > 1:
        return run_side_by_side(args)

    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        out_dir = args.out_dir or os.path.dirname(os.path.abspath(path))
        os.makedirs(out_dir, exist_ok=True)
        out_path = os.path.join(out_dir, os.path.basename(path))
        name = os.path.basename(path)
        print("[notebooks] %s: executing (PROFILE=%s)" % (name, os.environ.get("PROFILE", "cpu")), flush=True)
        t0 = time.time()
        client = RelayingClient(
            nb,
            name.replace(".ipynb", ""),
            quiet=args.quiet,
            timeout=args.timeout,
            kernel_name=args.kernel,
            # tslab throws (EFSM) when it closes its sockets on a shutdown request; the notebook is
            # complete by then, so the kernel is stopped directly.
            shutdown_kernel="immediate",
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
            idx = failing_cell(nb)
            failed_path = os.path.join(out_dir, name.replace(".ipynb", ".failed.ipynb"))
            write_atomic(nb, failed_path)
            print("\n[notebooks] FAILED: %s" % name, file=sys.stderr)
            if idx is not None:
                cell = nb.cells[idx]
                print("[notebooks] cell %d (code cell #%d):" % (idx, code_cell_number(nb, idx)), file=sys.stderr)
                src = cell.source if len(cell.source) < 1500 else cell.source[:1500] + "\n..."
                print("    " + src.replace("\n", "\n    "), file=sys.stderr)
                text = cell_text(cell)
                if text:
                    print("[notebooks] error output:\n" + text, file=sys.stderr)
            print("[notebooks] %s: %s" % (type(err).__name__, str(err).strip().splitlines()[-1] if str(err).strip() else ""), file=sys.stderr)
            print("[notebooks] the partly executed notebook is in %s" % failed_path, file=sys.stderr)
            return 1
        write_atomic(nb, out_path)
        print("[notebooks] %s: done in %.1f s -> %s" % (name, time.time() - t0, out_path), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
