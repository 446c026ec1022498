#!/bin/bash
# Export DATA in TASKS row ranges, one per job array task, into parts/0000, parts/0001, …:
#   mkdir -p parts logs && sbatch split-export.sh
#   sbatch --array=7 split-export.sh               # rerun a failed task
#   glassbox merge parts/* --out export            # once every task has succeeded
#SBATCH --job-name=glassbox-export
#SBATCH --array=0-19
#SBATCH --cpus-per-task=4
#SBATCH --output=logs/export-%A_%a.log
set -euo pipefail
MODEL=${MODEL:-model.pt} DATA=${DATA:-data.csv}
TASKS=${TASKS:-20}          # = the tasks in --array above (a rerun of one task still has 20)
TASK=${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:?no task index}}   # Slurm, or Kubernetes
# Part TASK of TASKS near-equal runs of rows; glassbox counts the rows (a CSV's by scanning
# its line ends, quoted line breaks allowed) and reads only its own.
glassbox export --model "$MODEL" --data "$DATA" --id-column cell --label-column cell_type \
    --part "$TASK/$TASKS" --out "parts/$(printf %04d "$TASK")" --quiet
