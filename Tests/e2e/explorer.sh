#!/usr/bin/env bash
# End-to-end test of the explorer as a user meets it: the real `glassbox` binary runs in a
# detached tmux session (a private tmux server) on the bundled pbmc68k sample; keys go in with
# `send-keys`, the screen comes back with `capture-pane`, and we check what it shows, the exit
# status, and that the terminal is given back. Every wait polls with a timeout.
#
#   bash Tests/e2e/explorer.sh            # uses $(swift build --show-bin-path)/glassbox
#   GLASSBOX_BIN=path/to/glassbox bash Tests/e2e/explorer.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

BIN="${GLASSBOX_BIN:-$(swift build --show-bin-path)/glassbox}"
[ -x "$BIN" ] || { echo "e2e: no glassbox binary at $BIN (build first)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

SOCKET="glassbox-e2e-$$"
TMP="$(mktemp -d)"
WORK="$TMP/work"
mkdir -p "$WORK"
tm() { tmux -L "$SOCKET" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# screen: the pane's text; JOIN=1 joins lines the terminal wrapped (long messages).
screen() { tm capture-pane -p ${JOIN:+-J} -t e2e 2>/dev/null || true; }
fail() {
    echo "e2e: FAIL: $*" >&2
    echo "e2e: $((STEPS - 1)) passed, 1 failed"
    echo "---- screen ----" >&2
    screen >&2
    exit 1
}
# wait_for TEXT [SECONDS]: poll until the screen shows TEXT.
wait_for() {
    local text="$1" deadline=$((SECONDS + ${2:-15}))
    until screen | grep -qF -- "$text"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for: $text"
        sleep 0.1
    done
}
# wait_gone TEXT [SECONDS]: poll until the screen no longer shows TEXT.
wait_gone() {
    local text="$1" deadline=$((SECONDS + ${2:-15}))
    while screen | grep -qF -- "$text"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for this to go away: $text"
        sleep 0.1
    done
}
# wait_file FILE [SECONDS]
wait_file() {
    local deadline=$((SECONDS + ${2:-15}))
    until [ -s "$1" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for $1"
        sleep 0.1
    done
}
keys() { tm send-keys -t e2e "$@"; }
STEPS=0
step() { STEPS=$((STEPS + 1)); echo "e2e: $*"; }

# start NAME ARGS...: a 120×40 pane running glassbox ARGS through a small shell script that
# records the terminal settings before and after, and the exit status; its working directory
# is $WORK (where `w` writes). TERM_ENV sets the terminal type the program sees (default
# TERM=xterm-256color; "-u TERM" unsets it). The server keeps OSC 52 copies as paste buffers.
start() {
    local name="$1"; shift
    cat > "$TMP/$name.sh" <<EOF
cd "$WORK"
stty -g > "$TMP/$name.stty-before"
echo "e2e: $name starts"
"$BIN" $*
echo "exit status: \$?" > "$TMP/$name.status"
stty -g > "$TMP/$name.stty-after"
echo "e2e: back at the shell"
sleep 600
EOF
    tm kill-server 2>/dev/null || true
    sleep 0.2
    tm new-session -d -s e2e -x 120 -y 40 "env ${TERM_ENV:-TERM=xterm-256color} LANG=C.UTF-8 LC_ALL=C.UTF-8 bash $TMP/$name.sh"
    tm set -s set-clipboard on
}
# finished NAME STATUS: the program ended with STATUS and the terminal is as before.
finished() {
    wait_file "$TMP/$1.status"
    grep -qx "exit status: $2" "$TMP/$1.status" || fail "$1: expected exit status $2, got: $(cat "$TMP/$1.status")"
    wait_for "e2e: back at the shell"
    cmp -s "$TMP/$1.stty-before" "$TMP/$1.stty-after" || fail "$1: terminal settings not restored"
}

step "the bundled sample opens with no arguments, with its marker gene sets"
start main
wait_for "Embedding z1 × z2" 30
wait_for "AAAGCCTGGCTAAC-1"
wait_for "row 0 of 0–699"
wait_for "label  CD14+ Monocyte"
wait_for "■ Dendritic"
wait_for "markers.gmt: 10 sets (+734 features in none) partition the features"
wait_for "✓ contributions" 60

step "j: next sample"
keys j
wait_for "row 1 of 0–699"

step "the centred input x − μ beside each contribution, in its own column"
wait_for "L2   x−μ"

step "v: share of the sample's total"
keys v
wait_for "share   x−μ"

step "c: color by a feature's contribution"
keys c
wait_for "‖C[:, "
wait_for "scale to p99"

step "/ cd7 Enter: pick CD7 for coloring and highlight it"
keys /
wait_for "Find a feature"
keys c d 7
wait_for "4 matches"
wait_for "▶ CD7 "
keys Enter
wait_for "color: CD7 contribution"
wait_for "‖C[:, CD7]‖"
wait_for "CD7 ▋"
wait_for "▸ #"

step "?: help from the key table"
keys '?'
wait_for "next sample (file order)"
wait_for "Esc or ? closes"
keys Escape
wait_gone "next sample (file order)"

step "g 699 Enter: go to the last row (rows are 0-based)"
keys g 6 9 9 Enter
wait_for "row 699 of 0–699"

step "g: find a sample by any part of its id, with the count of matches"
keys g a g c t
wait_for "samples"
wait_for "AGCT"
keys Enter
wait_for "row "

step "Tab, p: PCA component space in the sample panel"
keys Tab p
wait_for "of 50 PCA components"

step "s: select a group; its make-up and aggregated top features"
keys Escape s
wait_for "Select a group"
keys Enter
wait_for "group CD14+ Monocyte  129 samples"
wait_for "all CD14+ Monocyte"
wait_for "mean over all"
wait_for "Top features · mean share"

step "w writes the selection; the file reads back"
keys w
JOIN=1 wait_for "wrote glassbox-selection-CD14_Monocyte-1.csv"
wait_file "$WORK/glassbox-selection-CD14_Monocyte-1.csv"
wait_file "$WORK/glassbox-selection-CD14_Monocyte-1-features.csv"
[ "$(head -1 "$WORK/glassbox-selection-CD14_Monocyte-1.csv")" = "id,row,bulk_labels,z1,z2" ] || fail "the samples file's header"
[ "$(wc -l < "$WORK/glassbox-selection-CD14_Monocyte-1.csv")" -eq 130 ] || fail "129 samples and a header"
awk -F, 'NR > 1 && $3 != "CD14+ Monocyte" { bad = 1 } END { exit bad }' "$WORK/glassbox-selection-CD14_Monocyte-1.csv" \
    || fail "a sample of another group in the file"
[ "$(wc -l < "$WORK/glassbox-selection-CD14_Monocyte-1-features.csv")" -eq 766 ] || fail "765 features and a header"

step "d: vs the rest"
keys d
wait_for "vs rest"
wait_for "vs the rest: 571 samples"

step "a keeps the selection; A lists it; w there writes annotations.csv"
keys a
wait_for "keep as CD14+ Monocyte"
keys Enter
wait_for "kept 'CD14+ Monocyte'"
keys A
wait_for "Kept selections"
keys w
wait_for "wrote annotations.csv"
wait_file "$WORK/annotations.csv"
[ "$(wc -l < "$WORK/annotations.csv")" -eq 701 ] || fail "one row per sample and a header"
[ "$(grep -c ',CD14+ Monocyte$' "$WORK/annotations.csv")" -eq 129 ] || fail "129 annotated"
keys Escape Escape
wait_for "selection cleared"

step "b: draw a box, move and resize it (the corner follows h j k l), accept"
keys b
wait_for "narrower/wider"
wait_for "taller/shorter"
keys Left l l j Enter
wait_for "Selection"
wait_for "selected ·"
wait_for "mean over all" 60
keys Escape

step "a lasso dragged with the mouse selects the samples inside"
# SGR mouse reports (what a terminal sends once the program asks for button-motion tracking).
for report in '<0;20;10M' '<32;40;10M' '<32;55;25M' '<32;35;34M' '<32;12;22M' '<0;12;22m'; do
    tm send-keys -t e2e -l $'\e['"$report"
    sleep 0.05
done
wait_for "lasso selected"
wait_for "lasso on z1 × z2"
keys Escape
wait_for "selection cleared"

step "f: a lasso from the keyboard"
keys f
wait_for "Space corner"
keys Space Right Right Right Space Up Up Up Space Enter
wait_for "3 corners"
keys Escape

step "z: the waterfall of z1; its rows add up to z1 on screen"
keys z
wait_for "Waterfall · z1"
wait_for "rest ("
wait_for "Σ = z1"
# The sample panel's numbers: z1 in the header, each step's contribution (the column before
# the running total), and the total row.
screen | awk -F'│' '
    /│z = Σ_f C  |│z      / { if (z == "") { s = $(NF - 1); sub(/^z( = Σ_f C)? +/, "", s); split(s, b, " "); z = b[1] } }
    /Waterfall · z1/ { on = 1; next }
    on && /Σ = z1  / { n = split($(NF - 1), f, " "); total = f[n]; on = 0; next }
    on { n = split($(NF - 1), f, " "); if (n >= 2) { sum += f[n - 1]; rows++ } }
    END {
        if (rows < 5) { print "e2e: only " rows " waterfall rows"; exit 1 }
        d = sum - total; if (d < 0) d = -d
        e = total - z; if (e < 0) e = -e
        t = (total < 0 ? -total : total) * 0.02 + 0.05
        printf "e2e: %d rows sum to %.3f; total %s; z1 %s\n", rows, sum, total, z
        exit (d > t || e > t)
    }' || fail "the waterfall's rows don't add up to z1"
keys z z

step "Y copies the focused id to the clipboard (OSC 52, kept by tmux)"
keys Y
wait_for "copied '"
ID=$(screen | sed -n "s/.*copied '\([^']*\)'.*/\1/p" | head -1)
[ -n "$ID" ] && [ "$(tm show-buffer)" = "$ID" ] || fail "the clipboard holds '$(tm show-buffer 2>&1)', expected '$ID'"

step "m: mark A, move to B, compare"
keys m
wait_for "marked row"
keys j
wait_for "C_B − C_A"
wait_for "A  "
wait_for "B  "
wait_for "Δz  "
wait_for "Σ ΔC = Δz"
keys m
wait_for "mark cleared"

step "r: the verification report; Enter jumps to the worst sample"
keys r
wait_for "relative_error"
wait_for "PASS"
wait_for "Worst samples"
keys Enter
wait_for "listed #1 in the verification report"

step "o: groups overview"
keys o
wait_for "top features by mean L2"
wait_for "CD14+ Monocyte"
keys Escape
wait_gone "top features by mean L2"

step "resizing below the minimum, and back"
tm resize-window -t e2e -x 50 -y 12
wait_for "Terminal too small"
tm resize-window -t e2e -x 120 -y 40
wait_for "Embedding z1 × z2"

step "q quits with status 0 and restores the terminal"
keys q
finished main 0
screen | grep -qF "Embedding z1" && fail "the explorer's screen is still showing after quitting"

step "Ctrl-C quits with status 0 too"
start ctrlc
wait_for "row 0 of 0–699" 30
keys C-c
finished ctrlc 0

step "an AnnData .h5ad with another obs column as the groups"
start h5ad explore --model "$ROOT/SampleData/pbmc68k/model.pt" --data "$ROOT/SampleData/pbmc68k/data.h5ad" --label-column phase
wait_for "row 0 of 0–699" 30
wait_for "label  G1"
wait_for "■ G2M"
keys q
finished h5ad 0

step "--feature-sets: p cycles to the sets; a set's name, its waterfall adding up to z1, its members"
start sets explore --model "$ROOT/SampleData/pbmc68k/model.pt" --data "$ROOT/SampleData/pbmc68k/data.h5ad" \
    --label-column bulk_labels --feature-sets "$ROOT/SampleData/pbmc68k/markers.gmt"
wait_for "row 0 of 0–699" 30
wait_for "markers.gmt: 10 sets (+734 features in none) partition the features: they add up to z"
keys Tab
wait_for "✓ contributions" 60
keys p p
wait_for "Contributions · sets"
wait_for "NK cells"
wait_for "partition (+734 in none): Σ = z"
keys z
wait_for "Waterfall · z1 · sets"
wait_for "Σ = z1"
# The rows (every set, the remainder included) add up to the total, and the total to z1.
screen | awk -F'│|┃' '
    /[│┃]z = Σ_set C  / { s = $(NF - 1); sub(/^z = Σ_set C +/, "", s); split(s, b, " "); z = b[1] }
    /Waterfall · z1/ { on = 1; next }
    on && /Σ = z1  / { n = split($(NF - 1), f, " "); total = f[n]; on = 0; next }
    on { n = split($(NF - 1), f, " "); if (n >= 2) { sum += f[n - 1]; rows++ } }
    END {
        if (rows != 11) { print "e2e: " rows " set rows, expected 11"; exit 1 }
        d = sum - total; if (d < 0) d = -d
        e = total - z; if (e < 0) e = -e
        t = (total < 0 ? -total : total) * 0.02 + 0.05
        printf "e2e: %d sets sum to %.3f; total %s; z1 %s\n", rows, sum, total, z
        exit (d > t || e > t)
    }' || fail "the sets' waterfall doesn't add up to z1"
keys /
keys -l "NK cells"
keys Enter
wait_for "color: set NK cells"
keys Enter
wait_for "Members of NK cells"
wait_for "GNLY"
keys Escape
keys q
finished sets 0

step "a missing model is reported before the screen is taken over"
start badinput explore --model "$TMP/missing.pt" --data "$ROOT/SampleData/pbmc68k/data.csv"
finished badinput 2
wait_for "glassbox: error: $TMP/missing.pt: no such file"

step "TERM=dumb (no cursor addressing) is refused before the screen is taken over"
TERM_ENV="TERM=dumb" start dumb
finished dumb 2
JOIN=1 wait_for "glassbox: error: TERM=dumb is a terminal that can't move the cursor"
JOIN=1 wait_for "set TERM to your terminal's type (e.g. export TERM=xterm-256color), or use 'glassbox export'"
wait_for "e2e: dumb starts"

step "so is an unset TERM"
TERM_ENV="-u TERM" start noterm
finished noterm 2
JOIN=1 wait_for "glassbox: error: TERM is not set, and the explorer draws on the whole screen"

echo "e2e: all explorer checks passed"
echo "e2e: $STEPS passed, 0 failed"
