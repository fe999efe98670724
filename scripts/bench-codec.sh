#!/usr/bin/env bash
# JMH: UPDATE decode/encode throughput beside a plain copy of the same bytes.
# Usage: scripts/bench-codec.sh [extra JMH options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am install -DskipTests
cp="$root/e2e-tests/bench/target/classes:$(cat "$root/e2e-tests/bench/target/classes/io/meshgw/bench/speaker.classpath")"
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main UpdateCodecBench "$@"
