#!/usr/bin/env bash
# A one-node Slurm cluster on 127.0.0.1, for the sweep test (`make test-slurm`) and for trying
# `bvae sweep slurm` on one machine.
#
#   scripts/slurm-local.sh start [DIR]    install slurm-wlm + munge when missing (Debian, as root),
#                                         write a munge key and slurm.conf in DIR, start munged,
#                                         slurmctld and slurmd, wait until the node is idle
#   scripts/slurm-local.sh stop [DIR]     cancel the cluster's jobs, stop the daemons by their pid files
#   scripts/slurm-local.sh status [DIR]   sinfo and squeue of that cluster
#
# DIR (default build/slurm) holds everything: slurm.conf, the munge key and socket, the state and
# spool folders, the logs and the pid files; nothing is written to /etc. Commands reach this cluster
# with `export SLURM_CONF=DIR/slurm.conf` (start prints it). Ports: SLURM_LOCAL_PORT (slurmctld,
# default 6817) and the next one (slurmd). The settings are those measured in
# /work/shared/docs/platform.md ("Slurm (single node, for sweep tests)").
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:-}
dir=$(realpath -m "${2:-build/slurm}")
port=${SLURM_LOCAL_PORT:-6817}
conf="$dir/slurm.conf"
say() { echo "[slurm-local] $*"; }
die() { echo "[slurm-local] FAILED: $*" >&2; exit 1; }

# --- the packages ---------------------------------------------------------------------------
missing_tools() {
  local t out=""
  for t in munged slurmctld slurmd sbatch squeue sinfo scancel; do command -v "$t" >/dev/null || out="$out $t"; done
  echo "$out"
}

install_packages() {
  local missing
  missing=$(missing_tools)
  [ -z "$missing" ] && return 0
  say "missing:$missing"
  command -v apt-get >/dev/null || die "no apt-get on this machine: install Slurm (slurmctld, slurmd, the client commands) and munge yourself, then run again"
  [ "$(id -u)" = 0 ] || die "installing slurm-wlm and munge needs root (apt-get); run as root, or install them yourself: apt-get install slurm-wlm munge"
  say "installing Debian packages slurm-wlm munge (apt-get, about a minute)"
  # No init system runs services here; keep apt from trying to start the packaged daemons (we start
  # our own, configured in $dir). policy-rc.d is Debian's switch for that; only ours is removed.
  local policy=/usr/sbin/policy-rc.d ours=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; ours=1; fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; } || rc=$?
  [ "$ours" = 1 ] && rm -f "$policy"
  [ "$rc" = 0 ] || die "apt-get install slurm-wlm munge failed (exit $rc)"
  missing=$(missing_tools)
  [ -z "$missing" ] || die "still missing after apt-get install:$missing"
}

# --- pid files --------------------------------------------------------------------------------
# The pid in FILE if that process is alive and is the daemon NAME (a stale file or a reused pid is ignored).
live_pid() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 1
  pid=$(tr -dc 0-9 < "$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] && echo "$pid"
}

stop_daemon() {
  local file=$1 name=$2 pid i
  pid=$(live_pid "$file" "$name") || { rm -f "$file"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then say "$name (pid $pid) did not stop on SIGTERM in 10 s; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$file"
  say "stopped $name (pid $pid)"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_logs() {
  local f
  for f in "$dir/log/munged.log" "$dir/log/slurmctld.log" "$dir/log/slurmd.log"; do
    [ -f "$f" ] && { echo "--- last lines of $f" >&2; tail -n 15 "$f" >&2; }
  done
  return 0
}

stop() {
  if [ -f "$conf" ] && live_pid "$dir/slurmctld.pid" slurmctld >/dev/null && command -v scancel >/dev/null; then
    # Jobs first: slurmstepd outlives slurmd, so a running task would be left behind.
    local left i
    SLURM_CONF=$conf scancel --partition=local 2>/dev/null || true
    for i in $(seq 1 60); do
      left=$(SLURM_CONF=$conf squeue -h -p local -o %i 2>/dev/null | wc -l) || left=0
      [ "$left" = 0 ] && break
      sleep 0.5
    done
    [ "$left" = 0 ] || say "warning: $left job(s) still listed after scancel"
  fi
  stop_daemon "$dir/slurmd.pid" slurmd
  stop_daemon "$dir/slurmctld.pid" slurmctld
  stop_daemon "$dir/munged.pid" munged
}

start() {
  install_packages
  if live_pid "$dir/slurmctld.pid" slurmctld >/dev/null; then
    say "already running (pid file $dir/slurmctld.pid); \`$0 stop $dir\` first"
    echo "export SLURM_CONF=$conf"
    return 0
  fi
  for p in "$port" "$((port + 1))"; do
    port_busy "$p" && die "port $p on 127.0.0.1 is in use (another Slurm?); choose others with SLURM_LOCAL_PORT=<port>"
  done
  local sock="$dir/munge/munge.socket.2"
  [ "${#sock}" -lt 100 ] || die "$sock is too long for a Unix socket path; give a shorter DIR"
  # A fresh cluster each time: state, spool and logs of a previous one are removed.
  rm -rf "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 755 "$dir" "$dir/log"
  chmod 700 "$dir/munge"

  # munge: our own key and socket (munged refuses to run as root without --force).
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$sock" --pid-file="$dir/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    || { show_logs; stop; die "munged did not start"; }

  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # Leave 1 GiB to the system; Slurm refuses a node with less memory than RealMemory says.
  mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 - 1024 }' /proc/meminfo)
  local tmp="$conf.tmp.$$"
  cat > "$tmp" <<EOF
# A one-node cluster for tests, written by scripts/slurm-local.sh $(date -u +%FT%TZ)
ClusterName=bvaelocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
# Finished jobs stay visible to squeue --states=all for 10 minutes (there is no accounting database).
MinJobAge=600
KillWait=30
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$tmp" "$conf"

  slurmctld -f "$conf" || { show_logs; stop; die "slurmctld did not start"; }
  slurmd -f "$conf" || { show_logs; stop; die "slurmd did not start"; }
  local state="" i
  for i in $(seq 1 60); do
    state=$(SLURM_CONF=$conf sinfo -h -N -o %T 2>/dev/null | head -n 1) || state=""
    [ "$state" = idle ] && break
    sleep 0.5
  done
  if [ "$state" != idle ]; then
    show_logs
    SLURM_CONF=$conf sinfo -N -l >&2 2>&1 || true
    stop
    die "the node did not become idle within 30 s (sinfo says \"${state:-nothing}\")"
  fi
  say "running: node $host ($cpus CPUs, $mem MB), partition local, slurmctld on 127.0.0.1:$port; files in $dir"
  echo "export SLURM_CONF=$conf"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status)
    [ -f "$conf" ] || die "no $conf (not started)"
    SLURM_CONF=$conf sinfo -N -l
    SLURM_CONF=$conf squeue --states=all
    ;;
  *) echo "usage: $0 start|stop|status [DIR]" >&2; exit 2 ;;
esac
