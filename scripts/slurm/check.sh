#!/usr/bin/env bash
# Usage: scripts/slurm/check.sh --against DIR [--only=TEXT] [--shards=N] [--profile=quick]
# Tries scripts/slurm/submit.sh on a real Slurm: starts a private one-node cluster (Debian's slurm-wlm and munge, installed with
# apt when missing, which needs root), submits the quick profile as N shards (default 2) of the experiments --only selects (default
# one that runs whole and one that replicates seeds), waits for the build job, the array and the dependent merge, and checks:
#   - every job completed with exit code 0, the build before the array, both array tasks running at the same time, the merge after both;
#   - the build job wrote a shard plan from DIR's measured times and the tasks followed it;
#   - the merged sections equal the one-machine run's in DIR, value for value (the report tool's compare, on the sections merged);
#   - the merge rendered the report.
# The cluster is this script's own: its munged listens on a private socket with a fresh key, slurmctld and slurmd on their own ports,
# with every state, spool, log and pid file in one temporary folder; on exit it cancels its jobs and stops the three daemons it
# started (by their pid files), and only those. The node offers 4 CPU slots (more than this machine's cores, so that two 2-CPU
# array tasks run at once, as on a cluster that shares one clone).
set -euo pipefail
cd "$(dirname "$0")/../.."
against="" only="GradientNorm,ErrorSurface" shards=2 profile=quick timeout_min=30
for arg in "$@"; do
  case "$arg" in
    --against=*) against="${arg#--against=}" ;;
    --only=*) only="${arg#--only=}" ;;
    --shards=*) shards="${arg#--shards=}" ;;
    --profile=*) profile="${arg#--profile=}" ;;
    --timeout-minutes=*) timeout_min="${arg#--timeout-minutes=}" ;;
    *) echo "slurm check: unknown argument '$arg' (expected --against=DIR, --only=TEXT, --shards=N, --profile=quick|full, --timeout-minutes=M)" >&2; exit 2 ;;
  esac
done
[ -n "$against" ] || { echo "slurm check: --against=DIR (the artifacts folder of a one-machine run of the same profile) is required" >&2; exit 2; }
[ -d "$against/$profile/sections" ] || { echo "slurm check: --against=$against holds no $profile sections ($against/$profile/sections is missing); run the pipeline there first" >&2; exit 2; }
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "slurm check: --shards expects a whole number from 1, found '$shards'" >&2; exit 2; }
against="$(cd "$against" && pwd)"
clock=$SECONDS

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "slurm check: slurm-wlm and munge are not installed and this is not root; install them: apt-get install slurm-wlm munge" >&2; exit 2; }
  echo "== slurm check: installing slurm-wlm and munge"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge) >/dev/null \
    || { echo "slurm check: apt-get could not install slurm-wlm and munge" >&2; exit 2; }
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/hw1-slurm.XXXXXX")"
mkdir -p "$work/ctld" "$work/spool" "$work/shards" "$work/merged"
export SLURM_CONF="$work/slurm.conf"
stop() {
  local code=$?
  if [ -f "$work/jobs" ]; then
    # shellcheck disable=SC2046
    scancel $(sed -n 's/^[a-z]*=//p' "$work/jobs") >/dev/null 2>&1 || true
  fi
  # The pid files go when a daemon begins to shut down: read them all first, then wait for those processes to be gone.
  local pids=()
  for daemon in slurmd slurmctld munged; do
    if [ -f "$work/$daemon.pid" ]; then pids+=("$(cat "$work/$daemon.pid")"); fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
  fi
  if [ "$code" -eq 0 ]; then rm -rf "$work"; else echo "slurm check: its folder (logs, job outputs, shards) is kept: $work" >&2; fi
  exit "$code"
}
trap stop EXIT
trap 'exit 130' INT TERM

# munge: a fresh key and a private socket, so that a munged already running here (or its key) is never touched.
head -c 1024 /dev/urandom > "$work/munge.key"
chmod 400 "$work/munge.key"
munged --force --socket="$work/munge.socket" --key-file="$work/munge.key" --pid-file="$work/munged.pid" \
  --log-file="$work/munged.log" --seed-file="$work/munged.seed"

node="$(hostname -s)"
memory="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
user="$(id -un)"
cat > "$SLURM_CONF" <<EOF
ClusterName=hw1check
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
CredType=cred/munge
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/filetxt
JobCompLoc=$work/jobcomp.txt
NodeName=$node NodeAddr=127.0.0.1 CPUs=4 RealMemory=$memory State=UNKNOWN
PartitionName=check Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
  state="$(sinfo -h -n "$node" -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 1
done
[ "${state:-}" = idle ] || { echo "slurm check: the node did not come up (state '${state:-none}'); see $work/slurmctld.log and $work/slurmd.log" >&2; exit 1; }
echo "== slurm check: a one-node Slurm is up ($(sinfo -V), node $node with 4 CPU slots) after $((SECONDS - clock)) s"

