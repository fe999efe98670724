#!/usr/bin/env bash
# Conntrack sweep benchmark: the Java heap Datapath.expireConntrack() takes on full conntrack tables
# (a batch at a time) beside reading both tables whole into the heap, in the same run, with a 1 GiB heap and a
# 64 MiB one. Needs root (CAP_BPF).
# Usage: scripts/bench-conntrack-sweep.sh [inbound-entries=524288] [egress-entries=262144] [rounds=5]
# Builds with `package`, never `install` (see bench-datapath.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/scripts/setup.sh" >/dev/null
"$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/bench -am package -DskipTests
bench="$root/e2e-tests/bench/target"
cp="$bench/classes:$(cat "$bench/classes/io/meshgw/bench/speaker.classpath")"
# The same run with a roomy heap (the figures) and with a heap too small to hold the tables whole.
for heap in 1g 64m; do
  echo "-Xmx$heap"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx$heap -cp "$cp" \
    io.meshgw.bench.ConntrackSweepBench "${1:-524288}" "${2:-262144}" "${3:-5}"
done
