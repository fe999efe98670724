#!/usr/bin/env bash
# BGP benchmarks beside BIRD, FRR and GoBGP in the same run.
#   Ingest (bgperf-style): N BIRD testers x P /32s -> speaker under test -> BIRD monitor.
#     scripts/bench-bgp.sh [peers=10] [prefixes=100000] [targets=meshgw,bird,frr,gobgp] [timeout-s=900]
#   Full table: 1 tester x P /32s relayed to a monitor, then a second tester with the same P and a
#   better path (best-path churn); meshgw's heap per route after a full GC.
#     scripts/bench-bgp.sh full [prefixes=1000000] [targets=meshgw,bird] [timeout-s=900]
# Builds into the work tree only (package, never install) and runs the bench from there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh" >/dev/null
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime.classpath
cp="$root/e2e-tests/bench/target/classes:$(cat "$root/e2e-tests/bench/target/runtime.classpath")"
if [[ "${1:-}" == full ]]; then
  exec "$JAVA_HOME/bin/java" -cp "$cp" io.meshgw.bench.BgpFullTableBench \
    "${2:-1000000}" "${3:-meshgw,bird}" "${4:-900}"
fi
exec "$JAVA_HOME/bin/java" -cp "$cp" io.meshgw.bench.BgpIngestBench \
  "${1:-10}" "${2:-100000}" "${3:-meshgw,bird,frr,gobgp}" "${4:-900}"
