#!/usr/bin/env bash
# Installs the system libraries glassbox builds against, only when missing (Debian/Ubuntu).
# Needs root or sudo for apt-get; prints what it does.
set -euo pipefail

need=()
dpkg -s libopenblas-dev >/dev/null 2>&1 || need+=(libopenblas-dev)
dpkg -s libncurses-dev >/dev/null 2>&1 || dpkg -s libncursesw5-dev >/dev/null 2>&1 || need+=(libncursesw5-dev)
command -v tmux >/dev/null 2>&1 || need+=(tmux)   # the end-to-end test drives the explorer in tmux
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
dpkg -s libhdf5-dev >/dev/null 2>&1 || need+=(libhdf5-dev)   # AnnData .h5ad input (libhdf5_serial)

if ((${#need[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The split-export test (Tests/e2e/slurm.sh) runs a one-node Slurm cluster: Debian's slurm-wlm
# (slurmctld, slurmd, the client commands) and munge. Optional: where they cannot be installed,
# that test is skipped, saying so.
slurm=()
{ command -v slurmctld && command -v slurmd && command -v sbatch; } >/dev/null 2>&1 || slurm+=(slurm-wlm)
{ command -v munged && command -v munge; } >/dev/null 2>&1 || slurm+=(munge)
if ((${#slurm[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${slurm[*]} (for the Slurm end-to-end test)" >&2
    if ! { command -v apt-get >/dev/null 2>&1 && $sudo apt-get update -qq \
           && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${slurm[@]}" >/dev/null; }; then
        echo "setup: could not install ${slurm[*]}; the Slurm end-to-end test will be skipped" >&2
    fi
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no 'swift' on PATH: install the Swift 6.1+ toolchain (swift.org) first" >&2
    exit 1
fi
