#!/usr/bin/env bash
# mesh-sync on a real KRaft broker: put->remote-snapshot latency at fixed update rates beside plain
# Kafka produce->consume of same-size records, with where the time goes (publisher's transaction,
# remote reader's poll, view), and a cold reader's rebuild of N clusters x E endpoints beside a
# plain consumer reading the same topics. Runs under the lock shared by everything that starts a
# broker on this machine.
# Usage: scripts/bench-mesh.sh [seconds-per-rate=10] [rates=100,1000] [clusters=50] [endpoints=5000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
cpfile="$root/e2e-tests/bench/target/bench.cp"
# package, not install: the bench runs from this tree's jars and leaves ~/.m2 alone.
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$cpfile"
flock /tmp/meshgw-netns.lock "$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$root/e2e-tests/bench/target/classes:$(cat "$cpfile")" io.meshgw.bench.MeshSyncBench \
  "${1:-10}" "${2:-100,1000}" "${3:-50}" "${4:-5000}"
