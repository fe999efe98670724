#!/usr/bin/env bash
# Egress address move: the time from stopping the gateway replica that serves an EgressIdentity's
# address until the other replica serves it (status names it; its speaker originates the address),
# two replicas (processes) against the fabric8 mock API server, beside the Lease timings it runs with.
# No root needed. Usage: scripts/bench-egress-move.sh [repetitions=5] [kill|term] [lease-ms=15000]
# [renew-ms=10000] [retry-ms=2000] (the defaults are the gateway's own Lease timings).
# Builds with `package`, never `install`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
reps="${1:-5}" how="${2:-kill}" lease="${3:-15000}" renew="${4:-10000}" retry="${5:-2000}"

"$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/bench -am package -DskipTests
bench="$root/e2e-tests/bench/target"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$bench/classes:$(cat "$bench/classes/io/meshgw/bench/speaker.classpath")" \
  io.meshgw.bench.EgressMoveBench "$reps" "$how" "$lease" "$renew" "$retry"
