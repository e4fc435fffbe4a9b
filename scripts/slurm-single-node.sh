#!/usr/bin/env bash
# A throwaway single-node Slurm cluster kept entirely under one folder, for trying the
# Slurm scripts (scripts/slurm/) and for tests. Root only: slurmd and munged run as root
# and SlurmUser=root.
#
#   scripts/slurm-single-node.sh start STATE_DIR   # prints `export SLURM_CONF=...` on stdout
#   scripts/slurm-single-node.sh env   STATE_DIR   # prints it again
#   scripts/slurm-single-node.sh stop  STATE_DIR   # cancels the jobs, stops what start started
#
#   scripts/slurm-single-node.sh start /tmp/slurm && . /tmp/slurm/env
#   sbatch --wait --wrap 'hostname'
#   scripts/slurm-single-node.sh stop /tmp/slurm
#
# (Not `eval "$(... start DIR)"` alone: eval of an empty string succeeds, so a failed start
# would go unnoticed and sbatch would use /etc/slurm/slurm.conf.)
#
# STATE_DIR holds the cluster's own munge key and munged (its own socket, so a system
# munged is left alone), slurm.conf (node = `hostname -s` with `nproc` CPUs, partition
# `debug`, no cgroups: proctrack/linuxproc, task/none), the state, spool, pid and log files,
# and `env` (the export line, while the cluster is up). `start` stops what an earlier
# `start` on the same folder left running, then clears the controller's old jobs
# (slurmctld -c; job ids go on counting), so it can be run again and again on a fresh or
# reused folder. `stop` cancels the jobs, then ends only the processes named by the
# folder's pid files (and job steps, with their processes, that still hold files of the
# folder). It keeps the folder: its logs are in log/.
#
# Environment: SLURM_SN_TIMEOUT (seconds to wait for the node to be idle, default 60),
# SLURM_SN_CTLD_PORT and SLURM_SN_SLURMD_PORT (default 6817 and 6818, Slurm's own).
set -euo pipefail

prog=slurm-single-node
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*" >&2; }
usage() {
  echo "usage: $0 start|stop|env STATE_DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd=$1
case $cmd in start | stop | env) ;; *) usage ;; esac

[[ $(id -u) -eq 0 ]] || die "must run as root (munged, slurmctld and slurmd run as root, SlurmUser=root)"

if [[ $cmd == start ]]; then mkdir -p "$2"; fi
if [[ ! -d $2 ]]; then
  [[ $cmd == stop ]] && exit 0
  die "no such folder: $2"
fi
dir=$(cd "$2" && pwd -P)
conf=$dir/etc/slurm.conf
sock=$dir/run/munge.socket
timeout=${SLURM_SN_TIMEOUT:-60}
ctld_port=${SLURM_SN_CTLD_PORT:-6817}
slurmd_port=${SLURM_SN_SLURMD_PORT:-6818}

