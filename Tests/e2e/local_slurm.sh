# A one-node Slurm cluster on localhost, everything in one temporary directory: munged with a
# generated key, slurmctld and slurmd with a generated slurm.conf, run as the current user.
# Sourced by Tests/e2e/slurm.sh and scripts/bench_split.sh:
#
#   source Tests/e2e/local_slurm.sh
#   slurm_start "$DIR"       # exports SLURM_CONF; returns once the node is idle
#   sbatch …                 # any client command
#   slurm_stop               # idempotent; call it from an EXIT trap
#   slurm_logs               # the daemons' logs, for a failure report
#
# Only the processes started here are stopped, by the ids in their pid files.

SLURM_DIR=""

slurm_missing() {
    local tool
    for tool in munged munge slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
        command -v "$tool" >/dev/null 2>&1 || { echo "$tool"; return 0; }
    done
    return 1
}

# slurm_wait SECONDS WHAT COMMAND…: polls COMMAND every 0.2 s until it succeeds.
slurm_wait() {
    local seconds="$1" what="$2"; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "local slurm: timed out after ${seconds}s waiting for $what" >&2
            return 1
        fi
        sleep 0.2
    done
}

slurm_free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 30000))
        # Nothing answers there, nor on the next port (slurmd's).
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

slurm_start() {
    SLURM_DIR="$1"
    local d="$SLURM_DIR" node user port cpus memory
    mkdir -p "$d/munge" "$d/state" "$d/spool" "$d/log"
    chmod 700 "$d/munge"
    node="$(hostname -s)"
    user="$(id -un)"
    port="$(slurm_free_port)"
    cpus="$(nproc)"
    memory=$(( $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 * 9 / 10 ))

    # munged: a fresh key; -f because a temporary directory is not as locked down as /etc/munge.
    dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
    chmod 600 "$d/munge/munge.key"
    munged -f --key-file="$d/munge/munge.key" --socket="$d/munge/munge.socket" \
        --pid-file="$d/munge/munged.pid" --log-file="$d/log/munged.log" --seed-file="$d/munge/munged.seed" || return 1
    slurm_wait 20 "munged" bash -c "echo ok | munge -S '$d/munge/munge.socket' | unmunge -S '$d/munge/munge.socket'" || return 1

    cat > "$d/slurm.conf" <<EOF
ClusterName=glassbox-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/munge.socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$d/log/jobcomp.txt
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$d/slurm.conf"
    slurmctld -f "$SLURM_CONF" || return 1
    slurm_wait 30 "slurmctld" bash -c "scontrol ping | grep -q UP" || return 1
    slurmd -f "$SLURM_CONF" -N "$node" || return 1
    slurm_wait 60 "the node to be idle" bash -c "sinfo -h -N -o %T | grep -qx idle" || return 1
}

# slurm_end PID: waits up to 5 s for PID to exit, then kills it.
slurm_end() {
    local i
    for i in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
}

slurm_stop() {
    [ -n "$SLURM_DIR" ] || return 0
    local d="$SLURM_DIR" pidfile pid pids=()
    # The ids first: the daemons delete their pid files as they stop.
    for pidfile in "$d/slurmd.pid" "$d/slurmctld.pid"; do
        [ -s "$pidfile" ] && pids+=("$(cat "$pidfile")")
    done
    # Jobs first: slurmd's shutdown would leave their slurmstepd processes behind.
    if [ -n "$(squeue -h 2>/dev/null)" ]; then
        scancel --full --signal=KILL --user="$(id -un)" >/dev/null 2>&1 || true
        scancel --user="$(id -un)" >/dev/null 2>&1 || true
        slurm_wait 30 "the jobs to end" bash -c '[ -z "$(squeue -h)" ]' || true
    fi
    scontrol shutdown >/dev/null 2>&1 || true
    for pid in "${pids[@]}"; do slurm_end "$pid"; done
    if [ -s "$d/munge/munged.pid" ]; then
        pid="$(cat "$d/munge/munged.pid")"
        kill "$pid" 2>/dev/null || true
        slurm_end "$pid"
    fi
    SLURM_DIR=""
}

slurm_logs() {
    local f
    for f in "$SLURM_DIR"/log/*; do
        [ -f "$f" ] || continue
        echo "---- $f (last 40 lines) ----"
        tail -n 40 "$f"
    done
}
