#!/usr/bin/env bash
# Configures and starts a single-node Slurm (munged, slurmctld, slurmd) on this host for the Slurm launcher tests.
# No accounting. Idempotent. Writes LEVAIN_TEST_SLURM=1 and LEVAIN_TEST_SLURM_PARTITION=<name> to ci/setup/.env.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
partition="${LEVAIN_SLURM_PARTITION:-levain}"
state="/var/tmp/levain-slurm"
conf=/etc/slurm/slurm.conf
node="$(hostname -s)"
if [[ $(id -u) -ne 0 ]]; then echo "20-slurm.sh needs root" >&2; exit 1; fi
for tool in munged slurmctld slurmd sinfo sbatch; do
  command -v "$tool" >/dev/null || { echo "$tool not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
done

# munge: a key and a running daemon.
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [[ ! -s /etc/munge/munge.key ]]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key; chmod 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
fi

# slurm.conf: this host is the only node, 2 CPUs, no accounting, no cgroups (works in containers).
mkdir -p "$state/ctld" "$state/d" /etc/slurm
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
desired="$(cat <<CONF
# Written by levain ci/setup/20-slurm.sh: single-node test cluster.
ClusterName=levain
SlurmctldHost=${node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=300
KillWait=5
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
Waittime=0
NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=${memory_mb} State=UNKNOWN
PartitionName=${partition} Nodes=${node} Default=YES MaxTime=INFINITE State=UP
CONF
)"
changed=0
if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$desired" ]]; then
  printf '%s\n' "$desired" > "$conf"; changed=1
fi

running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ((changed)); then
  running "$state/slurmd.pid" && kill "$(cat "$state/slurmd.pid")" || true
  running "$state/slurmctld.pid" && kill "$(cat "$state/slurmctld.pid")" || true
  sleep 1
fi
running "$state/slurmctld.pid" || /usr/sbin/slurmctld -c
for _ in $(seq 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.5; done
running "$state/slurmd.pid" || /usr/sbin/slurmd

ok=0
for _ in $(seq 60); do
  st="$(sinfo -h -p "$partition" -o '%t' 2>/dev/null | head -1 || true)"
  if [[ "$st" == idle* || "$st" == mix* || "$st" == alloc* ]]; then ok=1; break; fi
  if [[ "$st" == down* || "$st" == drain* ]]; then scontrol update NodeName="$node" State=RESUME 2>/dev/null || true; fi
  sleep 1
done
if ((!ok)); then echo "slurm node did not become idle: $(sinfo 2>&1)" >&2; tail -20 "$state/slurmd.log" >&2 || true; exit 1; fi
sed -i '/^LEVAIN_TEST_SLURM=/d; /^LEVAIN_TEST_SLURM_PARTITION=/d' "$here/.env" 2>/dev/null || true
echo "LEVAIN_TEST_SLURM=1" >> "$here/.env"
echo "LEVAIN_TEST_SLURM_PARTITION=$partition" >> "$here/.env"
echo "Slurm ready: partition $partition on node $node"