need_binaries() {
  local missing=() b
  for b in munged mungekey munge unmunge slurmctld slurmd slurmstepd sinfo sbatch scontrol squeue scancel; do
    command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  if (( ${#missing[@]} )); then
    die "missing ${missing[*]}; on Debian: apt-get install -y munge slurmctld slurmd slurm-client"
  fi
}

# The pid in a pid file if that process is alive and is the named program, else nothing.
live_pid() {
  local file=$1 name=$2 pid comm
  [[ -s $file ]] || return 0
  pid=$(tr -dc 0-9 <"$file")
  [[ -n $pid && -d /proc/$pid ]] || return 0
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  [[ $comm == "$name"* ]] && echo "$pid"
  return 0
}

# Job steps left by slurmd (slurmstepd outlives it): those holding a file of this folder
# (slurmd.log, the spool). With the controller gone, scancel cannot end them.
our_stepds() {
  local p f
  for p in /proc/[0-9]*; do
    [[ $(cat "$p/comm" 2>/dev/null) == slurmstepd ]] || continue
    for f in "$p"/cwd "$p"/fd/*; do
      if [[ $(readlink "$f" 2>/dev/null) == "$dir"/* ]]; then echo "${p#/proc/}"; break; fi
    done
  done
}

descendants() { # pid -> its children, grandchildren, ...
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}

stop_pid() { # pid name
  local pid=$1 name=$2 i
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    [[ -d /proc/$pid ]] || return 0
    # A zombie has exited: it is waiting for a parent that is not us to reap it.
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && return 0
    sleep 0.1
  done
  say "$name (pid $pid) did not stop in 10 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

stop_cluster() {
  local pid i
  # Cancel the jobs first: slurmstepd and the job's processes outlive slurmd.
  if [[ -f $conf && -n $(live_pid "$dir/run/slurmctld.pid" slurmctld) ]]; then
    SLURM_CONF=$conf scancel --quiet --user=root 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      [[ -z $(SLURM_CONF=$conf squeue -h -t RUNNING,COMPLETING,SUSPENDED -o %i 2>/dev/null) ]] && break
      sleep 0.2
    done
  fi
  pid=$(live_pid "$dir/run/slurmd.pid" slurmd); [[ -z $pid ]] || stop_pid "$pid" slurmd
  pid=$(live_pid "$dir/run/slurmctld.pid" slurmctld); [[ -z $pid ]] || stop_pid "$pid" slurmctld
  for pid in $(our_stepds); do
    # shellcheck disable=SC2046 # pids
    kill -TERM $(descendants "$pid") 2>/dev/null || true
    stop_pid "$pid" slurmstepd
  done
  pid=$(live_pid "$dir/run/munged.pid" munged); [[ -z $pid ]] || stop_pid "$pid" munged
  rm -f "$dir"/run/*.pid "$sock" "$sock.lock" "$dir/env"
}

print_env() {
  cat "$dir/env"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_logs() {
  local f
  for f in "$dir/log/munged.log" "$dir/log/slurmctld.log" "$dir/log/slurmd.log"; do
    [[ -f $f ]] || continue
    echo "--- last lines of $f" >&2
    tail -n 15 "$f" >&2
  done
}

start_cluster() {
  need_binaries
  stop_cluster

  local node cpus i state=""
  node=$(hostname -s)
  [[ -n $node ]] || die "hostname -s is empty"
  cpus=$(nproc)
  # A Unix socket path holds at most 107 bytes; slurmd's job step sockets are
  # STATE_DIR/spool/<node>_<job id>.<step id> (up to 10 digits each).
  (( ${#dir} + ${#node} + 29 <= 107 )) ||
    die "STATE_DIR is too long for slurmd's socket paths (at most $((78 - ${#node})) bytes with node $node): $dir"
  port_busy "$ctld_port" && die "port $ctld_port is in use (another slurmctld?); set SLURM_SN_CTLD_PORT"
  port_busy "$slurmd_port" && die "port $slurmd_port is in use (another slurmd?); set SLURM_SN_SLURMD_PORT"

  # The daemons outlive this script: they must not inherit any descriptor of its caller
  # beyond 0-2 (which go to /dev/null and a log below), or a caller reading a pipe to its
  # end (a test harness whose pipe's write end leaked into us) waits for ever.
  local fd
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    (( fd > 2 )) && eval "exec $fd>&-" 2>/dev/null
  done

  mkdir -p "$dir"/{etc,munge,state,spool,log,run}
  # munged wants its key folder private and its socket folder searchable by all (0755).
  chmod 0755 "$dir" "$dir/run"
  chmod 0700 "$dir/munge" "$dir/state" "$dir/spool"

  # The cluster's own munge key and daemon.
  [[ -s $dir/munge/munge.key ]] || mungekey --create --keyfile="$dir/munge/munge.key"
  chmod 0600 "$dir/munge/munge.key"
  munged --socket="$sock" --key-file="$dir/munge/munge.key" --pid-file="$dir/run/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >>"$dir/log/daemons.out" 2>&1 ||
    { show_logs; die "munged did not start"; }
  for ((i = 0; i < 50; i++)); do
    munge -n -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n -S "$sock" | unmunge -S "$sock" >/dev/null || { show_logs; die "munged does not answer on $sock"; }

  cat >"$conf" <<EOF
# Written by scripts/slurm-single-node.sh: a throwaway single-node cluster under $dir.
ClusterName=arsenal
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
# No cgroups: processes are tracked through /proc and tasks are not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Finished jobs stay visible to scontrol and sbatch --wait for 5 minutes (the default).
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

  # -c: start with no jobs, whatever an earlier cluster in this folder left.
  # The daemons keep no descriptor of the caller's: a caller reading this script's output
  # through a pipe (a test) would otherwise wait for them to exit.
  slurmctld -c -f "$conf" </dev/null >>"$dir/log/daemons.out" 2>&1 || { show_logs; die "slurmctld did not start"; }
  slurmd -f "$conf" -N "$node" </dev/null >>"$dir/log/daemons.out" 2>&1 || { show_logs; die "slurmd did not start"; }

  for ((i = 0; i < timeout * 2; i++)); do
    state=$(SLURM_CONF=$conf sinfo -h -n "$node" -o %t 2>/dev/null || true)
    [[ $state == idle ]] && break
    # A daemon that died (a bad slurm.conf line, a port taken) will not come back.
    if (( i >= 4 )) && [[ -z $(live_pid "$dir/run/slurmctld.pid" slurmctld) ||
      -z $(live_pid "$dir/run/slurmd.pid" slurmd) ]]; then
      break
    fi
    sleep 0.5
  done
  if [[ $state != idle ]]; then
    show_logs
    SLURM_CONF=$conf sinfo -N -l >&2 2>/dev/null || true
    stop_cluster
    die "node $node did not become idle within $timeout s, or a daemon stopped (state: '${state:-none}'); see the logs above"
  fi
  echo "export SLURM_CONF=$conf" >"$dir/env"
  say "node $node ($cpus CPUs) idle in partition debug; logs in $dir/log"
  print_env
}

case $cmd in
  start) start_cluster ;;
  stop) stop_cluster ;;
  env)
    [[ -f $dir/env ]] || die "no cluster was started in $dir"
    print_env
    ;;
esac
