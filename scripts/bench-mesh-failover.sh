#!/usr/bin/env bash
# mesh-sync on a three-node KRaft cluster (RF 3, min.insync.replicas 2): put->remote-view latency
# at a steady rate without a kill (baseline) and while the leader of the publishing cluster's topic
# is SIGKILLed and restarted, in the same run (e2e-tests/bench/.../MeshFailoverBench.java). Only
# mesh-sync and the testkit are built (package, nothing installed).
# Usage: scripts/bench-mesh-failover.sh [rate=100] [seconds=20] [restart-after-seconds=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
cpfile="$root/mesh-sync/target/bench.classpath"
"$root/mvnw" -q -B -ntp -pl mesh-sync -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile"
cp="$root/mesh-sync/target/classes:$(cat "$cpfile")"
"$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" \
  "$root/e2e-tests/bench/src/main/java/io/meshgw/bench/MeshFailoverBench.java" "${1:-100}" "${2:-20}" "${3:-5}"
