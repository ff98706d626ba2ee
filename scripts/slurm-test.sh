#!/usr/bin/env bash
# `make test-slurm`: starts a one-node Slurm (scripts/slurm-local.sh: installs slurm-wlm and munge when
# missing), runs the sweep's Slurm test (tests/cli/sweep-slurm.slurm.ts: a tiny sweep through sbatch) against
# it, and stops Slurm again, whether the test passed or not. Fails, saying why, if Slurm does not start.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(realpath -m "${SLURM_TEST_DIR:-build/slurm}")
t0=$(date +%s)
if ! bash scripts/slurm-local.sh start "$dir"; then
  echo "[test-slurm] FAILED: could not start a one-node Slurm (the reason is above); the sweep's Slurm test did not run" >&2
  exit 1
fi
trap 'bash scripts/slurm-local.sh stop "$dir"' EXIT
trap 'exit 130' INT TERM
echo "[test-slurm] Slurm up in $(( $(date +%s) - t0 )) s"
SLURM_CONF="$dir/slurm.conf" node --test dist/tests/cli/sweep-slurm.slurm.js
echo "[test-slurm] passed in $(( $(date +%s) - t0 )) s (Slurm start included)"
