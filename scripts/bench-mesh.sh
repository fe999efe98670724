#!/usr/bin/env bash
# mesh-sync on a real KRaft broker: put->remote-snapshot latency at fixed update rates beside plain
# Kafka produce->consume of same-size records, and a cold reader's rebuild of N clusters x E
# endpoints beside a plain consumer reading the same topics.
# Usage: scripts/bench-mesh.sh [seconds-per-rate=10] [rates=100,1000] [clusters=50] [endpoints=5000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am install -DskipTests
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench exec:java -Dexec.mainClass=io.meshgw.bench.MeshSyncBench \
  -Dexec.args="${1:-10} ${2:-100,1000} ${3:-50} ${4:-5000}"
