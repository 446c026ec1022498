#!/usr/bin/env bash
# Times a split export on a one-node Slurm cluster (Tests/e2e/local_slurm.sh): the README's
# script (examples/split-export.sh) as a TASKS-task job array, one task at a time with every
# core, then `glassbox merge`; optionally the single-machine export, compared with the merge.
# Reports each task's wall time and peak memory (GNU time, through a `glassbox` wrapper first
# on the jobs' PATH), the merge's, and the time the scheduler adds (submission to the end of
# `sbatch --wait`, less the tasks' own time). Run by hand (CI does not):
#
#   swift build -c release --product glassbox
#   DATA=/work/bench-data/synth-1m-d1000/data.csv MODEL=/work/bench-data/synth-1m-d1000/model.pt \
#     WORK=/work/bench-data/split-run bash scripts/bench_split.sh [--whole]
#
# WORK (outside the repository) receives the parts, the merged export and, with --whole, the
# single-machine export: about three times the size of contributions.npy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
: "${DATA:?set DATA to a CSV with columns id and label}" "${MODEL:?set MODEL}" "${WORK:?set WORK to a scratch directory}"
TASKS="${TASKS:-4}"
BIN="${GLASSBOX_BIN:-$(swift build -c release --show-bin-path)/glassbox}"
[ -x "$BIN" ] || { echo "bench: no glassbox at $BIN (swift build -c release --product glassbox)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 1; }
source Tests/e2e/local_slurm.sh
if missing="$(slurm_missing)"; then echo "bench: $missing is not installed (scripts/setup.sh)" >&2; exit 1; fi

rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/logs" "$WORK/times"
trap 'slurm_stop' EXIT
slurm_start "$WORK/slurm"

# The jobs' `glassbox`: the real one under GNU time, one report per task.
cat > "$WORK/bin/glassbox" <<EOF
#!/bin/bash
exec /usr/bin/time -v -o "$WORK/times/task-\${SLURM_ARRAY_TASK_ID:-x}.txt" "$BIN" "\$@"
EOF
chmod +x "$WORK/bin/glassbox"
cp examples/split-export.sh "$WORK/split-export.sh"
# The script's column names are the README's; a synthetic set names them id and label.
sed -i 's/--id-column cell --label-column cell_type/--id-column id --label-column label/' "$WORK/split-export.sh"
ln -s "$DATA" "$WORK/data.csv"
ln -s "$MODEL" "$WORK/model.pt"

field() { awk -F': ' -v k="$2" '$1 ~ k { print $2 }' "$1"; }
wall() { field "$1" "Elapsed \\(wall clock\\)" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'; }
rss_mb() { echo $(( $(field "$1" "Maximum resident set size") / 1024 )); }

cd "$WORK"
echo "bench: $(wc -l < data.csv) lines in $DATA ($(( $(stat -Lc %s data.csv) / 1000000 )) MB); $TASKS tasks of $(nproc) CPUs each"
began=$(date +%s.%N)
PATH="$WORK/bin:$PATH" TASKS=$TASKS sbatch --wait --array=0-$((TASKS - 1)) --cpus-per-task="$(nproc)" split-export.sh > /dev/null
ended=$(date +%s.%N)
total=0
for t in $(seq 0 $((TASKS - 1))); do
    f="times/task-$t.txt"
    printf 'task %d: %6.1f s wall, %6d MB peak RSS (exit %s)\n' "$t" "$(wall "$f")" "$(rss_mb "$f")" "$(field "$f" "Exit status")"
    total=$(echo "$total + $(wall "$f")" | bc)
done
elapsed=$(echo "$ended - $began" | bc)
printf 'job array: %.1f s from sbatch to the end of sbatch --wait; tasks %.1f s; the scheduler adds %.1f s\n' \
    "$elapsed" "$total" "$(echo "$elapsed - $total" | bc)"
awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(ArrayTaskId|StartTime|EndTime|SubmitTime)=/) printf "%s ", $i; print "" }' slurm/log/jobcomp.txt

/usr/bin/time -v -o times/merge.txt "$BIN" merge parts/* --out merged --quiet
printf 'merge: %.1f s wall, %d MB peak RSS\n' "$(wall times/merge.txt)" "$(rss_mb times/merge.txt)"

if [ "${1:-}" = "--whole" ]; then
    /usr/bin/time -v -o times/whole.txt "$BIN" export --model model.pt --data data.csv --id-column id --label-column label --out whole --quiet > /dev/null
    printf 'single-machine export: %.1f s wall, %d MB peak RSS\n' "$(wall times/whole.txt)" "$(rss_mb times/whole.txt)"
    for f in contributions.npy pca_contributions.npy embedding.csv top_features.csv embedding.csv; do
        cmp -s "whole/$f" "merged/$f" && echo "merged $f = whole $f" || echo "merged $f DIFFERS from the single export's"
    done
fi
du -sh parts merged ${1:+whole} 2>/dev/null || true
