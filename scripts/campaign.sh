#!/usr/bin/env bash
# Runs a queue of trainings (scripts/campaign.txt: one line of `bvae train` arguments each), JOBS at a time,
# niced, in order. Each line resumes its run from the newest checkpoint and ends where its flags say; a line
# already done exits at once. A run may be on two lines (a later, longer stop further down the queue): the later
# line starts only when the earlier one has ended. SIGTERM / SIGINT: the running trainings checkpoint, nothing
# more starts.
#   make campaign                       (in the background: nohup make campaign > build/logs/campaign.log &)
#   JOBS=1 CAMPAIGN=my-queue.txt make campaign
set -uo pipefail
cd "$(dirname "$0")/.."
file=${CAMPAIGN:-scripts/campaign.txt}
jobs_max=${JOBS:-2}
[[ -f "$file" ]] || { echo "campaign: $file does not exist" >&2; exit 2; }
[[ "$jobs_max" =~ ^[1-9][0-9]*$ ]] || { echo "campaign: JOBS must be a positive integer, got \"$jobs_max\"" >&2; exit 2; }
mkdir -p build/logs
stopping=0
# SIGTERM (make stop-campaign): passed on to the running trainings, which checkpoint and exit. Ctrl-C (SIGINT) has
# already reached them (one process group): passing it on would be a second signal, which exits without the checkpoint.
stop() {
  stopping=1
  echo "[campaign] stopping: the running trainings checkpoint and exit"
  local pids; pids=$(jobs -pr)
  if [[ "$1" == TERM && -n "$pids" ]]; then kill -TERM $pids 2>/dev/null; fi
}
trap 'stop TERM' TERM
trap 'stop INT' INT
n=0
failed=0
# The run a line trains: its arguments without the flags that do not change the run (where it stops, how often it
# checkpoints). scripts/campaign.txt spells a run the same way on each of its lines (a test checks it).
run_of() { sed -E 's/--(stop-after|checkpoint-every)[ =][^ ]+//g; s/ +/ /g; s/^ //; s/ $//' <<<"$1"; }
declare -A run_of_pid=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%%#*}"
  [[ -z "${line// }" ]] && continue
  n=$((n + 1))
  run=$(run_of "$line")
  for pid in "${!run_of_pid[@]}"; do
    [[ "${run_of_pid[$pid]}" == "$run" ]] && kill -0 "$pid" 2>/dev/null || continue
    echo "[campaign] line $n waits for the line training the same run to end (pid $pid)"
    wait "$pid"; status=$?
    (( status != 0 && stopping == 0 )) && failed=$((failed + 1))
  done
  while (( stopping == 0 && $(jobs -pr | wc -l) >= jobs_max )); do wait -n || true; done
  (( stopping )) && break
  slug=$(echo "$line" | tr -cs 'A-Za-z0-9.' '-' | sed 's/^-*//; s/-*$//' | cut -c1-90)
  log="build/logs/campaign-$slug.log"
  echo "[campaign] $(date -u +%FT%TZ) line $n: bvae train $line (log $log)"
  # shellcheck disable=SC2086 # the line is a list of arguments
  nice -n 10 node bin/bvae.js train $line >> "$log" 2>&1 &
  run_of_pid[$!]=$run
done < "$file"
while (( $(jobs -pr | wc -l) > 0 )); do
  wait -n; status=$?
  (( status != 0 && stopping == 0 )) && failed=$((failed + 1))
done
echo "[campaign] $(date -u +%FT%TZ) $( (( stopping )) && echo stopped || echo "done: $n lines")$( (( failed )) && echo ", $failed exited with an error (see their logs)")"