# The quick profile's jobs need far less than the 4 GiB a full shard asks for; 2 GiB each lets two of them share a small node.
export SBATCH_MEM_PER_NODE=2G
# The shards are balanced by the one-machine run's measured times (a shard plan the build job writes), the path a cluster takes from
# its second submission on.
HW1_SHARDS_DIR="$work/shards" HW1_ARTIFACTS_DIR="$work/merged" scripts/slurm/submit.sh "$shards" --profile="$profile" --only="$only" \
  --plan-from="$against" | tee "$work/submit.out"
submission="$(sed -n 's/^submission folder: //p' "$work/submit.out")"
[ -f "$submission/jobs" ] || { echo "slurm check: submit.sh named no submission folder with a jobs file" >&2; exit 1; }
cp "$submission/jobs" "$work/jobs"
# shellcheck disable=SC1091
. "$submission/jobs"
deadline=$((SECONDS + timeout_min * 60))
while [ -n "$(squeue -h -j "$build,$array,$merge" 2>/dev/null)" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "slurm check: the jobs did not end within $timeout_min minutes" >&2; squeue >&2; exit 1; }
  sleep 5
done
echo "== slurm check: every job ended after $((SECONDS - clock)) s"

# The job completion log: one line a job, with its state, exit code and times.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"; }
job_line() { grep -E "JobId=$1 " "$work/jobcomp.txt" | tail -1; }
epoch() { date -d "$1" +%s; }
failed=0
declare -A start end
for id in "$build" $(for i in $(seq "$shards"); do echo "${array}_$i"; done) "$merge"; do
  key="$id"
  if [[ "$id" == *_* ]]; then
    line="$(grep -E "JobId=[0-9]+ .*ArrayJobId=${id%_*} ArrayTaskId=${id#*_} " "$work/jobcomp.txt" | tail -1 || true)"
  else
    line="$(job_line "$id" || true)"
  fi
  if [ -z "$line" ]; then echo "slurm check: job $id left no line in the completion log" >&2; failed=1; continue; fi
  state="$(field "$line" JobState)"
  code="$(field "$line" ExitCode)"
  start[$key]="$(epoch "$(field "$line" StartTime)")"
  end[$key]="$(epoch "$(field "$line" EndTime)")"
  echo "  job $id ($(field "$line" Name)): $state, exit $code, $((end[$key] - start[$key])) s"
  if [ "$state" != COMPLETED ] || [ "$code" != "0:0" ]; then echo "slurm check: job $id ended $state with exit code $code" >&2; failed=1; fi
done
if [ "$failed" = 0 ]; then
  for i in $(seq "$shards"); do
    task="${array}_$i"
    [ "${start[$task]}" -ge "${end[$build]}" ] || { echo "slurm check: task $task started before the build ended" >&2; failed=1; }
    [ "${start[$merge]}" -ge "${end[$task]}" ] || { echo "slurm check: the merge started before task $task ended" >&2; failed=1; }
  done
  if [ "$shards" -ge 2 ]; then
    # Two tasks ran at the same time when each started before the other ended.
    a="${array}_1" b="${array}_2"
    if [ "${start[$a]}" -lt "${end[$b]}" ] && [ "${start[$b]}" -lt "${end[$a]}" ]; then
      echo "  array tasks 1 and 2 ran at the same time"
    else
      echo "slurm check: array tasks 1 and 2 ran one after the other; the node should hold both" >&2; failed=1
    fi
  fi
fi
if [ -s "$submission/shard-plan.json" ] && grep -q "shard plan by measured time" "$submission/shard-1.out"; then
  echo "  the build job wrote the shard plan and the tasks followed it"
else
  echo "slurm check: no shard plan in $submission, or task 1 did not follow it" >&2; failed=1
fi
for i in $(seq "$shards"); do
  if grep -n "MSB3026\|Build started\|Restoring packages" "$submission/shard-$i.out" >/dev/null 2>&1; then
    echo "slurm check: shard task $i built or restored the clone; only the build job may" >&2; failed=1
  fi
done

echo "== slurm check: the merged sections against the one-machine run in $against"
dotnet run --project report/HW1.Report -c Release --no-build -- compare --profile "$profile" --first "$against" --second "$work/merged" --subset \
  || failed=1
report="$work/merged/$profile/report/HW1-Report.pdf"
[ "$profile" = full ] && report="$work/merged/report/HW1-Report.pdf"
if [ -s "$report" ]; then echo "  the merge rendered $report"; else echo "slurm check: the merge rendered no report ($report)" >&2; failed=1; fi
[ "$failed" = 0 ] || { echo "slurm check: FAILED; see the job outputs in $submission" >&2; exit 1; }
echo "== slurm check passed in $((SECONDS - clock)) s: $shards shards on a real Slurm give the one-machine run's sections"
