#!/usr/bin/env bash
# Starts, or resumes from their committed checkpoints, the long dSprites runs in the background:
# one niced process per preset, logs in build/logs/. `make stop-long` checkpoints and stops them.
# PRESETS="dsprites-vae dsprites-beta" make train-long   picks the presets.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/logs
presets=${PRESETS:-"dsprites-vae dsprites-beta dsprites-capacity-report"}
for p in $presets; do
  if pgrep -f "bvae.js train $p --profile long" >/dev/null; then
    echo "$p: already training (pid $(pgrep -f "bvae.js train $p --profile long" | head -1))"
    continue
  fi
  nohup nice -n 10 node bin/bvae.js train "$p" --profile long --checkpoint-every 500 --progress-every 120 \
    >> "build/logs/$p-long.log" 2>&1 &
  echo "$p: started, pid $! (progress in build/logs/$p-long.log)"
done
