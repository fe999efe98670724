#!/usr/bin/env bash
# Datapath benchmark: BPF_PROG_TEST_RUN ns/packet beside a no-op program; programming N service
# entries from Java beside C and bpftool; iperf3 through the translation beside plain routing
# and iptables DNAT. Needs root (CAP_BPF, CAP_NET_ADMIN).
# Usage: scripts/bench-datapath.sh [parts=testrun,load,iperf] [entries=65536] [iperf-seconds=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh" >/dev/null
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am install -DskipTests
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench exec:java -Dexec.mainClass=io.meshgw.bench.DatapathBench \
  -Dexec.args="${1:-testrun,load,iperf} ${2:-65536} ${3:-5}"
