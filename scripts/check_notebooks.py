#!/usr/bin/env python3
"""Checks executed notebooks: every chart output (Vega-Lite) also carries image/png, no cell failed,
and every code cell ran. Usage: check_notebooks.py NOTEBOOK... Prints one line per notebook and
'N passed, N failed' at the end; exits 1 on any failure."""
import sys

import nbformat

VL = "application/vnd.vegalite.v5+json"


def check(path):
    nb = nbformat.read(path, as_version=4)
    problems, charts, images = [], 0, 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is None and cell.source.strip():
            problems.append("cell %d did not run" % i)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append("cell %d has an error output" % i)
            data = out.get("data", {})
            if VL in data:
                charts += 1
                if "image/png" not in data:
                    problems.append("cell %d: a Vega-Lite chart without image/png" % i)
            if "image/png" in data or "image/gif" in data:
                images += 1
    return problems, charts, images


def main():
    passed = failed = 0
    for path in sys.argv[1:]:
        problems, charts, images = check(path)
        if problems:
            failed += 1
            print("FAIL %s: %s" % (path, "; ".join(problems)))
        else:
            passed += 1
            print("ok   %s: %d charts (each with PNG), %d images" % (path, charts, images))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
