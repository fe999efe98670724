#!/usr/bin/env bash
# RIB keys under a hash-collision attack: N IPv6 /128s sharing one hash code, in a HashMap keyed by Prefix, beside
# the same prefixes in keys without an order, beside ordinary prefixes.
# Usage: scripts/bench-rib-keys.sh [n=20000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/bench -am install -DskipTests
cp="$root/e2e-tests/bench/target/classes:$(cat "$root/e2e-tests/bench/target/classes/io/meshgw/bench/speaker.classpath")"
exec "$JAVA_HOME/bin/java" -cp "$cp" io.meshgw.bench.PrefixCollisionBench "$@"
