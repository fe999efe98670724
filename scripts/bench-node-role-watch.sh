#!/usr/bin/env bash
# The node role's watches on a large cluster: what one node's node role receives, holds and handles
# (its node's Pods by a field selector, and the gateways' namespace's) beside an informer of every
# Pod of the cluster (what each node role listed and watched before), in one process against the
# operator's strict mock API server. No root needed.
# Usage: scripts/bench-node-role-watch.sh [nodes=100] [pods=10000] [churn=1000]
# Builds with `package`, never `install`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
nodes="${1:-100}" pods="${2:-10000}" churn="${3:-1000}"

"$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/bench -am package -DskipTests
bench="$root/e2e-tests/bench/target"
"$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$bench/classes:$(cat "$bench/classes/io/meshgw/bench/speaker.classpath")" \
  io.meshgw.bench.NodeRoleWatchBench "$nodes" "$pods" "$churn"
