#!/usr/bin/env bash
# BGP ingest benchmark (bgperf-style): N BIRD testers x P /32s -> speaker under test -> BIRD monitor.
# Usage: scripts/bench-bgp.sh [peers=10] [prefixes=100000] [targets=meshgw,bird,frr,gobgp] [timeout-s=900]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
"$root/scripts/setup.sh" >/dev/null
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am install -DskipTests
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench exec:java -Dexec.mainClass=io.meshgw.bench.BgpIngestBench \
  -Dexec.args="${1:-10} ${2:-100000} ${3:-meshgw,bird,frr,gobgp} ${4:-900}"
