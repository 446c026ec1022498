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
# records the terminal settings before and after, and the exit status. TERM_ENV sets the
# terminal type the program sees (default TERM=xterm-256color; "-u TERM" unsets it).
start() {
    local name="$1"; shift
    cat > "$TMP/$name.sh" <<EOF
cd "$ROOT"
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
}
# finished NAME STATUS: the program ended with STATUS and the terminal is as before.
finished() {
    wait_file "$TMP/$1.status"
    grep -qx "exit status: $2" "$TMP/$1.status" || fail "$1: expected exit status $2, got: $(cat "$TMP/$1.status")"
    wait_for "e2e: back at the shell"
    cmp -s "$TMP/$1.stty-before" "$TMP/$1.stty-after" || fail "$1: terminal settings not restored"
}

step "the bundled sample opens with no arguments"
start main
wait_for "Embedding z1 × z2" 30
wait_for "AAAGCCTGGCTAAC-1"
wait_for "row 1 of 700"
wait_for "label  CD14+ Monocyte"
wait_for "■ Dendritic"
wait_for "✓ contributions" 60

step "j: next sample"
keys j
wait_for "row 2 of 700"

step "v: share of the sample's total"
keys v
wait_for "Contributions · share · features"

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
wait_for "▸ CD7"

step "?: help from the key table"
keys '?'
wait_for "next sample (file order)"
wait_for "Esc or ? closes"
keys Escape
wait_gone "next sample (file order)"

step "g 700 Enter: go to the last row"
keys g 7 0 0 Enter
wait_for "row 700 of 700"

step "Tab, p: PCA component space in the sample panel"
keys Tab p
wait_for "Contributions · share · PCA components"

step "s: select a group; its aggregated top features"
keys Escape s
wait_for "Select a group"
keys Enter
wait_for "group CD14+ Monocyte"
wait_for "mean over all"
wait_for "Top features · mean share"
keys d
wait_for "Selection vs rest"
wait_for "other samples"
keys Escape
wait_for "selection cleared"

step "b: draw a box, move and resize it, accept"
keys b
wait_for "narrower/wider"
keys Left l l k Enter
wait_for "Selection"
wait_for "selected ·"
wait_for "mean over all" 60
keys Escape

step "m: mark A, move to B, compare"
keys m
wait_for "marked row"
keys j
wait_for "C_B − C_A"
wait_for "Δz = z_B − z_A"
wait_for "Σ_f ΔC"
keys m
wait_for "mark cleared"

step "r: the verification report; Enter jumps to the worst sample"
keys r
wait_for "relative_error"
wait_for "PASS"
wait_for "Worst samples"
keys Enter
wait_for "reconstruction error #1"

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
wait_for "row 1 of 700" 30
keys C-c
finished ctrlc 0

step "an AnnData .h5ad with another obs column as the groups"
start h5ad explore --model SampleData/pbmc68k/model.pt --data SampleData/pbmc68k/data.h5ad --label-column phase
wait_for "row 1 of 700" 30
wait_for "label  G1"
wait_for "■ G2M"
keys q
finished h5ad 0

step "a missing model is reported before the screen is taken over"
start badinput explore --model "$TMP/missing.pt" --data SampleData/pbmc68k/data.csv
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
