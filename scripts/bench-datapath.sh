#!/usr/bin/env bash
# Datapath benchmark: BPF_PROG_TEST_RUN ns/packet beside a no-op program; programming N service
# entries from Java beside C and bpftool; iperf3 through the translation beside plain routing
# and iptables DNAT; Datapath.apply of one changed service in N, incremental beside the whole
# image recomputed; with parts `encap` and `tunnel` (not in the default set), an established
# flow's packet DNATed beside DNATed and encapsulated toward another cluster's gateway, and iperf3
# across two gateways with and without their IPIP tunnel; with part `nodeencap`, the node role's
# packet of a pod it hands on beside one it steers to its egress owner; with part `nodesteer`, iperf3
# from a pod on an ordinary node to a legacy host routed through a gateway, SNATed there, and steered
# there by the node role in IPIP; with part `nodereturn`, iperf3 between a legacy host and a pod on an
# ordinary node: routed, through a VIP with the replies routed back through the gateway, and through a
# VIP with the flow sent to the node in IPIP and its replies returned by the node role; with part
# `noderelay`, the same pod behind a VIP of another cluster's gateway: routed, tunnelled and routed
# on by the pod's gateway, and tunnelled and relayed to the node in IPIP. Needs root
# (CAP_BPF, CAP_NET_ADMIN).
# Usage: scripts/bench-datapath.sh [parts=testrun,load,apply,maglev,iperf,encap,tunnel,wgtunnel,nodeencap,nodesteer,nodereturn,noderelay] [entries=65536] [iperf-seconds=5]
# BASELINE=<git revision> (part testrun): that revision's programs are built too and run beside this
# build's in the same rounds (its maps must have this build's layout), so a change is measured
# against its baseline under the same load.
# Builds with `package`, never `install`: the run takes the reactor's own jars (the classpath the
# bench module records at build time), so the shared local repository is never written.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# The project's JDK 25, as every script uses: the machine's default java is older and cannot run the classes.
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/scripts/setup.sh" >/dev/null
"$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/bench -am package -DskipTests
bench="$root/e2e-tests/bench/target"
baseline=()
if [ -n "${BASELINE:-}" ]; then
  rev="$(git -C "$root" rev-parse --short "$BASELINE")"
  src="$(mktemp -d)"
  trap 'rm -rf "$src"' EXIT
  git -C "$root" archive "$rev" bpf-tc/src/main/bpf | tar -x -C "$src"
  clang -O2 -g -Wall -Werror -target bpf -I/usr/include/x86_64-linux-gnu \
    -c "$src/bpf-tc/src/main/bpf/mgw_tc.c" -o "$src/mgw_tc.o"
  baseline=(-Dmeshgw.bench.baseline-object="$src/mgw_tc.o" -Dmeshgw.bench.baseline-label="$rev")
fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${baseline[@]}" -cp "$bench/classes:$(cat "$bench/classes/io/meshgw/bench/speaker.classpath")" \
  io.meshgw.bench.DatapathBench "${1:-testrun,load,apply,maglev,iperf}" "${2:-65536}" "${3:-5}"
