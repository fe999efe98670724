#!/usr/bin/env bash
# Installing N learned routes in a kernel table and removing them: meshgw's RouteInstaller over rtnetlink beside
# `ip -batch` with the same routes, in one run (e2e-tests/bench/.../KernelRoutesBench.java). Needs root; it creates a
# namespace, so run it under the namespace lock: flock /tmp/meshgw-netns.lock scripts/bench-kernel-routes.sh 100000
# Usage: scripts/bench-kernel-routes.sh [routes=100000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl bpf-tc -am package -DskipTests -Dmutation.skip=true
"$root/mvnw" -q -B -ntp -pl bpf-tc dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/bpf-tc/target/test.classpath"
cp="$root/bpf-tc/target/classes:$root/types/target/classes:$root/e2e-tests/testkit/target/classes"
cp="$cp:$(cat "$root/bpf-tc/target/test.classpath")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
  "$root/e2e-tests/bench/src/main/java/io/meshgw/bench/KernelRoutesBench.java" "${1:-100000}"
