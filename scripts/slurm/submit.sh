#!/usr/bin/env bash
# Submit a sharded Arsenal study to Slurm (docs/CLUSTER.md): an array job of N shards
# (arsenal-array.sbatch), then the merge (arsenal-merge.sbatch) with afterok on the array.
#
#   STUDY_DIR=/shared/study DATA=/shared/europe-2027 ARSENAL=/shared/bin/arsenal \
#     scripts/slurm/submit.sh --shards 8 [--max-running M] [--wait] [--poll S] \
#       -- risk baseline --draws 10000 --seed 1
#
# Prints `array_job=ID` and `merge_job=ID` on stdout. Logs go to $STUDY_DIR/logs/
# (arsenal-shard-<array id>_<task>.out, arsenal-merge-<id>.out); the merged study to
# $STUDY_DIR/merged.
#
# --wait      wait until the array and the merge have ended, say what became of each task,
#             and exit 0 only if every task and the merge completed with exit code 0 (1 if
#             not). Polls squeue and scontrol every --poll seconds (default 5) rather than
#             using sbatch --wait, which polls ever more slowly (2, 8, 32, ... s) and exits
#             0 for a merge cancelled because a shard failed.
# --max-running M   at most M shards at a time (--array=1-N%M).
#
# Environment: STUDY_DIR (required; made absolute), ARSENAL (default `arsenal`; made
# absolute if it is a relative path), DATA (optional; made absolute), and sbatch's own input
# variables for everything else, e.g. SBATCH_PARTITION, SBATCH_TIMELIMIT, SBATCH_ACCOUNT.
set -euo pipefail

prog=submit.sh
die() { echo "$prog: $*" >&2; exit 2; }
usage() {
  echo "usage: STUDY_DIR=DIR [DATA=DIR] [ARSENAL=PATH] $0 --shards N [--max-running M] [--wait] [--poll S] -- ARSENAL_ARGS..." >&2
  exit 2
}

shards="" max_running="" wait=false poll=5
while (( $# )); do
  case $1 in
    --shards) shards=${2:-}; shift 2 || usage ;;
    --shards=*) shards=${1#*=}; shift ;;
    --max-running) max_running=${2:-}; shift 2 || usage ;;
    --max-running=*) max_running=${1#*=}; shift ;;
    --wait) wait=true; shift ;;
    --poll) poll=${2:-}; shift 2 || usage ;;
    --poll=*) poll=${1#*=}; shift ;;
    --) shift; break ;;
    -h | --help) usage ;;
    *) break ;;
  esac
done
(( $# > 0 )) || usage
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards N is required (a positive whole number)"
[[ -z $max_running || $max_running =~ ^[1-9][0-9]*$ ]] || die "--max-running must be a positive whole number"
[[ $poll =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--poll must be a number of seconds"
[[ -n ${STUDY_DIR:-} ]] || die "STUDY_DIR is not set (where the shard folders, logs and merged/ go)"
command -v sbatch >/dev/null || die "sbatch is not on the PATH (Debian: apt-get install slurm-client)"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
mkdir -p "$STUDY_DIR/logs"
STUDY_DIR=$(cd "$STUDY_DIR" && pwd -P)
ARSENAL=${ARSENAL:-arsenal}
[[ $ARSENAL != */* || $ARSENAL == /* ]] || ARSENAL=$(cd "$(dirname "$ARSENAL")" && pwd -P)/$(basename "$ARSENAL")
command -v "$ARSENAL" >/dev/null || echo "$prog: warning: $ARSENAL is not found here; the compute nodes must have it" >&2
if [[ -n ${DATA:-} ]]; then
  [[ -d $DATA ]] || echo "$prog: warning: $DATA is not a folder here; the compute nodes must have it" >&2
  [[ $DATA == /* || ! -d $DATA ]] || DATA=$(cd "$DATA" && pwd -P)
fi
export ARSENAL STUDY_DIR DATA SHARDS=$shards

array=1-$shards${max_running:+%$max_running}
array_job=$(sbatch --parsable --array="$array" --output="$STUDY_DIR/logs/%x-%A_%a.out" \
  "$here/arsenal-array.sbatch" "$@")
array_job=${array_job%%;*}
echo "array_job=$array_job"
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$STUDY_DIR/logs/%x-%j.out" "$here/arsenal-merge.sbatch")
merge_job=${merge_job%%;*}
echo "merge_job=$merge_job"
$wait || exit 0

# Wait until neither job has a task pending, running, completing or suspended.
errors=0
while :; do
  if live=$(squeue -h -o %F -t PD,CF,R,CG,S,RQ,RS,SO,ST 2>/dev/null); then
    errors=0
    grep -qxE "$array_job|$merge_job" <<<"$live" || break
  elif (( ++errors >= 12 )); then
    die "squeue has failed 12 times in a row; the jobs are $array_job and $merge_job"
  fi
  sleep "$poll"
done

# Each job's final state: `scontrol show job` while the controller keeps the record
# (MinJobAge, 300 s by default), else sacct where accounting is on.
states() { # job id -> lines "task state exitcode reason"
  local out
  if out=$(scontrol -o show job "$1" 2>/dev/null) && [[ -n $out ]]; then
    sed -E 's/.*ArrayTaskId=([^ ]+).*/\1 &/; s/^(JobId=[^ ]+) .*/- &/' <<<"$out" |
      sed -E 's/^([^ ]+) .* JobState=([^ ]+) Reason=([^ ]+) .* ExitCode=([^ ]+).*/\1 \2 \4 \3/'
  elif out=$(sacct -n -X -P -j "$1" -o JobID,State,ExitCode,Reason 2>/dev/null) && [[ -n $out ]]; then
    tr '|' ' ' <<<"$out" | sed -E 's/^[0-9]+_([^ ]+) /\1 /; s/^[0-9]+ /- /'
  else
    echo "? UNKNOWN ? the job record is gone (MinJobAge) and sacct has none"
  fi
}
# Where a job's output went, if it ran.
log_note() { [[ -f $1 ]] && echo " (log: $1)"; return 0; }

ok=true
while read -r task state code reason; do
  if [[ $state == COMPLETED && $code == 0:0 ]]; then
    echo "$prog: shard $task completed" >&2
  else
    ok=false
    echo "$prog: shard $task: $state, exit code $code, $reason$(log_note "$STUDY_DIR/logs/arsenal-shard-${array_job}_$task.out")" >&2
  fi
done < <(states "$array_job" | sort -V)
read -r _ state code reason < <(states "$merge_job")
if [[ $state == COMPLETED && $code == 0:0 ]]; then
  echo "$prog: merge completed: $STUDY_DIR/merged" >&2
elif [[ $reason == DependencyNeverSatisfied ]]; then
  ok=false
  echo "$prog: merge not run ($state, $reason): rerun the failed shards (SHARDS=$shards sbatch --array=THEIR_NUMBERS arsenal-array.sbatch ...), then arsenal-merge.sbatch; docs/CLUSTER.md" >&2
else
  ok=false
  echo "$prog: merge: $state, exit code $code, $reason$(log_note "$STUDY_DIR/logs/arsenal-merge-$merge_job.out")" >&2
fi
$ok || exit 1
