#!/usr/bin/env bash
# Usage: HW1_SHARDS_DIR=/shared/hw1-shards scripts/slurm/submit.sh [N]
# Submits the full report as N shards (default 5, one seed of each replicated experiment per task; a Slurm job array) and the merge that renders the report once all of them
# ended (afterany: a failed experiment still stores its section as not reproduced, and the report says so).
set -euo pipefail
cd "$(dirname "$0")/../.."
shards="${1:-5}"
: "${HW1_SHARDS_DIR:?set HW1_SHARDS_DIR to a shared folder for the shards}"
mkdir -p "$HW1_SHARDS_DIR"
array=$(sbatch --parsable --export=ALL --array="1-$shards" scripts/slurm/shard.sbatch)
sbatch --export=ALL --dependency="afterany:$array" scripts/slurm/merge.sbatch
report="$(pwd)/artifacts/report/"
[ "${HW1_REPORT_PROFILE:-full}" = full ] || report="$(pwd)/artifacts/${HW1_REPORT_PROFILE}/report/"
echo "submitted shards $array (1-$shards) and the merge after them; the report goes to $report"
