#!/usr/bin/env bash
# After a stretch of `make campaign` or `make train-long`: checkpoints and stops the long runs (profiles long
# and paper), keeps each partial run's newest checkpoint (bvae runs --prune: an older one whose scores are
# stored keeps its weights as a snapshot), scores every long run at its newest stage (`bvae eval`, two at a
# time, ~2-10 min each; stored scores are read, not recomputed), re-executes notebooks 01-06 at PROFILE=cpu as
# they are (their outputs are refilled, their code never rewritten: edits made in JupyterLab stay), checks
# them, rebuilds REPORT.md and refreshes the score table of docs/metrics.md (`bvae eval --history`).
# Logs in build/logs/score-long/. `make score-long` runs it; commit runs/, figures/, notebooks/, REPORT.md, docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
logs=build/logs/score-long
mkdir -p "$logs"
# A campaign (make campaign) is stopped first: it would start its next line when a training exits.
if pgrep -f "scripts/campaign[.]sh" >/dev/null; then
  pkill -TERM -f "scripts/campaign[.]sh"
  echo "[score-long] asked the campaign to stop"
  while pgrep -f "scripts/campaign[.]sh" >/dev/null; do sleep 5; done
fi
if pgrep -f "bvae[.]js train .* --profile (long|paper)" >/dev/null; then
  pkill -TERM -f "bvae[.]js train .* --profile (long|paper)"
  echo "[score-long] asked the long runs to checkpoint and stop"
  while pgrep -f "bvae[.]js train .* --profile (long|paper)" >/dev/null; do sleep 5; done
fi
# As make keep-checkpoints: each partial run's newest checkpoint stays; older scored ones become snapshots.
node bin/bvae.js runs --prune
runs=$(node bin/bvae.js runs --json | "$PYTHON" -c 'import json, sys
print(" ".join(r["name"] for r in json.load(sys.stdin) if r.get("config") and r["config"].get("profile") in ("long", "paper") and r["status"] != "running"))')
echo "[score-long] scoring: ${runs:-(no long run)}"
# Two evals at a time, a new one as soon as one ends (a run whose scores are stored ends at once).
pids=()
for r in $runs; do
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do sleep 2; done
  node bin/bvae.js eval "$r" > "$logs/eval-$r.log" 2>&1 & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "[score-long] an eval failed; see $logs/" >&2; exit 1; }; done
export JUPYTER_PATH="$PWD/build/jupyter"
PROFILE=cpu "$PYTHON" scripts/run_notebooks.py --timeout 3600 notebooks/0[1-6]*.ipynb
"$PYTHON" scripts/check_notebooks.py notebooks/*.ipynb
node bin/bvae.js report
node bin/bvae.js eval --history | tail -n +2 > "$logs/history.md"
"$PYTHON" - "$logs/history.md" <<'PY'
import os, re, sys
doc_path = "docs/metrics.md"
doc = open(doc_path).read()
table = open(sys.argv[1]).read().rstrip("\n")
new, n = re.subn(r"(<!-- history:begin -->\n).*?(\n<!-- history:end -->)", lambda m: m.group(1) + table + m.group(2), doc, flags=re.S)
if n != 1:
    sys.exit(f"{doc_path}: expected one <!-- history:begin --> ... <!-- history:end --> block, found {n}")
open(doc_path + ".tmp", "w").write(new)
os.replace(doc_path + ".tmp", doc_path)
PY
echo "[score-long] done: review REPORT.md and docs/metrics.md, then commit runs/, figures/, notebooks/, REPORT.md, docs/"
