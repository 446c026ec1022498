#!/usr/bin/env bash
# End-to-end test of a split export on a real scheduler: a one-node Slurm cluster on localhost
# (Tests/e2e/local_slurm.sh) runs the README's job-array script — checked to be exactly
# examples/split-export.sh — over 4 tasks (`sbatch --wait`); `glassbox merge` of the parts must
# equal the single-machine export (arrays and CSVs byte for byte, statistics to rounding).
# Then one task is killed mid-run: merge must name its rows as missing, and once the task is
# rerun, merge again gives the same export. The cluster is stopped whatever happens. Skipped
# (with a line saying so) only where Slurm is not installed — scripts/setup.sh installs it.
#
#   bash Tests/e2e/slurm.sh            # uses $(swift build --show-bin-path)/glassbox
#   GLASSBOX_BIN=path/to/glassbox bash Tests/e2e/slurm.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

BIN="${GLASSBOX_BIN:-$(swift build --show-bin-path)/glassbox}"
[ -x "$BIN" ] || { echo "slurm e2e: no glassbox binary at $BIN (build first)" >&2; exit 1; }
# shellcheck source=local_slurm.sh
source Tests/e2e/local_slurm.sh
if missing="$(slurm_missing)"; then
    echo "slurm e2e: SKIPPED — '$missing' is not installed, and scripts/setup.sh could not install Slurm here (it installs Debian's slurm-wlm and munge with apt)"
    exit 0
fi

