#!/usr/bin/env bash
# Usage: HW1_SHARDS_DIR=/shared/hw1-shards scripts/slurm/submit.sh [N] [--profile=full|quick] [--only=TEXT] [--plan-from=DIR|none]
# Submits the report as three steps of one submission, each a Slurm job:
#   1. build.sbatch: restores the tools and packages, builds this clone and fetches the data, once; when a measured run of the
#      profile is at hand (--plan-from, by default the artifacts folder the merge writes to, when it holds one), it also writes
#      shard-plan.json: every whole experiment and every seed balanced over the N tasks by the times that run measured (the report
#      tool's shard-plan); without one the tasks share the work by a round;
#   2. shard.sbatch as a job array of N tasks (default 5: one seed of each replicated experiment per task), after the build
#      succeeded; the tasks never build;
#   3. merge.sbatch after every task ended (afterany: a failed experiment still stores its section as not reproduced, and the
#      report says so): it merges this submission's shards and renders the report.
# Every submission writes to a fresh folder of its own, $HW1_SHARDS_DIR/<UTC time>-<pid>/ (shard-<i>/ and shard-<i>.out for each
# task, build.out, merge.out, and jobs: the three job ids), so that a merge never takes the shards of another submission.
# Run from a clone on a shared filesystem: every task runs the build at the same path (the run keys, and the merge's check, depend
# on it). The merged run and its report go to this clone's artifacts folder (or HW1_ARTIFACTS_DIR, when set at submission).
set -euo pipefail
cd "$(dirname "$0")/../.."
shards=5 profile=full only="" plan_from=""
for arg in "$@"; do
  case "$arg" in
    --profile=*) profile="${arg#--profile=}" ;;
    --only=*) only="${arg#--only=}" ;;
    --plan-from=*) plan_from="${arg#--plan-from=}" ;;
    [0-9]*) shards="$arg" ;;
    *) echo "submit.sh: unknown argument '$arg' (expected N, --profile=full|quick, --only=TEXT, --plan-from=DIR|none)" >&2; exit 2 ;;
  esac
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: the shard count must be a whole number from 1, found '$shards'" >&2; exit 2; }
[[ "$profile" =~ ^(full|quick)$ ]] || { echo "submit.sh: --profile must be full or quick, found '$profile'" >&2; exit 2; }
: "${HW1_SHARDS_DIR:?set HW1_SHARDS_DIR to a shared folder for the shards}"
mkdir -p "$HW1_SHARDS_DIR"
submission="$(cd "$HW1_SHARDS_DIR" && pwd)/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir "$submission"
if [ -z "$plan_from" ]; then
  plan_from="${HW1_ARTIFACTS_DIR:-$(pwd)/artifacts}"
  [ -f "$plan_from/$profile/pipeline.json" ] || plan_from=none
elif [ "$plan_from" != none ]; then
  [ -f "$plan_from/$profile/pipeline.json" ] || { echo "submit.sh: --plan-from=$plan_from holds no $profile run ($plan_from/$profile/pipeline.json is missing)" >&2; exit 2; }
  plan_from="$(cd "$plan_from" && pwd)"
fi
build=$(sbatch --parsable --export=ALL --output="$submission/build.out" scripts/slurm/build.sbatch "$profile" "$submission" "$shards" \
  "$plan_from" "$only")
array=$(sbatch --parsable --export=ALL --dependency="afterok:$build" --kill-on-invalid-dep=yes --array="1-$shards" \
  --output="$submission/shard-%a.out" scripts/slurm/shard.sbatch "$submission" "$profile" "$only")
merge=$(sbatch --parsable --export=ALL --dependency="afterany:$array" --kill-on-invalid-dep=yes \
  --output="$submission/merge.out" scripts/slurm/merge.sbatch "$submission" "$profile" "$shards")
printf 'build=%s\narray=%s\nmerge=%s\n' "$build" "$array" "$merge" > "$submission/jobs"
report="${HW1_ARTIFACTS_DIR:-$(pwd)/artifacts}/report/"
[ "$profile" = full ] || report="${HW1_ARTIFACTS_DIR:-$(pwd)/artifacts}/$profile/report/"
echo "submitted the build $build, the shards $array (1-$shards) after it, and the merge $merge after them"
if [ "$plan_from" = none ]; then
  echo "the shards share the work by a round (no measured $profile run to balance by; --plan-from=DIR names one)"
else
  echo "the build job balances the shards by the times measured in $plan_from ($submission/shard-plan.json)"
fi
echo "submission folder: $submission"
echo "the report goes to $report"
