#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine, for testing the profile in this folder.
#
#   workflow/profiles/slurm/local-cluster.sh start    # install (apt) if missing, configure, start
#   workflow/profiles/slurm/local-cluster.sh status   # exit 0 when the node is up
#   workflow/profiles/slurm/local-cluster.sh stop     # stop only the daemons this script started
#
# Debian's slurm-wlm (slurmctld + slurmd) and munge, daemons started directly (no systemd),
# no accounting database: the profile checks job status with `squeue`, which needs
# MinJobAge >= 3 x the plugin's first-check delay (see ../../../docs/cluster.md, "Running on a
# cluster"). The node advertises more CPUs than it has (SlurmdParameters=config_overrides) so
# several small jobs run at once, and FAKE_GPUS generic "gpu" resources without devices, so the
# profile's GPU requests (`--gpus=1`, partition `gpu`) are scheduled as on a real GPU cluster
# while the jobs themselves, seeing no CUDA device, run on the CPU (Lightning accelerator="auto").
#
# Environment: WIDEOPT_SLURM_DIR (state, logs, config; default /tmp/wideopt-slurm),
# WIDEOPT_SLURM_CPUS (advertised CPUs, default 4), WIDEOPT_SLURM_GPUS (fake GPUs, default 2),
# WIDEOPT_SLURM_MEM_PER_CPU (DefMemPerCPU in MB, default 1000).
# Clients find the cluster through /etc/slurm/slurm.conf (a link to $DIR/slurm.conf made only
# when that file does not exist) or `export SLURM_CONF=$DIR/slurm.conf`.
set -euo pipefail

DIR=${WIDEOPT_SLURM_DIR:-/tmp/wideopt-slurm}
CPUS=${WIDEOPT_SLURM_CPUS:-4}
GPUS=${WIDEOPT_SLURM_GPUS:-2}
MEM_PER_CPU=${WIDEOPT_SLURM_MEM_PER_CPU:-1000}
HOST=$(hostname -s)
CONF=$DIR/slurm.conf
ETC_CONF=/etc/slurm/slurm.conf

say() { echo "local-cluster: $*" >&2; }

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_if_missing() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
        && command -v munged >/dev/null && command -v sbatch >/dev/null; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        say "cannot install slurm-wlm/munge: needs root and apt-get"
        exit 3
    fi
    say "installing slurm-wlm munge (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q slurm-wlm munge >"$DIR/apt.log" 2>&1 \
        || { apt-get update -q >>"$DIR/apt.log" 2>&1 \
             && apt-get install -y -q slurm-wlm munge >>"$DIR/apt.log" 2>&1; } \
        || { say "apt-get install failed, see $DIR/apt.log"; exit 3; }
}

write_conf() {
    # Memory: ~95 % of what slurmd detects (above it the node drains).
    local detected mem
    detected=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
    mem=$((detected * 95 / 100))
    cat >"$CONF" <<EOF
# Written by local-cluster.sh: a single-node test cluster. Do not use in production.
ClusterName=wideopt
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=${WIDEOPT_SLURM_PORT:-6817}
SlurmdPort=$(( ${WIDEOPT_SLURM_PORT:-6817} + 1 ))
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SlurmUser=root
SlurmdUser=root
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default, a job that asks for no memory would take the whole node.
DefMemPerCPU=$MEM_PER_CPU
# squeue forgets finished jobs after MinJobAge s; the profile's status checks rely on it.
MinJobAge=300
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Advertise CPUS CPUs (more than the real cores) so several small jobs run at once.
SlurmdParameters=config_overrides
GresTypes=gpu
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$mem Gres=gpu:$GPUS State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=$HOST Default=NO MaxTime=INFINITE State=UP
EOF
    # "gpu" generic resources backed by placeholder files, not devices: schedulable, not real
    # (slurmd logs "not a valid character or block device" once; harmless).
    local i
    for ((i = 0; i < GPUS; i++)); do : >"$DIR/fakegpu$i"; done
    echo "NodeName=$HOST Name=gpu File=$DIR/fakegpu[0-$((GPUS - 1))]" >"$DIR/gres.conf"
}

node_up() {
    SLURM_CONF=$CONF sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'
}

start() {
    mkdir -p "$DIR/state" "$DIR/spool"
    install_if_missing
    if alive "$DIR/slurmctld.pid" && alive "$DIR/slurmd.pid"; then
        say "already running ($DIR)"
        return 0
    fi
    write_conf
    # munge: reuse a running munged (then it is not ours to stop), else start one.
    if ! munge -n </dev/null >/dev/null 2>&1; then
        mkdir -p /run/munge /var/log/munge /var/lib/munge
        munged --pid-file="$DIR/munged.pid.tmp" 2>"$DIR/munged.err" \
            || munged --force --pid-file="$DIR/munged.pid.tmp" 2>>"$DIR/munged.err"
        for _ in $(seq 50); do [[ -s $DIR/munged.pid.tmp ]] && break; sleep 0.1; done
        cp "$DIR/munged.pid.tmp" "$DIR/munged.pid"
    fi
    if [[ ! -e $ETC_CONF ]]; then
        mkdir -p "$(dirname "$ETC_CONF")"
        ln -s "$CONF" "$ETC_CONF"
        echo "$ETC_CONF" >"$DIR/etc-link"
    fi
    SLURM_CONF=$CONF slurmctld -c   # -c: clear previous state (jobs of an earlier test run)
    SLURM_CONF=$CONF slurmd
    for _ in $(seq 100); do node_up && break; sleep 0.2; done
    if ! node_up; then
        say "node did not come up; see $DIR/slurmctld.log and $DIR/slurmd.log"
        SLURM_CONF=$CONF sinfo -N -l >&2 || true
        stop
        exit 4
    fi
    say "up: $CPUS CPUs, $GPUS fake GPUs, partitions main (default) and gpu; SLURM_CONF=$CONF"
}

stop() {
    local name pid
    for name in slurmd slurmctld munged; do
        if alive "$DIR/$name.pid"; then
            pid=$(cat "$DIR/$name.pid")
            kill "$pid"
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        fi
        rm -f "$DIR/$name.pid"
    done
    if [[ -f $DIR/etc-link ]]; then
        [[ -L $ETC_CONF ]] && rm -f "$ETC_CONF"
        rm -f "$DIR/etc-link"
    fi
    say "stopped"
}

status() {
    alive "$DIR/slurmctld.pid" && alive "$DIR/slurmd.pid" && node_up
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