TMP="$(mktemp -d)"
WORK="$TMP/work"
cleanup() { slurm_stop; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

STEPS=0
step() { STEPS=$((STEPS + 1)); echo "slurm e2e: $*"; }
fail() {
    echo "slurm e2e: FAIL: $*" >&2
    echo "slurm e2e: $((STEPS - 1)) passed, 1 failed"
    slurm_logs >&2 || true
    for f in "$WORK"/logs/* "$WORK"/*.err; do
        [ -f "$f" ] && { echo "---- $f ----"; cat "$f"; } >&2
    done
    exit 1
}
# wait_until SECONDS WHAT COMMAND…
wait_until() {
    local seconds="$1" what="$2"; shift 2
    slurm_wait "$seconds" "$what" "$@" || fail "timed out waiting for $what"
}

# same_numbers A B: the same text, numbers equal to a relative 1e-9 (a merge's own
# "merged_from" entry left out).
tokens() {
    sed 's/"merged_from": \[.*\}\], //' "$1" | grep -oE '[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|[^-+0-9[:space:]]+'
}
same_numbers() {
    [ "$(tokens "$1" | wc -l)" = "$(tokens "$2" | wc -l)" ] || return 1
    paste -d '\n' <(tokens "$1") <(tokens "$2") | awk '
        NR % 2 == 1 { a = $0; next }
        a != $0 {
            if (a !~ /^[-+]?[0-9]/ || $0 !~ /^[-+]?[0-9]/) exit 1
            d = a - $0; if (d < 0) d = -d
            m = a < 0 ? -a : a
            if (d > 1e-9 * m) exit 1
        }'
}
# npy_numbers FILE: a float64 .npy's values, one per line.
npy_numbers() {
    local header
    header=$(( 10 + $(od -A n -t u2 -j 8 -N 2 "$1") ))
    od -A n -v -t f8 -j "$header" "$1" | tr -s ' ' '\n' | sed '/^$/d'
}
# same_export MERGED WHOLE
same_export() {
    [ "$(ls "$1")" = "$(ls "$2")" ] || fail "$1 holds $(ls "$1" | tr '\n' ' '), $2 $(ls "$2" | tr '\n' ' ')"
    local f
    for f in $(ls "$2"); do
        case "$f" in
            verification.json | statistics.json | groups.csv)
                same_numbers "$1/$f" "$2/$f" || fail "$f: the merge differs from the single export beyond rounding" ;;
            group_sums.npy)
                cmp -s "$1/$f" "$2/$f" || same_numbers <(npy_numbers "$1/$f") <(npy_numbers "$2/$f") || fail "$f differs beyond rounding" ;;
            *)
                cmp -s "$1/$f" "$2/$f" || fail "$f: the merge differs from the single export" ;;
        esac
    done
}

step "the README's Slurm section is examples/split-export.sh"
mkdir -p "$WORK/logs"
awk '/<!-- slurm-job-array: examples\/split-export.sh/ { marked = 1; next }
     marked && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' README.md > "$WORK/split-export.sh"
[ -s "$WORK/split-export.sh" ] || fail "no Slurm script found in README.md"
diff -u examples/split-export.sh "$WORK/split-export.sh" >&2 || fail "README.md's Slurm script differs from examples/split-export.sh"

step "a one-node Slurm cluster starts on localhost"
slurm_start "$TMP/slurm" || fail "the cluster did not start"

# The bundled pbmc68k sample 8 times over (5,600 cells, so a task runs long enough to be
# killed), ids made unique, its label column named as the README's script expects.
awk -F, 'NR == 1 { sub(/bulk_labels/, "cell_type"); print; next }
         { lines[NR] = $0 }
         END { for (c = 0; c < 8; c++) for (i = 2; i <= NR; i++) print "r" c "-" lines[i] }' \
    SampleData/pbmc68k/data.csv > "$WORK/data.csv"
cp SampleData/pbmc68k/model.pt "$WORK/model.pt"
export PATH="$(dirname "$BIN"):$PATH"
cd "$WORK"
ROWS=5600 TASKS=4 PER=1400
# The script as it is; on this small node, one CPU per task.
SBATCH=(env TASKS=$TASKS sbatch --cpus-per-task=1)

step "sbatch --wait runs the script as a job array of $TASKS tasks"
timeout 900 "${SBATCH[@]}" --wait --array=0-$((TASKS - 1)) split-export.sh > sbatch.out 2> sbatch.err \
    || fail "the job array failed: $(cat sbatch.out sbatch.err)"
[ "$(ls parts)" = "$(printf '%s\n' 0000 0001 0002 0003)" ] || fail "parts: $(ls -A parts | tr '\n' ' ')"

step "merge of the parts equals the single-machine export"
glassbox export --model model.pt --data data.csv --id-column cell --label-column cell_type --out whole --quiet > /dev/null 2> export.err \
    || fail "the single-machine export failed"
glassbox merge parts/* --out merged --quiet > merge.out 2> merge.err || fail "merge failed: $(cat merge.err)"
grep -q "merged 4 parts (rows 0:$ROWS, $ROWS samples)" merge.out || fail "merge said: $(cat merge.out)"
same_export merged whole

step "a task killed mid-run leaves its rows missing, and merge names them"
rm -rf parts
# kill_task_2 ARRAY: submits the script as job array ARRAY and kills task 2's glassbox while it
# writes its part (its staging directory is there) with SIGKILL, as the kernel's OOM killer or
# a lost node would: no chance to clean up. (`scancel` would send SIGTERM first, on which
# glassbox deletes what it staged.) Fails, to be tried again, if the task ended first.
kill_task_2() {
    local job
    job="$("${SBATCH[@]}" --parsable --array="$1" split-export.sh)" || fail "sbatch failed"
    job="${job%%;*}"
    local deadline=$((SECONDS + 300))
    until compgen -G "parts/.0002.glassbox-*" > /dev/null; do
        [ -z "$(squeue -h -j "${job}_2" 2>/dev/null)" ] && [ -e parts/0002 ] && { wait_job "$job"; return 1; }
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for task 2 to write its part"
        sleep 0.02
    done
    # The task's own job id, then its processes on this node.
    local id pid killed=0
    id="$(squeue -h -j "${job}_2" -o %A 2>/dev/null)"
    for pid in $(scontrol listpids "$id" 2>/dev/null | awk 'NR > 1 { print $1 }'); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = glassbox ] && kill -KILL "$pid" && killed=1
    done
    if [ "$killed" = 0 ]; then wait_job "$job"; return 1; fi
    wait_job "$job"
    [ ! -e parts/0002 ]
}
wait_job() {
    job_over() { [ -z "$(squeue -h -j "$1" 2>/dev/null)" ]; }
    wait_until 600 "job $1 to end" job_over "$1"
}
killed=0
if kill_task_2 "0-$((TASKS - 1))"; then killed=1; else
    # Task 2 finished first (a fast machine): kill a rerun of it instead.
    for attempt in 1 2 3; do
        rm -rf parts/0002
        if kill_task_2 2; then killed=1; break; fi
    done
fi
[ "$killed" = 1 ] || fail "task 2 always finished before it could be killed"
[ ! -e parts/0002 ] || fail "the killed task left parts/0002"
compgen -G "parts/.0002.glassbox-*" > /dev/null || fail "the killed task left no staging directory to sweep"
for t in 0000 0001 0003; do [ -d "parts/$t" ] || fail "task $t did not finish"; done
if glassbox merge parts/* --out merged2 --quiet > merge.out 2> merge.err; then fail "merge accepted parts with rows missing"; fi
grep -qF "rows $((2 * PER)):$((3 * PER)) missing: no part covers them" merge.err || fail "merge did not name the missing rows: $(cat merge.err)"
[ ! -e merged2 ] || fail "a refused merge wrote merged2"

step "the task rerun, merge again equals the single-machine export"
timeout 600 "${SBATCH[@]}" --wait --array=2 split-export.sh > sbatch.out 2> sbatch.err || fail "the rerun failed: $(cat sbatch.err)"
[ -z "$(ls -A parts | grep '^\.')" ] || fail "the rerun did not sweep the killed task's staging: $(ls -A parts | tr '\n' ' ')"
glassbox merge parts/* --out merged --quiet > merge.out 2> merge.err || fail "merge failed: $(cat merge.err)"
same_export merged whole

step "the cluster stops"
cd "$ROOT"
slurm_stop
for pidfile in "$TMP"/slurm/*.pid "$TMP"/slurm/munge/*.pid; do
    [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && fail "$pidfile: still running"
done
echo "slurm e2e: $STEPS passed"
