#!/usr/bin/env bash
# A neighbor that never reads and asks for the table 1,000 times a second, beside a good neighbor:
# the speaker's resident set, heap and the good neighbor's longest silence, with a baseline phase
# (the good neighbor alone) in the same run. Each phase is a JVM of its own with speaker.sh's flags;
# the bench (e2e-tests/bench/.../HostilePeerBench.java) needs only bgp-speaker, so only that is built.
# Usage: scripts/bench-bgp-hostile.sh [routes=100000] [seconds=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl bgp-speaker package -DskipTests -Dmutation.skip=true
"$root/mvnw" -q -B -ntp -pl bgp-speaker dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$root/bgp-speaker/target/runtime.classpath"
cp="$root/bgp-speaker/target/classes:$(cat "$root/bgp-speaker/target/runtime.classpath")"
for phase in baseline hostile; do
  "$JAVA_HOME/bin/java" -Xmx288m -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED \
    -cp "$cp" "$root/e2e-tests/bench/src/main/java/io/meshgw/bench/HostilePeerBench.java" \
    "$phase" "${1:-100000}" "${2:-20}"
done
